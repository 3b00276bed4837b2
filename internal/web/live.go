package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"fyr/internal/auth"
	"fyr/internal/event"
	"fyr/internal/incident"
)

// liveMsg is one pre-encoded Server-Sent Event.
type liveMsg struct {
	seq      uint64
	incident incident.ID
	journal  bool // carries journal content: only for roles that may read it
	frame    []byte
}

type subscriber struct {
	incident incident.ID // "" for the banner only
	journal  bool
	unit     string // the unit a unit account answers for: its inbox follows
	lang     Lang
	ch       chan liveMsg // the goroutine-per-connection path (live)
	conn     *liveConn    // a hijacked connection (live_conn.go)
}

// hub fans live updates out to the SSE connections. Each message is rendered
// once per language, not once per connection.
type hub struct {
	s    *Server
	mu   sync.Mutex
	subs map[*subscriber]struct{}
	// How many subscribers read each language, and how many of those
	// follow an incident's journal: every event asks, so it must not cost
	// a walk over every connection.
	langs, journalLangs map[Lang]int
	pend                []*liveConn // hijacked connections that became ready under mu
	// The levels frame each new connection starts with, by language and
	// incident, as of a sequence number: a reconnect storm renders it once.
	levelsMu sync.Mutex
	levels   map[levelsKey]liveMsg

	// The subscribers that follow a unit (live_hook.go): a receipt concerns
	// one unit and must not cost a walk over every connection.
	byUnit map[string]map[*subscriber]struct{}

	// hooks are the modules' live hooks (live_hook.go), registered before
	// the hub listens.
	hooks []liveHook
	// catchUps are the modules' catch-ups for a journal's page that
	// resumes (live_journal.go).
	catchUps []LiveCatchUp

	// For tests: noHijack keeps every connection on the goroutine path;
	// onRemove is called under mu when a subscriber is dropped.
	noHijack bool
	onRemove func()

	// The writer pool of the hijacked connections (live_conn.go).
	once       sync.Once
	qmu        sync.Mutex
	cond       *sync.Cond
	runq       []*liveConn // ready to write, from head on
	head       int
	later      []delayed // written too recently: wait until due
	laterAt    int64     // when laterTimer fires (monotime); 0: not armed
	laterTimer *time.Timer
}

func newHub(s *Server) *hub {
	return &hub{s: s, subs: map[*subscriber]struct{}{}, langs: map[Lang]int{}, journalLangs: map[Lang]int{},
		byUnit: map[string]map[*subscriber]struct{}{}}
}

func (h *hub) add(sub *subscriber) {
	h.mu.Lock()
	h.subs[sub] = struct{}{}
	h.langs[sub.lang]++
	if sub.journal {
		h.journalLangs[sub.lang]++
	}
	h.followUnit(sub)
	h.mu.Unlock()
}

func (h *hub) remove(sub *subscriber) {
	h.mu.Lock()
	h.drop(sub)
	h.mu.Unlock()
}

// drop removes sub; h.mu is held.
func (h *hub) drop(sub *subscriber) {
	if _, ok := h.subs[sub]; !ok {
		return
	}
	delete(h.subs, sub)
	h.langs[sub.lang]--
	if sub.journal {
		h.journalLangs[sub.lang]--
	}
	h.unfollowUnit(sub)
	if h.onRemove != nil {
		h.onRemove()
	}
}

// languages returns the languages that subscribers read (journal: only
// those of journal readers). h.mu is held.
func (h *hub) languages(journal bool) []Lang {
	counts := h.langs
	if journal {
		counts = h.journalLangs
	}
	var out []Lang
	for _, l := range []Lang{Swedish, English} {
		if counts[l] > 0 {
			out = append(out, l)
		}
	}
	return out
}

// sseFrame encodes one event; data is JSON, so it is always one line.
// HTML in it is not escaped for HTML (\u003c for <): the frame is not
// embedded in a page, and it goes to every connection, so bytes count.
func sseFrame(seq uint64, name string, data any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(data)
	return fmt.Appendf(nil, "id: %d\nevent: %s\ndata: %s\n\n", seq, name, bytes.TrimRight(b.Bytes(), "\n"))
}

type levelsData struct {
	Incident incident.ID `json:"incident"`
	Banner   string      `json:"banner"`
	Levels   string      `json:"levels"`
	Closed   bool        `json:"closed"`
}

// publish runs on the projection's goroutine after each event is applied.
// It never blocks: a connection that cannot keep up is dropped and resumes
// from its Last-Event-ID. The modules' hooks send their frames (the
// journal's entries, the banner and the levels box among them).
func (h *hub) publish(e event.Envelope) {
	h.hooked(e)
}

// publishLevels sends the banner and incident id's levels box, once per
// language, to every open page.
func (h *hub) publishLevels(seq uint64, id incident.ID) {
	// Render only for the languages connected subscribers read: this runs
	// on the projection goroutine, which every writer's acknowledgement
	// waits for.
	h.mu.Lock()
	langs := h.languages(false)
	h.mu.Unlock()
	msgs := map[Lang]liveMsg{}
	for _, lang := range langs {
		msgs[lang] = h.s.levelsMsg(lang, seq, id)
	}
	if len(msgs) > 0 {
		h.send(msgs)
	}
}

