// Package ui is the directory's pages and API: an overview of the tree
// (down to clinics), a page per unit with who answers for it and for every
// unit below it, a search that works without JavaScript (GET ?q=), the CSV
// import and export, contact points and on-duty shifts. Every read and
// command goes through the directory service, which decides who may.
package ui

import (
	"embed"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/fail"
	"fyr/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Module is the directory's pages and API routes.
type Module struct {
	svc *directory.Service
	sh  *web.Server
}

// New returns the module over the directory service.
func New(svc *directory.Service) *Module { return &Module{svc: svc} }

// Templates are the directory pages' templates.
func (m *Module) Templates() fs.FS { return templates }

// With 300 units and 1,500 people the whole directory would weigh far more
// than a page may (100 KB), so a page shows one unit's part of the tree.
// (The directory pages: an overview of the tree (down to clinics), a page
// per unit with who answers for it and for every unit below it, a search
// that works without JavaScript (GET ?q=), and the CSV import and export.
// With 300 units and 1,500 people the whole directory would weigh far more
// than a page may (100 KB), so a page shows one unit's part of the tree.

// Page sizes.
const (
	maxSubtreeShown = 90  // a unit page shows every unit below it up to this many, else its children
	maxUnitHits     = 50  // search results
	maxPersonHits   = 100 // search results
	treeDepth       = 2   // the overview shows roots and this many levels below them
)

func init() {
	web.AddMessages(directoryMessages)
	web.RequireFields[onDutyRequest]("person", "from", "to")
}

var directoryMessages = map[string][2]string{
	"directory.search":        {"Sök enhet eller person", "Find a unit or a person"},
	"directory.search.hint":   {"Namn, funktion, telefon eller e-post", "Name, function, phone or e-mail"},
	"directory.search.submit": {"Sök", "Search"},
	"directory.results":       {"Sökresultat för", "Results for"},
	"directory.nohits":        {"Inget matchar.", "Nothing matches."},
	"directory.more":          {"Fler träffar finns; förfina sökningen.", "There are more matches; refine the search."},
	"directory.units":         {"Enheter", "Units"},
	"directory.people":        {"Personer", "People"},
	"directory.below":         {"enheter under", "units below"},
	"directory.overview":      {"Organisationen", "The organisation"},
	"directory.reach":         {"Vem svarar för enheten nu", "Who answers for the unit now"},
	"directory.reach.none":    {"Ingen kontakt angiven.", "No contact set."},
	"directory.subunits":      {"Enheterna under och vem som svarar", "The units below and who answers"},
	"directory.children":      {"Enheterna direkt under (välj en för att se dess underenheter)", "The units directly below (choose one to see the units below it)"},
	"directory.members":       {"Personer på enheten", "People of the unit"},
	"directory.nomembers":     {"Inga personer på enheten.", "No people in the unit."},
	"directory.shifts":        {"Jourpass (går före primär kontakt)", "On-duty shifts (answer before the primary contact)"},
	"directory.noshifts":      {"Inga pågående eller kommande pass.", "No current or coming shifts."},
	"directory.shift.clear":   {"Ta bort passet", "Remove the shift"},
	"directory.onduty.set":    {"Sätt någon i jour för ett pass", "Put someone on duty for a shift"},
	"directory.contacts.set":  {"Kontaktvägar och vem som svarar", "Contact points and who answers"},
	"directory.breadcrumb":    {"Var i organisationen", "Where in the organisation"},
	"directory.peoplecount":   {"personer", "people"},
	"directory.import.link":   {"Importera och exportera (CSV)", "Import and export (CSV)"},
	"role.on_duty":            {"I jour", "On duty"},
	"role.primary":            {"Primär kontakt", "Primary contact"},
	"role.deputy":             {"Ersättare", "Deputy"},
	"role.unit":               {"Enhetens telefon och e-post", "The unit's phone and e-mail"},
	"field.person":            {"Person (id)", "Person (id)"},
	"field.shift_from":        {"Från", "From"},
	"field.shift_to":          {"Till", "To"},
	"field.phone":             {"Enhetens telefon", "The unit's phone"},
	"field.email":             {"Enhetens e-post (funktionsbrevlåda)", "The unit's e-mail (functional mailbox)"},
	"field.webhook":           {"Enhetens webhook (eget system)", "The unit's webhook (its own system)"},
	"field.webhook.hint": {"Adress dit Fyr skickar utskick som signerad JSON, t.ex. till en avdelningsskärm eller ett larmsystem. https krävs.",
		"Where Fyr posts dispatches as signed JSON, e.g. to a ward display or a paging system. https is required."},
	"field.primary":           {"Primär kontakt (person-id)", "Primary contact (person id)"},
	"field.deputies":          {"Ersättare i ordning (person-id, åtskilda med mellanslag)", "Deputies in order (person ids, separated by spaces)"},
	"import.title":            {"Importera och exportera katalogen", "Import and export the directory"},
	"import.intro":            {"En import är allt eller inget: finns ett enda fel ändras ingenting, och varje felaktig rad visas med radnummer och fält. En rad med nytt id lägger till, ett känt id ersätter. Enheter och personer som importeras tillsammans får hänvisa till varandra.", "An import is all or nothing: a single error changes nothing, and every bad row is listed with its line number and field. A row with a new id adds; a known id replaces. Units and people imported together may refer to each other."},
	"import.format":           {"Filformat: CSV i UTF-8 (i Excel: ”CSV UTF-8”), komma- eller semikolonseparerad. Första raden är rubrikerna, i valfri ordning:", "File format: CSV in UTF-8 (in Excel: \"CSV UTF-8\"), comma or semicolon separated. The first line is the header, in any order:"},
	"import.units.cols":       {"typ är region, hospital, clinic, ward, municipality eller partner (sjukhus, klinik, avdelning, kommun, samverkanspart går också); parent är överordnad enhets id; primary och deputies (åtskilda med |) är person-id; telefonnummer görs om till +46…", "type is region, hospital, clinic, ward, municipality or partner; parent is the id of the unit above; primary and deputies (separated by |) are person ids; phone numbers become +46…"},
	"import.people.cols":      {"unit är enhetens id; mobilnummer görs om till +46…", "unit is the unit's id; mobile numbers become +46…"},
	"import.units":            {"Enheter (CSV)", "Units (CSV)"},
	"import.people":           {"Personer (CSV)", "People (CSV)"},
	"import.submit":           {"Importera", "Import"},
	"import.export":           {"Exportera", "Export"},
	"import.export.comma":     {"kommaseparerad", "comma separated"},
	"import.export.semicolon": {"semikolon (svenskt Excel)", "semicolon (Swedish Excel)"},
	"import.done":             {"Importerat", "Imported"},
	"import.summary":          {"enheter nya, %d ändrade; %d personer nya, %d ändrade.", "units added, %d updated; %d people added, %d updated."},
	"import.failed":           {"Ingenting importerades. Rätta dessa rader och försök igen:", "Nothing was imported. Fix these rows and try again:"},
	"import.file":             {"Fil", "File"},
	"import.line":             {"Rad", "Line"},
	"import.field":            {"Fält", "Field"},
	"import.message":          {"Fel", "Problem"},
	"import.nofile":           {"välj minst en fil", "choose at least one file"},
}

// directoryPage is every view of /directory: the overview, search results
// or one unit.
type directoryPage struct {
	web.Base
	Query     string
	Tree      []*treeNode
	UnitHits  []directory.Unit
	People    []personView
	More      bool
	Unit      *unitView
	CanImport bool
	CanExport bool
}

type treeNode struct {
	Lang     web.Lang
	Unit     directory.Unit
	Below    int // units below, in all
	Children []*treeNode
}

type personView struct {
	directory.Person
	UnitName string
}

// unitView is one unit's page.
type unitView struct {
	Unit      directory.Unit
	Path      []directory.Unit
	Reach     []web.ContactView
	Shifts    []shiftView
	Members   []directory.Person
	Cards     []unitCard
	Partial   bool // Cards are the children only: the subtree is too big
	CanOnDuty bool
	CanManage bool
	// ContactsHidden: the caller may not see who answers for this unit.
	ContactsHidden bool
	Error          *web.FormError
	Form           url.Values
	Deputies       string
}

type shiftView struct {
	directory.Shift
	Name string
}

type unitCard struct {
	Unit   directory.Unit
	Depth  int
	Reach  []web.ContactView
	People int
	Below  int
}

// Mount registers the directory's pages and API routes.
func (m *Module) Mount(sh *web.Server) {
	m.sh = sh
	sh.HandlePage("GET /directory", m.directoryPage)
	sh.HandlePage("GET /directory/import", m.importPage)
	sh.HandlePage("POST /directory/import", m.importSubmit) // its body limit: internal/web/bodylimit.go
	sh.HandlePage("POST /directory/units/{id}/contacts", m.contactsSubmit)
	sh.HandlePage("POST /directory/units/{id}/on-duty", m.onDutySubmit)
	sh.HandlePage("POST /directory/units/{id}/on-duty/{shift}/clear", m.clearOnDutySubmit)
	for _, rt := range m.apiRoutes() {
		sh.HandleAPI(rt)
	}
}

// directoryPage shows the overview, search results or one unit.
func (m *Module) directoryPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return m.showDirectory(w, r, p, r.URL.Query().Get("unit"), nil)
}

