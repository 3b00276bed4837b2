package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/fail"
)

// The directory pages: an overview of the tree (down to clinics), a page
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

func init() { addMessages(directoryMessages) }

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
	Base
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
	Lang     Lang
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
	Reach     []contactView
	Shifts    []shiftView
	Members   []directory.Person
	Cards     []unitCard
	Partial   bool // Cards are the children only: the subtree is too big
	CanOnDuty bool
	CanManage bool
	// ContactsHidden: the caller may not see who answers for this unit.
	ContactsHidden bool
	Error          *formError
	Form           url.Values
	Deputies       string
}

type shiftView struct {
	directory.Shift
	Name string
}

// contactView is one contact for the contact template.
type contactView struct {
	Lang Lang
	directory.Contact
}

func contactViews(l Lang, cs []directory.Contact) []contactView {
	out := make([]contactView, len(cs))
	for i, c := range cs {
		out[i] = contactView{l, c}
	}
	return out
}

type unitCard struct {
	Unit   directory.Unit
	Depth  int
	Reach  []contactView
	People int
	Below  int
}

func (s *Server) directoryPageRoutes() {
	s.mux.Handle("GET /directory/import", s.page(s.importPage))
	s.mux.Handle("POST /directory/import", s.page(s.importSubmit)) // its body limit: bodylimit.go
	s.mux.Handle("POST /directory/units/{id}/contacts", s.page(s.contactsSubmit))
	s.mux.Handle("POST /directory/units/{id}/on-duty", s.page(s.onDutySubmit))
	s.mux.Handle("POST /directory/units/{id}/on-duty/{shift}/clear", s.page(s.clearOnDutySubmit))
}

// directoryPage shows the overview, search results or one unit.
func (s *Server) directoryPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return s.showDirectory(w, r, p, r.URL.Query().Get("unit"), nil)
}

func (s *Server) showDirectory(w http.ResponseWriter, r *http.Request, p auth.Principal, unitID string, ferr *formError) error {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return err
	}
	d := s.svc.P.Units
	lang := langOf(r)
	pg := directoryPage{Base: s.base(r, &p, T(lang, "directory.title")), Query: strings.TrimSpace(r.URL.Query().Get("q")),
		CanImport: auth.Can(p.Role, auth.ManageDirectory), CanExport: auth.Can(p.Role, auth.ExportDirectory)}
	switch {
	case unitID != "":
		u, ok := d.Unit(unitID)
		if !ok {
			return fail.New(fail.NotFound, "no unit %q", unitID)
		}
		pg.Title = u.Name
		pg.Unit = s.unitView(p, u, lang)
		if ferr != nil {
			pg.Unit.Error, pg.Unit.Form = ferr, r.PostForm
			w.WriteHeader(http.StatusBadRequest)
		}
		s.log.Info("directory read", "audit", true, "username", p.Username, "unit", unitID, "what", "unit page")
	case pg.Query != "":
		s.search(&pg)
		s.log.Info("directory read", "audit", true, "username", p.Username, "what", "search", "q", pg.Query)
	default:
		pg.Tree = overview(d, lang)
	}
	s.render(w, r, "directory", pg)
	return nil
}

// overview builds the tree from the roots down treeDepth levels.
func overview(d *directory.Directory, lang Lang) []*treeNode {
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

func (s *Server) search(pg *directoryPage) {
	d := s.svc.P.Units
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
	for _, u := range d.Units() {
		if match(u.Name, u.ID, u.Phone, u.Email) {
			if len(pg.UnitHits) == maxUnitHits {
				pg.More = true
				break
			}
			if s.svc.Directory.ContactAccess(*pg.User, u.ID) != directory.ContactFull {
				u.Phone, u.Email, u.Webhook = "", "", ""
			}
			pg.UnitHits = append(pg.UnitHits, u)
		}
	}
	for _, p := range d.People() {
		if match(p.Name, p.ID, p.Function, p.Mobile, p.Email) {
			if len(pg.People) == maxPersonHits {
				pg.More = true
				break
			}
			u, _ := d.Unit(p.Unit)
			pg.People = append(pg.People, personView{Person: s.visiblePerson(*pg.User, p), UnitName: u.Name})
		}
	}
}

func (s *Server) unitView(p auth.Principal, u directory.Unit, lang Lang) *unitView {
	d := s.svc.P.Units
	now := s.svc.Now()
	v := &unitView{Unit: u, Path: d.Path(u.ID), Reach: s.visibleReach(p, lang, u.ID, now),
		CanOnDuty: auth.Can(p.Role, auth.SetOnDuty), CanManage: auth.Can(p.Role, auth.ManageDirectory),
		Deputies: strings.Join(u.Deputies, " ")}
	v.ContactsHidden = s.svc.Directory.ContactAccess(p, u.ID) == directory.NoContacts
	for _, sh := range d.Shifts(u.ID, now) {
		person, _ := d.Person(sh.Person)
		v.Shifts = append(v.Shifts, shiftView{Shift: sh, Name: person.Name})
	}
	counts := map[string]int{}
	for _, person := range d.People() {
		counts[person.Unit]++
		if person.Unit == u.ID {
			v.Members = append(v.Members, s.visiblePerson(p, person))
		}
	}
	sub := d.Subtree(u.ID)[1:]
	depth := map[string]int{u.ID: 0}
	if len(sub) > maxSubtreeShown {
		sub, v.Partial = d.Children(u.ID), true
	}
	for _, c := range sub {
		depth[c.ID] = depth[c.Parent] + 1
		v.Cards = append(v.Cards, unitCard{Unit: c, Depth: depth[c.ID], Reach: s.visibleReach(p, lang, c.ID, now), People: counts[c.ID],
			Below: len(d.Subtree(c.ID)) - 1})
	}
	return v
}

// contactsSubmit sets a unit's contact points from the unit page's form.
func (s *Server) contactsSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := r.PathValue("id")
	f := r.PostFormValue
	_, err := s.svc.Directory.SetContacts(r.Context(), &p, directory.SetContacts{Unit: id, Phone: f("phone"), Email: f("email"), Webhook: f("webhook"),
		Primary: f("primary"), Deputies: strings.FieldsFunc(f("deputies"), func(r rune) bool { return strings.ContainsRune(" ,;|\t\r\n", r) })})
	return s.afterDirectorySubmit(w, r, p, id, "contacts", err)
}

