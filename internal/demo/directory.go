package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"fyr/internal/directory"
)

// The demo directory: Region Exempel with five hospitals (clinics and
// wards), primary care, ambulance stations, municipalities and external
// partners: about 300 units and 1,500 people, generated deterministically.
// Every unit has a primary contact and one or two deputies. Names are
// made up; mobile numbers come only from the series the Swedish telecom
// regulator (PTS) reserves for fiction (070-174 06 05 – 070-174 06 99,
// reused); e-mail is under the reserved .example domain.
var Units, People = generateDirectory()

// handUnits are the units the exercise and the accounts refer to.
var handUnits = []directory.Unit{
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

// handPeople are the regional staff functions and the managers the
// exercise knows by name.
var handPeople = []directory.Person{
	{ID: "p-tib1", Name: "Tove Isaksson", Unit: "region", Function: "TiB"},
	{ID: "p-tib2", Name: "Tage Berg", Unit: "region", Function: "TiB"},
	{ID: "p-kib", Name: "Karin Ibsen", Unit: "region", Function: "KiB"},
	{ID: "p-sjl", Name: "Sven Ledin", Unit: "region", Function: "Sjukvårdsledare"},
	{ID: "p-stc", Name: "Stina Chef", Unit: "region", Function: "Stabschef"},
	{ID: "p-stc2", Name: "Anders Ström", Unit: "region", Function: "Stabschef"},
	{ID: "p-mla", Name: "Maria Lund", Unit: "region", Function: "Medicinskt ansvarig"},
	{ID: "p-kom", Name: "Kalle Ord", Unit: "region", Function: "Kommunikation"},
	{ID: "p-it", Name: "Ida Teknik", Unit: "region", Function: "IT"},
	{ID: "p-dok", Name: "Doris Dokument", Unit: "region", Function: "Dokumentationsansvarig"},
	{ID: "p-cs-cl", Name: "Erik Lund", Unit: "cs", Function: "Chefläkare"},
	{ID: "p-cs-akut", Name: "Amir Avdelning", Unit: "cs-akut", Function: "Verksamhetschef"},
	{ID: "p-cs-am", Name: "Anna Mott", Unit: "cs-akutmott", Function: "Avdelningschef"},
	{ID: "p-cs-iva", Name: "Ivar Vaka", Unit: "cs-iva", Function: "Avdelningschef"},
	{ID: "p-cs-kir1", Name: "Kim Kirurg", Unit: "cs-kir1", Function: "Avdelningschef"},
	{ID: "p-cs-op", Name: "Olga Operation", Unit: "cs-op", Function: "Avdelningschef"},
	{ID: "p-cs-med1", Name: "Mats Medicin", Unit: "cs-med1", Function: "Avdelningschef"},
	{ID: "p-ls-cl", Name: "Lena Norrby", Unit: "ls", Function: "Chefläkare"},
	{ID: "p-ls-akut", Name: "Nils Akut", Unit: "ls-akut", Function: "Avdelningschef"},
	{ID: "p-ls-bb", Name: "Britt Barn", Unit: "ls-bb", Function: "Avdelningschef"},
	{ID: "p-vc", Name: "Vera Central", Unit: "vc-syd", Function: "Verksamhetschef"},
	{ID: "p-kommun", Name: "Kurt Kommun", Unit: "kommun-exempelstad", Function: "Tjänsteman i beredskap (kommun)"},
}

var (
	firstNames = strings.Fields("Anna Eva Maria Karin Sara Lena Kerstin Emma Ingrid Malin Sofia Johanna Linnea Elin Ida Hanna Frida " +
		"Maja Klara Ebba Astrid Greta Tilda Nora Alva Saga Lisa Helena Annika Cecilia Lars Mikael Anders Johan Per Erik Karl " +
		"Peter Jan Thomas Daniel Fredrik Hans Mats Magnus Jonas Stefan Andreas Oskar Viktor Axel Emil Gustav Filip Olof Nils " +
		"Sten Bengt Göran Åke Örjan Yusuf Amira Leila Omar Dragan Mirja Aino Pekka Niilo")
	lastNames = strings.Fields("Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Pettersson " +
		"Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson Lindström Olofsson Lindqvist Lindgren Berg " +
		"Axelsson Bergström Lundberg Lind Lundgren Lundqvist Mattsson Berglund Fredriksson Sandberg Henriksson Forsberg Sjöberg " +
		"Wallin Engström Eklund Danielsson Lundin Håkansson Björk Bergman Gunnarsson Holm Wikström Samuelsson Isaksson Fransson " +
		"Bergqvist Nyström Holmberg Arvidsson Löfgren Söderberg Nyberg Blomqvist Claesson Nordström Mårtensson Lundström " +
		"Ali Hassan Mohammed Kaya Nieminen Korhonen Virtanen Nordlund Sundqvist Öberg Åberg Ek Strand Falk Hedlund")
	staffFunctions = map[directory.UnitType][]string{
		directory.Hospital: {"Vårdplatskoordinator", "Säkerhetschef", "Bemanningsansvarig", "Chefssjuksköterska"},
		directory.Clinic: {"Medicinskt ledningsansvarig", "Vårdenhetschef", "Överläkare", "Specialistläkare", "Sjuksköterska",
			"Vårdadministratör"},
		directory.Ward: {"Sjuksköterska", "Undersköterska", "Läkare", "Specialistläkare", "Sjuksköterska", "Undersköterska",
			"Vårdadministratör", "Överläkare", "Fysioterapeut"},
		directory.Municipality: {"Medicinskt ansvarig sjuksköterska", "Sjuksköterska", "Undersköterska", "Biståndshandläggare",
			"Beredskapssamordnare"},
		directory.Partner: {"Samordnare", "Beredskapshandläggare", "Driftansvarig"},
	}
)

// hospital describes a generated hospital: its clinics and how many wards each has.
type hospital struct {
	id, name, short string
	clinics         []string
	wards           int
}

var clinicNames = []string{"Akutkliniken", "Kirurgkliniken", "Medicinkliniken", "Ortopedkliniken", "Kvinnokliniken",
	"Barn- och ungdomskliniken", "Psykiatriska kliniken", "Anestesi- och intensivvårdskliniken", "Infektionskliniken",
	"Hjärtkliniken", "Neurologiska kliniken", "Onkologiska kliniken", "Geriatriska kliniken", "Urologiska kliniken"}

var wardNames = map[string][]string{
	"Akutkliniken":                        {"Akutmottagningen", "Akutvårdsavdelningen", "Observationsavdelningen", "Akutläkarjouren"},
	"Kirurgkliniken":                      {"Kirurgavdelning 1", "Kirurgavdelning 2", "Operation", "Dagkirurgi", "Kirurgmottagningen"},
	"Medicinkliniken":                     {"Medicinavdelning 1", "Medicinavdelning 2", "Medicinavdelning 3", "Medicinmottagningen", "Dialysen"},
	"Ortopedkliniken":                     {"Ortopedavdelningen", "Ortopedmottagningen", "Gipsmottagningen", "Rehabavdelningen"},
	"Kvinnokliniken":                      {"Förlossningen", "BB", "Gynekologiavdelningen", "Kvinnohälsovården"},
	"Barn- och ungdomskliniken":           {"Barnavdelningen", "Neonatalavdelningen", "Barnakuten", "Barnmottagningen"},
	"Psykiatriska kliniken":               {"Psykiatriska akutmottagningen", "Psykiatrisk heldygnsvård 1", "Psykiatrisk heldygnsvård 2", "Beroendemottagningen"},
	"Anestesi- och intensivvårdskliniken": {"IVA", "Postoperativa avdelningen", "Anestesimottagningen", "Smärtmottagningen"},
	"Infektionskliniken":                  {"Infektionsavdelningen", "Infektionsmottagningen", "Vårdhygien", "Isoleringsenheten"},
	"Hjärtkliniken":                       {"Hjärtintensiven", "Hjärtavdelningen", "Hjärtmottagningen", "Angiolabbet"},
	"Neurologiska kliniken":               {"Strokeenheten", "Neurologavdelningen", "Neurologmottagningen", "Neurorehab"},
	"Onkologiska kliniken":                {"Onkologavdelningen", "Cytostatikaenheten", "Strålbehandlingen", "Palliativa enheten"},
	"Geriatriska kliniken":                {"Geriatriska avdelningen", "Minnesmottagningen", "Geriatrisk dagvård", "Ortogeriatriken"},
	"Urologiska kliniken":                 {"Urologavdelningen", "Urologmottagningen", "Stenklinikens dagvård", "Cystoskopin"},
}

var hospitals = []hospital{
	{"cs", "Centralsjukhuset Exempelstad", "CS", clinicNames, 4},
	{"ls", "Länssjukhuset Norrby", "Norrby", clinicNames[:10], 4},
	{"vs", "Västerby lasarett", "Västerby", clinicNames[:9], 4},
	{"os", "Österå sjukhus", "Österå", clinicNames[:8], 3},
	{"ss", "Sjöstads närsjukhus", "Sjöstad", clinicNames[:5], 3},
}

var (
	healthCentres  = strings.Fields("Söderby Norrby Västerby Österå Sjöstad Ekbacken Tallåsen Björkdalen Granhöjden Lindvik Åsen Fjällby Strandbacken Kvarnby Hagalund Mossen Bergsjö Skogsby Älvsby Ängsvik Lövnäs Dalby Hedby Viken")
	ambulance      = strings.Fields("Exempelstad Norrby Västerby Österå Sjöstad Fjällby")
	municipalities = []string{"Exempelstad", "Norrby", "Västerby", "Österå", "Sjöstad", "Fjällby", "Älvsby", "Ängsvik"}
	partners       = []struct{ id, name, domain string }{
		{"sos", "SOS Alarm, länssamordning", "sosalarm.example"},
		{"lst", "Länsstyrelsen i Exempel län", "lansstyrelsen.example"},
		{"polis", "Polisregion Exempel", "polisen.example"},
		{"rtj", "Räddningstjänsten Exempeldalen", "raddning.example"},
		{"amb-priv", "Ambulansbolaget Exempel AB", "ambulansbolaget.example"},
		{"lev-journal", "Journalsystemleverantören AB", "journalleverantor.example"},
		{"lev-material", "Förbrukningsmaterial i Norden AB", "forbrukning.example"},
		{"apotek", "Sjukhusapoteket Exempel", "sjukhusapoteket.example"},
		{"tvatt", "Regiontvätten AB", "tvatten.example"},
		{"forsvar", "Försvarsmaktens sjukvårdsenhet (samverkan)", "forsvaret.example"},
		{"kyrka", "Svenska kyrkan, krisstöd Exempelstad", "kyrkan.example"},
		{"frivillig", "Frivilliga resursgruppen Exempel", "frg.example"},
	}
)

// generateDirectory builds the demo directory. It uses a fixed-seed PCG, so
// every start gets the same units and people.
func generateDirectory() ([]directory.Unit, []directory.Person) {
	g := &generator{rng: rand.New(rand.NewPCG(2018, 921)), seen: map[string]int{}, byID: map[string]int{}}
	for _, u := range handUnits {
		g.unit(u)
	}
	for _, h := range hospitals {
		if h.id != "cs" && h.id != "ls" {
			g.unit(directory.Unit{ID: h.id, Name: h.name, Type: directory.Hospital, Parent: "region"})
		}
		for i, c := range h.clinics {
			cid := fmt.Sprintf("%s-k%02d", h.id, i+1)
			switch {
			case h.id == "cs" && c == "Akutkliniken":
				cid = "cs-akut"
			case h.id == "cs" && c == "Kirurgkliniken":
				cid = "cs-kir"
			case h.id == "cs" && c == "Medicinkliniken":
				cid = "cs-med"
			default:
				g.unit(directory.Unit{ID: cid, Name: c + " " + h.short, Type: directory.Clinic, Parent: h.id})
			}
			wards := wardNames[c]
			for j := range min(h.wards, len(wards)) {
				name := wards[j] + " " + h.short
				if g.hasName(name) || g.hasName(wards[j]) {
					continue // a hand-written ward of the same name
				}
				g.unit(directory.Unit{ID: fmt.Sprintf("%s-a%02d", cid, j+1), Name: name, Type: directory.Ward, Parent: cid})
			}
		}
	}
	for i, name := range healthCentres {
		if name == "Söderby" {
			continue // vc-syd, written by hand
		}
		g.unit(directory.Unit{ID: fmt.Sprintf("vc-%02d", i+1), Name: "Vårdcentralen " + name, Type: directory.Clinic, Parent: "region"})
	}
	g.unit(directory.Unit{ID: "amb", Name: "Ambulanssjukvården", Type: directory.Clinic, Parent: "region"})
	for i, name := range ambulance {
		g.unit(directory.Unit{ID: fmt.Sprintf("amb-%02d", i+1), Name: "Ambulansstationen " + name, Type: directory.Ward, Parent: "amb"})
	}
	for i, name := range municipalities {
		id := fmt.Sprintf("kommun-%02d", i+1)
		if name == "Exempelstad" {
			id = "kommun-exempelstad"
		} else {
			g.unit(directory.Unit{ID: id, Name: name + "s kommun", Type: directory.Municipality})
		}
		for j, sub := range []string{"Krisledningen", "Hemsjukvården", "Äldreomsorgen", "Socialjouren"} {
			g.unit(directory.Unit{ID: fmt.Sprintf("%s-%d", id, j+1), Name: sub + " " + name, Type: directory.Municipality, Parent: id})
		}
	}
	for _, p := range partners {
		g.unit(directory.Unit{ID: p.id, Name: p.name, Type: directory.Partner})
	}
	g.people()
	return g.units, g.persons
}

type generator struct {
	rng     *rand.Rand
	units   []directory.Unit
	byID    map[string]int
	persons []directory.Person
	seen    map[string]int // e-mail local parts
	phone   int
}

func (g *generator) unit(u directory.Unit) {
	g.byID[u.ID] = len(g.units)
	g.units = append(g.units, u)
}

func (g *generator) hasName(name string) bool {
	for _, u := range g.units {
		if u.Name == name {
			return true
		}
	}
	return false
}

// mobile hands out the fiction series in turn.
func (g *generator) mobile() string {
	n := fmt.Sprintf("+467017406%02d", 5+g.phone%95)
	g.phone++
	return n
}

var ascii = strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "é", "e")

