package incident

import (
	"bytes"
	"sort"
	"strings"
)

// textIndex holds the searchable fields of every entry of one journal,
// lower-cased, in contiguous buffers: one per kind of entry, each in serial
// order. A search that matches few entries used to walk 100,000 entries
// scattered on the heap (a cache miss or two each); now it runs bytes.Index
// over the buffers — only its kind's buffer when it filters by kind — and
// touches only the entries it finds (docs/benchmarks.md, journal pages J4).
// The fields of an entry never change after it is written, so the index
// only grows. A NUL byte separates fields and entries, so a word never
// matches across two of them.
type textIndex struct {
	parts []textPart // one per kind, in the order the kinds were first met
	part  []uint8    // part[i]: the part of entry i (serial i+1)
	pos   []int32    // pos[i]: entry i's position in its part
}

// textPart is the text of every entry of one kind.
type textPart struct {
	kind    Kind
	text    []byte
	ends    []int   // ends[j]: the end of the part's entry j in text
	entries []int32 // entries[j]: that entry's serial-1
}

// maxParts bounds the parts (kinds are a closed list of a handful); a
// journal with more kinds than that is searched without the index.
const maxParts = 64

// kindPart is the part holding kind k, or false when no entry has kind k.
func (x *textIndex) kindPart(k Kind) (uint8, bool) {
	for i := range x.parts {
		if x.parts[i].kind == k {
			return uint8(i), true
		}
	}
	return 0, false
}

// usable is false when the journal has more kinds than the index keeps.
func (x *textIndex) usable() bool { return len(x.parts) <= maxParts }

func (x *textIndex) add(e *Entry) {
	k, ok := x.kindPart(e.Kind)
	if !ok {
		k = uint8(min(len(x.parts), maxParts)) // past maxParts the index is not used
		x.parts = append(x.parts, textPart{kind: e.Kind})
	}
	p := &x.parts[len(x.parts)-1]
	if ok {
		p = &x.parts[k]
	}
	for _, s := range e.searchable() {
		if s != "" {
			p.text = append(p.text, strings.ToLower(s)...)
			p.text = append(p.text, 0)
		}
	}
	x.part = append(x.part, k)
	x.pos = append(x.pos, int32(len(p.ends)))
	p.ends = append(p.ends, len(p.text))
	p.entries = append(p.entries, int32(len(x.part)-1))
}

// hitBlock is how many entries of a part the index searches at a time: a
// page that needs the 50 newest entries of a common word reads a block or
// two, not the whole buffer.
const hitBlock = 256

// hits answers, entry by entry, whether an entry's text contains needle
// (already lower case). It searches a part's buffer a block at a time, when
// the walk first asks about an entry of the block. It only narrows: every
// entry e.matches would keep is a hit, and the page still checks each hit
// with the matcher.
type hits struct {
	x      *textIndex
	needle []byte
	done   [][]bool // per part, per block: searched
	hit    []bool   // per entry (serial-1)
}

// hits returns nil (every entry a candidate) when there is no needle.
func (x *textIndex) hits(needle string) *hits {
	if needle == "" || strings.IndexByte(needle, 0) >= 0 || !x.usable() {
		return nil
	}
	h := &hits{x: x, needle: []byte(needle), done: make([][]bool, len(x.parts)), hit: make([]bool, len(x.part))}
	for i := range x.parts {
		h.done[i] = make([]bool, (len(x.parts[i].ends)+hitBlock-1)/hitBlock)
	}
	return h
}

// has reports whether entry i (serial i+1) may match.
func (h *hits) has(i int) bool {
	if h == nil {
		return true
	}
	k, b := h.x.part[i], int(h.x.pos[i])/hitBlock
	if !h.done[k][b] {
		h.search(int(k), b)
	}
	return h.hit[i]
}

func (h *hits) search(k, b int) {
	h.done[k][b] = true
	p := &h.x.parts[k]
	lo, hi := b*hitBlock, min((b+1)*hitBlock, len(p.ends))
	from := 0
	if lo > 0 {
		from = p.ends[lo-1]
	}
	end := p.ends[hi-1]
	for from < end {
		i := bytes.Index(p.text[from:end], h.needle)
		if i < 0 {
			return
		}
		j := sort.SearchInts(p.ends[lo:hi], from+i+1) + lo // the entry holding the match
		h.hit[p.entries[j]] = true
		from = p.ends[j] // on to the next entry
	}
}

// searchable lists the fields a text search looks in (see matches).
func (e *Entry) searchable() []string {
	f := []string{e.Text, e.Author, e.Function, e.Source, e.From, e.To}
	if d := e.Decision; d != nil {
		f = append(f, d.DecisionMaker, d.Rationale)
	}
	if t := e.Task; t != nil {
		f = append(f, t.Owner, t.ReportBack)
	}
	return f
}
