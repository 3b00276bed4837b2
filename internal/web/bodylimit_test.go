package web

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"fyr/internal/auth"
	"fyr/internal/core"
)

// zeros is a body of n bytes of 'a' that is never held in memory; it
// counts what was taken from it.
type zeros struct {
	left int64
	read atomic.Int64
}

func (z *zeros) Read(p []byte) (int, error) {
	if z.left <= 0 {
		return 0, io.EOF
	}
	n := int64(len(p))
	if n > z.left {
		n = z.left
	}
	for i := range p[:n] {
		p[i] = 'a'
	}
	z.left -= n
	z.read.Add(n)
	return int(n), nil
}

const boundary = "fyrboundary"

// hugeUpload is a multipart body with one file of n bytes.
func hugeUpload(n int64) (string, int64, io.Reader, *zeros) {
	head := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nadmin\r\n--" + boundary +
		"\r\nContent-Disposition: form-data; name=\"units\"; filename=\"x.csv\"\r\nContent-Type: text/csv\r\n\r\n"
	tail := "\r\n--" + boundary + "--\r\n"
	z := &zeros{left: n}
	return "multipart/form-data; boundary=" + boundary, int64(len(head)) + n + int64(len(tail)),
		io.MultiReader(strings.NewReader(head), z, strings.NewReader(tail)), z
}

func bodyLimitServer(t *testing.T) (*Server, *httptest.Server, string) {
	t.Helper()
	ctx := context.Background()
	svc, err := core.Open(ctx, core.Config{Dir: t.TempDir(), Org: "t"})
	if err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword("a-long-password-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddUser(ctx, nil, auth.AddUser{Username: "admin", Name: "A", Role: auth.Admin, Hash: hash}); err != nil {
		t.Fatal(err)
	}
	token, _, err := svc.Login(ctx, "admin", "a-long-password-1", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(svc, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.EnableHooks("hook-key")
	s.EnableWebhookReceipts([]byte("webhook-secret"))
	hs := httptest.NewServer(s)
	t.Cleanup(func() {
		hs.CloseClientConnections()
		hs.Close()
		svc.Close()
	})
	return s, hs, token
}

// A 300 MiB upload to the login form is refused with 413 before Fyr reads
// it: the answer comes while the client is still sending, and nothing is
// spooled to the temporary directory.
func TestLoginRefusesAHugeUploadUnread(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	_, hs, _ := bodyLimitServer(t)
	const size = 300 << 20
	ctype, length, body, z := hugeUpload(size)
	conn, err := net.Dial("tcp", hs.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /login HTTP/1.1\r\nHost: fyr\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", ctype, length)
	go io.Copy(conn, body) // ends with an error once Fyr closes the connection
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	conn.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", resp.StatusCode)
	}
	if sent := z.read.Load(); sent >= size {
		t.Fatalf("the whole upload was sent (%d bytes) before Fyr answered", sent)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		t.Fatalf("the upload was spooled: %v", entries)
	}
	// Streamed without a length: an upload where no file is expected is
	// refused as such, a form as soon as it passes the limit.
	for ctype, want := range map[string]int{"multipart/form-data; boundary=" + boundary: 415, "application/x-www-form-urlencoded": 413} {
		_, _, body, z := hugeUpload(size)
		req, _ := http.NewRequest("POST", hs.URL+"/login", body)
		req.ContentLength = -1
		req.Header.Set("Content-Type", ctype)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s streamed: %v", ctype, err)
		}
		resp.Body.Close()
		if resp.StatusCode != want || z.read.Load() >= size {
			t.Fatalf("%s streamed: status %d after %d bytes, want %d", ctype, resp.StatusCode, z.read.Load(), want)
		}
	}
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		t.Fatalf("the upload was spooled: %v", entries)
	}
}

var routePattern = regexp.MustCompile(`"((?:POST|PUT|PATCH|DELETE) /[^" ]*)"`)

// writeRoutes finds every route that takes a body: the API table and the
// patterns registered in this package's source.
func writeRoutes(t *testing.T, s *Server) []string {
	var out []string
	for _, rt := range apiRoutes(s) {
		if rt.Method != "GET" {
			out = append(out, rt.Method+" "+rt.Path)
		}
	}
	files, _ := os.ReadDir(".")
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), "_test.go") || f.Name() == "bodylimit.go" {
			continue
		}
		src, err := os.ReadFile(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range routePattern.FindAllStringSubmatch(string(src), -1) {
			if !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
	}
	slices.Sort(out)
	return out
}

// Every route that takes a body refuses one over its limit with 413,
// whether the length is announced or the body streams; only the CSV
// imports take more than a form, and the login form takes a few KiB.
func TestEveryWriteRouteRefusesAnOverLimitBody(t *testing.T) {
	s, hs, token := bodyLimitServer(t)
	routes := writeRoutes(t, s)
	if len(routes) < 30 {
		t.Fatalf("found only %d routes: %v", len(routes), routes)
	}
	if n := bodyLimit("POST /login"); n > 16<<10 {
		t.Errorf("the login form takes %d bytes", n)
	}
	fill := strings.NewReplacer("{id}", "x", "{token}", "x", "{shift}", "x", "{username}", "x")
	for _, rt := range routes {
		limit := bodyLimit(rt)
		if limit > maxForm && !strings.Contains(rt, "/directory/") {
			t.Errorf("%s takes %d bytes", rt, limit)
		}
		method, path, _ := strings.Cut(rt, " ")
		url := hs.URL + fill.Replace(path)
		if strings.HasPrefix(path, "/hooks/sms/") {
			url += "?key=hook-key"
		}
		for _, streamed := range []bool{false, true} {
			ctype, length, body, z := "application/x-www-form-urlencoded", limit+1, io.Reader(nil), (*zeros)(nil)
			switch {
			case fileRoutes[rt]:
				ctype, length, body, z = hugeUpload(limit + 1)
			case strings.HasPrefix(path, "/api/v1/directory/units"), strings.HasPrefix(path, "/api/v1/directory/people"):
				ctype = "text/csv"
			case strings.HasPrefix(path, "/api/"):
				ctype = "application/json"
			}
			if z == nil {
				z = &zeros{left: length}
				body = z
			}
			req, _ := http.NewRequest(method, url, body)
			req.Header.Set("Content-Type", ctype)
			req.Header.Set("Authorization", "Bearer "+token)
			req.ContentLength = length
			if streamed {
				req.ContentLength = -1
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Errorf("%s (streamed %v): %v", rt, streamed, err)
				continue
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("%s with %d bytes (streamed %v): status %d, want 413", rt, length, streamed, resp.StatusCode)
			}
		}
	}
}
