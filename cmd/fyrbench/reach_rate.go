package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// reachRate is reach --rate: every client is a viewer following the
// incident's journal; rate entries per second are recorded for seconds,
// each one message to every client.
func reachRate(ctx context.Context, api *http.Client, base, admin, inc string, tokens []string, pid int,
	before map[string]string, rate, seconds float64, dialers int) error {
	n := max(1, int(rate*seconds))
	clients := len(tokens)
	sent := make([]atomic.Int64, n) // when message k was sent (UnixNano)
	lat := make([][]int32, clients) // per client: latency of each message in µs
	var connected, finished, dropped atomic.Int64
	var firstErr atomic.Value
	allConnected, allFinished := make(chan struct{}), make(chan struct{})
	sse := &http.Client{Transport: &http.Transport{
		MaxConnsPerHost: 0, MaxIdleConnsPerHost: 1, DisableCompression: true,
		DialContext: (&net.Dialer{Timeout: 30 * time.Second}).DialContext,
	}}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	gate := make(chan struct{}, dialers)
	connStart := time.Now()
	for i := range clients {
		wg.Add(1)
		gate <- struct{}{}
		lat[i] = make([]int32, 0, n)
		go func(i int) {
			defer wg.Done()
			onConnected := func() {
				<-gate
				if connected.Add(1) == int64(clients) {
					close(allConnected)
				}
			}
			err := sseClient(cctx, sse, base+"/live?incident="+inc, tokens[i], onConnected, "entry", func(t time.Time, k int) bool {
				if k < 0 || k >= n {
					return true
				}
				lat[i] = append(lat[i], int32(t.Sub(time.Unix(0, sent[k].Load()))/time.Microsecond))
				if len(lat[i]) < n {
					return true
				}
				if finished.Add(1) == int64(clients) {
					close(allFinished)
				}
				return false
			})
			if err != nil && cctx.Err() == nil {
				dropped.Add(1)
				firstErr.CompareAndSwap(nil, err)
			}
		}(i)
	}
	select {
	case <-allConnected:
	case <-time.After(5 * time.Minute):
		return fmt.Errorf("only %d of %d clients connected in 5 minutes (%d failed; first error: %v)", connected.Load(), clients, dropped.Load(), firstErr.Load())
	case <-ctx.Done():
		return ctx.Err()
	}
	fmt.Printf("%d SSE clients (viewers following the incident) connected in %.1f s\n", clients, time.Since(connStart).Seconds())
	waitIdle(pid, 10*time.Second)
	with := procStatus(pid)
	fmt.Printf("with %d clients: VmRSS %s (%+.1f KiB per connection), VmHWM %s, threads %s\n",
		clients, with["VmRSS"], float64(kB(with["VmRSS"])-kB(before["VmRSS"]))/float64(clients), with["VmHWM"], with["Threads"])

	// n journal entries, one every 1/rate s, each POST after the previous one answered.
	cpu0, self0 := procCPU(pid), selfCPU()
	start := time.Now()
	interval := time.Duration(float64(time.Second) / rate)
	var posts []time.Duration
	for k := range n {
		if d := time.Until(start.Add(time.Duration(k) * interval)); d > 0 {
			time.Sleep(d)
		}
		t := time.Now()
		sent[k].Store(t.UnixNano())
		var e struct {
			ID string `json:"id"`
		}
		body := fmt.Sprintf(`{"kind":"info_in","text":"Lägesbild %d (reach k=%d;)"}`, k+1, k)
		if err := postJSON(ctx, api, base+"/api/v1/incidents/"+inc+"/journal", admin, body, http.StatusCreated, &e); err != nil {
			return fmt.Errorf("journal entry %d: %w", k, err)
		}
		posts = append(posts, time.Since(t))
	}
	sendTime := time.Since(start)
	timeout := false
	select {
	case <-allFinished:
	case <-time.After(30 * time.Second):
		timeout = true
	case <-ctx.Done():
		return ctx.Err()
	}
	wall := time.Since(start)
	cpu1, self1 := procCPU(pid), selfCPU()
	var all []time.Duration
	for _, l := range lat {
		for _, us := range l {
			all = append(all, time.Duration(us)*time.Microsecond)
		}
	}
	fmt.Printf("%d journal entries in %.1f s (%.1f/s; each POST p50..max: %s)\n", n, sendTime.Seconds(), float64(n)/sendTime.Seconds(), pcts(posts))
	fmt.Printf("deliveries: %d of %d%s\n", len(all), n*clients, map[bool]string{true: " (stopped waiting 30 s after the last entry)"}[timeout])
	fmt.Printf("  latency from sending the POST to the client reading the frame: %s\n", pcts(all))
	if cpu0 >= 0 && cpu1 >= 0 {
		fmt.Printf("  server CPU (utime+stime) from the first POST until the last frame was read (%.1f s): %.0f ms = %.2f µs per delivery (includes the %d journal commands and their rendering)\n",
			wall.Seconds(), float64(cpu1-cpu0)*10, float64(cpu1-cpu0)*10000/float64(max(len(all), 1)), n)
	}
	fmt.Printf("  load client CPU (this process, same cores) meanwhile: %.0f ms\n", ms(self1-self0))
	if d := dropped.Load(); d > 0 {
		fmt.Printf("  %d SSE connections ended early; first error: %v\n", d, firstErr.Load())
	}
	end := procStatus(pid)
	fmt.Printf("server peak RSS (VmHWM) %s; VmRSS now %s\n", end["VmHWM"], end["VmRSS"])
	cancel()
	wg.Wait()
	return nil
}

