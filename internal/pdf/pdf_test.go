package pdf

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var created = time.Date(2026, 5, 12, 14, 3, 0, 0, time.FixedZone("CEST", 2*3600))

const swedish = "Räddningstjänsten Södertörn har släckt branden i Ösmo – Åsa Öberg " +
	"leder insatsen — „vi är klara” sa hon, ’snart’. Punkt • och … samt é, Ä, Å."

const long = "Under natten har branden i skogsområdet norr om Ösmo spridit sig mot " +
	"öster på grund av vridande vindar. Räddningstjänsten har förstärkt med två " +
	"styrkor från grannkommunerna och en helikopter med vattenbehållare. " +
	"Länsstyrelsen har informerats, och Socialstyrelsen följer läget för " +
	"vårdboenden i området. Nästa lägesbild lämnas klockan 18.00."

// tool finds a poppler-utils program. The tests fail rather than skip
// without it: a skipped test would let a broken PDF through CI unnoticed.
func tool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found (Debian package poppler-utils; scripts/test.sh installs it): %v", name, err)
	}
	return path
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(tool(t, name), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// write renders d, checks the file's structure and returns its path.
func write(t *testing.T, d *Doc) string {
	t.Helper()
	var b bytes.Buffer
	n, err := d.WriteTo(&b)
	if err != nil || n != int64(b.Len()) {
		t.Fatalf("WriteTo = %d, %v; wrote %d bytes", n, err, b.Len())
	}
	if err := checkStructure(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkStructure verifies what viewers rely on but forgive when broken (so
// pdftotext alone would not notice): startxref points at the xref table,
// every xref entry points at "N 0 obj", and every stream's /Length is exact.
func checkStructure(data []byte) error {
	tail := data[max(0, len(data)-64):]
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(tail)
	if m == nil {
		return fmt.Errorf("no startxref at the end: %q", tail)
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if xref >= len(data) {
		return fmt.Errorf("startxref %d beyond the file (%d bytes)", xref, len(data))
	}
	var count int
	if _, err := fmt.Sscanf(string(data[xref:]), "xref\n0 %d\n", &count); err != nil {
		return fmt.Errorf("startxref %d does not point at an xref table: %v", xref, err)
	}
	entries := data[xref+len(fmt.Sprintf("xref\n0 %d\n", count)):]
	if len(entries) < 20*count {
		return fmt.Errorf("xref table cut short")
	}
	if string(entries[:20]) != "0000000000 65535 f \n" {
		return fmt.Errorf("xref entry 0 = %q", entries[:20])
	}
	for i := 1; i < count; i++ {
		e := entries[20*i : 20*i+20]
		var off int
		if _, err := fmt.Sscanf(string(e), "%010d 00000 n \n", &off); err != nil || len(e) != 20 || e[19] != '\n' {
			return fmt.Errorf("xref entry %d = %q: %v", i, e, err)
		}
		if want := fmt.Sprintf("%d 0 obj\n", i); !bytes.HasPrefix(data[off:], []byte(want)) {
			return fmt.Errorf("xref entry %d points at %q, not %q", i, data[off:min(off+20, len(data))], want)
		}
	}
	if !bytes.Contains(entries[20*count:], fmt.Appendf(nil, "/Size %d ", count)) {
		return fmt.Errorf("trailer /Size is not %d", count)
	}
	lengths := regexp.MustCompile(`/Length (\d+) >>\nstream\n`)
	for _, loc := range lengths.FindAllSubmatchIndex(data, -1) {
		n, _ := strconv.Atoi(string(data[loc[2]:loc[3]]))
		if end := loc[1] + n; end > len(data) || !bytes.HasPrefix(data[end:], []byte("\nendstream")) {
			return fmt.Errorf("stream at %d: /Length %d does not end at endstream", loc[0], n)
		}
	}
	return nil
}

// words returns the whitespace-separated words of s, so that comparisons
// ignore where pdftotext -layout puts line breaks and padding.
func words(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func TestTextComesBack(t *testing.T) {
	d := New(Meta{Title: "Lägesbild – brand i Ösmo", Author: "Stabschef Åsa Öberg", Created: created})
	d.Heading("1. Läget just nu")
	d.Para(swedish)
	d.KeyValue("Insatsledare", "Per Persson, Räddningstjänsten Södertörn")
	d.KeyValue("Nästa rapport", "18.00")
	d.Rule()
	d.Para("Utanför WinAnsi: Ω 中文 😀 – blir frågetecken.")
	path := write(t, d)

	text := run(t, "pdftotext", "-layout", path, "-")
	got := words(text)
	for _, want := range []string{
		"Lägesbild – brand i Ösmo 2026-05-12 14:03 CEST", // header
		"1. Läget just nu",
		words(swedish),
		"Insatsledare Per Persson, Räddningstjänsten Södertörn",
		"Nästa rapport 18.00",
		"Utanför WinAnsi: ? ?? ? – blir frågetecken.",
		"page 1 of 1",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("extracted text lacks %q; got:\n%s", want, text)
		}
	}

	info := run(t, "pdfinfo", "-isodates", path)
	for _, want := range []string{
		"Title:           Lägesbild – brand i Ösmo\n",
		"Author:          Stabschef Åsa Öberg\n",
		"CreationDate:    2026-05-12T14:03:00+02\n",
		"Pages:           1\n",
		"Page size:       595.28 x 841.89 pts (A4)\n",
		"PDF version:     1.4\n",
	} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo lacks %q; got:\n%s", want, info)
		}
	}
}

var bboxWord = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>`)

type box struct {
	xMin, yMin, xMax float64
	text             string
}

func boxes(t *testing.T, path string, page int) []box {
	t.Helper()
	p := strconv.Itoa(page)
	var bs []box
	for _, m := range bboxWord.FindAllStringSubmatch(run(t, "pdftotext", "-bbox", "-f", p, "-l", p, path, "-"), -1) {
		f := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
		bs = append(bs, box{f(m[1]), f(m[2]), f(m[3]), m[4]})
	}
	return bs
}

// TestWrapUsesGlyphWidths checks the wrapping against poppler's own metrics
// for the base-14 fonts: no line passes the right margin, and no line was
// broken early (the next line's first word would not have fitted). Many
// lines of shuffled words make some line end within a space's width of the
// margin, where an off-by-one-glyph error would show.
func TestWrapUsesGlyphWidths(t *testing.T) {
	vocabulary := strings.Fields(long + " " + swedish)
	var paras []string
	for p := range 12 {
		var ws []string
		for i := range 90 {
			ws = append(ws, vocabulary[(i*7+p*13+i*i)%len(vocabulary)])
		}
		paras = append(paras, strings.Join(ws, " "))
	}
	d := New(Meta{Title: "Wrap"})
	for _, p := range paras {
		d.Para(p)
	}
	path := write(t, d)

	right := margin + textW
	space := width([]byte{' '}, regular, bodySize)
	total := 0
	var body []string
	for page := 1; page <= d.PageCount(); page++ {
		var lines [][]box // body words grouped by baseline
		for _, b := range boxes(t, path, page) {
			if b.yMin < 50 || b.yMin > 790 { // header, footer
				continue
			}
			body = append(body, b.text)
			if n := len(lines); n > 0 && lines[n-1][0].yMin == b.yMin {
				lines[n-1] = append(lines[n-1], b)
			} else {
				lines = append(lines, []box{b})
			}
		}
		total += len(lines)
		for i, l := range lines {
			last := l[len(l)-1]
			if last.xMax > right+0.001 {
				t.Errorf("page %d line %d ends at %.3f, past the margin at %.3f: %q", page, i, last.xMax, right, last.text)
			}
			if l[0].xMin != margin {
				t.Errorf("page %d line %d starts at %.3f, not at the margin", page, i, l[0].xMin)
			}
			// Within a paragraph (same gap as between its lines), the
			// next line's first word must not have fitted here.
			if i+1 < len(lines) && lines[i+1][0].yMin-l[0].yMin < bodyLead+0.5 {
				next := lines[i+1][0]
				if last.xMax+space+(next.xMax-next.xMin) <= right {
					t.Errorf("page %d line %d broken early: %q would have fitted after %q", page, i, next.text, last.text)
				}
			}
		}
	}
	for _, p := range paras {
		if !strings.Contains(strings.Join(body, " "), p) {
			t.Fatalf("paragraph does not come back whole: %q", p)
		}
	}
	if total < 12*5 {
		t.Fatalf("paragraphs set on %d lines, want them wrapped", total)
	}
}

// TestWidthTables compares every WinAnsi glyph's width in both fonts with
// poppler's built-in metrics, an independent copy of Adobe's AFM files.
func TestWidthTables(t *testing.T) {
	var codes []byte
	for c := 0x21; c <= 0xff; c++ {
		if c != 0x7f && c != 0xa0 && c != 0xad && helveticaWidths[c] != 0 {
			codes = append(codes, byte(c))
		}
	}
	d := New(Meta{})
	for _, f := range []font{regular, bold} {
		for _, c := range codes {
			d.line(bodyLead)
			d.text(f, bodySize, margin, d.y, []byte{c})
		}
	}
	path := write(t, d)
	var got []box
	for p := 1; p <= d.PageCount(); p++ {
		for _, b := range boxes(t, path, p) {
			if b.yMin < 790 { // not the footer
				got = append(got, b)
			}
		}
	}
	if len(got) != 2*len(codes) {
		t.Fatalf("poppler found %d glyphs, want %d", len(got), 2*len(codes))
	}
	for i, b := range got {
		f, c := regular, codes[i%len(codes)]
		if i >= len(codes) {
			f = bold
		}
		w := (b.xMax - b.xMin) * 1000 / bodySize
		if want := float64(f.widths[c]); w < want-0.01 || w > want+0.01 {
			t.Errorf("%s 0x%02X %q: poppler says %.2f, table %v", f.name, c, b.text, w, want)
		}
	}
}

func TestThreePages(t *testing.T) {
	d := New(Meta{Title: "Lägesbild 7", Created: created, PageFormat: "Sida %d av %d"})
	for i := 1; i <= 16; i++ {
		d.Heading(fmt.Sprintf("Avsnitt %d", i))
		d.Para(long)
		d.KeyValue("Ansvarig", "Åsa Öberg")
	}
	if d.PageCount() != 3 {
		t.Fatalf("PageCount = %d, want the test text to fill 3 pages", d.PageCount())
	}
	path := write(t, d)
	if info := run(t, "pdfinfo", path); !strings.Contains(info, "Pages:           3\n") {
		t.Fatalf("pdfinfo:\n%s", info)
	}
	all := words(run(t, "pdftotext", "-layout", path, "-"))
	for i := 1; i <= 16; i++ {
		if want := fmt.Sprintf("Avsnitt %d %s Ansvarig Åsa Öberg", i, words(long)); !strings.Contains(all, want) {
			t.Errorf("section %d not found whole (a page break may have cut it elsewhere than between lines)", i)
		}
	}
	for p := 1; p <= 3; p++ {
		text := words(run(t, "pdftotext", "-layout", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), path, "-"))
		if !strings.HasPrefix(text, "Lägesbild 7 2026-05-12 14:03 CEST") {
			t.Errorf("page %d lacks the header: %.80q", p, text)
		}
		if want := fmt.Sprintf("Sida %d av 3", p); !strings.HasSuffix(text, want) {
			t.Errorf("page %d does not end with %q: …%q", p, want, text[max(0, len(text)-40):])
		}
	}
}

// A heading must not be the last thing on a page.
func TestHeadingKeptWithText(t *testing.T) {
	d := New(Meta{})
	// Fill page 1 until the heading itself would still fit, but not with
	// two lines of text under it.
	for d.pages == nil || d.y-paraSpacing-headLead-2*bodyLead >= bottom {
		d.Para("rad")
	}
	if d.PageCount() != 1 || d.y-headLead < bottom {
		t.Fatalf("setup: %d pages, y %.2f", d.PageCount(), d.y)
	}
	d.Heading("Rubrik")
	d.Para("text")
	if d.PageCount() != 2 {
		t.Fatalf("PageCount = %d", d.PageCount())
	}
	text := run(t, "pdftotext", "-layout", "-f", "2", "-l", "2", write(t, d), "-")
	if !strings.HasPrefix(words(text), "Rubrik text") {
		t.Errorf("heading not moved to page 2 with its text:\n%s", text)
	}
}

func TestDeterministic(t *testing.T) {
	build := func() *Doc {
		d := New(Meta{Title: "Lägesbild", Author: "Stab", Created: created})
		d.Heading("Läge")
		d.Para(long)
		d.KeyValue("Nyckel", "Värde")
		d.Rule()
		return d
	}
	var a, b, c bytes.Buffer
	d := build()
	d.WriteTo(&a)
	d.WriteTo(&b)
	build().WriteTo(&c)
	if !bytes.Equal(a.Bytes(), b.Bytes()) || !bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Fatal("same input gave different files")
	}
}

func TestEmptyDocument(t *testing.T) {
	path := write(t, New(Meta{}))
	if info := run(t, "pdfinfo", path); !strings.Contains(info, "Pages:           1\n") || strings.Contains(info, "CreationDate") {
		t.Fatalf("pdfinfo:\n%s", info)
	}
	if text := words(run(t, "pdftotext", "-layout", path, "-")); text != "page 1 of 1" {
		t.Fatalf("text = %q", text)
	}
}

func TestLongWordsAndTitles(t *testing.T) {
	word := strings.Repeat("Brandriskprognos", 12)
	d := New(Meta{Title: strings.Repeat("Mycket lång titel ", 20), Created: created})
	d.Para(word)
	d.KeyValue(word, word)
	path := write(t, d)
	for _, b := range boxes(t, path, 1) {
		if b.xMax > margin+textW+0.01 {
			t.Errorf("%q ends at %.2f, past the margin", b.text, b.xMax)
		}
	}
	text := words(run(t, "pdftotext", "-layout", path, "-"))
	if !strings.Contains(text, "…") || !strings.Contains(text, "2026-05-12 14:03 CEST") {
		t.Errorf("long title not shortened beside the date: %.200q", text)
	}
	// The paragraph comes first and alone, so its pieces join up again.
	if got := strings.Count(strings.ReplaceAll(text, " ", ""), "Brandriskprognos"); got < 12 {
		t.Errorf("long word lost: %d pieces", got)
	}
}

// Input comes from users; a megabyte without a space must not take
// quadratic time to wrap or to shorten into the header.
// TestHugeInput checks that a huge text is laid out, and that the work grows
// linearly with it: the bytes allocated for 4n runes must stay well below the
// 16× a quadratic layout would need. Counting allocation, not time, keeps the
// test independent of how busy the machine is (BenchmarkHugeInput times it).
func TestHugeInput(t *testing.T) {
	const n = 1 << 17
	small := allocatedFor(t, n)
	large := allocatedFor(t, 4*n)
	t.Logf("allocated %d bytes for n, %d for 4n (ratio %.1f)", small, large, float64(large)/float64(small))
	if large > 8*small {
		t.Errorf("allocation grew %.1f× for 4× the input: layout is not linear", float64(large)/float64(small))
	}
}

// allocatedFor lays out a document of n runes in the title, a paragraph and
// a key-value row, checks its structure, and returns the bytes allocated.
func allocatedFor(t *testing.T, n int) uint64 {
	t.Helper()
	huge := strings.Repeat("Å", n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	d := hugeDoc(huge)
	var b bytes.Buffer
	if _, err := d.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if err := checkStructure(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	return after.TotalAlloc - before.TotalAlloc
}

func hugeDoc(huge string) *Doc {
	d := New(Meta{Title: huge})
	d.Para(huge)
	d.KeyValue(huge[:len(huge)/16], huge[:len(huge)/16])
	return d
}

func BenchmarkHugeInput(b *testing.B) {
	huge := strings.Repeat("Å", 1<<20)
	for b.Loop() {
		var out bytes.Buffer
		if _, err := hugeDoc(huge).WriteTo(&out); err != nil {
			b.Fatal(err)
		}
	}
}

func TestEncode(t *testing.T) {
	for in, want := range map[string]string{
		"åäöÅÄÖé":         "\xe5\xe4\xf6\xc5\xc4\xd6\xe9",
		"–—„”“’‘•…€":      "\x96\x97\x84\x94\x93\x92\x91\x95\x85\x80",
		"a\tb\nc\rd":      "a b c d",
		"1\u202f234":      "1\xa0234",
		"af\u00adfär":     "aff\xe4r",
		"−5 \u2011":       "-5 -",
		"Ω中😀\x00\x1b\x7f": "??????",
		"\xff\xfe":        "??",
	} {
		if got := string(encode(in)); got != want {
			t.Errorf("encode(%q) = %q, want %q", in, got, want)
		}
	}
	// Every rune must come out as glyphs that have a width: a zero would
	// mean an undefined WinAnsi code reached the file.
	for r := rune(0); r <= utf8.MaxRune; r++ {
		for _, c := range encode(string(r)) {
			if helveticaWidths[c] == 0 || helveticaBoldWidths[c] == 0 {
				t.Fatalf("encode(%U) gave 0x%02X, which has no glyph", r, c)
			}
		}
	}
}

func FuzzWrite(f *testing.F) {
	f.Add("Lägesbild", "Rubrik – ÅÄÖ", swedish, "Nyckel", "Värde\nrad 2", uint8(3))
	f.Add("", "", "", "", "", uint8(0))
	f.Add("(\\)", ")(", "\\\\ (( ))", "\x00\xff", "\r\n\r", uint8(40))
	f.Add("😀", strings.Repeat("W", 300), long, "中文", "\u00a0\u202f\u00ad", uint8(255))
	f.Fuzz(func(t *testing.T, title, heading, para, key, value string, repeat uint8) {
		d := New(Meta{Title: title, Author: key, Created: created})
		for range int(repeat)%8 + 1 {
			d.Heading(heading)
			d.Para(para)
			d.KeyValue(key, value)
			d.Rule()
		}
		var b bytes.Buffer
		if _, err := d.WriteTo(&b); err != nil {
			t.Fatal(err)
		}
		if err := checkStructure(b.Bytes()); err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("/Count %d ", d.PageCount()); !bytes.Contains(b.Bytes(), []byte(want)) {
			t.Fatalf("page tree lacks %q", want)
		}
		for _, l := range wrap(encode(para), regular, bodySize, textW) {
			if w := width(l, regular, bodySize); w > textW {
				t.Fatalf("line %q is %.2f wide, over %.2f", l, w, textW)
			}
		}
	})
}
