// Package loadgen fills a data directory with a realistic event log for the
// recovery benchmarks: the demo organisation, then incidents whose journals
// hold the requested number of events. It is shared by `fyrbench gen` and
// the recovery benchmark in internal/app.
package loadgen

import (
	"context"
	"fmt"
	"time"

	"fyr/internal/app"
	"fyr/internal/demo"
	"fyr/internal/event"
	"fyr/internal/incident"
	"fyr/internal/store"
)

// Org is the organisation the demo seeds (`fyr serve --demo` uses it).
const Org = "exempel"

// EventsPerIncident is how many journal entries each generated incident gets.
const EventsPerIncident = 10_000

var texts = []string{
	"Akutmottagningen rapporterar ökat inflöde; väntetid till läkare cirka 3 timmar. Två ambulanser står i kö för avlastning.",
	"IVA CS har två lediga vårdplatser med respirator. Bemanningen är förstärkt med en sjuksköterska till kl. 07.00.",
	"Kommunen meddelar att trygghetslarmen fungerar igen efter omstart av mottagningscentralen.",
	"Beslut att öppna reservrutin för läkemedelsbeställning på papper; blanketter delas ut av förrådet.",
	"Operation CS skjuter upp tre planerade ingrepp till i morgon. Akuta ingrepp genomförs som vanligt.",
	"Lägesrapport till regionens krisledning skickad via RAKEL och e-post. Nästa rapport kl. 14.00.",
	"Leverantören bekräftar att felet är avgränsat; åtgärden beräknas vara klar inom två timmar.",
	"BB Norrby: full beläggning. Förfrågan till grannregionen om att ta emot planerade förlossningar.",
}

var kinds = []incident.Kind{incident.InfoIn, incident.InfoIn, incident.InfoOut, incident.Coordination, incident.Report}

var staff = event.Actor{Username: "tib", Name: "Tove Isaksson"}

// Progress is called after each committed batch with the log's event count.
type Progress func(events uint64)

// Generate makes sure the log in dir holds at least n events. An empty
// directory is seeded with the demo organisation first (so that `fyr serve
// --demo --data dir` serves it). Events are appended in atomic batches of
// store.MaxBatch through the organisation's real writer, so they carry the
// hash chain and pass the same checks as events from the service.
func Generate(ctx context.Context, dir string, n uint64, progress Progress) error {
	if err := seed(ctx, dir); err != nil {
		return err
	}
	st, err := store.Open(ctx, store.Config{Dir: dir})
	if err != nil {
		return err
	}
	defer st.Close()
	have, err := st.LastSeq(ctx)
	if err != nil {
		return err
	}
	if have >= n {
		return nil
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := store.NewWriter(wctx, st, Org, app.NewFacts, time.Now, nil)
	if err != nil {
		return err
	}
	var inc incident.ID
	left := 0 // journal entries still to write into inc
	i := 0
	for have < n {
		var evs []event.Envelope
		if left == 0 {
			evs, err = w.Do(ctx, func(f *app.Facts, now time.Time) ([]event.Draft, error) {
				id, drafts, err := incident.Open{
					Title:       fmt.Sprintf("Belastningsprov %d: störning i vårdens IT-stöd", have),
					Description: "Genererad händelse för återstartsmätningen (fyrbench gen).",
					Scope:       incident.RegionScope, Level: incident.Staff, Reason: "Belastningsprov",
					DecidedBy: staff.Name, Function: "TiB",
				}.Decide(f.Incidents, f.Units, staff, now)
				inc = id
				return drafts, err
			})
			left = EventsPerIncident
		} else {
			k := min(uint64(store.MaxBatch), n-have, uint64(left))
			evs, err = w.Do(ctx, func(f *app.Facts, now time.Time) ([]event.Draft, error) {
				out := make([]event.Draft, 0, k)
				for range k {
					r := incident.Record{Incident: inc, Kind: kinds[i%len(kinds)], Text: texts[i%len(texts)],
						Function: "TiB", Channel: "Telefon", From: "Akutmottagningen CS", To: "TiB", Verified: i%3 == 0}
					if i%50 == 0 {
						r.Kind = incident.Decision
						r.Decision = &incident.DecisionInfo{DecisionMaker: "Sven Ledin, sjukvårdsledare",
							Mandate: "Särskild sjukvårdsledning", Rationale: "Patientsäkerheten kräver det.",
							Inform: []string{"Alla kliniker", "Kommunerna"}}
					}
					i++
					drafts, err := r.Decide(f.Incidents, staff, now)
					if err != nil {
						return nil, err
					}
					out = append(out, drafts...)
				}
				return out, nil
			})
			left -= int(k)
		}
		if err != nil {
			return fmt.Errorf("append at event %d: %w", have, err)
		}
		have = evs[len(evs)-1].Seq
		if progress != nil {
			progress(have)
		}
	}
	return nil
}

// seed opens the directory as `fyr serve --demo` would and seeds the demo
// organisation if it is empty.
func seed(ctx context.Context, dir string) error {
	svc, err := app.Open(ctx, app.Config{Dir: dir, Org: Org})
	if err != nil {
		return err
	}
	defer svc.Close()
	select {
	case <-svc.Ready():
	case <-ctx.Done():
		return ctx.Err()
	}
	if !svc.Auth.Empty() {
		return nil
	}
	if err := demo.Seed(ctx, svc); err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	return nil
}
