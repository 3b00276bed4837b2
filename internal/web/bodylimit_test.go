package web

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/store"
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
	svc, err := app.Open(ctx, app.Config{Dir: t.TempDir(), Log: store.NewMem(), Org: "t"})
	if err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword("a-long-password-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Auth.AddUser(ctx, nil, auth.AddUser{Username: "admin", Name: "A", Role: auth.Admin, Hash: hash}); err != nil {
		t.Fatal(err)
	}
	token, _, err := svc.Auth.Login(ctx, "admin", "a-long-password-1", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if testModules == nil {
		t.Fatal("no modules: bodylimit_modules_test.go sets them")
	}
	s, err := New(svc, nil, testModules(svc)...)
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
	got := rawPost(t, hs.Listener.Addr().String(), "POST", "/login", map[string]string{"Content-Type": ctype,
		"Content-Length": fmt.Sprint(length)}, body, false)
	if got != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", got)
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
		got := rawPost(t, hs.Listener.Addr().String(), "POST", "/login", map[string]string{"Content-Type": ctype}, body, true)
		if got != want || z.read.Load() >= size {
			t.Fatalf("%s streamed: status %d after %d bytes, want %d", ctype, got, z.read.Load(), want)
		}
	}
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		t.Fatalf("the upload was spooled: %v", entries)
	}
}

// rawPost sends a request by hand and reads the answer while the body is
// still being written: Fyr answers before it has read the body, and Go's
// client may report the write it could not finish instead of the answer.
// A nil body sends none (with Expect: 100-continue, Fyr must answer from
// the announced length alone); chunked frames the body as it streams.
func rawPost(t *testing.T, addr, method, path string, header map[string]string, body io.Reader, chunked bool) int {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var head strings.Builder
	fmt.Fprintf(&head, "%s %s HTTP/1.1\r\nHost: fyr\r\n", method, path)
	for k, v := range header {
		fmt.Fprintf(&head, "%s: %s\r\n", k, v)
	}
	if chunked {
		head.WriteString("Transfer-Encoding: chunked\r\n")
	}
	head.WriteString("\r\n")
	if _, err := io.WriteString(conn, head.String()); err != nil {
		t.Fatal(err)
	}
	if body != nil {
		go func() { // ends with an error once Fyr closes the connection
			if chunked {
				cw := httputil.NewChunkedWriter(conn)
				if _, err := io.Copy(cw, body); err == nil {
					cw.Close()
					io.WriteString(conn, "\r\n")
				}
				return
			}
			io.Copy(conn, body)
		}()
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

var routePattern = regexp.MustCompile(`"((?:POST|PUT|PATCH|DELETE) /[^" ]*)"`)

// testModules are the capabilities' UI modules (internal/pages), set by
// bodylimit_modules_test.go in package web_test: this package cannot
// import them.
var testModules func(*app.App) []Module

// writeRoutes finds every route that takes a body: the API table (the
// modules' routes too), the modules' pages and the patterns registered in
// this package's source.
func writeRoutes(t *testing.T, s *Server) []string {
	var out []string
	for _, rt := range apiRoutes(s) {
		if rt.Method != "GET" {
			out = append(out, rt.Method+" "+rt.Path)
		}
	}
	for _, p := range s.modPages {
		if !strings.HasPrefix(p, "GET ") && !slices.Contains(out, p) {
			out = append(out, p)
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
// imports (the directory's, the registry's) take more than a form, and the login form takes a few KiB.
func TestEveryWriteRouteRefusesAnOverLimitBody(t *testing.T) {
	t.Parallel()
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
		limit, upload := s.limitOf(rt)
		if limit > maxForm && !strings.Contains(rt, "/directory/") && rt != "POST /registry/import" {
			t.Errorf("%s takes %d bytes", rt, limit)
		}
		method, path, _ := strings.Cut(rt, " ")
		target := fill.Replace(path)
		if strings.HasPrefix(path, "/hooks/sms/") {
			target += "?key=hook-key"
		}
		for _, streamed := range []bool{false, true} {
			ctype, length, body, z := "application/x-www-form-urlencoded", limit+1, io.Reader(nil), (*zeros)(nil)
			switch {
			case fileRoutes[rt] || upload:
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
			header := map[string]string{"Content-Type": ctype, "Authorization": "Bearer " + token}
			if !streamed {
				header["Content-Length"] = fmt.Sprint(length)
				header["Expect"] = "100-continue"
				body = nil
			}
			if got := rawPost(t, hs.Listener.Addr().String(), method, target, header, body, streamed); got != http.StatusRequestEntityTooLarge {
				t.Errorf("%s with %d bytes (streamed %v): status %d, want 413", rt, length, streamed, got)
			}
		}
	}
}