// slug makes an e-mail local part of a name: "Barn- och ungdomskliniken CS"
// → "barn.och.ungdomskliniken.cs".
func slug(name string) string {
	var b strings.Builder
	for _, r := range ascii.Replace(strings.ToLower(name)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "."):
			b.WriteByte('.')
		}
	}
	return strings.TrimSuffix(b.String(), ".")
}

// domain is where a unit's people have their e-mail.
func (g *generator) domain(unitID string) string {
	for id := unitID; id != ""; id = g.units[g.byID[id]].Parent {
		u := g.units[g.byID[id]]
		switch u.Type {
		case directory.Partner:
			for _, p := range partners {
				if p.id == id {
					return p.domain
				}
			}
		case directory.Municipality:
			if u.Parent == "" {
				return slug(strings.TrimSuffix(u.Name, "s kommun")) + ".kommun.example"
			}
		}
	}
	return "regionexempel.example"
}

func (g *generator) email(name, domain string) string {
	local := slug(name)
	g.seen[local+"@"+domain]++
	if n := g.seen[local+"@"+domain]; n > 1 {
		local = fmt.Sprintf("%s%d", local, n)
	}
	return local + "@" + domain
}

func (g *generator) person(unitID, function string) directory.Person {
	name := firstNames[g.rng.IntN(len(firstNames))] + " " + lastNames[g.rng.IntN(len(lastNames))]
	p := directory.Person{ID: fmt.Sprintf("p%04d", len(g.persons)+1), Name: name, Unit: unitID, Function: function,
		Mobile: g.mobile(), Email: g.email(name, g.domain(unitID))}
	g.persons = append(g.persons, p)
	return p
}

