// Package safecsv writes CSV that spreadsheet programs open without running
// anything in it: every CSV file Fyr writes goes through it.
//
// A spreadsheet evaluates a cell that starts with a formula character
// (= + - @, a tab or a carriage return). Quoting alone does not stop it, and
// a program set to another locale splits a cell on its own separator — a
// comma file opened by Swedish Excel is split on ';' — so a formula can also
// start after any separator inside a cell. Neutralise therefore puts Excel's
// text marker (') before a formula character at the start of the cell and
// after every ';', ',', tab, carriage return or newline in it (skipping
// spaces and double quotes, which a spreadsheet drops there). A ' already
// at such a place gets one more, so that Restore undoes exactly what
// Neutralise did.
package safecsv

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"
)

// BOM is the UTF-8 byte-order mark: Excel reads å, ä and ö right only with it.
const BOM = "\ufeff"

// isFormula reports whether r starts a formula in some spreadsheet
// (including the full-width forms that East Asian Excel accepts).
func isFormula(r rune) bool {
	switch r {
	case '=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠':
		return true
	}
	return false
}

// isSplit reports whether a spreadsheet may split a cell after r.
func isSplit(r rune) bool {
	switch r {
	case ';', ',', '\t', '\r', '\n':
		return true
	}
	return false
}

// Neutralise makes s safe to put in a spreadsheet cell; Restore(Neutralise(s)) == s.
func Neutralise(s string) string {
	if !needs(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	atSplit := true
	for i, r := range s {
		n := utf8.RuneLen(r)
		if r == utf8.RuneError {
			_, n = utf8.DecodeRuneInString(s[i:]) // keep invalid bytes as they are
		}
		if atSplit {
			switch {
			case r == ' ' || r == '"':
				b.WriteString(s[i : i+n])
				continue // still at the split point
			case isFormula(r) || r == '\'':
				b.WriteByte('\'')
			}
		}
		b.WriteString(s[i : i+n])
		atSplit = isSplit(r)
	}
	return b.String()
}

// needs reports whether Neutralise would change s: the common case costs one pass.
func needs(s string) bool {
	atSplit := true
	for _, r := range s {
		if atSplit {
			if r == ' ' || r == '"' {
				continue
			}
			if isFormula(r) || r == '\'' {
				return true
			}
		}
		atSplit = isSplit(r)
	}
	return false
}

// Restore undoes Neutralise: it takes one ' off wherever Neutralise put one
// (a ' before a formula character or another ' at the start or after a
// separator). An import reads back what an export wrote.
func Restore(s string) string {
	if !strings.ContainsRune(s, '\'') {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	atSplit := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if atSplit {
			if r == ' ' || r == '"' {
				b.WriteString(s[i : i+n])
				i += n
				continue
			}
			if r == '\'' && i+n < len(s) {
				next, nn := utf8.DecodeRuneInString(s[i+n:])
				if isFormula(next) || next == '\'' {
					i += n // the marker Neutralise added
					r, n = next, nn
				}
			}
		}
		b.WriteString(s[i : i+n])
		i += n
		atSplit = isSplit(r)
	}
	return b.String()
}

// Writer writes CSV records with every cell quoted and neutralised, lines
// ended by CRLF (RFC 4180, what spreadsheets write).
type Writer struct {
	w   *bufio.Writer
	sep byte
	err error
}

// NewWriter writes to w with sep between cells: ';' (Swedish Excel) or
// ',' (anything else is taken as ',').
func NewWriter(w io.Writer, sep rune) *Writer {
	s := byte(',')
	if sep == ';' {
		s = ';'
	}
	return &Writer{w: bufio.NewWriterSize(w, 32<<10), sep: s}
}

// BOM writes the byte-order mark; call it first.
func (w *Writer) BOM() {
	if w.err == nil {
		_, w.err = w.w.WriteString(BOM)
	}
}

// Write writes one record.
func (w *Writer) Write(cells ...string) error {
	if w.err != nil {
		return w.err
	}
	for i, c := range cells {
		if i > 0 {
			w.w.WriteByte(w.sep)
		}
		w.w.WriteByte('"')
		w.w.WriteString(strings.ReplaceAll(Neutralise(c), `"`, `""`))
		w.w.WriteByte('"')
	}
	_, w.err = w.w.WriteString("\r\n")
	return w.err
}

// Flush writes what is buffered to the underlying writer.
func (w *Writer) Flush() error {
	if w.err == nil {
		w.err = w.w.Flush()
	}
	return w.err
}
