package engine_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/dispatch/engine"
	"fyr/internal/fail"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// recorder is a transport that keeps what it was handed, and can fail.
type recorder struct {
	mu   sync.Mutex
	sent []dispatch.Plan
	text []string
	fail bool
}

func (r *recorder) Send(_ context.Context, p dispatch.Plan, _, text, _ string) dispatch.AttemptResult {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, p)
	r.text = append(r.text, text)
	if r.fail {
		return dispatch.AttemptResult{Provider: "test", Error: "gateway down"}
	}
	return dispatch.AttemptResult{Handed: true, Provider: "test", ProviderID: p.Attempt}
}

func (r *recorder) to() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, p := range r.sent {
		out = append(out, p.Unit+":"+p.Name+":"+p.Channel)
	}
	return out
}

// The escalation of one unit, driven by a clock the test sets: first
// channel, next channel at T1, deputies at T2, the parent unit at T3; a
// receipt stops it at once.
func TestEngineEscalatesUntilAcknowledged(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	admin, staff := env.Principal(auth.Admin), env.Principal(auth.Staff)
	for _, p := range []directory.Person{
		{ID: "p2", Name: "Bo Ersättare", Unit: "avd1", Mobile: "+46701740606", Email: "bo@test.example"},
		{ID: "p3", Name: "Cilla Chef", Unit: fyrtest.Hospital, Mobile: "+46701740607", Email: "cilla@test.example"},
	} {
		if err := env.Svc.Directory.AddPerson(ctx, "test", p); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := env.Svc.Directory.SetContacts(ctx, &admin, directory.SetContacts{Unit: "avd1", Primary: "p1", Deputies: []string{"p2"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Directory.SetContacts(ctx, &admin, directory.SetContacts{Unit: fyrtest.Hospital, Primary: "p3"}); err != nil {
		t.Fatal(err)
	}
	inc, _ := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "DNS", Scope: "region", Level: incident.Staff})
	d, err := env.Svc.Dispatch.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindMessage, Title: "Läget?",
		Audience: dispatch.Audience{Units: []string{"avd1"}}, Deadline: env.Svc.Now().Add(time.Hour),
		Channels: []string{dispatch.Email, dispatch.SMS}, Escalation: &dispatch.Escalation{Resend: 5, Deputies: 10, Parent: 15}})
	if err != nil {
		t.Fatal(err)
	}
	mail, sms := &recorder{}, &recorder{fail: true}
	eng := env.Svc.NewEngine(map[string]engine.Transport{dispatch.Email: mail, dispatch.SMS: sms}, "https://fyr.test")
	t0 := d.CreatedAt
	round := func(at time.Duration) {
		t.Helper()
		if _, err := eng.Round(ctx, t0.Add(at)); err != nil {
			t.Fatal(err)
		}
	}
	round(0)
	round(time.Minute) // nothing new is due: nothing is sent twice
	if got := mail.to(); len(got) != 1 || got[0] != "avd1:Anna Test:email" {
		t.Fatalf("first step: %v", got)
	}
	if !strings.Contains(mail.text[0], "https://fyr.test/r/") {
		t.Fatalf("the message lacks a receipt link: %q", mail.text[0])
	}
	round(5 * time.Minute)  // T1: the next channel, which fails
	round(10 * time.Minute) // T2: the deputy, first channel that reaches him
	if got := sms.to(); len(got) != 1 || got[0] != "avd1:Anna Test:sms" {
		t.Fatalf("resend on the next channel: %v", got)
	}
	if got := mail.to(); len(got) != 2 || got[1] != "avd1:Bo Ersättare:email" {
		t.Fatalf("deputies: %v", got)
	}
	_, states, _ := env.Svc.Dispatch.Dispatch(staff, d.Dispatch)
	var failed int
	for _, a := range states[0].Attempts {
		if a.Outcome == dispatch.Failed && a.Error == "gateway down" {
			failed++
		}
	}
	if failed != 1 || states[0].LastAttempt().Name != "Bo Ersättare" {
		t.Fatalf("attempts on the board: %+v", states[0].Attempts)
	}
	// Bo follows his link and acknowledges: nothing more goes out.
	token := strings.TrimPrefix(strings.Fields(mail.text[1][strings.Index(mail.text[1], "https://fyr.test/r/"):])[0], "https://fyr.test/r/")
	if _, err := env.Svc.Dispatch.AcknowledgeByLink(ctx, token, "", ""); err != nil {
		t.Fatal(err)
	}
	// The link has done its work: a second use changes nothing and says
	// so by a value, not by an error's field.
	if _, err := env.Svc.Dispatch.AcknowledgeByLink(ctx, token, "", ""); !errors.Is(err, dispatch.ErrUsed) || fail.As(err).Field != "link" {
		t.Fatalf("second use of the link: %v", err)
	}
	if rc, err := env.Svc.Dispatch.FollowLink(ctx, token); !rc.Used || rc.View.Dispatch.Dispatch != d.Dispatch || rc.View.Mine.Ack == nil ||
		!errors.Is(err, dispatch.ErrUsed) {
		t.Fatalf("following a used link: %+v %v", rc, err)
	}
	round(15 * time.Minute)
	if len(mail.to())+len(sms.to()) != 3 {
		t.Fatalf("escalation went on after the receipt: %v %v", mail.to(), sms.to())
	}
}

