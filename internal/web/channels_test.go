package web_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"

	"fyr/internal/auth"
	"fyr/internal/channel"
	dispatchui "fyr/internal/dispatch/ui"
	"fyr/internal/fyrtest"
)

// flaky is an SMS sender whose answer the test sets.
type flaky struct {
	mu   sync.Mutex
	down bool
	to   []string
}

func (f *flaky) Channel() string { return channel.SMS }

func (f *flaky) Send(_ context.Context, m channel.Message) channel.Result {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.to = append(f.to, m.ToMobile)
	if f.down {
		return channel.Result{Provider: "sms-1", Err: errors.New("gateway answered 503")}
	}
	return channel.Result{Provider: "sms-1", Handed: true}
}

// A failing channel shows on every staff page; a test message on demand
// proves it works again.
func TestChannelHealthAndTestMessages(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	health := channel.NewHealth(nil)
	gw := &flaky{down: true}
	env.Web.Configure(dispatchui.ChannelsSetting, dispatchui.Channels{Health: health, Senders: map[string]channel.Sender{channel.SMS: health.Wrap(gw)}})
	staff := newBrowser(t, env)
	staff.login(auth.Staff)
	staff.get("/channels")

	code, _, body := staff.post("/channels/test", url.Values{"csrf": {staff.csrf}, "channel": {"sms"}, "to": {"0701"}})
	if code != 400 || !strings.Contains(body, "<code>to</code>") {
		t.Fatalf("a malformed number: %d", code)
	}
	_, _, body = staff.post("/channels/test", url.Values{"csrf": {staff.csrf}, "channel": {"sms"}, "to": {"+46701740605"}})
	if !strings.Contains(body, "gick inte fram") || !strings.Contains(body, "FUNGERAR INTE") {
		t.Fatal("a failed test message is not reported")
	}
	if _, page := staff.get("/"); !strings.Contains(page, `class="alert"`) || !strings.Contains(page, "gateway answered 503") {
		t.Fatal("the failing channel is not shown on the staff's pages")
	}
	unit := newBrowser(t, env)
	unit.login(auth.Unit)
	if _, page := unit.get("/inbox"); strings.Contains(page, `class="alert"`) {
		t.Fatal("a unit account is shown the staff's channel alert")
	}
	gw.mu.Lock()
	gw.down = false
	gw.mu.Unlock()
	_, _, body = staff.post("/channels/test", url.Values{"csrf": {staff.csrf}, "channel": {"sms"}, "to": {"+46701740605"}})
	if !strings.Contains(body, "lämnades till sms-1") {
		t.Fatal("a working channel's test is not confirmed")
	}
	if _, page := staff.get("/"); strings.Contains(page, `class="alert"`) {
		t.Fatal("the alert stays after the channel works again")
	}
	viewer := newBrowser(t, env)
	viewer.login(auth.Viewer)
	viewer.get("/channels")
	if code, _, _ := viewer.post("/channels/test", url.Values{"csrf": {viewer.csrf}, "channel": {"sms"}, "to": {"+46701740605"}}); code != 403 {
		t.Fatalf("a viewer sending a test: %d", code)
	}
}
