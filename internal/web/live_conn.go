package web

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"fyr/internal/auth"
)

// The SSE connections of HTTP/1.1 clients are hijacked: after the handler
// has written the response head and the catch-up it returns, and the
// connection is then only a socket and a small struct (no goroutine, no
// bufio buffers, no channel). A small fixed pool of writer goroutines writes
// the pre-encoded frames (one per language, shared by every connection) to
// every connection that has something queued; what is queued for one
// connection goes out in one write. A connection whose socket buffer is full
// gets a goroutine of its own for as long as it is behind, writing with a
// deadline; one that fails or falls too far behind is closed and dropped (the
// browser reconnects with Last-Event-ID). Heartbeats find dead peers.
//
// Connections that cannot be hijacked (HTTP/2, test recorders) keep the
// goroutine-per-connection path in live.go.

const (
	liveQueueMax     = 256              // messages queued for one connection before it is dropped
	liveWriteTimeout = 10 * time.Second // for a connection that is behind, and for the catch-up
	liveHeartbeat    = 25 * time.Second
)

// liveSpacing is the least time between two writes to one connection: a
// message to an idle connection goes out at once, but under a steady flow
// what arrives within liveSpacing of the last write waits and goes out
// with the next one, in one write. Each write costs ~7–13 µs of server CPU
// on loopback (TCP send, and the receive the kernel does in the sender's
// context) whatever it carries, so CPU per delivery falls only by putting
// more messages into one write, and the wait is what that costs. At 10
// messages/s to 10,000 clients (docs/benchmarks.md, "Reach", load average
// 1.2–2): 150 ms → p99 158–161 ms at 6.0–6.4 µs per delivery; 240 ms →
// p99 246–249 ms at 4.8–5.3 µs; 250 ms → p99 256 ms at 4.85 µs. 240 ms
// is the largest that keeps p99 under 250 ms there: a wait people do not
// notice, and a fifth less CPU for everything else a crisis puts on the
// server.
const liveSpacing = 240 * time.Millisecond

var heartbeatMsg = liveMsg{frame: []byte(": keepalive\n\n")}

// liveConn is one hijacked SSE connection.
type liveConn struct {
	h   *hub
	sub *subscriber
	nc  net.Conn
	raw syscall.RawConn // nil: every write goes through drain, with a deadline

	mu   sync.Mutex
	q    []liveMsg // waiting to be written
	rest []byte    // the unwritten tail of a batch the socket did not take
	busy bool      // in the run queue, being written, draining, or still starting
	dead bool
	last atomic.Int64 // monotonic time of the last write (ns since hubEpoch)
	sent uint64       // journal frames up to this sequence number came with the catch-up
}

// liveServeHijacked serves sub on the raw connection nc. It returns once
// the head and the catch-up are written; the hub writes the rest.
func (s *Server) liveServeHijacked(nc net.Conn, header http.Header, p auth.Principal, sub *subscriber, since uint64) {
	c := &liveConn{h: s.hub, sub: sub, nc: nc, busy: true}
	if sc, ok := nc.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil {
			c.raw = raw
		}
	}
	sub.conn = c
	s.hub.startWriters()
	s.hub.add(sub) // before reading Seq: nothing published from here on is missed

	sent := s.core.Seq()
	var buf bytes.Buffer
	buf.WriteString("HTTP/1.1 200 OK\r\n")
	header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	header.Set("Connection", "close") // the body ends when the connection does
	header.Write(&buf)
	buf.WriteString("\r\n")
	buf.WriteString("retry: 2000\n\n")
	s.catchUp(&buf, p, sub, since, &sent)
	buf.Write(s.firstLevels(sub.lang, sent, sub.incident).frame)
	nc.SetWriteDeadline(time.Now().Add(liveWriteTimeout))
	_, err := nc.Write(buf.Bytes())
	nc.SetWriteDeadline(time.Time{})
	if err != nil {
		c.fail()
		return
	}
	c.mu.Lock()
	c.sent = sent
	c.mu.Unlock()
	c.next()
}

