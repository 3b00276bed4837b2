// Package demo seeds the fictitious organisation "Region Exempel": units,
// staff accounts and a closed exercise that replays the Kronoberg DNS outage
// of 21 September 2018 with its real times.
package demo

import (
	"context"
	"fmt"
	"time"

	"fyr/internal/auth"
	"fyr/internal/core"
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
	{"avd", "Amir Avdelning", "Avdelningschef", auth.Unit, "cs-akut"},
	{"observator", "Olle Observatör", "Observatör", auth.Viewer, ""},
}

// Units is the demo organisation tree.
var Units = []directory.Unit{
	{ID: "region", Name: "Region Exempel", Type: directory.Region},
	{ID: "cs", Name: "Centralsjukhuset Exempelstad", Type: directory.Hospital, Parent: "region"},
	{ID: "cs-akut", Name: "Akutkliniken CS", Type: directory.Clinic, Parent: "cs"},
	{ID: "cs-akutmott", Name: "Akutmottagningen CS", Type: directory.Ward, Parent: "cs-akut"},
	{ID: "cs-iva", Name: "IVA CS", Type: directory.Ward, Parent: "cs-akut"},
	{ID: "cs-kir", Name: "Kirurgkliniken CS", Type: directory.Clinic, Parent: "cs"},
	{ID: "cs-kir1", Name: "Kirurgavdelning 1", Type: directory.Ward, Parent: "cs-kir"},
	{ID: "cs-op", Name: "Operation CS", Type: directory.Ward, Parent: "cs-kir"},
	{ID: "cs-med", Name: "Medicinkliniken CS", Type: directory.Clinic, Parent: "cs"},
	{ID: "cs-med1", Name: "Medicinavdelning 1", Type: directory.Ward, Parent: "cs-med"},
	{ID: "ls", Name: "Länssjukhuset Norrby", Type: directory.Hospital, Parent: "region"},
	{ID: "ls-akut", Name: "Akutmottagningen Norrby", Type: directory.Ward, Parent: "ls"},
	{ID: "ls-med", Name: "Medicinavdelningen Norrby", Type: directory.Ward, Parent: "ls"},
	{ID: "ls-bb", Name: "BB Norrby", Type: directory.Ward, Parent: "ls"},
	{ID: "vc-syd", Name: "Vårdcentralen Söderby", Type: directory.Clinic, Parent: "region"},
	{ID: "kommun-exempelstad", Name: "Exempelstads kommun", Type: directory.Municipality},
}

// People are made-up contacts. Mobile numbers are from the series the Swedish
// telecom regulator (PTS) reserves for fiction (070-174 06 05 – 070-174 06 99);
// e-mail is under the reserved .example domain.
var People = []directory.Person{
	{ID: "p-tib1", Name: "Tove Isaksson", Unit: "region", Function: "TiB", Mobile: "+46701740605", Email: "tove.isaksson@regionexempel.example"},
	{ID: "p-tib2", Name: "Tage Berg", Unit: "region", Function: "TiB", Mobile: "+46701740606", Email: "tage.berg@regionexempel.example"},
	{ID: "p-kib", Name: "Karin Ibsen", Unit: "region", Function: "KiB", Mobile: "+46701740607", Email: "karin.ibsen@regionexempel.example"},
	{ID: "p-sjl", Name: "Sven Ledin", Unit: "region", Function: "Sjukvårdsledare", Mobile: "+46701740608", Email: "sven.ledin@regionexempel.example"},
	{ID: "p-stc", Name: "Stina Chef", Unit: "region", Function: "Stabschef", Mobile: "+46701740609", Email: "stina.chef@regionexempel.example"},
	{ID: "p-mla", Name: "Maria Lund", Unit: "region", Function: "Medicinskt ansvarig", Mobile: "+46701740610", Email: "maria.lund@regionexempel.example"},
	{ID: "p-kom", Name: "Kalle Ord", Unit: "region", Function: "Kommunikation", Mobile: "+46701740611", Email: "kalle.ord@regionexempel.example"},
	{ID: "p-it", Name: "Ida Teknik", Unit: "region", Function: "IT", Mobile: "+46701740612", Email: "ida.teknik@regionexempel.example"},
	{ID: "p-dok", Name: "Doris Dokument", Unit: "region", Function: "Dokumentationsansvarig", Mobile: "+46701740613", Email: "doris.dokument@regionexempel.example"},
	{ID: "p-cs-cl", Name: "Erik Lund", Unit: "cs", Function: "Chefläkare", Mobile: "+46701740614", Email: "erik.lund@regionexempel.example"},
	{ID: "p-cs-akut", Name: "Amir Avdelning", Unit: "cs-akut", Function: "Verksamhetschef", Mobile: "+46701740615", Email: "amir.avdelning@regionexempel.example"},
	{ID: "p-cs-am", Name: "Anna Mott", Unit: "cs-akutmott", Function: "Avdelningschef", Mobile: "+46701740616", Email: "anna.mott@regionexempel.example"},
	{ID: "p-cs-iva", Name: "Ivar Vaka", Unit: "cs-iva", Function: "Avdelningschef", Mobile: "+46701740617", Email: "ivar.vaka@regionexempel.example"},
	{ID: "p-cs-kir1", Name: "Kim Kirurg", Unit: "cs-kir1", Function: "Avdelningschef", Mobile: "+46701740618", Email: "kim.kirurg@regionexempel.example"},
	{ID: "p-cs-op", Name: "Olga Operation", Unit: "cs-op", Function: "Avdelningschef", Mobile: "+46701740619", Email: "olga.operation@regionexempel.example"},
	{ID: "p-cs-med1", Name: "Mats Medicin", Unit: "cs-med1", Function: "Avdelningschef", Mobile: "+46701740620", Email: "mats.medicin@regionexempel.example"},
	{ID: "p-ls-cl", Name: "Lena Norrby", Unit: "ls", Function: "Chefläkare", Mobile: "+46701740621", Email: "lena.norrby@regionexempel.example"},
	{ID: "p-ls-akut", Name: "Nils Akut", Unit: "ls-akut", Function: "Avdelningschef", Mobile: "+46701740622", Email: "nils.akut@regionexempel.example"},
	{ID: "p-ls-bb", Name: "Britt Barn", Unit: "ls-bb", Function: "Avdelningschef", Mobile: "+46701740623", Email: "britt.barn@regionexempel.example"},
	{ID: "p-vc", Name: "Vera Central", Unit: "vc-syd", Function: "Verksamhetschef", Mobile: "+46701740624", Email: "vera.central@regionexempel.example"},
	{ID: "p-kommun", Name: "Kurt Kommun", Unit: "kommun-exempelstad", Function: "Tjänsteman i beredskap (kommun)", Mobile: "+46701740625", Email: "kurt.kommun@exempelstad.example"},
}

var stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(err) // time/tzdata is embedded in the binary
	}
	return loc
}()

func at(day, hour, minute int) time.Time {
	return time.Date(2018, time.September, day, hour, minute, 0, 0, stockholm)
}

// Seed writes the demo organisation into an empty service.
func Seed(ctx context.Context, s *core.Service) error {
	for _, u := range Units {
		if err := s.AddUnit(ctx, "demo", u); err != nil {
			return fmt.Errorf("seed unit %s: %w", u.ID, err)
		}
	}
	for _, p := range People {
		if err := s.AddPerson(ctx, "demo", p); err != nil {
			return fmt.Errorf("seed person %s: %w", p.ID, err)
		}
	}
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return err
	}
	for _, a := range Accounts {
		if _, err := s.AddUser(ctx, nil, auth.AddUser{Username: a.Username, Name: a.Name, Role: a.Role,
			Function: a.Function, Unit: a.Unit, Hash: hash}); err != nil {
			return fmt.Errorf("seed account %s: %w", a.Username, err)
		}
	}
	return seedKronoberg(ctx, s)
}

func seedKronoberg(ctx context.Context, s *core.Service) error {
	tib := auth.Principal{Username: "tib", Name: "Tove Isaksson", Role: auth.Staff, Function: "TiB"}
	leader := auth.Principal{Username: "sjukvardsledare", Name: "Sven Ledin", Role: auth.Staff, Function: "Sjukvårdsledare"}
	const src = "Övning: återskapad från Region Kronobergs redovisning av IT-avbrottet 21 sep 2018"
	inc, err := s.OpenIncident(ctx, tib, incident.Open{
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
			_, err := s.Record(ctx, tib, incident.Record{Incident: id, Kind: incident.InfoIn, OccurredAt: at(21, 3, 0),
				Text:   "Problem med interna IT-tjänster börjar under planerad uppgradering. Många system nås inte.",
				Source: src, Channel: "Telefon", From: "IT-avdelningen", To: "TiB", Verified: true})
			return err
		},
		func() error {
			_, err := s.ChangeLevel(ctx, leader, incident.ChangeLevel{Incident: id, Scope: incident.RegionScope,
				Level: incident.Reinforcement, Reason: "Störningen påverkar vården i hela regionen.",
				DecidedBy: "Sven Ledin", Function: "Sjukvårdsledare", OccurredAt: at(21, 6, 30)})
			return err
		},
		func() error {
			_, err := s.Record(ctx, leader, incident.Record{Incident: id, Kind: incident.Decision, OccurredAt: at(21, 8, 3),
				Text:   "All icke-akut vård ställs in.",
				Source: src, Channel: "Stabsmöte", Verified: true,
				Decision: &incident.DecisionInfo{DecisionMaker: "Sven Ledin, sjukvårdsledare", Mandate: "Särskild sjukvårdsledning",
					Rationale: "Journalsystem och övriga stödsystem otillgängliga; patientsäkerheten kräver att resurser koncentreras till akut vård.",
					Inform:    []string{"Alla kliniker och avdelningar", "Vårdcentraler", "Kommunerna"}}})
			return err
		},
		func() error {
			_, err := s.Record(ctx, tib, incident.Record{Incident: id, Kind: incident.InfoIn, OccurredAt: at(21, 11, 0),
				Text:   "Felet hittat: DNS-konfigurationen. Åtgärd pågår.",
				Source: src, Channel: "Telefon", From: "IT-avdelningen", Verified: true})
			return err
		},
		func() error {
			_, err := s.ChangeLevel(ctx, leader, incident.ChangeLevel{Incident: id, Scope: incident.RegionScope,
				Level: incident.Staff, Reason: "Systemen återkommer; fortsatt bevakning i stabsläge.",
				DecidedBy: "Sven Ledin", Function: "Sjukvårdsledare", OccurredAt: at(21, 11, 7)})
			return err
		},
		func() error {
			_, err := s.Record(ctx, tib, incident.Record{Incident: id, Kind: incident.InfoIn, OccurredAt: at(25, 15, 37),
				Text:   "Pressmeddelandet den 25 september anger att den särskilda sjukvårdsledningen avslutades kl. 15.37. Sammanfattningen av den 8 november 2018 anger 15.27. Båda tiderna är registrerade med sina källor.",
				Source: "Pressmeddelande, Region Kronoberg, 25 sep 2018", Channel: "Webb", Verified: true})
			return err
		},
		func() error {
			_, err := s.CloseIncident(ctx, leader, incident.Close{Incident: id, OccurredAt: at(25, 15, 27),
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
