// Package pdf writes small text documents (situation reports) as PDF 1.4,
// using only the standard library.
//
// Pages are A4 portrait with 20 mm margins. Text is set in the base-14 fonts
// Helvetica and Helvetica-Bold, which every PDF viewer has, so nothing is
// embedded and files stay small. Text is encoded as WinAnsiEncoding
// (Windows-1252): that covers Swedish (å ä ö Å Ä Ö é) and the usual
// typographic punctuation (– — „ " " ' ' • … €). A character outside
// WinAnsi, a control character other than tab and line ends, and invalid
// UTF-8 print as '?'; a few lookalikes are substituted first (see encode).
// Runs of spaces collapse to one, and words are never hyphenated (a word
// wider than a line is cut). Streams are not compressed: reports are small,
// and plain text keeps files inspectable.
//
// Output is a pure function of the calls made and Meta: no clock, no
// randomness, no map iteration. Tests can compare bytes.
package pdf

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// Meta describes the document. Title and Created are also printed in the
// header of every page; a zero Created is left out (and out of /Info).
type Meta struct {
	Title   string
	Author  string
	Created time.Time
	// PageFormat is the footer, given the page number and the page count;
	// "page %d of %d" when empty (e.g. "Sida %d av %d" for Swedish).
	PageFormat string
}

// Geometry in PDF points (1/72 inch).
const (
	pageW  = 595.28 // A4
	pageH  = 841.89
	margin = 56.69 // 20 mm
	textW  = pageW - 2*margin
	top    = pageH - margin
	bottom = margin

	bodySize    = 10.5
	bodyLead    = 14.0
	headSize    = 13.0
	headLead    = 17.0
	smallSize   = 8.0 // header and footer
	keyColumn   = 0.3 * textW
	columnGap   = 8.0
	paraSpacing = 6.0
)

type font struct {
	name   string // resource name in the page's /Font dictionary
	widths *[256]uint16
}

var (
	regular = font{"F1", &helveticaWidths}
	bold    = font{"F2", &helveticaBoldWidths}
)

// Doc accumulates pages. Its methods lay text out as they are called; only
// the header and footer wait for WriteTo, because the footer needs the page
// count. A Doc is not safe for concurrent use.
type Doc struct {
	meta  Meta
	pages []*bytes.Buffer // body content stream of each page
	y     float64         // baseline of the last line set on the current page
}

// New starts an empty document.
func New(m Meta) *Doc {
	return &Doc{meta: m}
}

// Heading sets text in bold on its own lines. It is kept with at least two
// lines of whatever follows, so a heading never ends a page.
func (d *Doc) Heading(text string) {
	lines := wrap(encode(text), bold, headSize, textW)
	if d.pages != nil && d.y < top {
		d.y -= paraSpacing
	}
	d.need(float64(len(lines))*headLead + 2*bodyLead)
	for _, l := range lines {
		d.line(headLead)
		d.text(bold, headSize, margin, d.y, l)
	}
	d.y -= 2
}

// Para sets a paragraph wrapped to the text width. A newline in text starts
// a new line; an empty line between two newlines is kept.
func (d *Doc) Para(text string) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	for _, seg := range strings.Split(text, "\n") {
		for _, l := range wrap(encode(seg), regular, bodySize, textW) {
			d.line(bodyLead)
			d.text(regular, bodySize, margin, d.y, l)
		}
	}
	d.y -= paraSpacing
}

// KeyValue sets one row of a two-column table: key in bold in a narrow left
// column, value in the rest of the width. Either side wraps within its
// column; the row may continue on the next page.
func (d *Doc) KeyValue(key, value string) {
	keys := wrap(encode(key), bold, bodySize, keyColumn-columnGap)
	vals := wrap(encode(value), regular, bodySize, textW-keyColumn)
	for i := 0; i < max(len(keys), len(vals)); i++ {
		d.line(bodyLead)
		if i < len(keys) {
			d.text(bold, bodySize, margin, d.y, keys[i])
		}
		if i < len(vals) {
			d.text(regular, bodySize, margin+keyColumn, d.y, vals[i])
		}
	}
	d.y -= 2
}

// Rule draws a thin line across the text width.
func (d *Doc) Rule() {
	d.need(paraSpacing + 1)
	d.y -= paraSpacing / 2
	fmt.Fprintf(d.page(), "0.5 w %s %s m %s %s l S\n", num(margin), num(d.y), num(margin+textW), num(d.y))
	d.y -= paraSpacing
}

