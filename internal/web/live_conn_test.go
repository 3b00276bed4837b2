package web

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// tcpPair returns both ends of a loopback TCP connection. (Small socket
// buffers would fill faster, but with loopback's 64 KiB segments a window
// of a few KiB stalls the kernel's sender on its persist timer.)
func tcpPair(t *testing.T) (server, client *net.TCPConn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	sc, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	server, client = sc.(*net.TCPConn), cc.(*net.TCPConn)
	t.Cleanup(func() { server.Close(); client.Close() })
	return server, client
}

// A connection whose socket is full is written by its own goroutine until
// it has caught up: nothing is lost or reordered. One that falls 256
// messages behind is closed and dropped.
func TestLiveConnBehind(t *testing.T) {
	t.Parallel()
	h := newHub(nil)
	removed := make(chan struct{}, 1)
	h.onRemove = func() { removed <- struct{}{} }
	h.startWriters()
	nc, client := tcpPair(t)
	raw, err := nc.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	sub := &subscriber{lang: Swedish}
	c := &liveConn{h: h, sub: sub, nc: nc, raw: raw}
	sub.conn = c
	h.add(sub)

	frame := func(i, size int) []byte {
		return sseFrame(uint64(i), "levels", strings.Repeat(fmt.Sprint(i%10), size))
	}
	offer := func(i, size int) {
		h.mu.Lock()
		h.offer(sub, liveMsg{seq: uint64(i), frame: frame(i, size)})
		h.unlock()
	}
	// 20 × 512 KiB, more than the socket buffers hold: the pool's
	// non-blocking write cannot take it all.
	for i := 1; i <= 20; i++ {
		offer(i, 512<<10)
	}
	client.SetReadDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(client)
	for i := 1; i <= 20; i++ {
		want := frame(i, 512<<10)
		got := make([]byte, len(want))
		if _, err := io.ReadFull(br, got); err != nil {
			c.mu.Lock()
			h.qmu.Lock()
			t.Logf("state: busy %v dead %v q %d rest %d later %d laterAt %d now %d runq %d head %d last %d", c.busy, c.dead, len(c.q), len(c.rest), len(h.later), h.laterAt, monotime(), len(h.runq), h.head, c.last.Load())
			h.qmu.Unlock()
			c.mu.Unlock()
			t.Fatalf("frame %d: %v", i, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("frame %d arrived damaged or out of order: starts %q", i, got[:20])
		}
	}

	// Now the client stops reading: the socket fills, the connection's
	// goroutine waits in its write, and the queue grows until the
	// connection is dropped and closed.
	for i := 21; i <= 40; i++ {
		offer(i, 512<<10)
	}
	for i := 41; ; i++ {
		offer(i, 100)
		h.mu.Lock()
		_, in := h.subs[sub]
		h.mu.Unlock()
		if !in {
			break
		}
		if i > 41+liveQueueMax+64 {
			t.Fatal("a connection that reads nothing was never dropped")
		}
	}
	select {
	case <-removed:
	case <-time.After(10 * time.Second):
		t.Fatal("no removal reported")
	}
	// What was written arrives, then the connection ends.
	client.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.Copy(io.Discard, br); err != nil {
		t.Fatalf("the dropped connection was not closed: %v", err)
	}
}
