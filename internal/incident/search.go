package incident

import (
	"bytes"
	"sort"
	"strings"
)

// textIndex holds the searchable fields of every entry of one journal,
// lower-cased, in serial order in one contiguous buffer. A search that
// matches few entries used to walk 100,000 entries scattered on the heap
// (a cache miss or two each); now it runs bytes.Index over one buffer and
// touches only the entries it finds (docs/benchmarks.md, journal pages J4).
// The fields of an entry never change after it is written, so the index
// only grows. A NUL byte separates fields and entries, so a word never
// matches across two of them.
type textIndex struct {
	text []byte
	ends []int // ends[i]: the end of entry i's text (serial i+1) in text
}

func (x *textIndex) add(e *Entry) {
	for _, s := range e.searchable() {
		if s != "" {
			x.text = append(x.text, strings.ToLower(s)...)
			x.text = append(x.text, 0)
		}
	}
	x.ends = append(x.ends, len(x.text))
}

// hitBlock is how many entries the index searches at a time: a page that
// needs the 50 newest entries of a common word reads one block, not the
// whole buffer.
const hitBlock = 256

// hits answers, entry by entry, whether an entry's text contains needle
// (already lower case). It searches the buffer a block at a time, when the
// walk first asks about an entry of the block. It only narrows: every entry
// e.matches would keep is a hit, and the page still checks each hit with the
// matcher.
type hits struct {
	x      *textIndex
	needle []byte
	done   []bool // per block: searched
	hit    []bool // per entry (serial-1)
}

// hits returns nil (every entry a candidate) when there is no needle.
func (x *textIndex) hits(needle string) *hits {
	if needle == "" || strings.IndexByte(needle, 0) >= 0 {
		return nil
	}
	n := len(x.ends)
	return &hits{x: x, needle: []byte(needle), done: make([]bool, (n+hitBlock-1)/hitBlock), hit: make([]bool, n)}
}

// has reports whether entry i (serial i+1) may match.
func (h *hits) has(i int) bool {
	if h == nil {
		return true
	}
	if b := i / hitBlock; !h.done[b] {
		h.search(b)
	}
	return h.hit[i]
}

func (h *hits) search(b int) {
	h.done[b] = true
	ends := h.x.ends
	lo, hi := b*hitBlock, min((b+1)*hitBlock, len(ends))
	from := 0
	if lo > 0 {
		from = ends[lo-1]
	}
	end := ends[hi-1]
	for from < end {
		i := bytes.Index(h.x.text[from:end], h.needle)
		if i < 0 {
			return
		}
		k := sort.SearchInts(ends[lo:hi], from+i+1) + lo // the entry holding the match
		h.hit[k] = true
		from = ends[k] // on to the next entry
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