func (m *Module) showDirectory(w http.ResponseWriter, r *http.Request, p auth.Principal, unitID string, ferr *web.FormError) error {
	if err := m.svc.MayRead(p); err != nil {
		return err
	}
	lang := web.LangOf(r)
	pg := directoryPage{Base: m.sh.Base(r, &p, web.T(lang, "directory.title")), Query: strings.TrimSpace(r.URL.Query().Get("q")),
		CanImport: m.svc.MayImport(p) == nil, CanExport: m.svc.MayExport(p) == nil}
	switch {
	case unitID != "":
		u, ok := m.svc.Unit(unitID)
		if !ok {
			return fail.New(fail.NotFound, "no unit %q", unitID)
		}
		pg.Title = u.Name
		var err error
		if pg.Unit, err = m.unitView(p, u, lang); err != nil {
			return err
		}
		if ferr != nil {
			pg.Unit.Error, pg.Unit.Form = ferr, r.PostForm
			w.WriteHeader(http.StatusBadRequest)
		}
	case pg.Query != "":
		if err := m.search(&pg); err != nil {
			return err
		}
	default:
		pg.Tree = overview(m.svc, lang)
	}
	m.sh.Render(w, r, "directory", pg)
	return nil
}

// overview builds the tree from the roots down treeDepth levels.
// tree is the directory's structure as the overview walks it.
type tree interface {
	Children(unitID string) []directory.Unit
	Subtree(unitID string) []directory.Unit
}

