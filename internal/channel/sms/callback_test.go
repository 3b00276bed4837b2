package sms_test

import (
	"net/url"
	"testing"
	"time"

	"fyr/internal/channel"
	"fyr/internal/channel/sms"
	"fyr/internal/fail"
)

func form(s string) url.Values {
	v, err := url.ParseQuery(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestParseDelivery(t *testing.T) {
	t.Parallel()
	d, err := sms.ParseDelivery(form("id=s70df59406a1b4643b96f3f91e0bfb7b0&status=delivered&delivered=2018-07-13T13%3A57%3A23.741000"))
	want := sms.Delivery{ID: "s70df59406a1b4643b96f3f91e0bfb7b0", Status: "delivered", Delivered: time.Date(2018, 7, 13, 13, 57, 23, 741000000, time.UTC)}
	if err != nil || d != want {
		t.Errorf("got %+v, %v", d, err)
	}
	for _, ok := range []string{"id=s1&status=sent", "id=s1&status=failed", "id=s1&status=delivered&delivered=2018-07-13T13:57:23Z", "id=s1&status=sent&extra=ignored"} {
		if _, err := sms.ParseDelivery(form(ok)); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, c := range []struct{ in, field string }{
		{"status=sent", "id"},
		{"id=&status=sent", "id"},
		{"id=s1&id=s2&status=sent", "id"},
		{"id=s%201&status=sent", "id"},
		{"id=s1", "status"},
		{"id=s1&status=DELIVERED&delivered=2018-07-13T13:57:23.741000", "status"},
		{"id=s1&status=queued", "status"},
		{"id=s1&status=delivered", "delivered"},
		{"id=s1&status=delivered&delivered=yesterday", "delivered"},
		{"id=s1&status=delivered&delivered=1970-01-01T00:00:00", "delivered"},
		{"id=s1&status=failed&delivered=2018-07-13T13:57:23.741000", "delivered"},
	} {
		_, err := sms.ParseDelivery(form(c.in))
		if e := fail.As(err); e.Code != fail.Invalid || e.Field != c.field {
			t.Errorf("%s: error %v, want one naming %s", c.in, err, c.field)
		}
	}
}

func TestParseInbound(t *testing.T) {
	t.Parallel()
	in, err := sms.ParseInbound(form("direction=incoming&id=sf8425555e5d8db61dda7a7b3f1b91bdb&from=%2B46706861004&to=%2B46706860000&created=2018-07-13T13%3A57%3A23.741000&message=OK%204821"))
	want := sms.Inbound{ID: "sf8425555e5d8db61dda7a7b3f1b91bdb", From: "+46706861004", To: "+46706860000", Message: "OK 4821",
		Created: time.Date(2018, 7, 13, 13, 57, 23, 741000000, time.UTC)}
	if err != nil || in != want {
		t.Errorf("got %+v, %v", in, err)
	}
	base := "id=s1&from=%2B46706861004&to=%2B46706860000&created=2018-07-13T13:57:23&message="
	if in, err := sms.ParseInbound(form(base)); err != nil || in.Message != "" {
		t.Errorf("an empty SMS: %+v, %v", in, err)
	}
	for _, c := range []struct{ in, field string }{
		{"direction=outgoing&" + base, "direction"},
		{"from=%2B46706861004&to=%2B46706860000&created=2018-07-13T13:57:23&message=x", "id"},
		{"id=s1&from=0706861004&to=%2B46706860000&created=2018-07-13T13:57:23&message=x", "from"},
		{"id=s1&from=%2B46706861004&from=%2B46706861005&to=%2B46706860000&created=2018-07-13T13:57:23&message=x", "from"},
		{"id=s1&from=%2B46706861004&to=Fyr&created=2018-07-13T13:57:23&message=x", "to"},
		{"id=s1&from=%2B46706861004&to=%2B46706860000&created=2018-07-13T13:57:23", "message"},
		{"id=s1&from=%2B46706861004&to=%2B46706860000&created=2018-07-13T13:57:23&message=%ff", "message"},
		{"id=s1&from=%2B46706861004&to=%2B46706860000&message=x", "created"},
		{"id=s1&from=%2B46706861004&to=%2B46706860000&created=13:57&message=x", "created"},
	} {
		_, err := sms.ParseInbound(form(c.in))
		if e := fail.As(err); e.Code != fail.Invalid || e.Field != c.field {
			t.Errorf("%s: error %v, want one naming %s", c.in, err, c.field)
		}
	}
}

func TestParseReply(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]sms.Reply{
		"4821":                  {Code: "4821"},
		"OK 4821":               {Code: "4821"},
		"ok 4821":               {Code: "4821"},
		"  Ok   4821  \n":       {Code: "4821"},
		"OK4821":                {Code: "4821"},
		"ok: 4821.":             {Code: "4821"},
		"Kvitterar 4821":        {Code: "4821"},
		"OKEJ, koden 4821!":     {Code: "4821"},
		"Bekräftar #48213579":   {Code: "48213579"},
		"4821 Ja":               {Code: "4821", Rest: "Ja"},
		"OK 4821. Ja, vi kan 2": {Code: "4821", Rest: "Ja, vi kan 2"},
		"4821\nDelvis":          {Code: "4821", Rest: "Delvis"},
		"4821?":                 {Code: "4821", Rest: "?"},
	} {
		got, err := sms.ParseReply(in)
		if err != nil || got != want {
			t.Errorf("%q: got %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{
		"", "   ", "OK", "ok ok", "Hej 4821", "Vad gäller det?", "123", "123456789", "OK 12 4821",
		"4821abc", "ok4821x", "STOPP", "😀 4821", "+46701234567", "\xff4821", "٤٨٢١",
	} {
		if got, err := sms.ParseReply(in); err == nil || fail.As(err).Field != "message" {
			t.Errorf("%q: got %+v, %v; want an error naming message", in, got, err)
		}
	}
	if code, err := sms.ShortCode("OK 4821"); code != "4821" || err != nil {
		t.Errorf("ShortCode: %q, %v", code, err)
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	m := channel.Message{Text: "Beslut 08:03.", ReceiptURL: "https://fyr.test/k/1", ShortCode: "4821"}
	if got := sms.Text(m); got != "Beslut 08:03.\n\nKvittera här: https://fyr.test/k/1\nEller svara OK 4821 för att kvittera." {
		t.Errorf("%q", got)
	}
	m.ReceiptURL = ""
	if got := sms.Text(m); got != "Beslut 08:03.\nSvara OK 4821 för att kvittera." {
		t.Errorf("%q", got)
	}
	m.Text = "Beslut 08:03. Svara OK 4821."
	if got := sms.Text(m); got != m.Text {
		t.Errorf("%q", got)
	}
}
