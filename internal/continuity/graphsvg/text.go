package graphsvg

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// textWidth estimates, on the generous side, how wide s is in a sans-serif
// font of the given size: the drawing has no font metrics, so it reserves
// the width of a wide font (the browser test measures the real one).
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case strings.ContainsRune("iljI.,:;'|!()[] ", r):
			w += 0.34
		case strings.ContainsRune("ftr-", r):
			w += 0.42
		case strings.ContainsRune("mwMW@%", r):
			w += 0.92
		case r >= '0' && r <= '9':
			w += 0.6
		case unicode.IsUpper(r):
			w += 0.74
		case r < 0x80 || unicode.Is(unicode.Latin, r):
			w += 0.6
		default:
			w += 1.0 // wide scripts, symbols
		}
	}
	return w * size
}

// fit shortens s with an ellipsis until it is at most width wide.
func fit(s string, size, width float64) string {
	s = strings.Join(strings.Fields(s), " ")
	if textWidth(s, size) <= width {
		return s
	}
	for s != "" {
		_, n := utf8.DecodeLastRuneInString(s)
		s = strings.TrimRight(s[:len(s)-n], " ")
		if textWidth(s+"…", size) <= width {
			return s + "…"
		}
	}
	return "…"
}

// writer builds the SVG text.
type writer struct{ bytes.Buffer }

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

// num formats a coordinate with one decimal, the same on every machine.
func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		return "0"
	}
	return s
}
