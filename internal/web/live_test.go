package web_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/fyrtest"
)

// sseConn is one GET /live over a plain TCP connection, so that a test can
// cut it the way a dead peer does.
type sseConn struct {
	t     *testing.T
	c     *net.TCPConn
	r     *bufio.Reader
	first []sseEvent // what came before and with the first levels frame
}

func dialSSE(t *testing.T, env *fyrtest.Env, token, incident, lastID string) *sseConn {
	t.Helper()
	u, _ := url.Parse(env.URL)
	c, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	req := fmt.Sprintf("GET /live?incident=%s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nAccept: text/event-stream\r\n", incident, u.Host, token)
	if lastID != "" {
		req += "Last-Event-ID: " + lastID + "\r\n"
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write([]byte(req + "\r\n")); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("GET /live: %v %+v", err, resp)
	}
	if resp.Header.Get("Content-Security-Policy") == "" {
		t.Fatal("the live response lacks the security headers")
	}
	s := &sseConn{t: t, c: c.(*net.TCPConn), r: bufio.NewReader(resp.Body)}
	s.first = s.until("levels", 1) // any catch-up, then the state on connecting
	return s
}

// until reads events until n named name have arrived and returns every
// event read, in order (comments are skipped).
func (s *sseConn) until(name string, n int) []sseEvent {
	s.t.Helper()
	s.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var out []sseEvent
	var cur sseEvent
	for got := 0; got < n; {
		line, err := s.r.ReadString('\n')
		if err != nil {
			s.t.Fatalf("read SSE after %v: %v", out, err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "":
			if cur.name != "" {
				out = append(out, cur)
				if cur.name == name {
					got++
				}
			}
			cur = sseEvent{}
		case strings.HasPrefix(line, "id: "):
			cur.id = line[4:]
		case strings.HasPrefix(line, "event: "):
			cur.name = line[7:]
		case strings.HasPrefix(line, "data: "):
			cur.data = line[6:]
		}
	}
	return out
}

func names(evs []sseEvent) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.name)
	}
	return out
}

// The hijacked SSE path (live_conn.go): every subscriber gets what is for
// it and nothing else, a reconnect with Last-Event-ID gets exactly what it
// missed, a dead connection is dropped at the next heartbeat, and a server
// that does not hijack still serves the same stream.
func TestLiveHijackedConnections(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	staff, viewer, unit := env.Token(auth.Staff), env.Token(auth.Viewer), env.Token(auth.Unit)
	id, other := openIncident(t, env, staff), openIncident(t, env, staff)
	v := dialSSE(t, env, viewer, id, "")
	u := dialSSE(t, env, unit, id, "")
	o := dialSSE(t, env, viewer, other, "")
	if h, g := env.Web.LiveConns(); h != 3 || g != 0 {
		t.Fatalf("live connections: %d hijacked, %d goroutine; want 3, 0", h, g)
	}
	post := func(text string) created {
		t.Helper()
		var e created
		if code := env.Do(staff, "POST", "/api/v1/incidents/"+id+"/journal", map[string]any{"kind": "info_in", "text": text}, &e); code != 201 {
			t.Fatalf("post: %d", code)
		}
		return e
	}

	// Filtering: the journal entry only to the journal reader of its
	// incident, the dispatch only to its unit's account, the levels to all.
	a := post("första")
	var d struct{ Dispatch string }
	if code := env.Do(staff, "POST", "/api/v1/incidents/"+id+"/dispatches", map[string]any{"kind": "message", "title": "Till avd1",
		"audience": map[string]any{"units": []string{"avd1"}}, "deadline": time.Now().Add(time.Hour).Format(time.RFC3339)}, &d); code != 201 {
		t.Fatalf("create dispatch: %d", code)
	}
	if code := env.Do(staff, "POST", "/api/v1/incidents/"+id+"/levels", map[string]any{"scope": "region", "level": "disaster", "reason": "r", "decided_by": "d"}, nil); code != 200 {
		t.Fatalf("level: %d", code)
	}
	got := v.until("levels", 1)
	if i := slices.IndexFunc(got, func(e sseEvent) bool { return e.name == "entry" }); i < 0 || !strings.Contains(got[i].data, a.ID) || got[i].id != fmt.Sprint(a.Seq) {
		t.Fatalf("journal reader got %v; want the entry %s with id %d", got, a.ID, a.Seq)
	}
	if slices.Contains(names(got), "inbox") || !strings.Contains(got[len(got)-1].data, "lvl-disaster") {
		t.Fatalf("journal reader got %v; want no inbox and the new level last", names(got))
	}
	got = u.until("levels", 1)
	if slices.Contains(names(got), "entry") {
		t.Fatalf("unit account got journal content: %v", names(got))
	}
	if i := slices.IndexFunc(got, func(e sseEvent) bool { return e.name == "inbox" }); i < 0 || !strings.Contains(got[i].data, d.Dispatch) {
		t.Fatalf("unit account got %v; want the inbox frame of %s", got, d.Dispatch)
	}
	got = o.until("levels", 1)
	if n := names(got); slices.Contains(n, "entry") || slices.Contains(n, "inbox") {
		t.Fatalf("reader of another incident got %v", n)
	}

	// A dead peer (reset, as a vanished mobile link) is dropped at the next
	// heartbeat; the others stay.
	removed := make(chan struct{}, 8)
	env.Web.OnLiveRemove(func() {
		select {
		case removed <- struct{}{}:
		default:
		}
	})
	dead := dialSSE(t, env, viewer, id, "")
	dead.c.SetLinger(0)
	dead.c.Close()
	env.Web.LiveHeartbeat()
	select {
	case <-removed:
	case <-time.After(10 * time.Second):
		t.Fatal("the dead connection was not dropped after a heartbeat")
	}
	if h, _ := env.Web.LiveConns(); h != 3 {
		t.Fatalf("%d hijacked connections after dropping the dead one; want 3", h)
	}
	env.Web.OnLiveRemove(nil)

	// Resume: the reconnect with Last-Event-ID gets the two missed entries
	// in order, then only new ones.
	v.c.Close()
	b, c := post("andra"), post("tredje")
	v = dialSSE(t, env, viewer, id, fmt.Sprint(a.Seq))
	// (the dispatch and the level change above were journalled too)
	n := len(v.first)
	if n < 3 || !strings.Contains(v.first[n-3].data, b.ID) || !strings.Contains(v.first[n-2].data, c.ID) || v.first[n-1].name != "levels" ||
		slices.ContainsFunc(v.first, func(e sseEvent) bool { return strings.Contains(e.data, a.ID) }) {
		t.Fatalf("resumed with %v; want what came after %s, ending with andra and tredje, then the levels", names(v.first), a.ID)
	}
	f := post("fjärde")
	v.until("entry", 1)
	post("femte")
	got = v.until("entry", 1)
	if !strings.Contains(got[0].data, "femte") || strings.Contains(got[0].data, f.ID) {
		t.Fatalf("after the resume got %v; want each entry once", got)
	}

	// Without hijacking (HTTP/2, a wrapped writer) the goroutine path
	// serves the same stream.
	env.Web.LiveNoHijack()
	g := dialSSE(t, env, viewer, id, "")
	if _, n := env.Web.LiveConns(); n != 1 {
		t.Fatalf("%d goroutine connections; want 1", n)
	}
	e := post("sjätte")
	if got := g.until("entry", 1); !strings.Contains(got[0].data, e.ID) {
		t.Fatalf("goroutine path got %v; want %s", got, e.ID)
	}
}

