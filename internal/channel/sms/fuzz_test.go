package sms_test

import (
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"fyr/internal/channel/sms"
	"fyr/internal/fail"
)

// Every failure of a parser is an Invalid error naming a field; what it
// accepts is well-formed, and reads back the same when written again.

func checkErr(t *testing.T, err error) {
	t.Helper()
	if e := fail.As(err); e.Code != fail.Invalid || e.Field == "" {
		t.Fatalf("error %v is not an Invalid error naming a field", err)
	}
}

func FuzzParseDelivery(f *testing.F) {
	for _, s := range []string{
		"id=s70df59406a1b4643b96f3f91e0bfb7b0&status=delivered&delivered=2018-07-13T13%3A57%3A23.741000",
		"id=s1&status=sent", "id=s1&status=failed", "id=s1&id=s2&status=sent",
		"id=s1&status=delivered&delivered=2018-07-13T13:57:23%2B02:00",
		"id=s1&status=delivered&delivered=0000-01-01T00:00:00", "status=delivered", "id=%00&status=sent",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		d, err := sms.ParseDelivery(form)
		if err != nil {
			checkErr(t, err)
			return
		}
		if d.ID == "" || (d.Status != sms.StatusSent && d.Status != sms.StatusDelivered && d.Status != sms.StatusFailed) {
			t.Fatalf("accepted %+v", d)
		}
		if d.Status == sms.StatusDelivered == d.Delivered.IsZero() || d.Delivered.Location() != time.UTC {
			t.Fatalf("delivered time %v with status %s", d.Delivered, d.Status)
		}
		again := url.Values{"id": {d.ID}, "status": {d.Status}}
		if !d.Delivered.IsZero() {
			again.Set("delivered", d.Delivered.Format(time.RFC3339Nano))
		}
		if d2, err := sms.ParseDelivery(again); err != nil || d2 != d {
			t.Fatalf("round trip: %+v, %v; want %+v", d2, err, d)
		}
	})
}

func FuzzParseInbound(f *testing.F) {
	for _, s := range []string{
		"direction=incoming&id=sf8425555e5d8db61dda7a7b3f1b91bdb&from=%2B46706861004&to=%2B46706860000&created=2018-07-13T13%3A57%3A23.741000&message=Hello%20how%20are%20you%3F",
		"id=s1&from=%2B46706861004&to=%2B46706860000&created=2018-07-13T13:57:23&message=",
		"id=s1&from=%2B46706861004&to=%2B46706860000&created=2018-07-13T13:57:23&message=OK+4821",
		"id=s1&from=0706861004&to=%2B46706860000&created=2018-07-13T13:57:23&message=x",
		"id=s1&from=%2B46706861004&to=%2B46706860000&created=2018-07-13T13:57:23&message=%ff",
		"direction=outgoing&id=s1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		in, err := sms.ParseInbound(form)
		if err != nil {
			checkErr(t, err)
			return
		}
		if in.ID == "" || !sms.IsE164(in.From) || !sms.IsE164(in.To) || !utf8.ValidString(in.Message) ||
			utf8.RuneCountInString(in.Message) > sms.MaxInbound || in.Created.IsZero() || in.Created.Location() != time.UTC {
			t.Fatalf("accepted %+v", in)
		}
		again := url.Values{"id": {in.ID}, "from": {in.From}, "to": {in.To}, "message": {in.Message},
			"created": {in.Created.Format(time.RFC3339Nano)}}
		if in2, err := sms.ParseInbound(again); err != nil || in2 != in {
			t.Fatalf("round trip: %+v, %v; want %+v", in2, err, in)
		}
	})
}

func FuzzParseReply(f *testing.F) {
	for _, s := range []string{
		"4821", "OK 4821", " ok:4821. Ja", "OK4821", "Kvitterar 48213579", "Hej 4821", "123", "123456789",
		"4821abc", "😀 4821", "\xff", "", "OK 12 4821", "BEKRÄFTAR 4821", "٤٨٢١",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		r, err := sms.ParseReply(msg)
		if err != nil {
			checkErr(t, err)
			return
		}
		if len(r.Code) < sms.MinCode || len(r.Code) > sms.MaxCode || strings.Trim(r.Code, "0123456789") != "" {
			t.Fatalf("%q: code %q", msg, r.Code)
		}
		if !strings.Contains(msg, r.Code) || !strings.Contains(msg, r.Rest) || r.Rest != strings.TrimSpace(r.Rest) {
			t.Fatalf("%q: reply %+v is not from the message", msg, r)
		}
		// The code alone, and after "OK", reads back the same.
		for _, again := range []string{r.Code, "OK " + r.Code, "ok:" + r.Code + "."} {
			if r2, err := sms.ParseReply(again); err != nil || r2.Code != r.Code || r2.Rest != "" {
				t.Fatalf("%q: %+v, %v", again, r2, err)
			}
		}
	})
}
