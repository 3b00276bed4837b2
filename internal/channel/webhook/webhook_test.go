package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"fyr/internal/channel"
	"fyr/internal/channel/webhook"
	"fyr/internal/fail"
	"fyr/internal/testclock"
)

var (
	secret = []byte("0123456789abcdef-hemlig-nyckel")
	start  = time.Date(2018, 9, 21, 6, 3, 0, 0, time.UTC)
)

// receiver is a unit's system: it checks each request and answers with
// the next queued status (200 when none is queued).
type receiver struct {
	t     *testing.T
	clock *testclock.Clock
	srv   *httptest.Server

	mu       sync.Mutex
	statuses []int
	hang     int // hang this many requests until the client gives up
	got      []request
}

type request struct {
	header  http.Header
	payload webhook.Payload
	verify  error
}

func newReceiver(t *testing.T, c *testclock.Clock) *receiver {
	rc := &receiver{t: t, clock: c}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := request{header: r.Header.Clone(), verify: webhook.Verify(secret, r.Header.Get(webhook.SignatureHeader), body, rc.clock.Now(), time.Minute)}
	if err := json.Unmarshal(body, &req.payload); err != nil {
		rc.t.Errorf("body %q: %v", body, err)
	}
	rc.mu.Lock()
	rc.got = append(rc.got, req)
	status := http.StatusOK
	if len(rc.statuses) > 0 {
		status, rc.statuses = rc.statuses[0], rc.statuses[1:]
	}
	hang := rc.hang > 0
	if hang {
		rc.hang--
	}
	rc.mu.Unlock()
	if hang {
		<-r.Context().Done()
		return
	}
	w.WriteHeader(status)
	io.WriteString(w, http.StatusText(status))
}

func (rc *receiver) requests() []request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]request(nil), rc.got...)
}

func setup(t *testing.T, mod func(*webhook.Config)) (*webhook.Sender, *receiver, *testclock.Sleeps) {
	c := testclock.New(start)
	sl := &testclock.Sleeps{Clock: c}
	cfg := webhook.Config{Secret: secret, Timeout: 5 * time.Second, Now: c.Now,
		Backoff: channel.Backoff{Attempts: 4, Initial: time.Second, Max: 10 * time.Second, Sleep: sl.Sleep}}
	if mod != nil {
		mod(&cfg)
	}
	s, err := webhook.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, newReceiver(t, c), sl
}

func message(to string) channel.Message {
	return channel.Message{AttemptID: "01J8ZK4M3T9Q2W5E7R1Y6U0I8O", ToURL: to, Subject: "Beslut 08:03",
		Text: "All icke akut vård ställs in i dag.", ReceiptURL: "https://fyr.test/k/abc", ShortCode: "4821"}
}

func TestSendPostsSignedJSON(t *testing.T) {
	t.Parallel()
	s, rc, sl := setup(t, nil)
	res := s.Send(context.Background(), message(rc.srv.URL+"/fyr/hook"))
	if !res.Handed || res.Err != nil || res.Provider != "webhook" {
		t.Fatalf("result %+v", res)
	}
	got := rc.requests()
	if len(got) != 1 || len(sl.All()) != 0 {
		t.Fatalf("%d requests, sleeps %v", len(got), sl.All())
	}
	r := got[0]
	want := webhook.Payload{AttemptID: "01J8ZK4M3T9Q2W5E7R1Y6U0I8O", Subject: "Beslut 08:03", Text: "All icke akut vård ställs in i dag.",
		ReceiptURL: "https://fyr.test/k/abc", ShortCode: "4821"}
	if r.payload != want {
		t.Errorf("payload %+v", r.payload)
	}
	if r.verify != nil {
		t.Errorf("signature: %v", r.verify)
	}
	if r.header.Get("Content-Type") != "application/json" || r.header.Get("Idempotency-Key") != want.AttemptID {
		t.Errorf("headers %v", r.header)
	}
	if sig := r.header.Get("Fyr-Signature"); !strings.HasPrefix(sig, "t=1537509780,v1=") || len(sig) != len("t=1537509780,v1=")+64 {
		t.Errorf("Fyr-Signature = %q", sig)
	}
}