// BenchmarkLiveConnMemory measures the Go memory (heap in use + goroutine
// stacks) that b.N idle hijacked SSE connections hold, per connection,
// after a GC. Server and client run in this process: the figure includes
// the client's side of each connection (a net.Conn and the read of the
// first frames), so it is an upper bound for the server's.
//
//	go test -run '^$' -bench LiveConnMemory -benchtime 5000x ./internal/web/
//
// The goroutine case is the path for connections that cannot be hijacked
// (and was the only one before): for comparison.
func BenchmarkLiveConnMemory(b *testing.B) {
	b.Run("hijacked", func(b *testing.B) { benchLiveConnMemory(b, false) })
	b.Run("goroutine", func(b *testing.B) { benchLiveConnMemory(b, true) })
}

func benchLiveConnMemory(b *testing.B, noHijack bool) {
	env := fyrtest.Start(b)
	if noHijack {
		env.Web.LiveNoHijack()
	}
	var tok struct{ Token string }
	if code := env.Do("", "POST", "/api/v1/login", map[string]string{"username": "unit", "password": fyrtest.Password}, &tok); code != 200 {
		b.Fatalf("login: %d", code)
	}
	u, _ := url.Parse(env.URL)
	req := []byte(fmt.Sprintf("GET /live HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n\r\n", u.Host, tok.Token))
	mem := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapInuse + m.StackInuse
	}
	before := mem()
	conns := make([]net.Conn, 0, b.N)
	buf := make([]byte, 4096)
	for range b.N {
		c, err := net.Dial("tcp", u.Host)
		if err != nil {
			b.Fatal(err)
		}
		c.Write(req)
		// The head and the first levels frame: the handler is done with it.
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		for got := ""; !strings.Contains(got, "event: levels"); {
			n, err := c.Read(buf)
			if err != nil {
				b.Fatal(err)
			}
			got += string(buf[:n])
		}
		conns = append(conns, c)
	}
	if h, g := env.Web.LiveConns(); h+g != b.N {
		b.Fatalf("%d live connections, want %d", h+g, b.N)
	}
	after := mem()
	b.ReportMetric(float64(after-before)/float64(b.N)/1024, "KiB/conn")
	// Reset every connection; a heartbeat makes the server drop its side.
	gone := make(chan struct{}, b.N)
	env.Web.OnLiveRemove(func() { gone <- struct{}{} })
	for _, c := range conns {
		c.(*net.TCPConn).SetLinger(0)
		c.Close()
	}
	if noHijack {
		return // the handlers see the reset themselves
	}
	env.Web.LiveHeartbeat()
	for range b.N {
		select {
		case <-gone:
		case <-time.After(10 * time.Second):
			b.Fatal("the reset connections were not dropped")
		}
	}
}
