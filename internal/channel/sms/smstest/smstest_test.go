package smstest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fyr/internal/channel/sms/smstest"
)

func post(t *testing.T, g *smstest.Gateway, user, pass string, form url.Values) (int, map[string]any, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, g.URL+"/a1/sms", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(user, pass)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var answer map[string]any
	json.Unmarshal(body, &answer)
	return resp.StatusCode, answer, string(body)
}

func TestTheStandInSpeaks46elks(t *testing.T) {
	g := smstest.New(smstest.Options{})
	defer g.Close()
	ok := url.Values{"from": {"Fyr"}, "to": {"+46701234567"}, "message": {"Hej"}}

	if code, _, body := post(t, g, "fyr", "fel", ok); code != 401 || !strings.Contains(body, "Unauthorized") {
		t.Errorf("wrong password: %d %q", code, body)
	}
	bad := url.Values{"from": {"Fyr"}, "message": {"Hej"}}
	if code, _, body := post(t, g, "fyr", "hemligt", bad); code != 400 || !strings.Contains(body, "Missing key to") {
		t.Errorf("no to: %d %q", code, body)
	}
	code, answer, _ := post(t, g, "fyr", "hemligt", ok)
	if code != 200 || answer["status"] != "created" || answer["message"] != "Hej" || !strings.HasPrefix(answer["id"].(string), "s") {
		t.Errorf("ok: %d %v", code, answer)
	}
	ok.Set("dontlog", "message")
	if _, answer, _ := post(t, g, "fyr", "hemligt", ok); answer["message"] != nil {
		t.Errorf("dontlog: the answer repeats the message: %v", answer)
	}
	g.Fail(http.StatusBadGateway, 2)
	for range 2 {
		if code, _, _ := post(t, g, "fyr", "hemligt", ok); code != 502 {
			t.Errorf("failing: %d", code)
		}
	}
	if code, _, _ := post(t, g, "fyr", "hemligt", ok); code != 200 {
		t.Errorf("after two failures: %d", code)
	}
	if g.Requests() != 7 || len(g.Sent()) != 3 || !g.Sent()[1].DontLog {
		t.Errorf("requests %d, sent %+v", g.Requests(), g.Sent())
	}
}

func TestWaitAndHang(t *testing.T) {
	g := smstest.New(smstest.Options{})
	defer g.Close()
	g.Hang()
	done := make(chan int)
	go func() {
		form := url.Values{"from": {"Fyr"}, "to": {"+46701234567"}, "message": {"Hej"}}
		req, _ := http.NewRequest(http.MethodPost, g.URL+"/a1/sms", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth("fyr", "hemligt")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := g.Wait(ctx, 1); err == nil {
		t.Fatal("a hanging gateway took a message")
	}
	g.Recover()
	sent, err := g.Wait(context.Background(), 1)
	if err != nil || len(sent) != 1 || <-done != 200 {
		t.Fatalf("after recovering: %v, %v", sent, err)
	}
}

func TestReportAndReplyNeedTargets(t *testing.T) {
	g := smstest.New(smstest.Options{})
	defer g.Close()
	if err := g.Report("s-none", "delivered"); err == nil {
		t.Error("a report for an unknown message")
	}
	if _, err := g.Reply("+46701234567", "OK 4821"); err == nil {
		t.Error("a reply with no inbound URL")
	}
	post(t, g, "fyr", "hemligt", url.Values{"from": {"Fyr"}, "to": {"+46701234567"}, "message": {"Hej"}})
	if err := g.Report(g.Sent()[0].ID, "delivered"); err == nil || !strings.Contains(err.Error(), "no delivery report") {
		t.Errorf("a report without whendelivered: %v", err)
	}
}