func (s *Server) onDutySubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := r.PathValue("id")
	cmd, err := onDutyCommand(id, r.PostFormValue("person"), r.PostFormValue("from"), r.PostFormValue("to"))
	if err == nil {
		_, err = s.svc.Directory.SetOnDuty(r.Context(), &p, cmd)
	}
	return s.afterDirectorySubmit(w, r, p, id, "onduty", err)
}

func (s *Server) clearOnDutySubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := r.PathValue("id")
	err := s.svc.Directory.ClearOnDuty(r.Context(), &p, directory.ClearOnDuty{Unit: id, Shift: r.PathValue("shift")})
	return s.afterDirectorySubmit(w, r, p, id, "onduty", err)
}

func (s *Server) afterDirectorySubmit(w http.ResponseWriter, r *http.Request, p auth.Principal, unit, form string, err error) error {
	if err != nil {
		ferr, err := formFailure(form, err)
		if err != nil {
			return err
		}
		if _, ok := s.svc.P.Units.Unit(unit); !ok {
			return fail.New(fail.NotFound, "no unit %q", unit)
		}
		return s.showDirectory(w, r, p, unit, ferr)
	}
	http.Redirect(w, r, "/directory?unit="+url.QueryEscape(unit)+"#"+form, http.StatusSeeOther)
	return nil
}

// importPage is the CSV import and export page, and the result of an import.
type importPage struct {
	Base
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

func (s *Server) newImportPage(r *http.Request, p auth.Principal) importPage {
	lang := langOf(r)
	return importPage{Base: s.base(r, &p, T(lang, "import.title")), CanImport: auth.Can(p.Role, auth.ManageDirectory),
		Units: directory.UnitColumns, People: directory.PersonColumns}
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := p.Require(auth.ExportDirectory); err != nil {
		return err
	}
	s.render(w, r, "import", s.newImportPage(r, p))
	return nil
}

// importSubmit imports the uploaded files: every bad row is listed, and
// nothing changes unless all rows are good.
func (s *Server) importSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := p.Require(auth.ManageDirectory); err != nil {
		return err
	}
	pg := s.newImportPage(r, p)
	names := map[string]string{}
	err := func() error {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			if err := bodyTooLarge(r); err != nil {
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
			return fail.Field("units", "%s", T(langOf(r), "import.nofile"))
		}
		imp, err := directory.ParseFiles(files[directory.FileUnits], files[directory.FilePeople])
		if err != nil {
			return err
		}
		sum, err := s.svc.Directory.ImportDirectory(r.Context(), &p, imp)
		if err != nil {
			return err
		}
		pg.Done = &sum
		return nil
	}()
	if err != nil {
		fe := localized(langOf(r), fail.As(err))
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
		pg.Summary = fmt.Sprintf("%d "+T(langOf(r), "import.summary"), pg.Done.UnitsAdded, pg.Done.UnitsUpdated, pg.Done.PeopleAdded, pg.Done.PeopleUpdated)
	}
	s.render(w, r, "import", pg)
	return nil
}

func readAll(f io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(f, limit))
	if err == nil && int64(len(data)) >= limit {
		err = fmt.Errorf("is larger than %d MB", limit>>20)
	}
	return data, err
}