// Without a receipt the parent unit's contact is reached at T3.
func TestEngineReachesTheParentUnit(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	admin, staff := env.Principal(auth.Admin), env.Principal(auth.Staff)
	env.Svc.Directory.AddPerson(ctx, "test", directory.Person{ID: "p3", Name: "Cilla Chef", Unit: fyrtest.Hospital, Email: "cilla@test.example"})
	env.Svc.Directory.SetContacts(ctx, &admin, directory.SetContacts{Unit: "avd1", Primary: "p1"})
	env.Svc.Directory.SetContacts(ctx, &admin, directory.SetContacts{Unit: fyrtest.Hospital, Primary: "p3"})
	inc, _ := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "DNS", Scope: "region", Level: incident.Staff})
	d, _ := env.Svc.Dispatch.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindMessage, Title: "Läget?",
		Audience: dispatch.Audience{Units: []string{"avd1"}}, Deadline: env.Svc.Now().Add(time.Hour),
		Channels: []string{dispatch.InApp, dispatch.Email}, Escalation: &dispatch.Escalation{Resend: 1, Deputies: 2, Parent: 3}})
	mail := &recorder{}
	eng := env.Svc.NewEngine(map[string]engine.Transport{dispatch.Email: mail}, "https://fyr.test")
	for _, m := range []time.Duration{0, time.Minute, 2 * time.Minute, 3 * time.Minute} {
		if _, err := eng.Round(ctx, d.CreatedAt.Add(m)); err != nil {
			t.Fatal(err)
		}
	}
	got := mail.to()
	if len(got) != 2 || got[0] != "avd1:Anna Test:email" || got[1] != "avd1:Cilla Chef:email" {
		t.Fatalf("sent %v; want the resend by e-mail, then the parent unit's primary contact", got)
	}
	_, states, _ := env.Svc.Dispatch.Dispatch(staff, d.Dispatch)
	if a := states[0].Attempts[0]; a.Channel != dispatch.InApp || a.Outcome != dispatch.Handed {
		t.Fatalf("the first step should be in-app and handed: %+v", a)
	}
}

