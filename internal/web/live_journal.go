package web

import (
	"bytes"

	"fyr/internal/auth"
	"fyr/internal/incident"
)

// The journal's side of the live hub, for the module that owns the
// journal: frames that carry journal content go only to the pages that
// follow that incident's journal (roles that may read it), rendered in
// their readers' languages; and a page that reconnects is first sent the
// journal frames it missed.

// JournalLangs are the languages of the pages that follow a journal: the
// languages a journal frame must be rendered in (none: render nothing).
func (o LiveOut) JournalLangs() []Lang {
	o.h.mu.Lock()
	defer o.h.mu.Unlock()
	return o.h.languages(true)
}

// SendJournal offers the frames in each language, in order, to the pages
// that follow inc's journal and read that language.
func (o LiveOut) SendJournal(inc incident.ID, frames map[Lang][][]byte) {
	h := o.h
	h.mu.Lock()
	defer h.unlock()
	for sub := range h.subs {
		for _, f := range frames[sub.lang] {
			h.offer(sub, liveMsg{seq: o.seq, incident: inc, journal: true, frame: f})
		}
	}
}

// LiveFrame encodes a Server-Sent Event named name carrying data as JSON
// with id seq.
func LiveFrame(seq uint64, name string, data any) []byte { return sseFrame(seq, name, data) }

// LiveCatchUp writes to buf the journal frames a page following inc's
// journal missed after since (its Last-Event-ID), for p in lang, and
// returns the highest sequence number they carry (0 for none).
type LiveCatchUp func(p auth.Principal, lang Lang, inc incident.ID, since uint64, buf *bytes.Buffer) uint64

// HandleLiveCatchUp registers fn, run when a journal's page connects with
// a sequence number to resume from. Call it from the module's Mount.
func (s *Server) HandleLiveCatchUp(fn LiveCatchUp) {
	s.hub.catchUps = append(s.hub.catchUps, fn)
}

// catchUp runs the catch-ups for a subscriber that resumes after since;
// sent becomes the highest sequence number written.
func (s *Server) catchUp(buf *bytes.Buffer, p auth.Principal, sub *subscriber, since uint64, sent *uint64) {
	if !sub.journal || since == 0 {
		return
	}
	for _, fn := range s.hub.catchUps {
		*sent = max(*sent, fn(p, sub.lang, sub.incident, since, buf))
	}
}