// people gives every unit a manager (the primary contact), one or two
// deputies and staff, about five people per unit; units get their own duty
// phone and functional mailbox.
func (g *generator) people() {
	byUnit := map[string][]directory.Person{}
	for _, p := range handPeople {
		p.Mobile, p.Email = g.mobile(), g.email(p.Name, g.domain(p.Unit))
		g.persons = append(g.persons, p)
		byUnit[p.Unit] = append(byUnit[p.Unit], p)
	}
	for i := range g.units {
		u := &g.units[i]
		manager, deputy := "Avdelningschef", "Biträdande avdelningschef"
		switch u.Type {
		case directory.Region:
			manager, deputy = "Regiondirektör", "TiB"
		case directory.Hospital:
			manager, deputy = "Sjukhusdirektör", "Chefläkare"
		case directory.Clinic:
			manager, deputy = "Verksamhetschef", "Biträdande verksamhetschef"
		case directory.Municipality:
			manager, deputy = "Enhetschef", "Samordnare"
			if u.Parent == "" {
				manager, deputy = "Kommundirektör", "Tjänsteman i beredskap (kommun)"
			}
		case directory.Partner:
			manager, deputy = "Kontaktperson", "Ställföreträdande kontaktperson"
		}
		have := byUnit[u.ID]
		switch {
		case u.Type == directory.Region:
			// The region is reached through its officer on duty (TiB).
			u.Primary, u.Deputies = "p-tib1", []string{"p-tib2", "p-kib"}
		case len(have) > 0:
			u.Primary = have[0].ID
		default:
			u.Primary = g.person(u.ID, manager).ID
		}
		for range 1 + g.rng.IntN(2) {
			if len(u.Deputies) < 2 {
				u.Deputies = append(u.Deputies, g.person(u.ID, deputy).ID)
			}
		}
		// Staff, so that the directory has about five people per unit.
		if fs := staffFunctions[u.Type]; len(fs) > 0 {
			for range 1 + g.rng.IntN(4) {
				g.person(u.ID, fs[g.rng.IntN(len(fs))])
			}
		}
		if u.Type != directory.Partner || g.rng.IntN(2) == 0 {
			u.Phone = g.mobile()
			u.Email = g.email(strings.SplitN(u.Name, ",", 2)[0], g.domain(u.ID))
		}
	}
}