func overview(d tree, lang web.Lang) []*treeNode {
	var build func(u directory.Unit, depth int) *treeNode
	build = func(u directory.Unit, depth int) *treeNode {
		n := &treeNode{Lang: lang, Unit: u, Below: len(d.Subtree(u.ID)) - 1}
		if depth < treeDepth {
			for _, c := range d.Children(u.ID) {
				n.Children = append(n.Children, build(c, depth+1))
			}
		}
		return n
	}
	var roots []*treeNode
	for _, u := range d.Children("") {
		roots = append(roots, build(u, 0))
	}
	// The region first, then municipalities, then partners.
	rank := map[directory.UnitType]int{directory.Region: 0, directory.Municipality: 2, directory.Partner: 3}
	slices.SortStableFunc(roots, func(a, b *treeNode) int { return rank[a.Unit.Type] - rank[b.Unit.Type] })
	return roots
}

func (m *Module) search(pg *directoryPage) error {
	people, err := m.svc.People(*pg.User, "search: "+pg.Query)
	if err != nil {
		return err
	}
	q := strings.ToLower(pg.Query)
	match := func(fields ...string) bool {
		for _, f := range fields {
			if strings.Contains(strings.ToLower(f), q) {
				return true
			}
		}
		return false
	}
	// A phone number matches however it is typed.
	if n, err := directory.NormalizePhone(pg.Query); err == nil && n != "" {
		q = strings.ToLower(n)
	}
	for _, u := range m.svc.Units() {
		if match(u.Name, u.ID, u.Phone, u.Email) {
			if len(pg.UnitHits) == maxUnitHits {
				pg.More = true
				break
			}
			if m.svc.ContactAccess(*pg.User, u.ID) != directory.ContactFull {
				u.Phone, u.Email, u.Webhook = "", "", ""
			}
			pg.UnitHits = append(pg.UnitHits, u)
		}
	}
	for _, p := range people {
		if match(p.Name, p.ID, p.Function, p.Mobile, p.Email) {
			if len(pg.People) == maxPersonHits {
				pg.More = true
				break
			}
			u, _ := m.svc.Unit(p.Unit)
			pg.People = append(pg.People, personView{Person: p, UnitName: u.Name})
		}
	}
	return nil
}

