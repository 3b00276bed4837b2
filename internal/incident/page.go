package incident

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyr/internal/fail"
)

// Page selects a window of a journal: at most Limit entries next to a
// cursor. A cursor is an entry's serial number; After and Before are in the
// order of the query (serial, or the timeline with ByTime). The window is
// the Limit matching entries nearest the cursor on its side; without a
// cursor, the newest (Newest) or the oldest.
type Page struct {
	Limit  int  // 0: no limit
	After  int  // only entries after this one
	Before int  // only entries before this one
	Newest bool // newest first
}

// PageOf is one window of a journal.
type PageOf struct {
	Entries []Entry // in the order asked for
	// Earlier is the cursor (a serial, for Before) of the adjacent window of
	// entries that come before this one in the order; Later (for After) of
	// those after it. Zero when there are none.
	Earlier int
	Later   int
}

// JournalPage returns one window of the entries of an incident that match
// q. Its cost grows with the window, not with the journal, unless the
// filters skip most entries.
func (v *View) JournalPage(id ID, q Query, pg Page) (PageOf, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	st := v.incidents[id]
	if st == nil {
		return PageOf{}, fail.New(fail.NotFound, "incident %q does not exist", id)
	}
	list := st.entries
	if q.ByTime {
		list = st.timeline
	}
	lo, hi := 0, len(list) // the window lies in list[lo:hi]
	if pg.After != 0 {
		i, err := st.position(list, q.ByTime, "after", pg.After)
		if err != nil {
			return PageOf{}, err
		}
		lo = i + 1
	}
	if pg.Before != 0 {
		i, err := st.position(list, q.ByTime, "before", pg.Before)
		if err != nil {
			return PageOf{}, err
		}
		hi = i
	}
	limit := pg.Limit
	if limit <= 0 {
		limit = len(list)
	}
	m := q.matcher()
	// A text search first finds its entries in the index, so the walk below
	// skips the others without touching them.
	// A kind filter is checked on the dense part numbers the same way.
	hits := st.search.hits(m.needle)
	kind, known := st.search.kindPart(q.Kind)
	dense := q.Kind != "" && known && st.search.usable()
	keeps := func(i int) bool {
		if q.Kind != "" && !known {
			return false // no entry has this kind
		}
		if hits != nil || dense {
			serial := i + 1
			if q.ByTime {
				serial = list[i].Serial
			}
			if dense && st.search.part[serial-1] != kind {
				return false
			}
			if !hits.has(serial - 1) {
				return false
			}
		}
		return m.keeps(list[i])
	}
	// Collect upwards from lo (after a cursor, or the oldest first), or
	// downwards from hi.
	up := pg.After != 0 || (pg.Before == 0 && !pg.Newest)
	var picked []*Entry
	first, last := -1, -1 // the window's extent in list
	if up {
		for i := lo; i < hi && len(picked) < limit; i++ {
			if keeps(i) {
				picked = append(picked, list[i])
				if first < 0 {
					first = i
				}
				last = i
			}
		}
	} else {
		for i := hi - 1; i >= lo && len(picked) < limit; i-- {
			if keeps(i) {
				picked = append(picked, list[i])
				if last < 0 {
					last = i
				}
				first = i
			}
		}
		slices.Reverse(picked)
	}
	var out PageOf
	if first >= 0 {
		for i := first - 1; i >= 0; i-- {
			if keeps(i) {
				out.Earlier = list[first].Serial
				break
			}
		}
		for i := last + 1; i < len(list); i++ {
			if keeps(i) {
				out.Later = list[last].Serial
				break
			}
		}
	}
	out.Entries = make([]Entry, 0, len(picked))
	for _, e := range picked {
		out.Entries = append(out.Entries, st.copyEntry(e, q.AsOf))
	}
	if pg.Newest {
		slices.Reverse(out.Entries)
	}
	return out, nil
}

// position finds the entry with the given serial in list.
func (st *incidentState) position(list []*Entry, byTime bool, field string, serial int) (int, error) {
	if serial < 1 || serial > len(st.entries) {
		return 0, fail.Field(field, "there is no entry number %d", serial)
	}
	if !byTime {
		return serial - 1, nil
	}
	e := st.entries[serial-1]
	return sort.Search(len(list), func(i int) bool { return !timeLess(list[i], e) }), nil
}

// timeLess orders the timeline: by occurred_at, then serial.
func timeLess(a, b *Entry) bool {
	if c := a.OccurredAt.Compare(b.OccurredAt); c != 0 {
		return c < 0
	}
	return a.Serial < b.Serial
}

// insertByTime puts e into the timeline; entries mostly arrive in time
// order, so it is mostly an append.
func insertByTime(tl []*Entry, e *Entry) []*Entry {
	if n := len(tl); n == 0 || !timeLess(e, tl[n-1]) {
		return append(tl, e)
	}
	i := sort.Search(len(tl), func(i int) bool { return timeLess(e, tl[i]) })
	return slices.Insert(tl, i, e)
}

