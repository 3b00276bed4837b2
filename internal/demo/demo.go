// Package demo seeds the fictitious organisation "Region Exempel": units,
// staff accounts, a closed exercise that replays the Kronoberg DNS outage
// of 21 September 2018 with its real times, and an exercise of today with a
// reporting round and a published situation picture.
package demo

import (
	"context"
	"fmt"
	"fyr/internal/continuity"
	"fyr/internal/demo/registry"
	"fyr/internal/tz"
	"time"

	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/incident"
)

// Password is the password of every demo account. Demo data only.
const Password = "fyr-demo-2018"

// Account is a demo login.
type Account struct {
	Username, Name, Function string
	Role                     auth.Role
	Unit                     string
}

// Accounts are the demo logins, printed at start.
var Accounts = []Account{
	{"admin", "Alva Admin", "Systemförvaltare", auth.Admin, ""},
	{"tib", "Tove Isaksson", "TiB", auth.Staff, ""},
	{"sjukvardsledare", "Sven Ledin", "Sjukvårdsledare", auth.Staff, ""},
	{"stabschef", "Stina Chef", "Stabschef", auth.Staff, ""},
	// A second stabschef, so that four eyes can be exercised: one writes
	// or approves what the other may not.
	{"stabschef2", "Anders Ström", "Stabschef", auth.Staff, ""},
	{"avd", "Amir Avdelning", "Avdelningschef", auth.Unit, "cs-akut"},
	{"observator", "Olle Observatör", "Observatör", auth.Viewer, ""},
}

// stockholm is the time zone of the times Fyr writes.
var stockholm = tz.Stockholm

func at(day, hour, minute int) time.Time {
	return time.Date(2018, time.September, day, hour, minute, 0, 0, stockholm)
}

// Seed writes the demo organisation into an empty service. The directory
// (about 1,800 units and people) is one import: one event, so that the
// first start stays quick.
func Seed(ctx context.Context, s *app.App) error {
	var imp directory.Import
	for i, u := range Units {
		imp.Units = append(imp.Units, directory.UnitRow{Line: i + 2, Unit: u})
	}
	for i, p := range People {
		imp.People = append(imp.People, directory.PersonRow{Line: i + 2, Person: p})
	}
	seeder := &auth.Principal{Username: "demo", Role: auth.Admin}
	if _, err := s.Directory.ImportDirectory(ctx, seeder, imp); err != nil {
		return fmt.Errorf("seed directory: %w", err)
	}
	if err := seedOnDuty(ctx, s, seeder); err != nil {
		return err
	}
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return err
	}
	for _, a := range Accounts {
		if _, err := s.Auth.AddUser(ctx, nil, auth.AddUser{Username: a.Username, Name: a.Name, Role: a.Role,
			Function: a.Function, Unit: a.Unit, Hash: hash}); err != nil {
			return fmt.Errorf("seed account %s: %w", a.Username, err)
		}
	}
	if err := seedRegistry(ctx, s); err != nil {
		return err
	}
	if err := seedKronoberg(ctx, s); err != nil {
		return err
	}
	return seedSituation(ctx, s)
}

// seedOnDuty puts deputies on duty for today's and tonight's shifts (or
// the next ones, for shifts already over) in the central hospital's acute
// care, so that the directory shows overrides.
func seedOnDuty(ctx context.Context, s *app.App, seeder *auth.Principal) error {
	now := s.Now().In(stockholm)
	day := time.Date(now.Year(), now.Month(), now.Day(), 7, 0, 0, 0, stockholm)
	if now.Hour() < 7 {
		day = day.AddDate(0, 0, -1)
	}
	for _, shift := range []struct {
		unit     string
		from, to time.Time
	}{
		{"cs-akutmott", day, day.Add(12 * time.Hour)},
		{"cs-akutmott", day.Add(12 * time.Hour), day.Add(24 * time.Hour)},
		{"cs-iva", day, day.Add(24 * time.Hour)},
	} {
		// A shift of today that has ended is shown as tomorrow's: the
		// directory refuses overrides that are already over, and the demo
		// must seed at any hour.
		if !shift.to.After(now) {
			shift.from, shift.to = shift.from.AddDate(0, 0, 1), shift.to.AddDate(0, 0, 1)
		}
		// Day shifts go to the first of the unit's people after the
		// primary contact, night shifts to the last.
		u, _ := s.Directory.Unit(shift.unit)
		people, err := s.Directory.People(*seeder, "demo seed")
		if err != nil {
			return err
		}
		var others []string
		for _, p := range people {
			if p.Unit == u.ID && p.ID != u.Primary {
				others = append(others, p.ID)
			}
		}
		person := others[0]
		if shift.from.Hour() != 7 {
			person = others[len(others)-1]
		}
		if _, err := s.Directory.SetOnDuty(ctx, seeder, directory.SetOnDuty{Unit: shift.unit, Person: person, From: shift.from, To: shift.to}); err != nil {
			return fmt.Errorf("seed on-duty shift: %w", err)
		}
	}
	return nil
}