func (m *Module) unitView(p auth.Principal, u directory.Unit, lang web.Lang) (*unitView, error) {
	now := m.sh.Now()
	people, err := m.svc.People(p, "unit page "+u.ID)
	if err != nil {
		return nil, err
	}
	shifts, err := m.svc.Shifts(p, u.ID, now)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(people))
	for _, person := range people {
		names[person.ID] = person.Name
	}
	v := &unitView{Unit: u, Path: m.svc.Path(u.ID), Reach: m.visibleReach(p, lang, u.ID, now),
		CanOnDuty: auth.Can(p.Role, auth.SetOnDuty), CanManage: auth.Can(p.Role, auth.ManageDirectory),
		Deputies: strings.Join(u.Deputies, " ")}
	v.ContactsHidden = m.svc.ContactAccess(p, u.ID) == directory.NoContacts
	for _, sh := range shifts {
		v.Shifts = append(v.Shifts, shiftView{Shift: sh, Name: names[sh.Person]})
	}
	counts := map[string]int{}
	for _, person := range people {
		counts[person.Unit]++
		if person.Unit == u.ID {
			v.Members = append(v.Members, person)
		}
	}
	sub := m.svc.Subtree(u.ID)[1:]
	depth := map[string]int{u.ID: 0}
	if len(sub) > maxSubtreeShown {
		sub, v.Partial = m.svc.Children(u.ID), true
	}
	for _, c := range sub {
		depth[c.ID] = depth[c.Parent] + 1
		v.Cards = append(v.Cards, unitCard{Unit: c, Depth: depth[c.ID], Reach: m.visibleReach(p, lang, c.ID, now), People: counts[c.ID],
			Below: len(m.svc.Subtree(c.ID)) - 1})
	}
	return v, nil
}

// contactsSubmit sets a unit's contact points from the unit page's form.
func (m *Module) contactsSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := r.PathValue("id")
	f := r.PostFormValue
	_, err := m.svc.SetContacts(r.Context(), &p, directory.SetContacts{Unit: id, Phone: f("phone"), Email: f("email"), Webhook: f("webhook"),
		Primary: f("primary"), Deputies: strings.FieldsFunc(f("deputies"), func(r rune) bool { return strings.ContainsRune(" ,;|\t\r\n", r) })})
	return m.afterDirectorySubmit(w, r, p, id, "contacts", err)
}

func (m *Module) onDutySubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := r.PathValue("id")
	cmd, err := onDutyCommand(id, r.PostFormValue("person"), r.PostFormValue("from"), r.PostFormValue("to"))
	if err == nil {
		_, err = m.svc.SetOnDuty(r.Context(), &p, cmd)
	}
	return m.afterDirectorySubmit(w, r, p, id, "onduty", err)
}

func (m *Module) clearOnDutySubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := r.PathValue("id")
	err := m.svc.ClearOnDuty(r.Context(), &p, directory.ClearOnDuty{Unit: id, Shift: r.PathValue("shift")})
	return m.afterDirectorySubmit(w, r, p, id, "onduty", err)
}

func (m *Module) afterDirectorySubmit(w http.ResponseWriter, r *http.Request, p auth.Principal, unit, form string, err error) error {
	if err != nil {
		ferr, err := web.FormFailure(form, err)
		if err != nil {
			return err
		}
		if _, ok := m.svc.Unit(unit); !ok {
			return fail.New(fail.NotFound, "no unit %q", unit)
		}
		return m.showDirectory(w, r, p, unit, ferr)
	}
	http.Redirect(w, r, "/directory?unit="+url.QueryEscape(unit)+"#"+form, http.StatusSeeOther)
	return nil
}

// importPage is the CSV import and export page, and the result of an import.
type importPage struct {
	web.Base
	CanImport bool
	Units     []string
	People    []string
	Done      *directory.ImportSummary
	Summary   string
	Error     string
	Problems  []problemView
}