// enqueue queues m; false when the connection is dead or too far behind.
// Called with h.mu held; a connection that now needs writing is added to
// h.pend.
func (c *liveConn) enqueue(m liveMsg) bool {
	c.mu.Lock()
	if c.dead || len(c.q) >= liveQueueMax {
		c.dead = true
		c.mu.Unlock()
		return false
	}
	c.q = append(c.q, m)
	start := !c.busy
	c.busy = true
	c.mu.Unlock()
	if start {
		c.h.pend = append(c.h.pend, c)
	}
	return true
}

// take returns what is to be written next (the unwritten tail, then the
// queued frames), built in scratch when it is more than one frame, the
// scratch buffer to keep, and whether it carries a message (not only
// heartbeats: those do not make the next message wait). c.mu is held.
func (c *liveConn) take(scratch []byte) (b, keep []byte, msgs bool) {
	keep = scratch
	single := len(c.rest) == 0 && len(c.q) == 1
	if !single {
		b = append(scratch[:0], c.rest...)
	}
	for _, m := range c.q {
		if m.journal && m.seq <= c.sent {
			continue // the catch-up had it
		}
		msgs = msgs || &m.frame[0] != &heartbeatMsg.frame[0]
		if single {
			b = m.frame
		} else {
			b = append(b, m.frame...)
		}
	}
	clear(c.q)
	c.q = c.q[:0]
	if cap(c.q) > 16 {
		c.q = nil // a burst is over: do not keep its slots
	}
	c.rest = nil
	if !single {
		keep = b[:0]
	}
	return b, keep, msgs
}

// next, after a write, schedules c again if more was queued meanwhile.
func (c *liveConn) next() {
	c.mu.Lock()
	more := len(c.q) > 0 && !c.dead
	c.busy = more
	c.mu.Unlock()
	if more {
		c.h.schedule([]*liveConn{c})
	}
}

// write is the writer pool's part: one non-blocking write of everything
// queued. What the socket does not take goes to drain.
func (c *liveConn) write(scratch []byte) []byte {
	c.mu.Lock()
	if c.dead {
		c.mu.Unlock()
		return scratch
	}
	b, scratch, msgs := c.take(scratch)
	c.mu.Unlock()
	if len(b) == 0 {
		c.next()
		return scratch
	}
	n, err := c.tryWrite(b)
	if msgs {
		c.last.Store(monotime())
	}
	switch {
	case err == nil:
		c.next()
	case errors.Is(err, syscall.EAGAIN):
		c.mu.Lock()
		c.rest = append([]byte(nil), b[n:]...)
		c.mu.Unlock()
		go c.drain()
	default:
		c.fail()
	}
	return scratch
}

// tryWrite writes b without waiting for the socket.
func (c *liveConn) tryWrite(b []byte) (int, error) {
	n := 0
	var werr error
	err := c.raw.Write(func(fd uintptr) bool {
		for n < len(b) {
			m, e := syscall.Write(int(fd), b[n:])
			if e == syscall.EINTR {
				continue
			}
			if e != nil {
				werr = e
				break
			}
			n += m
		}
		return true // never wait here
	})
	if err != nil {
		return n, err
	}
	return n, werr
}

