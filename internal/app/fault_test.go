package app_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/pages"
	"fyr/internal/situation"
	"fyr/internal/store"
	"fyr/internal/web"
)

// ownedTypes is every event type some capability's model folds.
var ownedTypes = []string{
	incident.TypeOpened, incident.TypeLevelChanged, incident.TypeEntryRecorded, incident.TypeClosed,
	dispatch.TypeCreated, dispatch.TypeOpened, dispatch.TypeAcknowledged, dispatch.TypeEscalated,
	dispatch.TypeAttempted, dispatch.TypeAttemptResult, dispatch.TypeDelivered,
	situation.TypeRoundOpened, situation.TypeRoundClosed, situation.TypeRoundReopened, situation.TypeRoundReminded,
	situation.TypeReportFiled, situation.TypePictureDrafted, situation.TypePictureRevised, situation.TypePictureApproved,
	situation.TypePicturePublished, situation.TypePictureDiscarded, situation.TypeFourEyesSet,
	directory.TypeUnitAdded, directory.TypePersonAdded, directory.TypeContactsSet, directory.TypeOnDutySet,
	directory.TypeOnDutyCleared, directory.TypeImported,
	auth.TypeUserCreated, auth.TypeUserDisabled, auth.TypeSessionRevoked, auth.TypePasswordChanged,
	auth.TypeUserChanged, auth.TypeUserEnabled,
	continuity.TypeRoutineActivated, continuity.TypeRoutineReported,
}

// notAnObject is a payload of the right type that no payload struct decodes.
const notAnObject = `"not an object"`

func rawEvent(t *testing.T, typ, payload, prev string, seq uint64) event.Envelope {
	t.Helper()
	e, err := event.Seal(event.Draft{Type: typ, Subject: "s", Actor: "x", Payload: json.RawMessage(payload)},
		event.NewID(), "test", prev, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	e.Seq = seq
	return e
}

// namesEvent fails unless err names e by seq, id and type.
func namesEvent(t *testing.T, err error, e event.Envelope) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s with an undecodable payload: no error", e.Type)
	}
	for _, want := range []string{"seq " + strconv.FormatUint(e.Seq, 10), e.ID, e.Type} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %q: %v", want, err)
		}
	}
}

// Every model fails on a payload of a type it owns that it cannot decode,
// naming the event, and ignores the events it does not own.
func TestEveryModelRefusesAnEventItCannotRead(t *testing.T) {
	for i, typ := range ownedTypes {
		e := rawEvent(t, typ, notAnObject, "", uint64(i+7))
		namesEvent(t, app.NewFacts().Apply(e), e)
		namesEvent(t, app.NewProjection().Apply(e), e)
	}
	foreign := rawEvent(t, "supply.stock_counted", notAnObject, "", 3)
	if err := app.NewFacts().Apply(foreign); err != nil {
		t.Errorf("an event no model owns: %v", err)
	}
	if err := app.NewProjection().Apply(foreign); err != nil {
		t.Errorf("an event no model owns, in the read model: %v", err)
	}
}

// appendRaw writes an event straight to the log, past every command's
// checks, after the org's newest event.
func appendRaw(t *testing.T, st *store.Store, typ, payload string) event.Envelope {
	t.Helper()
	ctx := context.Background()
	last, _, err := st.Last(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	e := rawEvent(t, typ, payload, last.Hash, 0)
	if e.Seq, err = st.Commit(ctx, "test", last.Seq, []event.Envelope{e}); err != nil {
		t.Fatal(err)
	}
	return e
}

// A log holding an event its model cannot read does not open: the node
// refuses to serve, and the error names the event.
func TestOpenRefusesALogItCannotRead(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	svc, err := app.Open(ctx, app.Config{Dir: dir, Org: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Directory.AddUnit(ctx, "test", directory.Unit{ID: "avd1", Name: "Avdelning 1", Type: directory.Ward}); err != nil {
		t.Fatal(err)
	}
	bad := appendRaw(t, app.LogOf(svc).(*store.Store), situation.TypePictureApproved, notAnObject)
	svc.Close()
	svc, err = app.Open(ctx, app.Config{Dir: dir, Org: "test"})
	if err == nil {
		svc.Close()
		t.Fatal("Open served a log whose events it cannot read")
	}
	namesEvent(t, err, bad)
}

// An event the node cannot read arriving while it runs stops the read
// model: /healthz answers 503 naming it, commands are refused, and the
// error is logged.
func TestAnEventItCannotReadStopsARunningNode(t *testing.T) {
	ctx := context.Background()
	var logs lockedBuffer
	svc, err := app.Open(ctx, app.Config{Dir: t.TempDir(), Org: "test", Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	srv, err := web.New(svc, nil, pages.Modules(svc)...)
	if err != nil {
		t.Fatal(err)
	}
	healthz := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
		return rec
	}
	if rec := healthz(); rec.Code != http.StatusOK {
		t.Fatalf("healthz before: %d %s", rec.Code, rec.Body)
	}
	bad := appendRaw(t, app.LogOf(svc).(*store.Store), auth.TypeUserCreated, notAnObject)
	if err := svc.WaitFor(ctx, bad.Seq); err == nil {
		t.Fatal("the projection reports it applied an event it cannot read")
	}
	namesEvent(t, svc.Healthy(), bad)
	rec := healthz()
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("healthz after: %d, want 503", rec.Code)
	}
	namesEvent(t, fail.New(fail.Internal, "%s", rec.Body.String()), bad)
	err = svc.Directory.AddUnit(ctx, "test", directory.Unit{ID: "avd1", Name: "Avdelning 1", Type: directory.Ward})
	if !fail.Is(err, fail.Unavailable) {
		t.Fatalf("a command on a stopped node: %v, want unavailable", err)
	}
	namesEvent(t, err, bad)
	if !strings.Contains(logs.String(), `"msg":"read model stopped`) {
		t.Errorf("the stop is not logged: %s", logs.String())
	}
}