// send offers one message per language to every subscriber.
func (h *hub) send(msgs map[Lang]liveMsg) {
	h.mu.Lock()
	defer h.unlock()
	for sub := range h.subs {
		if m, ok := msgs[sub.lang]; ok {
			h.offer(sub, m)
		}
	}
}

// offer queues m for sub unless it is not for sub; a subscriber that cannot
// keep up is dropped (it reconnects with Last-Event-ID). h.mu is held.
func (h *hub) offer(sub *subscriber, m liveMsg) {
	if m.journal && (!sub.journal || sub.incident != m.incident) {
		return
	}
	if _, ok := h.subs[sub]; !ok {
		return // dropped earlier in this round
	}
	if c := sub.conn; c != nil {
		if !c.enqueue(m) {
			h.drop(sub)
			c.nc.Close()
		}
		return
	}
	select {
	case sub.ch <- m:
	default:
		h.drop(sub)
		close(sub.ch)
	}
}

type levelsKey struct {
	lang Lang
	id   incident.ID
}

// firstLevels is levelsMsg for a new connection, rendered once per
// language, incident and sequence number.
func (s *Server) firstLevels(lang Lang, seq uint64, id incident.ID) liveMsg {
	h, k := s.hub, levelsKey{lang, id}
	h.levelsMu.Lock()
	m, ok := h.levels[k]
	h.levelsMu.Unlock()
	if ok && m.seq == seq {
		return m
	}
	m = s.levelsMsg(lang, seq, id)
	h.levelsMu.Lock()
	if h.levels == nil || len(h.levels) >= 1024 {
		h.levels = map[levelsKey]liveMsg{}
	}
	h.levels[k] = m
	h.levelsMu.Unlock()
	return m
}

// levelsMsg carries the banner and, for an incident, its levels box.
func (s *Server) levelsMsg(lang Lang, seq uint64, id incident.ID) liveMsg {
	banner := s.renderPartial("banner", bannerView{lang, s.active()})
	if id == "" || s.levels == nil {
		return liveMsg{seq: seq, frame: sseFrame(seq, "levels", levelsData{Banner: banner})}
	}
	box, closed, ok := s.levels.LevelsBox(lang, id)
	if !ok {
		return liveMsg{seq: seq, frame: sseFrame(seq, "levels", levelsData{Banner: banner})}
	}
	return liveMsg{seq: seq, incident: id, frame: sseFrame(seq, "levels", levelsData{
		Incident: id,
		Banner:   banner,
		Levels:   string(box),
		Closed:   closed,
	})}
}

func (s *Server) renderPartial(name string, data any) string {
	var b bytes.Buffer
	if err := s.pages.ExecuteTemplate(&b, name, data); err != nil {
		s.log.Error("render partial", "template", name, "err", err)
	}
	return b.String()
}

// live is the SSE endpoint: GET /live?incident=ID&since=SEQ. It first sends
// what the client missed since its Last-Event-ID (or since), then follows.
// An HTTP/1.1 connection is hijacked and handed to the hub's writers
// (live_conn.go); otherwise this goroutine serves it until it ends.
func (s *Server) live(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	fl, ok := w.(http.Flusher)
	if !ok {
		return fmt.Errorf("live: response writer cannot flush")
	}
	id := incident.ID(r.URL.Query().Get("incident"))
	since, _ := strconv.ParseUint(r.URL.Query().Get("since"), 10, 64)
	if h := r.Header.Get("Last-Event-ID"); h != "" {
		since, _ = strconv.ParseUint(h, 10, 64)
	}
	sub := &subscriber{incident: id, journal: auth.Can(p.Role, auth.ReadJournal) && id != "", unit: p.Unit, lang: langOf(r)}
	if u := r.URL.Query().Get("unit"); u != "" && p.Role != auth.Unit && auth.Can(p.Role, auth.ReadJournal) {
		sub.unit = u // the staff follow a unit's page as the unit does
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	if hj, ok := w.(http.Hijacker); ok && r.ProtoMajor == 1 && !s.hub.noHijack {
		if nc, _, err := hj.Hijack(); err == nil {
			s.liveServeHijacked(nc, w.Header(), p, sub, since)
			return nil
		}
	}
	sub.ch = make(chan liveMsg, liveQueueMax)
	s.hub.add(sub)
	defer s.hub.remove(sub)
	w.WriteHeader(200)

	// Catch up from the read model; live messages already queued that this
	// covers are skipped by sequence number.
	sent := s.core.Seq()
	var buf bytes.Buffer
	buf.WriteString("retry: 2000\n\n")
	s.catchUp(&buf, p, sub, since, &sent)
	// The levels and the banner as they are now: cheap, and it covers any
	// change between rendering the page and connecting.
	buf.Write(s.firstLevels(sub.lang, sent, id).frame)
	w.Write(buf.Bytes())
	fl.Flush()

	heartbeat := time.NewTicker(25 * time.Second)
	defer heartbeat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return nil
		case <-heartbeat.C:
			w.Write([]byte(": keepalive\n\n"))
			fl.Flush()
		case m, ok := <-sub.ch:
			if !ok {
				return nil // too slow: the client reconnects with Last-Event-ID
			}
			// Coalesce whatever is queued into one flush.
			for {
				if m.seq > sent || !m.journal {
					w.Write(m.frame)
				}
				select {
				case m, ok = <-sub.ch:
					if ok {
						continue
					}
				default:
				}
				break
			}
			fl.Flush()
			if !ok {
				return nil
			}
		}
	}
}
