package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyr/internal/demo"
	"fyr/internal/fyrtest"
)

// selfSigned writes a certificate for the IP address 127.0.0.1 (no DNS
// name: the day DNS is gone) and its key, and returns a pool that trusts it.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "fyr test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// `fyr serve --tls-cert --tls-key` serves HTTPS on an IP address: the
// session cookie is Secure and every response carries HSTS.
func TestServeHTTPS(t *testing.T) {
	t.Parallel()
	certFile, keyFile, pool := selfSigned(t, t.TempDir())
	s := spawnServer(t, t.TempDir(), "--tls-cert", certFile, "--tls-key", keyFile)
	s.client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	s.waitServing()
	if !strings.HasPrefix(s.URL, "https://127.0.0.1:") {
		t.Fatalf("serving %s, want https://127.0.0.1:…", s.URL)
	}
	noRedirect := *s.client
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noRedirect.PostForm(s.URL+"/login", url.Values{"username": {"admin"}, "password": {adminPassword}, "back": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 303 || resp.TLS == nil {
		t.Fatalf("login over HTTPS: %d (TLS %v)", resp.StatusCode, resp.TLS != nil)
	}
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "fyr_session" {
			session = c
		}
	}
	if session == nil || !session.Secure || !session.HttpOnly {
		t.Errorf("session cookie over HTTPS: %+v, want Secure and HttpOnly", session)
	}
	if hsts := resp.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Errorf("Strict-Transport-Security = %q, want HSTS with a max-age", hsts)
	}
	// Plain HTTP to the TLS port gets no page.
	plain := &http.Client{Timeout: startTimeout}
	if resp, err := plain.Get("http://" + strings.TrimPrefix(s.URL, "https://") + "/healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Error("plain HTTP answered 200 on the TLS port")
		}
	}
	s.stop()
}

// A certificate without its key is refused before anything opens.
func TestTLSFlagsGoTogether(t *testing.T) {
	t.Parallel()
	certFile, _, _ := selfSigned(t, t.TempDir())
	code, _, stderr := runCLI(t, nil, "serve", "--data", t.TempDir(), "--tls-cert", certFile)
	if code != 1 || !strings.Contains(stderr, "--tls-key") {
		t.Fatalf("serve with a certificate and no key: %d %q, want exit 1 naming --tls-key", code, stderr)
	}
}

// The data directory is held by an OS lock: deleting the LOCK file (as
// older versions had) does not let a second `fyr serve` open it.
func TestSecondServeRefusedOnTheSameDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := startServer(t, dir)
	if err := os.Remove(filepath.Join(dir, "LOCK")); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	second := spawnServer(t, dir)
	select {
	case <-second.exited:
	case <-time.After(startTimeout):
		t.Fatalf("a second fyr serve on the same directory still runs after %v", startTimeout)
	}
	if second.state.Success() || !strings.Contains(second.stderr.String(), "in use by another fyr process") {
		t.Fatalf("second fyr serve: %v, stderr %q; want a refusal saying the directory is in use", second.state, second.stderr.String())
	}
	// The first one is unharmed.
	first.waitHealthy()
	first.stop()
}

// Common passwords, and the username as password, are refused by the CLI,
// naming where the password came from.
func TestUserAddRefusesCommonPasswords(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ pw, user, want string }{
		{"password1234", "tib", "most common"},
		{"kvkvkvkvkvkvkv", "tib", "repeated"},
		{"tove.isaksson", "tove.isaksson", "username"},
	} {
		code, _, stderr := runCLI(t, []string{"FYR_PASSWORD=" + tc.pw}, "user", "add", "--data", dir, "--username", tc.user, "--name", "Tove Isaksson", "--role", "staff")
		if code != 1 || !strings.Contains(stderr, "FYR_PASSWORD") || !strings.Contains(stderr, tc.want) {
			t.Errorf("user add with %q: %d %q, want exit 1 naming FYR_PASSWORD and saying %q", tc.pw, code, stderr, tc.want)
		}
	}
}

// The demo's backup, restored into a new directory, serves without --org:
// its incidents are there and its accounts log in. An --org the data does
// not hold is refused with a message naming the one it holds.
func TestRestoredDemoBackupServes(t *testing.T) {
	t.Parallel()
	src := spawnServer(t, t.TempDir(), "--demo")
	src.waitServing()
	token := loginAs(t, src, "admin", demo.Password)
	req, _ := http.NewRequest("GET", src.URL+"/api/v1/export", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := src.client.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("export: %v %v", err, resp)
	}
	backup := filepath.Join(t.TempDir(), "demo.jsonl")
	f, _ := os.Create(backup)
	io.Copy(f, resp.Body)
	resp.Body.Close()
	f.Close()
	src.stop()

	dir := filepath.Join(t.TempDir(), "restored")
	code, out, stderr := runCLI(t, nil, "restore", "--file", backup, "--data", dir)
	if code != 0 || !strings.Contains(out, "organisation: exempel") {
		t.Fatalf("restore: %d %q %q; want the organisation named", code, out, stderr)
	}

	wrong := spawnServer(t, dir, "--org", "region")
	select {
	case <-wrong.exited:
	case <-time.After(startTimeout):
		t.Fatalf("serve --org region on the demo's data still runs after %v", startTimeout)
	}
	if wrong.state.Success() || !strings.Contains(wrong.stderr.String(), "exempel") {
		t.Fatalf("serve --org region on the demo's data: %v %q; want a refusal naming exempel", wrong.state, wrong.stderr.String())
	}

	s := startServer(t, dir)
	tib := loginAs(t, s, "tib", demo.Password)
	var list struct{ Incidents []struct{ Title string } }
	if err := s.call(context.Background(), tib, "GET", "/api/v1/incidents", nil, &list, 200); err != nil || len(list.Incidents) == 0 {
		t.Fatalf("incidents of the restored demo: %v, %d", err, len(list.Incidents))
	}
	s.stop()
}