// PageCount is the number of pages WriteTo will produce.
func (d *Doc) PageCount() int {
	return max(len(d.pages), 1)
}

// page returns the current page's content, starting the first page lazily so
// that an empty Doc still gets exactly one (blank) page from WriteTo.
func (d *Doc) page() *bytes.Buffer {
	if d.pages == nil {
		d.newPage()
	}
	return d.pages[len(d.pages)-1]
}

func (d *Doc) newPage() {
	d.pages = append(d.pages, new(bytes.Buffer))
	d.y = top
}

// need starts a new page unless h more points fit above the bottom margin.
// On a fresh page it does nothing, so oversized blocks cannot loop.
func (d *Doc) need(h float64) {
	if d.pages == nil || (d.y-h < bottom && d.y < top) {
		d.newPage()
	}
}

// line advances to the baseline of the next line of height lead.
func (d *Doc) line(lead float64) {
	d.need(lead)
	d.y -= lead
}

func (d *Doc) text(f font, size, x, y float64, s []byte) {
	writeText(d.page(), f, size, x, y, s)
}

func writeText(b *bytes.Buffer, f font, size, x, y float64, s []byte) {
	if len(s) == 0 {
		return
	}
	fmt.Fprintf(b, "BT /%s %s Tf %s %s Td ", f.name, num(size), num(x), num(y))
	b.WriteByte('(')
	for _, c := range s {
		switch {
		case c == '(' || c == ')' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7f:
			// Octal keeps the file 7-bit, so a stray transfer or editor
			// recoding cannot corrupt it.
			fmt.Fprintf(b, "\\%03o", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteString(") Tj ET\n")
}

// header returns the content drawn at the top of every page.
func (d *Doc) header() []byte {
	var b bytes.Buffer
	const headY = pageH - 36
	date := ""
	if !d.meta.Created.IsZero() {
		date = d.meta.Created.Format("2006-01-02 15:04 MST")
	}
	dateEnc := encode(date)
	dateW := width(dateEnc, regular, smallSize)
	title := fit(encode(d.meta.Title), bold, smallSize, textW-dateW-columnGap)
	writeText(&b, bold, smallSize, margin, headY, title)
	writeText(&b, regular, smallSize, margin+textW-dateW, headY, dateEnc)
	fmt.Fprintf(&b, "0.6 G 0.4 w %s %s m %s %s l S 0 G\n",
		num(margin), num(headY-5), num(margin+textW), num(headY-5))
	return b.Bytes()
}

// footer returns the page number line of page n of total.
func (d *Doc) footer(n, total int) []byte {
	var b bytes.Buffer
	format := d.meta.PageFormat
	if format == "" {
		format = "page %d of %d"
	}
	foot := fit(encode(fmt.Sprintf(format, n, total)), regular, smallSize, textW)
	writeText(&b, regular, smallSize, margin+(textW-width(foot, regular, smallSize))/2, 28, foot)
	return b.Bytes()
}

// WriteTo writes the whole file. It does not change d, so it can be called
// again, and more text added in between.
func (d *Doc) WriteTo(w io.Writer) (int64, error) {
	pages := d.pages
	if len(pages) == 0 {
		pages = []*bytes.Buffer{new(bytes.Buffer)}
	}
	// Object numbers: 1 catalog, 2 page tree, 3 and 4 fonts, 5 info, then a
	// page object and its content stream for each page.
	const firstPage = 6
	header := d.header()
	var b bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	// The comment of high bytes tells transfer tools the file is binary.
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", firstPage+2*i)
	}
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)))
	for _, base := range []string{"Helvetica", "Helvetica-Bold"} {
		obj("<< /Type /Font /Subtype /Type1 /BaseFont /" + base + " /Encoding /WinAnsiEncoding >>")
	}
	info := "<< /Producer (Fyr) /Title " + textString(d.meta.Title) + " /Author " + textString(d.meta.Author)
	if !d.meta.Created.IsZero() {
		info += " /CreationDate (" + pdfDate(d.meta.Created) + ")"
	}
	obj(info + " >>")
	for i, body := range pages {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] "+
			"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>",
			num(pageW), num(pageH), firstPage+2*i+1))
		content := slices.Concat(header, d.footer(i+1, len(pages)), body.Bytes())
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	}
	xref := b.Len()
	// Each entry must be exactly 20 bytes: 10 + 1 + 5 + 1 + 1 + "space LF".
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	n, err := w.Write(b.Bytes())
	return int64(n), err
}

