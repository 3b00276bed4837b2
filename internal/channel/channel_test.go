package channel_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fyr/internal/channel"
)

func TestDelayDoublesUpToMax(t *testing.T) {
	b := channel.Backoff{Attempts: 6, Initial: time.Second, Max: 5 * time.Second}
	var got []time.Duration
	for n := 1; n <= 5; n++ {
		got = append(got, b.Delay(n))
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("delays %v, want %v", got, want)
	}
	b.Jitter = 0.5
	for n := 1; n <= 5; n++ {
		if d := b.Delay(n); d > want[n-1] || d < want[n-1]/2 {
			t.Errorf("jittered delay %d = %v, outside [%v, %v]", n, d, want[n-1]/2, want[n-1])
		}
	}
}

type recorder struct {
	mu sync.Mutex
	d  []time.Duration
}

func (r *recorder) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.d = append(r.d, d)
	return ctx.Err()
}

func TestRetry(t *testing.T) {
	temp := errors.New("busy")
	for _, c := range []struct {
		name     string
		results  []error
		attempts int
		waits    int
		err      string
	}{
		{"first try", []error{nil}, 1, 0, ""},
		{"third try", []error{temp, temp, nil}, 3, 2, ""},
		{"permanent", []error{temp, channel.Permanent(errors.New("550 no such user"))}, 2, 1, "550 no such user"},
		{"bounded", []error{temp, temp, temp, temp, temp}, 3, 2, "gave up after 3 attempts: busy"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var r recorder
			n, err := channel.Retry(context.Background(), channel.Backoff{Attempts: 3, Initial: time.Second, Sleep: r.sleep}, func(try int) error {
				return c.results[try-1]
			})
			if n != c.attempts || len(r.d) != c.waits || (err == nil) != (c.err == "") || err != nil && err.Error() != c.err {
				t.Errorf("attempts %d, waits %v, err %v", n, r.d, err)
			}
		})
	}
}

func TestRetryStopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	n, err := channel.Retry(ctx, channel.Backoff{Attempts: 5, Initial: time.Hour, Sleep: func(ctx context.Context, d time.Duration) error {
		cancel()
		return channel.SleepContext(ctx, d)
	}}, func(int) error { return errors.New("busy") })
	if n != 1 || !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "busy") {
		t.Errorf("attempts %d, err %v", n, err)
	}
	// An error after the context ended is not retried.
	n, err = channel.Retry(ctx, channel.Backoff{Attempts: 5}, func(int) error { return ctx.Err() })
	if n != 1 || !errors.Is(err, context.Canceled) {
		t.Errorf("attempts %d, err %v", n, err)
	}
}

func TestZeroBackoffIsTheDefault(t *testing.T) {
	var r recorder
	b := channel.Backoff{Sleep: r.sleep}.OrDefault()
	if b.Attempts != channel.DefaultBackoff.Attempts || b.Sleep == nil {
		t.Errorf("backoff %+v", b)
	}
}

func TestPermanent(t *testing.T) {
	base := errors.New("550")
	p := channel.Permanent(base)
	if !channel.IsPermanent(p) || !errors.Is(p, base) || p.Error() != "550" {
		t.Errorf("Permanent(%v) = %v", base, p)
	}
	if channel.Permanent(p) != p || channel.Permanent(nil) != nil {
		t.Error("Permanent wraps twice or wraps nil")
	}
	if !channel.IsPermanent(fmt.Errorf("context: %w", p)) || channel.IsPermanent(base) {
		t.Error("IsPermanent")
	}
}

func TestTextWithLink(t *testing.T) {
	m := channel.Message{Text: "Beslut: all icke akut vård ställs in.\n", ReceiptURL: "https://fyr.test/k/1"}
	if got := m.TextWithLink(); got != "Beslut: all icke akut vård ställs in.\n\nKvittera här: https://fyr.test/k/1" {
		t.Errorf("%q", got)
	}
	m.Text = "Kvittera: https://fyr.test/k/1"
	if got := m.TextWithLink(); got != m.Text {
		t.Errorf("%q", got)
	}
	m.Text = ""
	if got := m.TextWithLink(); got != "Kvittera här: https://fyr.test/k/1" {
		t.Errorf("%q", got)
	}
}

type fake struct {
	results []channel.Result
	n       int
}

func (f *fake) Channel() string { return "sms" }
func (f *fake) Send(context.Context, channel.Message) channel.Result {
	r := f.results[f.n]
	f.n++
	return r
}

func TestHealth(t *testing.T) {
	now := time.Date(2018, 9, 21, 6, 3, 0, 0, time.UTC)
	h := channel.NewHealth(func() time.Time { return now })
	if _, ok := h.Get("sms"); ok {
		t.Error("a status before any attempt")
	}
	s := h.Wrap(&fake{results: []channel.Result{
		{Provider: "46elks-primary", Handed: true},
		{Err: errors.New("46elks-primary: HTTP 503")},
		{Err: errors.New("46elks-secondary: HTTP 503")},
	}})
	if s.Channel() != "sms" {
		t.Errorf("channel %q", s.Channel())
	}
	s.Send(context.Background(), channel.Message{})
	st, _ := h.Get("sms")
	if !st.OK() || st.LastSuccess != now || st.Provider != "46elks-primary" {
		t.Errorf("after a success: %+v", st)
	}
	now = now.Add(time.Minute)
	s.Send(context.Background(), channel.Message{})
	s.Send(context.Background(), channel.Message{})
	st, _ = h.Get("sms")
	if st.OK() || st.Consecutive != 2 || st.Attempts != 3 || st.Failures != 2 || st.LastFailure != now ||
		st.LastError != "46elks-secondary: HTTP 503" || st.LastAttempt != now {
		t.Errorf("after failures: %+v", st)
	}
	h.Record("email", channel.Result{Handed: true, Provider: "smtp"})
	snap := h.Snapshot()
	if len(snap) != 2 || snap[0].Channel != "email" || snap[1].Channel != "sms" {
		t.Errorf("snapshot %+v", snap)
	}
}
