package graphsvg

import (
	"bytes"
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Advance widths (in em) of DejaVu Sans, the widest of the common sans
// fonts and the one a Linux browser falls back to: an estimate from them
// holds for the narrower fonts of other systems too.
var (
	lowerW = [26]float64{.613, .635, .550, .635, .615, .352, .635, .634, .278, .278, .579, .278, .974, .634, .612,
		.635, .635, .411, .521, .392, .634, .592, .818, .592, .592, .525}
	upperW = [26]float64{.684, .686, .698, .770, .632, .575, .775, .752, .295, .295, .656, .557, .863, .748, .787,
		.603, .787, .695, .635, .611, .732, .684, .989, .685, .611, .685}
	punctW = map[rune]float64{' ': .318, '.': .318, ',': .318, ':': .337, ';': .337, '!': .402, '\'': .275, '"': .46,
		'(': .39, ')': .39, '[': .39, ']': .39, '-': .361, '/': .337, '?': .531, '+': .838, '&': .78, '%': .95,
		'·': .318, '–': .5, '—': 1, '…': 1, '→': .838}
)

// TextWidth estimates, on the generous side, how wide s is in a sans-serif
// font of the given size; bold text is wider. The drawing has no font
// metrics, so it reserves the width DejaVu Sans needs (a browser test
// measures the real font).
func TextWidth(s string, size float64, bold bool) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			w += lowerW[r-'a']
		case r >= 'A' && r <= 'Z':
			w += upperW[r-'A']
		case r >= '0' && r <= '9':
			w += .636
		case punctW[r] > 0:
			w += punctW[r]
		case unicode.IsLower(r) && unicode.Is(unicode.Latin, r):
			w += .64
		case unicode.IsUpper(r) && unicode.Is(unicode.Latin, r):
			w += .79
		default:
			w += 1 // other scripts, symbols
		}
	}
	if bold {
		w *= 1.14
	}
	return w * size * 1.02
}

// fit shortens s with an ellipsis until it is at most width wide.
func fit(s string, size, width float64, bold bool) string {
	s = strings.Join(strings.Fields(s), " ")
	if TextWidth(s, size, bold) <= width {
		return s
	}
	for s != "" {
		_, n := utf8.DecodeLastRuneInString(s)
		s = strings.TrimRight(s[:len(s)-n], " ")
		if TextWidth(s+"…", size, bold) <= width {
			return s + "…"
		}
	}
	return "…"
}

// wrap breaks s into at most two lines of at most width: whole words on
// the first, the rest on the second, cut with an ellipsis when it is
// still too long. A first word longer than a line is split with a hyphen
// (Swedish compounds are long).
func wrap(s string, size, width float64, bold bool) []string {
	s = strings.Join(strings.Fields(s), " ")
	if TextWidth(s, size, bold) <= width {
		return []string{s}
	}
	words := strings.Fields(s)
	line, i := "", 0
	for ; i < len(words); i++ {
		try := words[i]
		if line != "" {
			try = line + " " + words[i]
		}
		if TextWidth(try, size, bold) > width {
			break
		}
		line = try
	}
	rest := strings.Join(words[i:], " ")
	if line == "" {
		r := []rune(words[0])
		k := len(r) - 1
		for k > 1 && TextWidth(string(r[:k])+"-", size, bold) > width {
			k--
		}
		line = string(r[:k]) + "-"
		rest = strings.TrimPrefix(s, string(r[:k]))
	}
	return []string{line, fit(rest, size, width, bold)}
}

// writer builds the SVG text.
type writer struct {
	bytes.Buffer
	prefix string // of the ids inside the drawing
}

// text writes s escaped for an element or a quoted attribute; invalid
// characters become U+FFFD, so the output is always well-formed XML.
func (w *writer) text(s string) {
	_ = xml.EscapeText(&w.Buffer, []byte(s))
}

func (w *writer) raw(parts ...string) {
	for _, p := range parts {
		w.WriteString(p)
	}
}

// px formats a coordinate as a whole number: half a pixel is not seen, and
// the bytes add up over hundreds of boxes and curves.
func px(f float64) string { return strconv.Itoa(int(math.Round(f))) }

// num formats a size with one decimal, the same on every machine.
func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		return "0"
	}
	return s
}