// num prints coordinates with two decimals: 1/7200 inch is finer than any
// printer, and a fixed format keeps output byte-stable.
func num(v float64) string {
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// textString encodes s as a PDF text string in UTF-16BE with a byte order
// mark, so /Info shows any Unicode, not just WinAnsi.
func textString(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(strings.ToValidUTF8(s, "\uFFFD"))) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// pdfDate formats t as D:YYYYMMDDHHmmSSOHH'mm' in t's own zone.
func pdfDate(t time.Time) string {
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	if off == 0 {
		return t.Format("D:20060102150405") + "Z"
	}
	return fmt.Sprintf("%s%c%02d'%02d'", t.Format("D:20060102150405"), sign, off/3600, off/60%60)
}

// winAnsiHigh maps the Unicode characters that Windows-1252 places at
// 0x80-0x9F; 0xA0-0xFF coincide with Latin-1 and need no table.
var winAnsiHigh = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87,
	'ˆ': 0x88, '‰': 0x89, 'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E,
	'‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
	'˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B, 'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
}

// encode converts s to WinAnsi bytes. Tabs, line ends (Para splits at them
// first) and Unicode spaces become spaces;
// the narrow no-break space that Swedish puts in numbers ("1 234") becomes
// a no-break space, which wrap treats as part of the word; hyphen and minus
// lookalikes become '-'; soft hyphens vanish. Anything else that WinAnsi lacks
// becomes '?', so the reader sees that something was lost.
func encode(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r >= 0x20 && r < 0x7f, r >= 0xa0 && r <= 0xff && r != 0xad:
			out = append(out, byte(r))
		case r == 0xad:
		case r == '\t', r == '\n', r == '\r', r == '\u2002', r == '\u2003', r == '\u2009', r == '\u200a':
			out = append(out, ' ')
		case r == '\u202f', r == '\u2007':
			out = append(out, 0xa0)
		case r == '\u2010', r == '\u2011', r == '\u2212':
			out = append(out, '-')
		default:
			if c, ok := winAnsiHigh[r]; ok {
				out = append(out, c)
			} else {
				out = append(out, '?')
			}
		}
	}
	return out
}

// width is the advance of s in points.
func width(s []byte, f font, size float64) float64 {
	w := 0
	for _, c := range s {
		w += int(f.widths[c])
	}
	return float64(w) * size / 1000
}

// wrap breaks s into lines no wider than limit, at spaces. A word too wide for
// a line on its own is cut between characters rather than overrunning the
// margin. An empty s gives one empty line, so blank lines keep their space.
// Widths are summed as they go, in font units: input is untrusted and a
// megabyte without a space must not cost quadratic time.
func wrap(s []byte, f font, size, limit float64) [][]byte {
	fits := func(units int) bool { return float64(units)*size/1000 <= limit }
	space := int(f.widths[' '])
	var lines [][]byte
	var cur []byte
	curW := 0
	// Split at ASCII space only: bytes.Fields would decode the WinAnsi bytes
	// as UTF-8 and could find spaces inside letters; and 0xA0 must bind.
	for _, word := range bytes.Split(s, []byte{' '}) {
		if len(word) == 0 {
			continue
		}
		ww := 0
		for _, c := range word {
			ww += int(f.widths[c])
		}
		if len(cur) > 0 && fits(curW+space+ww) {
			cur, curW = append(append(cur, ' '), word...), curW+space+ww
			continue
		}
		if len(cur) > 0 {
			lines, cur = append(lines, cur), nil
		}
		for !fits(ww) {
			n, w := 1, int(f.widths[word[0]]) // at least one byte, or no progress
			for n < len(word) && fits(w+int(f.widths[word[n]])) {
				w += int(f.widths[word[n]])
				n++
			}
			lines, word, ww = append(lines, word[:n]), word[n:], ww-w
		}
		cur, curW = append([]byte(nil), word...), ww
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}

// fit shortens s with an ellipsis until it is at most limit wide.
func fit(s []byte, f font, size, limit float64) []byte {
	if width(s, f, size) <= limit {
		return s
	}
	n, w, ellipsis := 0, 0, int(f.widths[0x85])
	for n < len(s) && float64(w+int(f.widths[s[n]])+ellipsis)*size/1000 <= limit {
		w += int(f.widths[s[n]])
		n++
	}
	return append(s[:n:n], 0x85)
}