// EntryBySerial returns the entry with serial number n.
func (v *View) EntryBySerial(id ID, n int) (Entry, bool) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	st := v.incidents[id]
	if st == nil || n < 1 || n > len(st.entries) {
		return Entry{}, false
	}
	return st.copyEntry(st.entries[n-1], AsOf{}), true
}

// Since returns the entries recorded after log sequence seq, and the
// earlier entries they correct or update (which now link to them), in
// serial order: what a live page that has seen seq is missing.
func (v *View) Since(id ID, seq uint64) []Entry {
	v.mu.RLock()
	defer v.mu.RUnlock()
	st := v.incidents[id]
	if st == nil {
		return nil
	}
	from := sort.Search(len(st.entries), func(i int) bool { return st.entries[i].Seq > seq })
	again := map[string]bool{}
	for _, e := range st.entries[from:] {
		again[e.Corrects] = true
		if e.Task != nil {
			again[e.Task.Updates] = true
		}
	}
	var out []Entry
	for _, e := range st.entries[:from] {
		if again[e.ID] {
			out = append(out, st.copyEntry(e, AsOf{}))
		}
	}
	for _, e := range st.entries[from:] {
		out = append(out, st.copyEntry(e, AsOf{}))
	}
	return out
}

// copyEntry copies e for a reader; at a point in time, the corrections and
// updates made after it are left out.
func (st *incidentState) copyEntry(e *Entry, asOf AsOf) Entry {
	c := *e
	c.CorrectedBy, c.UpdatedBy = slices.Clone(e.CorrectedBy), slices.Clone(e.UpdatedBy)
	if !asOf.IsNow() {
		later := func(id string) bool {
			x := st.byID[id]
			return x == nil || !asOf.keeps(x.OccurredAt, x.RecordedAt)
		}
		c.CorrectedBy = slices.DeleteFunc(c.CorrectedBy, later)
		c.UpdatedBy = slices.DeleteFunc(c.UpdatedBy, later)
	}
	return c
}

// matcher is a Query prepared for testing many entries.
type matcher struct {
	q              Query
	needle, author string
}

func (q Query) matcher() matcher {
	return matcher{q: q, needle: strings.ToLower(q.Text), author: strings.ToLower(q.Author)}
}

func (m matcher) keeps(e *Entry) bool {
	q := m.q
	return q.keeps(e.OccurredAt, e.RecordedAt) &&
		(q.Kind == "" || e.Kind == q.Kind) &&
		(q.From.IsZero() || !e.OccurredAt.Before(q.From)) &&
		(q.To.IsZero() || !e.OccurredAt.After(q.To)) &&
		(m.author == "" || containsFold(e.Author, m.author)) &&
		(m.needle == "" || e.matches(m.needle))
}

func (e *Entry) matches(needle string) bool {
	for _, s := range []string{e.Text, e.Author, e.Function, e.Source, e.From, e.To} {
		if containsFold(s, needle) {
			return true
		}
	}
	if d := e.Decision; d != nil && (containsFold(d.DecisionMaker, needle) || containsFold(d.Rationale, needle)) {
		return true
	}
	return e.Task != nil && (containsFold(e.Task.Owner, needle) || containsFold(e.Task.ReportBack, needle))
}

// containsFold reports whether s contains lower (already lower case) in any
// case, without allocating: a search runs over every entry of a journal.
func containsFold(s, lower string) bool {
	if lower == "" {
		return true
	}
	if lower[0] < utf8.RuneSelf {
		return containsFoldASCII(s, lower, ascii(lower))
	}
	first, _ := utf8.DecodeRuneInString(lower)
	for i, r := range s {
		if unicode.ToLower(r) == first && hasPrefixFold(s[i:], lower) {
			return true
		}
	}
	return false
}

func hasPrefixFold(s, lower string) bool {
	for _, want := range lower {
		r, n := utf8.DecodeRuneInString(s)
		if n == 0 || unicode.ToLower(r) != want {
			return false
		}
		s = s[n:]
	}
	return true
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// containsFoldASCII is containsFold for a needle that starts with an ASCII
// character: candidates are found by comparing bytes (other characters'
// UTF-8 bytes are all ≥ 0x80), and an all-ASCII needle (allASCII) is
// compared byte by byte too.
func containsFoldASCII(s, lower string, allASCII bool) bool {
	c0 := lower[0]
	u0 := c0
	if 'a' <= c0 && c0 <= 'z' {
		u0 -= 'a' - 'A'
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != c0 && c != u0 {
			continue
		}
		if !allASCII {
			if hasPrefixFold(s[i:], lower) {
				return true
			}
			continue
		}
		if i+len(lower) > len(s) {
			return false
		}
		j := 1
		for ; j < len(lower); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != lower[j] {
				break
			}
		}
		if j == len(lower) {
			return true
		}
	}
	return false
}