type problemView struct {
	fail.Problem
	FileName string
}

func (m *Module) newImportPage(r *http.Request, p auth.Principal) importPage {
	lang := web.LangOf(r)
	return importPage{Base: m.sh.Base(r, &p, web.T(lang, "import.title")), CanImport: m.svc.MayImport(p) == nil,
		Units: directory.UnitColumns, People: directory.PersonColumns}
}

func (m *Module) importPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := m.svc.MayExport(p); err != nil {
		return err
	}
	m.sh.Render(w, r, "import", m.newImportPage(r, p))
	return nil
}

// importSubmit imports the uploaded files: every bad row is listed, and
// nothing changes unless all rows are good.
func (m *Module) importSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := m.svc.MayImport(p); err != nil {
		return err
	}
	pg := m.newImportPage(r, p)
	names := map[string]string{}
	err := func() error {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			if err := web.BodyTooLarge(r); err != nil {
				return err
			}
			return fail.Field("units", "the upload could not be read: %v", err)
		}
		files := map[string][]byte{}
		for _, field := range []string{directory.FileUnits, directory.FilePeople} {
			f, h, err := r.FormFile(field)
			if err != nil || h.Size == 0 {
				continue
			}
			names[field] = h.Filename
			data, err := readAll(f, directory.MaxFileBytes+1)
			f.Close()
			if err != nil {
				return fail.Field(field, "could not be read: %v", err)
			}
			files[field] = data
		}
		if len(files) == 0 {
			return fail.Field("units", "%s", web.T(web.LangOf(r), "import.nofile"))
		}
		imp, err := directory.ParseFiles(files[directory.FileUnits], files[directory.FilePeople])
		if err != nil {
			return err
		}
		sum, err := m.svc.ImportDirectory(r.Context(), &p, imp)
		if err != nil {
			return err
		}
		pg.Done = &sum
		return nil
	}()
	if err != nil {
		fe := web.Localized(web.LangOf(r), fail.As(err))
		if fe.Code != fail.Invalid {
			return err
		}
		pg.Error = fe.Message
		for _, pr := range fe.Problems {
			pg.Problems = append(pg.Problems, problemView{Problem: pr, FileName: names[pr.File]})
		}
		if len(pg.Problems) == 0 {
			pg.Problems = []problemView{{Problem: fail.Problem{Field: fe.Field, Message: fe.Message}}}
		}
		w.WriteHeader(http.StatusBadRequest)
	} else {
		pg.Summary = fmt.Sprintf("%d "+web.T(web.LangOf(r), "import.summary"), pg.Done.UnitsAdded, pg.Done.UnitsUpdated, pg.Done.PeopleAdded, pg.Done.PeopleUpdated)
	}
	m.sh.Render(w, r, "import", pg)
	return nil
}

func readAll(f io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(f, limit))
	if err == nil && int64(len(data)) >= limit {
		err = fmt.Errorf("is larger than %d MB", limit>>20)
	}
	return data, err
}

type (
	reachResponse struct {
		Unit     directory.Unit      `json:"unit"`
		At       time.Time           `json:"at"`
		Contacts []directory.Contact `json:"contacts"`
		Shifts   []directory.Shift   `json:"shifts"`
	}
	onDutyRequest struct {
		Person string `json:"person"`
		From   string `json:"from"` // RFC 3339, or Swedish local time 2026-11-23T19:00
		To     string `json:"to"`
	}
	shiftList struct {
		Shifts []directory.Shift `json:"shifts"`
	}
	unitList struct {
		Units []directory.Unit `json:"units"`
	}
	personList struct {
		People []directory.Person `json:"people"`
	}
)

var sepQuery = []web.QueryParam{{Name: "sep", Description: "Cell separator: `,` (default) or `;` (Swedish Excel)"}}

const csvColumnsDoc = "Columns (first line, any order): "