// drain writes to a connection that is behind (or has no raw socket),
// waiting up to liveWriteTimeout per write, until nothing is queued.
func (c *liveConn) drain() {
	var scratch []byte
	for {
		c.mu.Lock()
		if c.dead {
			c.mu.Unlock()
			return
		}
		var b []byte
		var msgs bool
		b, scratch, msgs = c.take(scratch)
		if len(b) == 0 {
			c.busy = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		c.nc.SetWriteDeadline(time.Now().Add(liveWriteTimeout))
		_, err := c.nc.Write(b)
		c.nc.SetWriteDeadline(time.Time{})
		if msgs {
			c.last.Store(monotime())
		}
		if err != nil {
			c.fail()
			return
		}
	}
}

// fail closes c and drops it from the hub.
func (c *liveConn) fail() {
	c.mu.Lock()
	c.dead = true
	c.q, c.rest = nil, nil
	c.mu.Unlock()
	c.nc.Close()
	c.h.remove(c.sub)
}

// startWriters starts the writer pool and the heartbeat, once.
func (h *hub) startWriters() {
	h.once.Do(func() {
		h.cond = sync.NewCond(&h.qmu)
		for range max(2, runtime.GOMAXPROCS(0)) {
			go h.writer()
		}
		go func() {
			for range time.Tick(liveHeartbeat) {
				h.heartbeat()
			}
		}()
	})
}

// heartbeat queues a comment line to every hijacked connection: a dead
// peer makes the write fail and the connection is dropped.
func (h *hub) heartbeat() {
	h.mu.Lock()
	defer h.unlock()
	for sub := range h.subs {
		if sub.conn != nil {
			h.offer(sub, heartbeatMsg)
		}
	}
}

// unlock hands the connections that became ready under h.mu to the writer
// pool, then releases h.mu.
func (h *hub) unlock() {
	if len(h.pend) > 0 {
		h.schedule(h.pend)
		clear(h.pend)
		h.pend = h.pend[:0]
	}
	h.mu.Unlock()
}

// schedule hands cs to the writers; a connection without a raw socket gets
// a goroutine of its own; one written less than liveSpacing ago waits.
func (h *hub) schedule(cs []*liveConn) {
	now := monotime()
	h.qmu.Lock()
	n := 0
	for _, c := range cs {
		if c.raw == nil {
			go c.drain()
			continue
		}
		if due := c.last.Load() + int64(liveSpacing); due > now {
			h.later = append(h.later, delayed{c, due})
			h.armLater(due, now)
			continue
		}
		h.runq = append(h.runq, c)
		n++
	}
	h.qmu.Unlock()
	switch {
	case n == 1:
		h.cond.Signal()
	case n > 1:
		h.cond.Broadcast()
	}
}

type delayed struct {
	c   *liveConn
	due int64
}

var hubEpoch = time.Now()

func monotime() int64 { return int64(time.Since(hubEpoch)) }

// laterSlack is how early a waiting connection may be written: the timer
// fires at most about once per laterSlack.
const laterSlack = 5 * time.Millisecond

// armLater makes the timer that moves waiting connections to the run queue
// fire at (monotime) at, unless it fires before that already. h.qmu is held.
func (h *hub) armLater(at, now int64) {
	if h.laterAt != 0 && h.laterAt <= at+int64(laterSlack) {
		return
	}
	h.laterAt = at
	if h.laterTimer == nil {
		h.laterTimer = time.AfterFunc(time.Duration(at-now), h.runLater)
		return
	}
	h.laterTimer.Reset(time.Duration(at - now))
}

// runLater moves the connections due within laterSlack to the run queue
// and re-arms for the earliest of the rest (they are in no particular order:
// the order a message reached them, not the order they were last written).
func (h *hub) runLater() {
	now := monotime()
	h.qmu.Lock()
	h.laterAt = 0
	n, next := 0, int64(0)
	kept := h.later[:0]
	for _, d := range h.later {
		if d.due <= now+int64(laterSlack) {
			h.runq = append(h.runq, d.c)
			n++
			continue
		}
		if next == 0 || d.due < next {
			next = d.due
		}
		kept = append(kept, d)
	}
	clear(h.later[len(kept):])
	h.later = kept
	if next != 0 {
		h.armLater(max(next, now+int64(laterSlack)), now)
	}
	h.qmu.Unlock()
	if n > 0 {
		h.cond.Broadcast()
	}
}

// writer is one of the pool's goroutines.
func (h *hub) writer() {
	var scratch []byte
	batch := make([]*liveConn, 0, 64)
	for {
		h.qmu.Lock()
		for h.head == len(h.runq) {
			h.cond.Wait()
		}
		n := min(cap(batch), len(h.runq)-h.head)
		batch = append(batch[:0], h.runq[h.head:h.head+n]...)
		h.head += n
		if h.head == len(h.runq) {
			clear(h.runq)
			h.runq, h.head = h.runq[:0], 0
		}
		h.qmu.Unlock()
		for _, c := range batch {
			scratch = c.write(scratch)
		}
		clear(batch)
	}
}