// A reply to the SMS with its code acknowledges; a wrong number, a wrong
// code or a second use changes nothing.
func TestSMSReplyAcknowledges(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	admin, staff := env.Principal(auth.Admin), env.Principal(auth.Staff)
	env.Svc.Directory.SetContacts(ctx, &admin, directory.SetContacts{Unit: "avd1", Primary: "p1"})
	inc, _ := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "DNS", Scope: "region", Level: incident.Staff})
	d, _ := env.Svc.Dispatch.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindMessage, Title: "Läget?",
		Audience: dispatch.Audience{Units: []string{"avd1"}}, Deadline: env.Svc.Now().Add(time.Hour), Channels: []string{dispatch.SMS}})
	sms := &recorder{}
	if _, err := env.Svc.NewEngine(map[string]engine.Transport{dispatch.SMS: sms}, "https://fyr.test").Round(ctx, d.CreatedAt); err != nil {
		t.Fatal(err)
	}
	if len(sms.sent) != 1 || sms.sent[0].Code == "" || sms.sent[0].Address != "+46701740605" {
		t.Fatalf("sent %+v", sms.sent)
	}
	code := sms.sent[0].Code
	before := env.Svc.Seq()
	for name, try := range map[string][2]string{"wrong number": {"+46701740699", code}, "wrong code": {"+46701740605", "000000"}} {
		if _, err := env.Svc.Dispatch.AcknowledgeBySMS(ctx, try[0], try[1], ""); fail.As(err).Field != "code" {
			t.Errorf("%s: %v", name, err)
		}
	}
	if env.Svc.Seq() != before {
		t.Fatal("bad replies wrote events")
	}
	st, err := env.Svc.Dispatch.AcknowledgeBySMS(ctx, "+46701740605", code, "")
	if err != nil || st.Ack == nil || st.Ack.Channel != dispatch.SMS || st.Ack.By != "Anna Test" {
		t.Fatalf("reply: %+v %v", st, err)
	}
	if _, err := env.Svc.Dispatch.AcknowledgeBySMS(ctx, "+46701740605", code, ""); fail.As(err).Field != "code" || !errors.Is(err, dispatch.ErrUsed) {
		t.Fatalf("second use of a code: %v", err)
	}
}

// blocked is a transport that hangs until released.
type blocked struct{ release chan struct{} }

func (b blocked) Send(ctx context.Context, _ dispatch.Plan, _, _, _ string) dispatch.AttemptResult {
	select {
	case <-b.release:
	case <-ctx.Done():
	}
	return dispatch.AttemptResult{Error: "gateway hung"}
}

// signal is a transport that reports each send on a channel.
type signal chan string

func (s signal) Send(_ context.Context, p dispatch.Plan, _, _, _ string) dispatch.AttemptResult {
	s <- p.Unit
	return dispatch.AttemptResult{Handed: true, Provider: "test"}
}

// A hanging SMS gateway does not hold up e-mail.
func TestAFailingChannelDoesNotBlockTheOthers(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	admin, staff := env.Principal(auth.Admin), env.Principal(auth.Staff)
	env.Svc.Directory.AddPerson(ctx, "test", directory.Person{ID: "p2", Name: "Bo Bara Mobil", Unit: fyrtest.Hospital, Mobile: "+46701740606"})
	env.Svc.Directory.SetContacts(ctx, &admin, directory.SetContacts{Unit: "avd1", Primary: "p1"})           // has e-mail
	env.Svc.Directory.SetContacts(ctx, &admin, directory.SetContacts{Unit: fyrtest.Hospital, Primary: "p2"}) // SMS only
	inc, _ := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "DNS", Scope: "region", Level: incident.Staff})
	d, _ := env.Svc.Dispatch.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindMessage, Title: "Läget?",
		Audience: dispatch.Audience{Units: []string{"avd1", fyrtest.Hospital}}, Deadline: env.Svc.Now().Add(time.Hour),
		Channels: []string{dispatch.Email, dispatch.SMS}})
	hung := blocked{release: make(chan struct{})}
	mail := make(signal, 1)
	eng := env.Svc.NewEngine(map[string]engine.Transport{dispatch.Email: mail, dispatch.SMS: hung}, "https://fyr.test")
	done := make(chan error, 1)
	go func() { _, err := eng.Round(ctx, d.CreatedAt); done <- err }()
	if got := <-mail; got != "avd1" { // arrives while the SMS gateway hangs
		t.Fatalf("e-mail went to %s", got)
	}
	close(hung.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