func (m *Module) apiRoutes() []web.APIRoute {
	return []web.APIRoute{
		{Method: "GET", Path: "/api/v1/directory/units", Summary: "Every unit, parents before their children, as JSON (with `Accept: text/csv`: the CSV of /api/v1/directory/units.csv)",
			Action: auth.ExportDirectory, Response: unitList{}, AltContentType: "text/csv", Status: 200, Query: sepQuery,
			Handle: web.CSVOr(m.apiExportUnits, func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
				units, err := m.svc.ExportUnits(&p)
				if err == nil {
					web.WriteJSON(w, 200, unitList{append([]directory.Unit{}, units...)})
				}
				return err
			})},
		{Method: "GET", Path: "/api/v1/directory/units.csv", Summary: "Export every unit as CSV (the import format; UTF-8 with BOM). " +
			csvColumnsDoc + strings.Join(directory.UnitColumns, ",") + "; deputies are person ids separated by |",
			Action: auth.ExportDirectory, ContentType: "text/csv", Response: "", Status: 200, Query: sepQuery, Handle: m.apiExportUnits},
		{Method: "POST", Path: "/api/v1/directory/units", Summary: "Import units from CSV, all or nothing: a row with a new id adds, a known id replaces. " +
			csvColumnsDoc + strings.Join(directory.UnitColumns, ",") + ". Type: region, hospital, clinic, ward, municipality or partner; " +
			"primary and deputies (separated by |) are person ids; phones are turned into E.164. ',' or ';' separated, UTF-8. " +
			"An error lists every bad row (problems: line, field, message) and nothing is written",
			Action: auth.ManageDirectory, BodyType: "text/csv", Body: "", Response: directory.ImportSummary{}, Status: 200, Handle: m.apiImport(directory.ParseUnits)},
		{Method: "GET", Path: "/api/v1/directory/people", Summary: "Every person, as JSON (with `Accept: text/csv`: the CSV of /api/v1/directory/people.csv)",
			Action: auth.ExportDirectory, Response: personList{}, AltContentType: "text/csv", Status: 200, Query: sepQuery,
			Handle: web.CSVOr(m.apiExportPeople, func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
				people, err := m.svc.ExportPeople(&p)
				if err == nil {
					web.WriteJSON(w, 200, personList{append([]directory.Person{}, people...)})
				}
				return err
			})},
		{Method: "GET", Path: "/api/v1/directory/people.csv", Summary: "Export every person as CSV (the import format). " +
			csvColumnsDoc + strings.Join(directory.PersonColumns, ","),
			Action: auth.ExportDirectory, ContentType: "text/csv", Response: "", Status: 200, Query: sepQuery, Handle: m.apiExportPeople},
		{Method: "POST", Path: "/api/v1/directory/people", Summary: "Import people from CSV, all or nothing (see units). " +
			csvColumnsDoc + strings.Join(directory.PersonColumns, ",") + "; unit is a unit id",
			Action: auth.ManageDirectory, BodyType: "text/csv", Body: "", Response: directory.ImportSummary{}, Status: 200, Handle: m.apiImport(directory.ParsePeople)},
		{Method: "GET", Path: "/api/v1/directory/units/{id}/reach", Summary: "Who answers for a unit, in escalation order: on duty, primary, deputies, the unit's own phone and e-mail",
			Action: auth.ReadIncidents, Response: reachResponse{}, Status: 200, Handle: m.apiReach,
			Query: []web.QueryParam{{Name: "at", Description: "Point in time (RFC 3339; default now)"}}},
		{Method: "POST", Path: "/api/v1/directory/units/{id}/contacts", Summary: "Set a unit's own phone and e-mail, its primary contact and ordered deputies (all four are replaced)",
			Action: auth.ManageDirectory, Body: directory.SetContacts{}, Response: directory.Unit{}, Status: 200, Handle: web.JSONCommand(200, func(c *directory.SetContacts, r *http.Request) { c.Unit = r.PathValue("id") }, web.ByRef(m.svc.SetContacts), nil)},
		{Method: "POST", Path: "/api/v1/directory/units/{id}/on-duty", Summary: "Put a person on duty for a unit for a shift: they answer first while it lasts",
			Action: auth.SetOnDuty, Body: onDutyRequest{}, Response: directory.Shift{}, Status: 201, Handle: m.apiSetOnDuty},
		{Method: "DELETE", Path: "/api/v1/directory/units/{id}/on-duty/{shift}", Summary: "Remove an on-duty shift; returns the unit's remaining shifts",
			Action: auth.SetOnDuty, Response: shiftList{}, Status: 200, Handle: m.apiClearOnDuty},
	}
}

