package continuity_test

import (
	"context"
	"testing"

	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// The registry and an incident's statuses are the log's: after a restart
// on the same JetStream log, the replay gives the same registry and impact.
func TestTheRegistrySurvivesARestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := fyrtest.StartIn(t, dir)
	ctx := context.Background()
	if _, err := env.Svc.Continuity.ImportCSV(ctx, nil, []byte("id,kind,name\ndns,infrastructure,DNS\ncosmic,system,Cosmic\npaper,function,Papper\n"),
		[]byte("from,to,type,group,mode\ncosmic,dns,needs,names,any\navd1,cosmic,used_by,,\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Continuity.ImportRoutines(ctx, nil, []byte(`[{"id":"r","title":"R","steps":["s"],"for":["cosmic"],"needs":["paper"]}]`)); err != nil {
		t.Fatal(err)
	}
	staff := env.Principal(auth.Staff)
	opened, err := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "IT-avbrott", Scope: "region", Level: incident.Staff})
	if err != nil {
		t.Fatal(err)
	}
	inc := opened.ID
	if _, err := env.Svc.Continuity.RecordStatus(ctx, staff, continuity.RecordStatus{Incident: inc, Component: "dns", Status: continuity.Down}); err != nil {
		t.Fatal(err)
	}
	before, err := env.Svc.Continuity.Impact(staff, inc, incident.AsOf{})
	if err != nil || len(before.Units) != 1 || len(before.Routines) != 1 {
		t.Fatalf("impact before: %+v %v", before, err)
	}
	env.Svc.Close()
	again := fyrtest.StartIn(t, dir)
	after, err := again.Svc.Continuity.Impact(again.Principal(auth.Staff), inc, incident.AsOf{})
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Components) != len(before.Components) || len(after.Units) != 1 || after.Units[0].Status != continuity.Down ||
		len(after.Routines) != 1 || !after.Routines[0].Works {
		t.Errorf("after the restart: %+v, before: %+v", after, before)
	}
	if ds, _ := again.Svc.Continuity.Dependencies(again.Principal(auth.Viewer)); len(ds) != 2 || ds[0].Mode != continuity.Any {
		t.Errorf("dependencies after the restart: %+v", ds)
	}
}
