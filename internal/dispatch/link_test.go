package dispatch_test

import (
	"strings"
	"testing"
	"time"

	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/fail"
)

var key = []byte("0123456789abcdef0123456789abcdef")

func TestReceiptLinks(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(dispatch.Create{Kind: dispatch.KindMessage, Title: "Läget?", Audience: dispatch.Audience{Units: []string{"cs"}}, Deadline: t0.Add(time.Hour)})
	links := dispatch.NewLinks(key)
	link := dispatch.Link{Attempt: "att1", Dispatch: id, Unit: "cs", Name: "Anna", Channel: dispatch.SMS, Expires: t0.Add(time.Hour)}
	token := links.Sign(link)
	got, err := links.Check(token, t0)
	if err != nil || got.Attempt != "att1" || got.Unit != "cs" {
		t.Fatalf("a fresh link: %+v %v", got, err)
	}
	for name, tok := range map[string]string{
		"forged with another key": dispatch.NewLinks([]byte(strings.Repeat("x", 32))).Sign(link),
		"altered":                 "x" + token,
		"no signature":            strings.Split(token, ".")[0],
	} {
		if _, err := links.Check(tok, t0); fail.As(err).Field != "link" {
			t.Errorf("%s link: %v", name, err)
		}
	}
	if _, err := links.Check(token, t0.Add(2*time.Hour)); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Errorf("expired link: %v", err)
	}
	ack := func() error {
		drafts, err := dispatch.Acknowledge{Dispatch: id, Unit: "cs", By: event.Actor{Name: "Anna"}, Channel: dispatch.SMS, Link: "att1"}.Decide(w.book, "link")
		if err == nil {
			w.apply(t0, drafts...)
		}
		return err
	}
	if err := w.book.CheckLink(got); err != nil {
		t.Fatal(err)
	}
	if err := ack(); err != nil {
		t.Fatal(err)
	}
	if err := w.book.CheckLink(got); fail.As(err).Field != "link" {
		t.Fatalf("a used link still checks: %v", err)
	}
	before := w.seq
	if err := ack(); fail.As(err).Field != "link" || w.seq != before {
		t.Fatalf("reusing a link: %v", err)
	}
}

func FuzzLinkCheck(f *testing.F) {
	links := dispatch.NewLinks(key)
	f.Add(links.Sign(dispatch.Link{Attempt: "a", Dispatch: "d", Unit: "u", Expires: t0}))
	f.Add("e30.AAAA")
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		// Only what this key signed passes, and then exactly as signed.
		if link, err := links.Check(token, t0.Add(-time.Hour)); err == nil && links.Sign(link) != token {
			t.Fatalf("a token this key did not sign passed: %q", token)
		}
	})
}