func (m *Module) apiImport(parse func([]byte) (directory.Import, error)) func(http.ResponseWriter, *http.Request, auth.Principal) error {
	return func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		body, err := web.ReadCSVBody(r, directory.MaxFileBytes)
		if err != nil {
			return err
		}
		imp, err := parse(body)
		if err != nil {
			return err
		}
		sum, err := m.svc.ImportDirectory(r.Context(), &p, imp)
		if err != nil {
			return err
		}
		web.WriteJSON(w, 200, sum)
		return nil
	}
}

func (m *Module) apiExportUnits(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	sep, err := web.CSVSep(r)
	if err != nil {
		return err
	}
	units, err := m.svc.ExportUnits(&p)
	if err != nil {
		return err
	}
	return m.sh.SendCSV(w, "enheter", func(w io.Writer) error { return directory.WriteUnitsCSV(w, units, sep) })
}

func (m *Module) apiExportPeople(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	sep, err := web.CSVSep(r)
	if err != nil {
		return err
	}
	people, err := m.svc.ExportPeople(&p)
	if err != nil {
		return err
	}
	return m.sh.SendCSV(w, "personer", func(w io.Writer) error { return directory.WritePeopleCSV(w, people, sep) })
}

func (m *Module) apiReach(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	at, err := web.ParseTime("at", r.URL.Query().Get("at"))
	if err != nil {
		return err
	}
	if at.IsZero() {
		at = m.sh.Now()
	}
	id := r.PathValue("id")
	u, ok := m.svc.Unit(id)
	if !ok {
		return fail.New(fail.NotFound, "no unit %q", id)
	}
	contacts, err := m.svc.Reach(p, id, at)
	if err != nil {
		return err
	}
	if m.svc.ContactAccess(p, id) != directory.ContactFull {
		u.Phone, u.Email, u.Webhook = "", "", "" // names only
	}
	shifts, err := m.svc.Shifts(p, id, at)
	if err != nil {
		return err
	}
	resp := reachResponse{Unit: u, At: at.UTC(), Contacts: contacts, Shifts: shifts}
	if resp.Contacts == nil {
		resp.Contacts = []directory.Contact{}
	}
	if resp.Shifts == nil {
		resp.Shifts = []directory.Shift{}
	}
	web.WriteJSON(w, 200, resp)
	return nil
}

func (m *Module) apiSetOnDuty(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var req onDutyRequest
	if err := web.Decode(r, &req); err != nil {
		return err
	}
	cmd, err := onDutyCommand(r.PathValue("id"), req.Person, req.From, req.To)
	if err != nil {
		return err
	}
	shift, err := m.svc.SetOnDuty(r.Context(), &p, cmd)
	if err != nil {
		return err
	}
	web.WriteJSON(w, 201, shift)
	return nil
}

func onDutyCommand(unit, person, from, to string) (directory.SetOnDuty, error) {
	cmd := directory.SetOnDuty{Unit: unit, Person: person}
	var err error
	if cmd.From, err = web.ParseTime("from", from); err != nil {
		return cmd, err
	}
	if cmd.To, err = web.ParseTime("to", to); err != nil {
		return cmd, err
	}
	return cmd, nil
}

func (m *Module) apiClearOnDuty(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	unit := r.PathValue("id")
	if err := m.svc.ClearOnDuty(r.Context(), &p, directory.ClearOnDuty{Unit: unit, Shift: r.PathValue("shift")}); err != nil {
		return err
	}
	shifts, err := m.svc.Shifts(p, unit, m.sh.Now())
	if err != nil {
		return err
	}
	if shifts == nil {
		shifts = []directory.Shift{}
	}
	web.WriteJSON(w, 200, shiftList{shifts})
	return nil
}

// visibleReach is who answers for a unit as far as p may see it
// (directory.ContactAccess): nothing, names only, or everything.
func (m *Module) visibleReach(p auth.Principal, lang web.Lang, unit string, now time.Time) []web.ContactView {
	cs, err := m.svc.Reach(p, unit, now)
	if err != nil {
		return nil // NoContacts: the page says so instead
	}
	return web.ContactViews(lang, cs)
}
