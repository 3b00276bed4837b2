package dispatch_test

import (
	"context"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/dispatch"
	"fyr/internal/fail"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

func TestDispatchIsJournalledAndAcknowledgedPerUnit(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	staff, unit := env.Principal(auth.Staff), env.Principal(auth.Unit)
	unit.Unit = "avd1"
	inc, err := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "DNS", Scope: "region", Level: incident.Staff})
	if err != nil {
		t.Fatal(err)
	}
	dec, err := env.Svc.Incidents.Record(ctx, staff, incident.Record{Incident: inc.ID, Kind: incident.Decision, Text: "All icke-akut vård ställs in",
		Decision: &incident.DecisionInfo{DecisionMaker: "Sven"}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := env.Svc.Dispatch.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindDecision, Decision: dec.ID,
		Title: "Ställ in icke-akut vård", Audience: dispatch.Audience{Subtrees: []string{fyrtest.Hospital}},
		Deadline: env.Svc.Now().Add(30 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Units) != 2 {
		t.Fatalf("audience resolved to %v, want the hospital and its ward", d.Units)
	}
	out, _ := env.Svc.P.Incidents.Journal(inc.ID, incident.Query{Kind: incident.InfoOut})
	if len(out) != 1 || out[0].Dispatch != string(d.Dispatch) {
		t.Fatalf("the dispatch is not in the journal: %+v", out)
	}
	if _, err := env.Svc.Dispatch.Acknowledge(ctx, unit, dispatch.Acknowledge{Dispatch: d.Dispatch, Unit: fyrtest.Hospital}); !fail.Is(err, fail.Forbidden) {
		t.Fatalf("a unit account acknowledging for another unit: %v", err)
	}
	st, err := env.Svc.Dispatch.Acknowledge(ctx, unit, dispatch.Acknowledge{Dispatch: d.Dispatch, Readback: "Uppfattat: icke-akut vård ställs in"})
	if err != nil || st.Ack == nil || st.Ack.Channel != dispatch.InApp || st.Ack.By != unit.Name {
		t.Fatalf("unit receipt: %+v %v", st, err)
	}
	st, err = env.Svc.Dispatch.Acknowledge(ctx, staff, dispatch.Acknowledge{Dispatch: d.Dispatch, Unit: fyrtest.Hospital})
	if err != nil || st.Ack.Channel != dispatch.Phone {
		t.Fatalf("receipt taken by phone: %+v %v", st, err)
	}
	// A unit sees its own inbox, not another unit's; the staff any unit's.
	if in, err := env.Svc.Dispatch.UnitInbox(unit, "avd1"); err != nil || len(in) != 1 || in[0].Mine.Ack == nil {
		t.Fatalf("the unit's own inbox: %+v %v", in, err)
	}
	if _, err := env.Svc.Dispatch.UnitInbox(unit, fyrtest.Hospital); !fail.Is(err, fail.Forbidden) {
		t.Fatalf("a unit account reading another unit's inbox: %v", err)
	}
	if in, err := env.Svc.Dispatch.UnitInbox(staff, fyrtest.Hospital); err != nil || len(in) != 1 {
		t.Fatalf("the staff reading a unit's inbox: %+v %v", in, err)
	}
	board, _, _ := env.Svc.Dispatch.Dispatch(staff, d.Dispatch)
	if board.Acked != 2 || board.Reached100.IsZero() {
		t.Fatalf("board: %d acknowledged, 100 %% at %v", board.Acked, board.Reached100)
	}
	if _, err := env.Svc.Dispatch.CreateDispatch(ctx, env.Principal(auth.Viewer), dispatch.Create{}); !fail.Is(err, fail.Forbidden) {
		t.Fatalf("viewer creating a dispatch: %v", err)
	}
}