func seedKronoberg(ctx context.Context, s *app.App) error {
	tib := auth.Principal{Username: "tib", Name: "Tove Isaksson", Role: auth.Staff, Function: "TiB"}
	leader := auth.Principal{Username: "sjukvardsledare", Name: "Sven Ledin", Role: auth.Staff, Function: "Sjukvårdsledare"}
	const src = "Övning: återskapad från Region Kronobergs redovisning av IT-avbrottet 21 sep 2018"
	inc, err := s.Incidents.OpenIncident(ctx, tib, incident.Open{
		Title:       "ÖVNING: IT-avbrott 21 sep (DNS-fel vid planerad uppgradering)",
		Description: "Övning som återskapar Region Kronobergs IT-avbrott den 21 september 2018: ett DNS-fel vid en planerad uppgradering slog ut större delen av regionens interna IT.",
		Scope:       incident.RegionScope, Level: incident.Staff, Exercise: true,
		Reason:    "Omfattande IT-störning; särskild sjukvårdsledning startad av TiB.",
		DecidedBy: "Tove Isaksson", Function: "TiB", OccurredAt: at(21, 4, 10),
	})
	if err != nil {
		return fmt.Errorf("seed exercise: %w", err)
	}
	id := inc.ID
	steps := []func() error{
		func() error {
			_, err := s.Incidents.Record(ctx, tib, incident.Record{Incident: id, Kind: incident.InfoIn, OccurredAt: at(21, 3, 0),
				Text:   "Problem med interna IT-tjänster börjar under planerad uppgradering. Många system nås inte.",
				Source: src, Channel: "Telefon", From: "IT-avdelningen", To: "TiB", Verified: true})
			return err
		},
		func() error {
			// Both DNS servers: the registry's impact and the backup
			// routines that will not work show on the exercise's
			// continuity page.
			for _, dns := range []string{"dns-1", "dns-2"} {
				if _, err := s.Continuity.RecordStatus(ctx, tib, continuity.RecordStatus{Incident: id, Component: dns,
					Status: continuity.Down, OccurredAt: at(21, 3, 0), Source: src,
					Note: "Namnuppslagning fungerar inte efter uppgraderingen."}); err != nil {
					return err
				}
			}
			return nil
		},
		func() error {
			_, err := s.Incidents.ChangeLevel(ctx, leader, incident.ChangeLevel{Incident: id, Scope: incident.RegionScope,
				Level: incident.Reinforcement, Reason: "Störningen påverkar vården i hela regionen.",
				DecidedBy: "Sven Ledin", Function: "Sjukvårdsledare", OccurredAt: at(21, 6, 30)})
			return err
		},
		func() error {
			_, err := s.Incidents.Record(ctx, leader, incident.Record{Incident: id, Kind: incident.Decision, OccurredAt: at(21, 8, 3),
				Text:   "All icke-akut vård ställs in.",
				Source: src, Channel: "Stabsmöte", Verified: true,
				Decision: &incident.DecisionInfo{DecisionMaker: "Sven Ledin, sjukvårdsledare", Mandate: "Särskild sjukvårdsledning",
					Rationale: "Journalsystem och övriga stödsystem otillgängliga; patientsäkerheten kräver att resurser koncentreras till akut vård.",
					Inform:    []string{"Alla kliniker och avdelningar", "Vårdcentraler", "Kommunerna"}}})
			return err
		},
		func() error {
			_, err := s.Incidents.Record(ctx, tib, incident.Record{Incident: id, Kind: incident.InfoIn, OccurredAt: at(21, 11, 0),
				Text:   "Felet hittat: DNS-konfigurationen. Åtgärd pågår.",
				Source: src, Channel: "Telefon", From: "IT-avdelningen", Verified: true})
			return err
		},
		func() error {
			_, err := s.Incidents.ChangeLevel(ctx, leader, incident.ChangeLevel{Incident: id, Scope: incident.RegionScope,
				Level: incident.Staff, Reason: "Systemen återkommer; fortsatt bevakning i stabsläge.",
				DecidedBy: "Sven Ledin", Function: "Sjukvårdsledare", OccurredAt: at(21, 11, 7)})
			return err
		},
		func() error {
			_, err := s.Incidents.Record(ctx, tib, incident.Record{Incident: id, Kind: incident.InfoIn, OccurredAt: at(25, 15, 37),
				Text:   "Pressmeddelandet den 25 september anger att den särskilda sjukvårdsledningen avslutades kl. 15.37. Sammanfattningen av den 8 november 2018 anger 15.27. Båda tiderna är registrerade med sina källor.",
				Source: "Pressmeddelande, Region Kronoberg, 25 sep 2018", Channel: "Webb", Verified: true})
			return err
		},
		func() error {
			_, err := s.Incidents.CloseIncident(ctx, leader, incident.Close{Incident: id, OccurredAt: at(25, 15, 27),
				Reason:   "Särskild sjukvårdsledning avslutad; åter till normalläge.",
				Function: "Sjukvårdsledare", Source: "Sammanfattning, Region Kronoberg, 8 nov 2018"})
			return err
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("seed exercise step %d: %w", i+1, err)
		}
	}
	return nil
}

// seedRegistry imports the demo's continuity registry (internal/demo/registry):
// systems, suppliers, infrastructure, care functions, what depends on what
// and the backup routines.
func seedRegistry(ctx context.Context, s *app.App) error {
	if _, err := s.Continuity.ImportCSV(ctx, nil, registry.Components, registry.Dependencies); err != nil {
		return fmt.Errorf("seed registry: %w", err)
	}
	if _, err := s.Continuity.ImportRoutines(ctx, nil, registry.Routines); err != nil {
		return fmt.Errorf("seed routines: %w", err)
	}
	return nil
}
