package demo

import (
	"context"
	"fmt"
	"time"

	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/incident"
	"fyr/internal/situation"
)

// seedSituation opens an exercise of today, so that the demo shows the
// situation picture at work: a reporting round to the central hospital's
// wards and the acute clinic, reports from most of them (given by phone and
// recorded by the TiB), and a first lägesbild approved by the stabschef and
// published to every unit. The acute clinic (the demo unit account "avd")
// has not reported yet: log in as it to file the report.
func seedSituation(ctx context.Context, s *app.App) error {
	tib := auth.Principal{Username: "tib", Name: "Tove Isaksson", Role: auth.Staff, Function: "TiB"}
	chief := auth.Principal{Username: "stabschef", Name: "Stina Chef", Role: auth.Staff, Function: "Stabschef"}
	inc, err := s.Incidents.OpenIncident(ctx, tib, incident.Open{
		Title:       "ÖVNING: journalsystemet otillgängligt (leverantören utsatt för ransomware)",
		Description: "Övning: journalleverantörens driftmiljö är krypterad; journalen nås inte. Reservrutiner med pappersjournal.",
		Scope:       incident.RegionScope, Level: incident.Staff, Exercise: true,
		Reason: "Journalsystemet nere i hela regionen.", DecidedBy: "Tove Isaksson", Function: "TiB",
	})
	if err != nil {
		return fmt.Errorf("seed situation exercise: %w", err)
	}
	// The journal's supplier's operations are down: the journal, economy,
	// HR, ordering and discharge planning with them.
	if _, err := s.Continuity.RecordStatus(ctx, tib, continuity.RecordStatus{Incident: inc.ID, Component: "lev-drift",
		Status: continuity.Down, OccurredAt: s.Now().Add(-90 * time.Minute), Source: "Leverantörens driftcentral, telefon",
		Note: "Driftmiljön krypterad; ingen tidpunkt för återställning."}); err != nil {
		return fmt.Errorf("seed supplier down: %w", err)
	}
	units := []string{"cs-akut"}
	for _, u := range s.Directory.Subtree("cs") {
		if u.Type == directory.Ward {
			units = append(units, u.ID)
		}
	}
	round, err := s.Situation.OpenRound(ctx, tib, situation.OpenRound{Incident: inc.ID, Title: "Lägesrapport 1",
		Note: "Driftläge, bemanning, vårdplatser och hur journalstoppet märks hos er.", Audience: dispatch.Audience{Units: units},
		Deadline: s.Now().Add(2 * time.Hour), Channels: []string{dispatch.InApp}})
	if err != nil {
		return fmt.Errorf("seed round: %w", err)
	}
	for i, unit := range units {
		if unit == "cs-akut" || i%4 == 3 {
			continue // not reported yet
		}
		v := situation.Values{State: situation.Normal, Staff: situation.Staffing{Present: 6 + i%5, Missing: i % 3},
			Beds:    situation.Beds{Total: 18 + i%7, Occupied: 15 + i%4},
			Systems: []situation.SystemStatus{{Name: "Journalsystemet", State: situation.Down, Note: "Pappersjournal sedan morgonen."}}}
		switch {
		case i%5 == 1:
			v.State = situation.Limited
			v.Needs = []string{"Extra undersköterska till kvällen för manuell dokumentation."}
		case i%7 == 2:
			v.State = situation.Closed
			v.Beds.Occupied = 0
			v.Text = "Planerade operationer inställda enligt beslut."
		}
		if i%3 == 0 {
			v.Systems = append(v.Systems, situation.SystemStatus{Name: "Labbsvar", State: situation.Degraded, Note: "Svar per telefon."})
		}
		if i%4 == 0 {
			v.Supplies = []situation.Supply{{Name: "Läkemedelslistor på papper", Note: "Räcker till natten."}}
		}
		if _, err := s.Situation.FileReport(ctx, tib, situation.File{Round: round.Round, Unit: unit, Values: v}); err != nil {
			return fmt.Errorf("seed report of %s: %w", unit, err)
		}
	}
	pic, err := s.Situation.DraftPicture(ctx, tib, situation.DraftPicture{Incident: inc.ID})
	if err != nil {
		return fmt.Errorf("seed picture: %w", err)
	}
	c := pic.Content
	c.Forecast = "Leverantören räknar med att återställa journalen inom 24 timmar; reservrutinerna håller över natten."
	c.Communication = "Lägesbilden går till alla enheter; nästa presskontakt 16.00."
	if pic, err = s.Situation.RevisePicture(ctx, tib, situation.Revise{Picture: pic.ID, Content: c}); err != nil {
		return fmt.Errorf("seed picture: %w", err)
	}
	if _, err := s.Situation.ApprovePicture(ctx, chief, pic.ID); err != nil {
		return fmt.Errorf("seed picture approval: %w", err)
	}
	if _, err := s.Situation.PublishPicture(ctx, tib, situation.Publish{Picture: pic.ID}); err != nil {
		return fmt.Errorf("seed picture publication: %w", err)
	}
	return nil
}