func TestServerErrorsAreRetriedAndEachTryIsSignedAfresh(t *testing.T) {
	t.Parallel()
	s, rc, sl := setup(t, nil)
	rc.statuses = []int{503, 500}
	res := s.Send(context.Background(), message(rc.srv.URL))
	if !res.Handed {
		t.Fatalf("result %+v", res)
	}
	got := rc.requests()
	if len(got) != 3 {
		t.Fatalf("%d requests", len(got))
	}
	if w := sl.All(); len(w) != 2 || w[0] != time.Second || w[1] != 2*time.Second {
		t.Errorf("waits %v", w)
	}
	for i, r := range got {
		if r.verify != nil || r.header.Get("Idempotency-Key") != "01J8ZK4M3T9Q2W5E7R1Y6U0I8O" {
			t.Errorf("try %d: %v, %v", i, r.verify, r.header)
		}
	}
	if got[0].header.Get("Fyr-Signature") == got[2].header.Get("Fyr-Signature") {
		t.Error("a retry reused the old signature")
	}
}

func TestTimeoutIsRetried(t *testing.T) {
	t.Parallel()
	s, rc, _ := setup(t, func(c *webhook.Config) { c.Timeout = 100 * time.Millisecond })
	rc.hang = 1
	res := s.Send(context.Background(), message(rc.srv.URL))
	if !res.Handed || len(rc.requests()) != 2 {
		t.Fatalf("result %+v, %d requests", res, len(rc.requests()))
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	t.Parallel()
	for _, status := range []int{400, 401, 404, 410, 302} {
		s, rc, sl := setup(t, nil)
		rc.statuses = []int{status}
		res := s.Send(context.Background(), message(rc.srv.URL))
		if res.Handed || !channel.IsPermanent(res.Err) || len(rc.requests()) != 1 || len(sl.All()) != 0 {
			t.Errorf("%d: result %+v, %d requests", status, res, len(rc.requests()))
			continue
		}
		var he *webhook.HTTPError
		if !errors.As(res.Err, &he) || he.Status != status {
			t.Errorf("%d: error %v", status, res.Err)
		}
	}
}

func TestTooManyRequestsIsRetried(t *testing.T) {
	t.Parallel()
	s, rc, _ := setup(t, nil)
	rc.statuses = []int{429}
	if res := s.Send(context.Background(), message(rc.srv.URL)); !res.Handed || len(rc.requests()) != 2 {
		t.Fatalf("result %+v", res)
	}
}

func TestRetriesAreBounded(t *testing.T) {
	t.Parallel()
	s, rc, sl := setup(t, nil)
	rc.statuses = []int{502, 502, 502, 502, 502}
	res := s.Send(context.Background(), message(rc.srv.URL+"/hook?token=hemlig"))
	if res.Handed || channel.IsPermanent(res.Err) || len(rc.requests()) != 4 || len(sl.All()) != 3 {
		t.Fatalf("result %+v, %d requests, waits %v", res, len(rc.requests()), sl.All())
	}
	msg := res.Err.Error()
	if !strings.Contains(msg, "gave up after 4 attempts") || !strings.Contains(msg, "HTTP 502") || strings.Contains(msg, "hemlig") {
		t.Errorf("error %q", msg)
	}
}

func TestBadInputIsRefused(t *testing.T) {
	t.Parallel()
	s, rc, _ := setup(t, nil)
	for _, to := range []string{"", "/relative", "ftp://x/y", "http://"} {
		res := s.Send(context.Background(), message(to))
		if res.Handed || !channel.IsPermanent(res.Err) || fail.As(res.Err).Field != "to_url" {
			t.Errorf("%q: %+v", to, res)
		}
	}
	m := message(rc.srv.URL)
	m.AttemptID = ""
	if res := s.Send(context.Background(), m); fail.As(res.Err).Field != "attempt_id" {
		t.Errorf("no attempt id: %+v", res)
	}
	if _, err := webhook.New(webhook.Config{Secret: []byte("short")}); fail.As(err).Field != "secret" {
		t.Errorf("short secret: %v", err)
	}
	if len(rc.requests()) != 0 {
		t.Error("bad input was sent")
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	body := []byte(`{"attempt_id":"a1","text":"kvitterat"}`)
	now := start
	good := webhook.Sign(secret, now.Add(-30*time.Second), body)
	if err := webhook.Verify(secret, good, body, now, time.Minute); err != nil {
		t.Fatalf("a good signature: %v", err)
	}
	ts := good[:strings.Index(good, ",")]
	for _, c := range []struct {
		name   string
		header string
		body   []byte
		now    time.Time
		want   error
	}{
		{"unsigned", "", body, now, webhook.ErrUnsigned},
		{"blank", "   ", body, now, webhook.ErrUnsigned},
		{"no equals", "garbage", body, now, webhook.ErrMalformed},
		{"no t", "v1=" + strings.Repeat("0", 64), body, now, webhook.ErrMalformed},
		{"no v1", ts, body, now, webhook.ErrMalformed},
		{"t twice", ts + "," + good, body, now, webhook.ErrMalformed},
		{"t not a number", "t=soon," + good[len(ts)+1:], body, now, webhook.ErrMalformed},
		{"t with sign", "t=+" + good[2:], body, now, webhook.ErrMalformed},
		{"wrong secret", webhook.Sign([]byte("another-secret-of-16+"), now, body), body, now, webhook.ErrBadSignature},
		{"tampered body", good, []byte(`{"attempt_id":"a2","text":"kvitterat"}`), now, webhook.ErrBadSignature},
		{"tampered time", "t=1537509781" + good[len(ts):], body, now, webhook.ErrBadSignature},
		{"too old (replay)", good, body, now.Add(time.Minute), webhook.ErrStale},
		{"from the future", webhook.Sign(secret, now.Add(2*time.Minute), body), body, now, webhook.ErrStale},
	} {
		err := webhook.Verify(secret, c.header, c.body, c.now, time.Minute)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
			continue
		}
		if e := fail.As(err); e.Code != fail.Unauthorized || e.Field != "Fyr-Signature" || e.Message == "" {
			t.Errorf("%s: fail error %+v", c.name, e)
		}
	}
	// Several v1 signatures (a secret being rotated): one match suffices.
	two := ts + ",v1=" + strings.Repeat("ab", 32) + good[len(ts):] + ",v0=ignored"
	if err := webhook.Verify(secret, two, body, now, time.Minute); err != nil {
		t.Errorf("two signatures: %v", err)
	}
	if err := webhook.Verify(secret, good, body, now.Add(4*time.Minute), 0); err != nil {
		t.Errorf("default tolerance: %v", err)
	}
}

func TestVerifierRejectsReuse(t *testing.T) {
	t.Parallel()
	c := testclock.New(start)
	v := &webhook.Verifier{Secrets: [][]byte{[]byte("the-old-secret-16b"), secret}, Tolerance: time.Minute, Now: c.Now}
	body := []byte(`{"attempt_id":"a1"}`)
	sig := webhook.Sign(secret, start, body)
	if err := v.Check(sig, body); err != nil {
		t.Fatal(err)
	}
	if err := v.Check(sig, body); !errors.Is(err, webhook.ErrReplayed) {
		t.Errorf("reused: %v", err)
	}
	c.Add(5 * time.Minute)
	if err := v.Check(sig, body); !errors.Is(err, webhook.ErrStale) {
		t.Errorf("reused later: %v", err)
	}
	// A fresh signature of the same body is a new request.
	if err := v.Check(webhook.Sign(secret, c.Now(), body), body); err != nil {
		t.Errorf("fresh: %v", err)
	}
	// Through an HTTP request.
	r := httptest.NewRequest(http.MethodPost, "/cb", strings.NewReader(`{"x":1}`))
	r.Header.Set("Fyr-Signature", webhook.Sign([]byte("the-old-secret-16b"), c.Now(), []byte(`{"x":1}`)))
	if b, err := v.Request(r); err != nil || string(b) != `{"x":1}` {
		t.Errorf("request: %q, %v", b, err)
	}
	r = httptest.NewRequest(http.MethodPost, "/cb", strings.NewReader(`{"x":1}`))
	if _, err := v.Request(r); !errors.Is(err, webhook.ErrUnsigned) {
		t.Errorf("unsigned request: %v", err)
	}
}

func FuzzVerify(f *testing.F) {
	body := []byte(`{"attempt_id":"a1"}`)
	good := webhook.Sign(secret, start, body)
	for _, s := range []string{good, "", "t=1,v1=00", "t=1537509780,v1=,v1=", "t=,v1=x", ",,,", "t=99999999999999999999,v1=ab"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		err := webhook.Verify(secret, header, body, start, time.Minute)
		if err == nil {
			// Accepted: it must carry the genuine signature.
			if !strings.Contains(strings.ToLower(header), good[strings.Index(good, "v1="):]) {
				t.Fatalf("accepted %q", header)
			}
			return
		}
		if e := fail.As(err); e.Code != fail.Unauthorized || e.Field != webhook.SignatureHeader {
			t.Fatalf("%q: error %v", header, err)
		}
	})
}
