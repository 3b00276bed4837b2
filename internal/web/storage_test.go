package web_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/event"
	"fyr/internal/fyrtest"
)

// When the storage fills — JetStream's own limit, then the disk itself — a
// write fails with 503 "storage full — nothing was saved" (not a hang, not
// a 500), /healthz says writes are down while reads work, the pages say so
// in Swedish, and writing resumes by itself once space is freed, with
// every acknowledged entry kept and the chain intact.
func TestStorageFullFailsAndResumes(t *testing.T) {
	mnt, err := fyrtest.SmallDisk(t, 48<<20)
	filler := filepath.Join(mnt, "filler")
	var env *fyrtest.Env
	freeSpace := func() { os.Remove(filler) }
	if err != nil {
		// No small disk on this machine: a small storage limit for the
		// engine stands in for it, and raising it for freeing space.
		t.Logf("cannot mount a small disk (%v): testing the engine's storage limit alone", err)
		env = fyrtest.StartWith(t, app.Config{Dir: t.TempDir(), MaxStore: 2 << 20})
		freeSpace = func() { env.Svc.SetMaxStore(64 << 20) }
	} else {
		// Little room at start: JetStream sets its storage limit to 3/4 of it.
		fyrtest.Fill(t, filler, 3<<20)
		env = fyrtest.StartIn(t, filepath.Join(mnt, "data"))
	}
	token := env.Token(auth.Staff)
	var inc struct{ ID string }
	if code := env.Do(token, "POST", "/api/v1/incidents", map[string]any{"title": "Full disk", "scope": "region", "level": "staff"}, &inc); code != 201 {
		t.Fatalf("open incident: %d", code)
	}
	var acked []string
	write := func(text string) (int, string) {
		t.Helper()
		var out struct {
			Error struct{ Code, Message string }
		}
		code := env.Do(token, "POST", "/api/v1/incidents/"+inc.ID+"/journal", map[string]any{"kind": "info_in", "text": text}, &out)
		if code == 201 {
			acked = append(acked, text)
		}
		return code, out.Error.Message
	}
	b := newBrowser(t, env)
	b.login(auth.Staff)
	big := strings.Repeat("lägesrapport ", 1500)

	// 1. JetStream's own storage limit: refused at once.
	code, msg := 0, ""
	for i := 0; i < 1000 && code != 503; i++ {
		if code, msg = write(fmt.Sprintf("%d %s", i, big)); code != 201 && code != 503 {
			t.Fatalf("write %d at the storage limit: %d %q, want 201 or 503", i, code, msg)
		}
	}
	if code != 503 {
		t.Fatalf("1,000 writes of 20 KB did not reach the storage limit")
	}
	checkDown(t, env, b, inc.ID, msg)
	freeSpace()
	waitWritable(t, env)
	if code, msg := write("after the limit"); code != 201 {
		t.Fatalf("write after space returned: %d %q", code, msg)
	}

	// 2. The disk itself is full: JetStream gets ENOSPC and never answers.
	if mnt == "" {
		verifyExport(t, env)
		return
	}
	fyrtest.Fill(t, filler, 0)
	began := time.Now()
	code, msg = write("on a full disk")
	t.Logf("a write on the full disk answered %d after %v (logged, not asserted)", code, time.Since(began).Round(time.Millisecond))
	if code != 503 {
		t.Fatalf("write on a full disk: %d %q, want 503", code, msg)
	}
	checkDown(t, env, b, inc.ID, msg)
	os.Remove(filler)
	waitWritable(t, env)
	if code, msg := write("after the disk was freed"); code != 201 {
		t.Fatalf("write after the disk was freed: %d %q", code, msg)
	}
	// Through the page too, with the live projection still following.
	if code, _, _ := b.post("/incidents/"+inc.ID+"/journal", url.Values{"csrf": {b.csrf}, "kind": {"info_in"}, "text": {"via the form"}}); code != 303 {
		t.Fatalf("form write after recovery: %d", code)
	}
	acked = append(acked, "via the form")

	// Nothing acknowledged was lost, nothing refused was kept, the chain holds.
	var journal struct{ Entries []struct{ Text string } }
	env.Do(token, "GET", "/api/v1/incidents/"+inc.ID+"/journal", nil, &journal)
	var got []string
	for _, e := range journal.Entries {
		got = append(got, e.Text)
	}
	kept := map[string]bool{}
	for _, g := range got {
		kept[g] = true
	}
	for _, a := range acked {
		if !kept[a] {
			t.Errorf("acknowledged entry %.20q is missing after recovery", a)
		}
	}
	if kept["on a full disk"] {
		t.Error("a write answered 503 was stored")
	}
	verifyExport(t, env)
}

// checkDown asserts what a user and an operator see while writes are down.
func checkDown(t *testing.T, env *fyrtest.Env, b *browser, inc, msg string) {
	t.Helper()
	if msg != "storage full — nothing was saved" {
		t.Errorf("API error message %q, want \"storage full — nothing was saved\"", msg)
	}
	resp, err := http.Get(env.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || !strings.Contains(string(body), "reads work, writes do not") {
		t.Errorf("/healthz while full: %d %q, want 503 saying reads work and writes do not", resp.StatusCode, body)
	}
	// Another write fails at once, and through the form the page says so in Swedish.
	code, _, page := b.post("/incidents/"+inc+"/journal", url.Values{"csrf": {b.csrf}, "kind": {"info_in"}, "text": {"form while full"}})
	if code != 503 || !strings.Contains(page, "Lagringen är full — ingenting sparades") {
		t.Errorf("form write while full: %d, want 503 and the Swedish message; page:\n%s", code, page)
	}
	// Reads work, and every page carries the banner.
	code, page = b.get("/incidents/" + inc)
	if code != 200 || !strings.Contains(page, `id="writes-down"`) {
		t.Errorf("incident page while full: %d, banner shown: %v", code, strings.Contains(page, `id="writes-down"`))
	}
}

// waitWritable polls /healthz until it answers 200 again.
func waitWritable(t *testing.T, env *fyrtest.Env) {
	t.Helper()
	began := time.Now()
	defer func() {
		t.Logf("writable again %v after space was freed (logged, not asserted)", time.Since(began).Round(time.Millisecond))
	}()
	deadline := time.Now().Add(30 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		resp, err := http.Get(env.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("writing did not resume within 30 s of freeing space (last: %v %v)", resp, err)
		}
		<-tick.C
	}
}

// verifyExport walks the hash chain of the organisation's export.
func verifyExport(t *testing.T, env *fyrtest.Env) {
	t.Helper()
	req, _ := http.NewRequest("GET", env.URL+"/api/v1/export", nil)
	req.Header.Set("Authorization", "Bearer "+env.Token(auth.Admin))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("export: %v %v", err, resp)
	}
	defer resp.Body.Close()
	v := event.NewVerifier()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 8<<20)
	for seq := uint64(1); sc.Scan(); seq++ {
		e, err := event.Decode(bytes.Clone(sc.Bytes()), seq)
		if err != nil {
			t.Fatalf("export line %d: %v", seq, err)
		}
		if err := v.Check(e); err != nil {
			t.Fatalf("chain: %v", err)
		}
	}
}