func loginAs(t *testing.T, s *server, username, password string) string {
	t.Helper()
	var r struct{ Token string }
	if err := s.call(context.Background(), "", "POST", "/api/v1/login", map[string]string{"username": username, "password": password}, &r, 200); err != nil {
		t.Fatalf("login as %s: %v", username, err)
	}
	return r.Token
}

// sigtermWait is how long the test waits for the process: twice the
// deadline, so that a loaded machine does not fail it; the process's own
// log says whether it kept the deadline.
const sigtermWait = 20 * time.Second

// SIGTERM ends `fyr serve` within its 10 s deadline although the disk is
// full, a journal write is pending on it and a request's body is still
// coming: the process says how it stopped, and what it acknowledged is kept.
func TestSIGTERMWithWritesPendingOnAFullDisk(t *testing.T) {
	mnt, err := fyrtest.SmallDisk(t, 48<<20)
	if err != nil {
		// No small disk here: the request whose body never completes is
		// then what is pending.
		t.Logf("cannot mount a small disk (%v): the disk is not filled", err)
		mnt = t.TempDir()
	}
	dir := filepath.Join(mnt, "data")
	s := startServer(t, dir)
	token := s.login()
	inc := s.openIncident(token, "Full disk at shutdown")
	if _, err := s.record(context.Background(), token, inc, "before the disk filled"); err != nil {
		t.Fatal(err)
	}
	if err == nil {
		fyrtest.Fill(t, filepath.Join(mnt, "filler"), 0)
	}
	// The log's last block may still have room for one entry; the write
	// after it meets the full disk.
	if e, err := s.record(context.Background(), token, inc, "into the last block"); err == nil {
		_ = e
	}

	// A write on the full disk: JetStream never answers it.
	type answer struct {
		e   entry
		err error
	}
	pending := make(chan answer, 1)
	go func() {
		e, err := s.record(context.Background(), token, inc, "on the full disk")
		pending <- answer{e, err}
	}()
	// A request whose body never completes keeps its connection busy.
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/incidents/%s/journal HTTP/1.1\r\nHost: fyr\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"kind\":", inc, token)

	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.exited:
	case <-time.After(sigtermWait):
		t.Fatalf("fyr serve still runs %v after SIGTERM", sigtermWait)
	}
	// How it stopped, in its own words: cleanly within the deadline, or
	// by the deadline.
	var stopped struct {
		Msg    string `json:"msg"`
		TookMS int64  `json:"took_ms"`
	}
	for _, line := range strings.Split(strings.TrimSpace(s.stderr.String()), "\n") {
		var l struct{ Msg string }
		if json.Unmarshal([]byte(line), &l) == nil && (l.Msg == "stopped" || strings.HasPrefix(l.Msg, "shutdown deadline passed")) {
			json.Unmarshal([]byte(line), &stopped)
		}
	}
	switch {
	case stopped.Msg == "stopped" && s.state.Success() && stopped.TookMS <= 10_000:
	case strings.HasPrefix(stopped.Msg, "shutdown deadline passed") && s.state.ExitCode() == 1:
	default:
		t.Fatalf("fyr serve exited %v saying %+v; want \"stopped\" within 10 s or the deadline's own line\nstderr:\n%s", s.state, stopped, tail(s.stderr.String(), 4000))
	}
	t.Logf("fyr serve after SIGTERM: %q, took %d ms", stopped.Msg, stopped.TookMS)
	w := <-pending
	t.Logf("the write pending on the full disk answered: %v", w.err)

	// Space back, the log opens whole, with what was acknowledged.
	os.Remove(filepath.Join(mnt, "filler"))
	if r := runVerify(t, dir); r.Code != 0 {
		t.Fatalf("verify after the shutdown: %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
	s2 := startServer(t, dir)
	texts := map[string]bool{}
	for _, e := range s2.journal(s2.login(), inc) {
		texts[e.Text] = true
	}
	if !texts["before the disk filled"] || (w.err == nil && !texts["on the full disk"]) {
		t.Fatalf("after restart the journal holds %v; the pending write answered %v", texts, w.err)
	}
	s2.stop()
}