// rawClient is a lean HTTP/1.1 client on one keep-alive connection: the
// request is written by hand and only the status line and Content-Length
// of the answer are read, so that the load client takes less of the CPU it
// shares with the server than net/http.Client does.
type rawClient struct {
	addr string
	c    net.Conn
	br   *bufio.Reader
	buf  []byte
}

// post sends one POST with a JSON body and returns the status (-1: failed;
// the connection is then redialled for the next request).
func (rc *rawClient) post(path, token, body string) int {
	if rc.c == nil {
		c, err := net.DialTimeout("tcp", rc.addr, 10*time.Second)
		if err != nil {
			return -1
		}
		rc.c, rc.br = c, bufio.NewReaderSize(c, 4096)
	}
	rc.buf = append(rc.buf[:0], "POST "...)
	rc.buf = append(rc.buf, path...)
	rc.buf = append(rc.buf, " HTTP/1.1\r\nHost: "...)
	rc.buf = append(rc.buf, rc.addr...)
	rc.buf = append(rc.buf, "\r\nAuthorization: Bearer "...)
	rc.buf = append(rc.buf, token...)
	rc.buf = append(rc.buf, "\r\nContent-Type: application/json\r\nContent-Length: "...)
	rc.buf = strconv.AppendInt(rc.buf, int64(len(body)), 10)
	rc.buf = append(rc.buf, "\r\n\r\n"...)
	rc.buf = append(rc.buf, body...)
	rc.c.SetDeadline(time.Now().Add(60 * time.Second))
	code, err := rc.exchange()
	if err != nil {
		rc.close()
		return -1
	}
	return code
}

func (rc *rawClient) exchange() (int, error) {
	if _, err := rc.c.Write(rc.buf); err != nil {
		return 0, err
	}
	line, err := rc.br.ReadSlice('\n')
	if err != nil {
		return 0, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return 0, fmt.Errorf("bad status line %q", line)
	}
	code, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, err
	}
	length := -1
	for {
		line, err = rc.br.ReadSlice('\n')
		if err != nil {
			return 0, err
		}
		if len(line) <= 2 {
			break
		}
		if k, v, ok := bytes.Cut(line, []byte(":")); ok && bytes.EqualFold(k, []byte("Content-Length")) {
			length, _ = strconv.Atoi(string(bytes.TrimSpace(v)))
		}
	}
	if length < 0 {
		return 0, errors.New("answer without Content-Length")
	}
	_, err = rc.br.Discard(length)
	return code, err
}

func (rc *rawClient) close() {
	if rc != nil && rc.c != nil {
		rc.c.Close()
		rc.c = nil
	}
}
