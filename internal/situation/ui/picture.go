package ui

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/pdf"
	"fyr/internal/situation"
	"fyr/internal/web"
)

// The staff pages of the situation picture (lägesbild, issue 4): the
// versions of an incident's picture, one version with its edit form while
// it is a draft, approval (four eyes) and publication, a side-by-side
// comparison of two versions, the A4 print and the situation report to
// Socialstyrelsen and länsstyrelsen as text and PDF. Everything works with
// forms alone.

// pictureMessages are the UI strings of the picture pages: Swedish, English.
var pictureMessages = map[string][2]string{
	"picture.title":                         {"Lägesbild", "Situation picture"},
	"picture.versions":                      {"Versioner av lägesbilden", "Versions of the situation picture"},
	"picture.version":                       {"Version", "Version"},
	"picture.none":                          {"Ingen lägesbild ännu. Starta den första versionen: den fylls i från enheternas rapporter, beredskapslägena, besluten och uppdragen.", "No situation picture yet. Start the first version: it is filled in from the units' reports, the readiness levels, the decisions and the tasks."},
	"picture.none.then":                     {"Ingen version fanns vid den tidpunkten.", "No version existed at that time."},
	"picture.new":                           {"Ny version", "New version"},
	"picture.new.why":                       {"Den nya versionen fylls i från rapportomgångarna, beredskapslägena, besluten och uppdragen sedan förra versionen, och de öppna uppdragen.", "The new version is filled in from the reporting rounds, the readiness levels, the decisions and tasks since the last version, and the open tasks."},
	"picture.pending":                       {"En version är ännu inte publicerad. Arbeta vidare i den:", "A version is not published yet. Continue in it:"},
	"picture.status":                        {"Status", "Status"},
	"picture.status.draft":                  {"Utkast", "Draft"},
	"picture.status.approved":               {"Godkänd", "Approved"},
	"picture.status.published":              {"Publicerad", "Published"},
	"picture.author":                        {"Skriven av", "Written by"},
	"picture.approver":                      {"Godkänd av", "Approved by"},
	"picture.published":                     {"Publicerad", "Published"},
	"picture.drafted":                       {"Påbörjad", "Started"},
	"picture.revised":                       {"ändrad", "revised"},
	"picture.foureyes.on":                   {"Fyra ögon gäller: den som har skrivit en version får inte godkänna den.", "Four eyes apply: whoever wrote a version may not approve it."},
	"picture.foureyes.off":                  {"Fyra ögon gäller inte: författaren får själv godkänna.", "Four eyes are off: the author may approve."},
	"picture.foureyes.turnoff":              {"Stäng av fyra ögon", "Turn four eyes off"},
	"picture.foureyes.turnon":               {"Kräv fyra ögon", "Require four eyes"},
	"picture.asof":                          {"Som det såg ut", "As it stood"},
	"picture.now":                           {"Visa läget nu", "Show the present"},
	"picture.when":                          {"Visa versionerna vid en tidpunkt", "Show the versions at a point in time"},
	"picture.compare":                       {"Jämför två versioner", "Compare two versions"},
	"picture.compare.a":                     {"Version", "Version"},
	"picture.compare.with":                  {"med version", "with version"},
	"picture.compare.submit":                {"Jämför", "Compare"},
	"picture.compare.this":                  {"Jämför med version", "Compare with version"},
	"picture.saved":                         {"Ändringarna är sparade.", "The changes are saved."},
	"picture.approved.done":                 {"Versionen är godkänd och kan publiceras.", "The version is approved and can be published."},
	"picture.published.done":                {"Lägesbilden är publicerad och skickad till enheterna.", "The situation picture is published and sent to the units."},
	"picture.discarded.done":                {"Versionen är lagd åt sidan. En ny version kan påbörjas.", "The version is set aside. A new version can be started."},
	"picture.discard.h":                     {"Lägg versionen åt sidan", "Set the version aside"},
	"picture.discard.why":                   {"Om versionen inte ska publiceras (läget har ändrats): den finns kvar i historiken med skälet, och en ny version kan påbörjas.", "If the version will not be published (the situation has changed): it stays in the history with the reason, and a new version can be started."},
	"picture.discard.reason":                {"Skäl", "Reason"},
	"picture.discard":                       {"Lägg åt sidan", "Set aside"},
	"picture.status.discarded":              {"Lagd åt sidan", "Set aside"},
	"picture.discarded.by":                  {"Lagd åt sidan", "Set aside"},
	"picture.edit":                          {"Redigera utkastet", "Edit the draft"},
	"picture.nonames":                       {"Skriv inte namn på patienter eller personal: lägesbilden går till alla enheter och vidare till myndigheter.", "Do not name patients or staff: the picture goes to every unit and on to the authorities."},
	"picture.levels.note":                   {"Beredskapslägena när utkastet skapades. Ändra läget på händelsens sida och starta en ny version för att få med ändringen.", "The readiness levels when the draft was started. Change the level on the incident's page and start a new version to include the change."},
	"picture.save":                          {"Spara utkastet", "Save the draft"},
	"picture.approve":                       {"Godkänn", "Approve"},
	"picture.approve.h":                     {"Godkännande", "Approval"},
	"picture.approve.why":                   {"Godkänn den sparade versionen. Osparade ändringar i formuläret ovan kommer inte med.", "Approve the saved version. Unsaved changes in the form above are not included."},
	"picture.publish":                       {"Publicera", "Publish"},
	"picture.publish.h":                     {"Publicering", "Publication"},
	"picture.publish.why":                   {"Lägesbilden skickas till mottagarna med kvittens.", "The situation picture is sent to its audience with receipts."},
	"picture.publish.deadline":              {"Kvittens senast (minuter från nu, valfritt; annars 60)", "Receipt deadline (minutes from now, optional; otherwise 60)"},
	"picture.coverage":                      {"Kvittenser", "Receipts"},
	"picture.coverage.board":                {"Se kvittenserna per enhet", "See the receipts per unit"},
	"picture.coverage.now":                  {"Kvittenserna visas som de är nu.", "The receipts are shown as they are now."},
	"picture.print":                         {"Utskrift (A4)", "Print (A4)"},
	"picture.report.txt":                    {"Lägesrapport till Socialstyrelsen och länsstyrelsen (text)", "Situation report to Socialstyrelsen and the county board (text, in Swedish)"},
	"picture.report.pdf":                    {"Lägesrapport (PDF)", "Situation report (PDF, in Swedish)"},
	"picture.report.unpub":                  {"Bara en publicerad lägesbild kan skickas som lägesrapport.", "Only a published situation picture can be sent as a situation report."},
	"picture.diff":                          {"Jämförelse", "Comparison"},
	"picture.diff.field":                    {"Fält", "Field"},
	"picture.diff.changed":                  {"ändrat", "changed"},
	"picture.diff.count":                    {"Antal ändrade fält", "Changed fields"},
	"picture.diff.none":                     {"Versionerna är lika.", "The versions are the same."},
	"picture.empty.value":                   {"(tomt)", "(empty)"},
	"picture.org":                           {"Organisation", "Organisation"},
	"picture.incident":                      {"Händelse", "Incident"},
	"picture.approved.at":                   {"Godkänd", "Approved"},
	"picture.measure":                       {"Åtgärd", "Measure"},
	"picture.measure.what":                  {"Vad", "What"},
	"picture.measure.owner":                 {"Ansvarig (funktion eller enhet)", "Owner (function or unit)"},
	"picture.measure.deadline":              {"Klart senast", "Deadline"},
	"picture.measure.hint":                  {"Fyll i de tomma raderna för nya åtgärder. Töm en rad för att ta bort åtgärden. Spara för att få fler tomma rader.", "Fill in the empty rows for new measures. Empty a row to remove the measure. Save to get more empty rows."},
	"picture.affected.hint":                 {"Håll Ctrl (Cmd på Mac) nedtryckt för att välja flera.", "Hold Ctrl (Cmd on a Mac) to choose several."},
	"picture.audience":                      {"Mottagare när den publiceras", "Audience when published"},
	"picture.audience.hint":                 {"Inget val betyder alla enheter.", "No choice means every unit."},
	"picture.f.event":                       {"Händelse", "Event"},
	"picture.f.levels":                      {"Beredskapsläge", "Readiness level"},
	"picture.f.scope":                       {"Omfattning", "Scope"},
	"picture.f.affected":                    {"Berörda enheter", "Affected units"},
	"picture.f.consequences":                {"Konsekvenser", "Consequences"},
	"picture.f.consequences.patient_safety": {"Konsekvenser: patientsäkerhet", "Consequences: patient safety"},
	"picture.f.consequences.capacity":       {"Konsekvenser: kapacitet", "Consequences: capacity"},
	"picture.f.consequences.staff":          {"Konsekvenser: personal", "Consequences: staff"},
	"picture.f.consequences.supplies":       {"Konsekvenser: försörjning", "Consequences: supplies"},
	"picture.f.consequences.personal_data":  {"Konsekvenser: personuppgifter", "Consequences: personal data"},
	"picture.f.consequences.media":          {"Konsekvenser: förtroende och media", "Consequences: trust and media"},
	"picture.f.actions":                     {"Åtgärder och beslut sedan förra versionen", "Actions and decisions since the last version"},
	"picture.f.resources":                   {"Resurser och behov", "Resources and needs"},
	"picture.f.coordination":                {"Samverkan", "Coordination"},
	"picture.f.communication":               {"Kommunikation", "Communication"},
	"picture.f.forecast":                    {"Prognos", "Forecast"},
	"picture.f.direction":                   {"Inriktning: planerade åtgärder", "Direction: planned measures"},
	"picture.f.reporting":                   {"Rapportering (IMY, CSIRT, IVO, Socialstyrelsen, länsstyrelsen)", "Reporting (IMY, CSIRT, IVO, Socialstyrelsen, county board)"},
	"picture.f.next_briefing":               {"Nästa genomgång", "Next briefing"},
	"picture.f.audience":                    {"Mottagare", "Audience"},
}

func init() { web.AddMessages(pictureMessages) }

// emptyMeasureRows is how many empty direction rows the edit form offers.
const emptyMeasureRows = 3

// The edit form's free-text fields, in reading order. A form name is the
// content's JSON path, so that a command's field error points at its input.
var pictureConsequenceFields = []string{"consequences.patient_safety", "consequences.capacity", "consequences.staff",
	"consequences.supplies", "consequences.personal_data", "consequences.media"}
var pictureLaterFields = []string{"actions", "resources", "coordination", "communication", "forecast"}

type pictureListPage struct {
	web.Base
	Incident incident.Incident
	Pictures []situation.Picture
	Pending  *situation.Picture // the version not yet published, if any
	FourEyes bool
	CanWrite bool
	CanSet   bool // may change the four-eyes rule
	AsOf     incident.AsOf
	Query    url.Values
	Keep     string // the point-in-time query to keep on links ("" or "?at=…")
	Error    *web.FormError
}

// fieldView is one field of a version as the pages show it.
type fieldView struct {
	Key, Label, Value string
}

type picturePage struct {
	web.Base
	Incident   incident.Incident
	Picture    situation.Picture
	Fields     []fieldView
	AsOf       incident.AsOf
	Keep       string
	Editable   bool
	CanApprove bool
	OwnDraft   bool // four eyes keep this user from approving
	// ApproveWho says who may approve the draft, for those who may not.
	ApproveWho string
	CanPublish bool
	CanDiscard bool // an unpublished version may be set aside
	CanReport  bool
	FourEyes   bool
	Form       url.Values
	Rows       []int // the direction rows of the form
	Units      []directory.Unit
	Hospitals  []directory.Unit
	Types      []string
	Error      *web.FormError
	Notice     string
	Coverage   *dispatch.Dispatch
	Others     []situation.Picture // the other versions, to compare with
	Org        string
	Printed    time.Time
}

// Bad reports whether the page's error concerns the form field name (or a
// field inside it, e.g. audience.units inside audience).
func (pg picturePage) Bad(name string) bool {
	e := pg.Error
	return e != nil && e.Field != "" && (e.Field == name || strings.HasPrefix(e.Field, name+".") || strings.HasPrefix(e.Field, name+"["))
}

// Has reports whether the form's field name holds v (multiple choice).
func (pg picturePage) Has(name, v string) bool { return slices.Contains(pg.Form[name], v) }

// Val is one value of the form.
func (pg picturePage) Val(name string) string { return pg.Form.Get(name) }

// Row is the form name of a direction row's part.
func (pg picturePage) Row(i int, part string) string { return fmt.Sprintf("direction[%d].%s", i, part) }

// Plus1 numbers rows for people.
func (pg picturePage) Plus1(i int) int { return i + 1 }

type diffRow struct {
	Key, Label, From, To string
	Changed              bool
}

type pictureDiffPage struct {
	web.Base
	Incident incident.Incident
	A, B     situation.Picture
	Rows     []diffRow
	Changed  int
}

func (m *Module) pictureRoutes() {
	m.sh.HandlePage("GET /incidents/{id}/pictures", m.pictureList)
	m.sh.HandlePage("POST /incidents/{id}/pictures", m.pictureNew)
	m.sh.HandlePage("GET /incidents/{id}/pictures/compare", m.pictureCompare)
	m.sh.HandlePage("GET /pictures/{id}", m.pictureShow)
	m.sh.HandlePage("POST /pictures/{id}", m.pictureRevise)
	m.sh.HandlePage("POST /pictures/{id}/approve", m.pictureApprove)
	m.sh.HandlePage("POST /pictures/{id}/publish", m.picturePublish)
	m.sh.HandlePage("POST /pictures/{id}/discard", m.pictureDiscard)
	m.sh.HandlePage("GET /pictures/{id}/diff", m.pictureDiff)
	m.sh.HandlePage("GET /pictures/{id}/print", m.picturePrint)
	m.sh.HandlePage("GET /pictures/{id}/report.txt", m.pictureReportText)
	m.sh.HandlePage("GET /pictures/{id}/report.pdf", m.pictureReportPDF)
	m.sh.HandlePage("POST /settings/four-eyes", m.fourEyesSubmit)
}

// fourEyesSubmit turns the organisation's four-eyes rule on or off (an
// administrator's setting) and returns to the page it was changed on.
func (m *Module) fourEyesSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := m.svc.SetFourEyes(r.Context(), p, r.PostFormValue("enabled") == "true"); err != nil {
		return err
	}
	http.Redirect(w, r, web.SafeBack(r.PostFormValue("back")), http.StatusSeeOther)
	return nil
}

// pictureFailure turns a refusal the page can explain (bad input, a
// conflict with the version's state, the four-eyes rule) into an error
// shown on the page with its status; other errors propagate.
func pictureFailure(form string, err error) (*web.FormError, int, error) {
	fe := fail.As(err)
	switch fe.Code {
	case fail.Invalid, fail.Conflict, fail.Forbidden:
		return web.FormErrorOf(form, fe), web.Status(fe.Code), nil
	}
	return nil, 0, err
}

// keepAsOf is the query that keeps a point in time on links.
func keepAsOf(q url.Values) string {
	v := url.Values{}
	for _, k := range []string{"at", "known_at"} {
		if x := q.Get(k); x != "" {
			v.Set(k, x)
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

func (m *Module) pictureList(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return m.showPictureList(w, r, p, nil, 0)
}

func (m *Module) showPictureList(w http.ResponseWriter, r *http.Request, p auth.Principal, ferr *web.FormError, code int) error {
	id := incident.ID(r.PathValue("id"))
	q, err := web.ParseQuery(r)
	if err != nil {
		return err
	}
	inc, err := m.inc.Incident(p, id, q.AsOf)
	if err != nil {
		return err
	}
	pics, err := m.svc.Pictures(p, id, q.AsOf)
	if err != nil {
		return err
	}
	pg := pictureListPage{Base: m.sh.Base(r, &p, web.T(web.LangOf(r), "picture.title")+": "+inc.Title), Incident: inc, Pictures: pics,
		FourEyes: m.svc.FourEyes(), CanWrite: p.May(auth.WriteIncidents) && !inc.Closed && q.IsNow(), AsOf: q.AsOf,
		Query: r.URL.Query(), Keep: keepAsOf(r.URL.Query()), Error: ferr, CanSet: p.May(auth.ManageSettings) && q.IsNow()}
	pg.LiveIncident = id // the versions table follows drafts, approvals and publications
	for i := range pics {
		if s := pics[i].Status; s == situation.Draft || s == situation.Approved {
			pg.Pending = &pics[i]
			break
		}
	}
	if code != 0 {
		w.WriteHeader(code)
	}
	m.sh.Render(w, r, "picture-list", pg)
	return nil
}

// pictureNew starts a new version, prefilled, and opens it.
func (m *Module) pictureNew(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := m.svc.MayPlan(p); err != nil {
		return err
	}
	pic, err := m.svc.DraftPicture(r.Context(), p, situation.DraftPicture{Incident: incident.ID(r.PathValue("id"))})
	if err != nil {
		ferr, code, err := pictureFailure("new", err)
		if err != nil {
			return err
		}
		return m.showPictureList(w, r, p, ferr, code)
	}
	http.Redirect(w, r, "/pictures/"+string(pic.ID), http.StatusSeeOther)
	return nil
}

// pictureCompare sends the list's compare form to the side-by-side page.
func (m *Module) pictureCompare(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	a, b := r.URL.Query().Get("a"), r.URL.Query().Get("with")
	if a == "" {
		return fail.Field("a", "choose the first version")
	}
	if b == "" {
		return fail.Field("with", "choose the version to compare with")
	}
	http.Redirect(w, r, "/pictures/"+url.PathEscape(a)+"/diff?with="+url.QueryEscape(b), http.StatusSeeOther)
	return nil
}

func (m *Module) pictureShow(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	notice := ""
	switch r.URL.Query().Get("done") {
	case "saved":
		notice = "picture.saved"
	case "approved":
		notice = "picture.approved.done"
	case "published":
		notice = "picture.published.done"
	case "discarded":
		notice = "picture.discarded.done"
	}
	return m.showPicture(w, r, p, nil, nil, 0, notice)
}

// pictureFields lists a version's fields with labels in the page's language.
func (m *Module) pictureFields(lang web.Lang, c situation.Content) []fieldView {
	var out []fieldView
	for _, f := range m.sh.PictureFields(lang, c) {
		out = append(out, fieldView{Key: f.Key, Label: f.Label, Value: f.Value})
	}
	return out
}

// loadPicture reads one version at the request's point in time.
func (m *Module) loadPicture(r *http.Request, p auth.Principal) (picturePage, error) {
	q, err := web.ParseQuery(r)
	if err != nil {
		return picturePage{}, err
	}
	if r.Method != http.MethodGet {
		q.AsOf = incident.AsOf{} // a form answers about the present
	}
	pic, err := m.svc.Picture(p, situation.PictureID(r.PathValue("id")), q.AsOf)
	if err != nil {
		return picturePage{}, err
	}
	inc, err := m.inc.Incident(p, pic.Incident, incident.AsOf{})
	if err != nil {
		return picturePage{}, err
	}
	lang := web.LangOf(r)
	title := fmt.Sprintf("%s %d: %s", web.T(lang, "picture.title"), pic.Version, inc.Title)
	return picturePage{Base: m.sh.Base(r, &p, title), Incident: inc, Picture: pic, Fields: m.pictureFields(lang, pic.Content),
		AsOf: q.AsOf, Keep: keepAsOf(r.URL.Query()), FourEyes: m.svc.FourEyes(), Org: m.orgName()}, nil
}

func (m *Module) showPicture(w http.ResponseWriter, r *http.Request, p auth.Principal, ferr *web.FormError, form url.Values, code int, notice string) error {
	pg, err := m.loadPicture(r, p)
	if err != nil {
		return err
	}
	pic := pg.Picture
	now := pg.AsOf.IsNow()
	pg.Error, pg.Notice = ferr, notice
	pg.Editable = now && pic.Status == situation.Draft && p.May(auth.WriteIncidents) && !pg.Incident.Closed
	// Approval is offered only to whom it would not refuse; everyone else
	// is told who may approve (four eyes: not the version's authors).
	draft := now && pic.Status == situation.Draft
	pg.OwnDraft = draft && pg.FourEyes && slices.Contains(pic.Authors, p.Username)
	pg.CanApprove = draft && p.May(auth.ApprovePicture) && !pg.OwnDraft
	if draft && !pg.CanApprove {
		pg.ApproveWho = m.approveWho(pg.Lang, p, pic, pg.FourEyes, pg.OwnDraft)
	}
	pg.CanPublish = now && pic.Status == situation.Approved && p.May(auth.WriteIncidents)
	pg.CanDiscard = now && (pic.Status == situation.Draft || pic.Status == situation.Approved) && p.May(auth.WriteIncidents)
	pg.CanReport = pic.Status == situation.Published && p.May(auth.ReadJournal)
	if pg.Editable {
		pg.Form = form
		if pg.Form == nil {
			pg.Form = contentForm(pic.Content)
		}
		pg.Rows = formRows(pg.Form)
		pg.Units, pg.Hospitals = m.dir.Units(), m.dir.Hospitals()
		seen := map[string]bool{}
		for _, u := range pg.Units {
			if !seen[string(u.Type)] {
				seen[string(u.Type)] = true
				pg.Types = append(pg.Types, string(u.Type))
			}
		}
	}
	if pic.Dispatch != "" && now {
		if d, _, err := m.disp.Dispatch(p, pic.Dispatch); err == nil {
			pg.Coverage = &d
		}
	}
	if all, err := m.svc.Pictures(p, pic.Incident, pg.AsOf); err == nil {
		for _, o := range all {
			if o.ID != pic.ID {
				pg.Others = append(pg.Others, o)
			}
		}
	}
	if code != 0 {
		w.WriteHeader(code)
	}
	m.sh.Render(w, r, "picture", pg)
	return nil
}

// contentForm is a version's content as the edit form's values.
func contentForm(c situation.Content) url.Values {
	f := url.Values{}
	set := func(k, v string) {
		if v != "" {
			f.Set(k, v)
		}
	}
	set("event", c.Event)
	set("scope", c.Scope)
	f["affected"] = slices.Clone(c.Affected)
	set("consequences.patient_safety", c.Consequences.PatientSafety)
	set("consequences.capacity", c.Consequences.Capacity)
	set("consequences.staff", c.Consequences.Staff)
	set("consequences.supplies", c.Consequences.Supplies)
	set("consequences.personal_data", c.Consequences.PersonalData)
	set("consequences.media", c.Consequences.Media)
	set("actions", c.Actions)
	set("resources", c.Resources)
	set("coordination", c.Coordination)
	set("communication", c.Communication)
	set("forecast", c.Forecast)
	set("reporting", c.Reporting)
	set("next_briefing", web.LocalInput(c.NextBriefing))
	for i, m := range c.Direction {
		row := func(part string) string { return fmt.Sprintf("direction[%d].%s", i, part) }
		f.Set(row("what"), m.What)
		f.Set(row("owner"), m.Owner)
		f.Set(row("deadline"), web.LocalInput(m.Deadline))
		f.Set(row("task"), m.Task)
	}
	f.Set("direction.rows", strconv.Itoa(len(c.Direction)+emptyMeasureRows))
	if c.Audience.All {
		f.Set("audience.all", "on")
	}
	f["audience.subtrees"] = slices.Clone(c.Audience.Subtrees)
	f["audience.types"] = slices.Clone(c.Audience.Types)
	f["audience.units"] = slices.Clone(c.Audience.Units)
	f["audience.functions"] = slices.Clone(c.Audience.Functions)
	return f
}

// maxMeasureRows bounds the direction rows a form may post.
const maxMeasureRows = 2*situation.MaxItems + emptyMeasureRows

// formRows numbers the direction rows of a form.
func formRows(f url.Values) []int {
	n, _ := strconv.Atoi(f.Get("direction.rows"))
	n = min(max(n, emptyMeasureRows), maxMeasureRows)
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	return rows
}

// formContent reads the edit form into content; what the form does not
// hold (the levels) comes from base. rowOf maps each measure to the form
// row it came from, as empty rows are left out.
func formContent(f url.Values, base situation.Content) (c situation.Content, rowOf []int, err error) {
	c = base
	c.Event, c.Scope = f.Get("event"), f.Get("scope")
	c.Affected = nil
	for _, u := range f["affected"] {
		if u != "" {
			c.Affected = append(c.Affected, u)
		}
	}
	c.Consequences = situation.Consequences{PatientSafety: f.Get("consequences.patient_safety"),
		Capacity: f.Get("consequences.capacity"), Staff: f.Get("consequences.staff"), Supplies: f.Get("consequences.supplies"),
		PersonalData: f.Get("consequences.personal_data"), Media: f.Get("consequences.media")}
	c.Actions, c.Resources, c.Coordination = f.Get("actions"), f.Get("resources"), f.Get("coordination")
	c.Communication, c.Forecast, c.Reporting = f.Get("communication"), f.Get("forecast"), f.Get("reporting")
	if c.NextBriefing, err = web.ParseTime("next_briefing", strings.TrimSpace(f.Get("next_briefing"))); err != nil {
		return c, nil, err
	}
	c.Direction = nil
	for _, i := range formRows(f) {
		row := func(part string) string { return strings.TrimSpace(f.Get(fmt.Sprintf("direction[%d].%s", i, part))) }
		what, owner, deadline := row("what"), row("owner"), row("deadline")
		if what == "" && owner == "" && deadline == "" {
			continue // an empty row, or a measure emptied to remove it
		}
		m := situation.Measure{What: what, Owner: owner, Task: row("task")}
		if m.Deadline, err = web.ParseTime(fmt.Sprintf("direction[%d].deadline", i), deadline); err != nil {
			return c, nil, err
		}
		c.Direction = append(c.Direction, m)
		rowOf = append(rowOf, i)
	}
	c.Audience = dispatch.Audience{All: f.Get("audience.all") == "on", Subtrees: nonEmpty(f["audience.subtrees"]),
		Types: nonEmpty(f["audience.types"]), Units: nonEmpty(f["audience.units"]), Functions: nonEmpty(f["audience.functions"])}
	return c, rowOf, nil
}

func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// formRowField turns a command's direction[k] (k counting the measures
// kept) into the form row it came from.
func formRowField(field string, rowOf []int) string {
	rest, ok := strings.CutPrefix(field, "direction[")
	if !ok {
		return field
	}
	n, tail, ok := strings.Cut(rest, "]")
	k, err := strconv.Atoi(n)
	if !ok || err != nil || k < 0 || k >= len(rowOf) {
		return field
	}
	return fmt.Sprintf("direction[%d]%s", rowOf[k], tail)
}

func (m *Module) pictureRevise(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := m.svc.MayPlan(p); err != nil {
		return err
	}
	id := situation.PictureID(r.PathValue("id"))
	cur, err := m.svc.Picture(p, id, incident.AsOf{})
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return fail.Field("form", "unreadable form: %v", err)
	}
	c, rowOf, err := formContent(r.PostForm, cur.Content)
	if err == nil {
		_, err = m.svc.RevisePicture(r.Context(), p, situation.Revise{Picture: id, Content: c})
	}
	if err != nil {
		ferr, code, err := pictureFailure("revise", err)
		if err != nil {
			return err
		}
		ferr.Field = formRowField(ferr.Field, rowOf)
		return m.showPicture(w, r, p, ferr, r.PostForm, code, "")
	}
	http.Redirect(w, r, "/pictures/"+string(id)+"?done=saved", http.StatusSeeOther)
	return nil
}

func (m *Module) pictureApprove(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := m.svc.MayApprove(p); err != nil {
		return err
	}
	id := situation.PictureID(r.PathValue("id"))
	if _, err := m.svc.ApprovePicture(r.Context(), p, id); err != nil {
		ferr, code, err := pictureFailure("approve", err)
		if err != nil {
			return err
		}
		return m.showPicture(w, r, p, ferr, nil, code, "")
	}
	http.Redirect(w, r, "/pictures/"+string(id)+"?done=approved", http.StatusSeeOther)
	return nil
}

// pictureDiscard sets an unpublished version aside, with a reason.
func (m *Module) pictureDiscard(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := m.svc.MayPlan(p); err != nil {
		return err
	}
	id := situation.PictureID(r.PathValue("id"))
	if _, err := m.svc.DiscardPicture(r.Context(), p, situation.Discard{Picture: id, Reason: r.PostFormValue("reason")}); err != nil {
		ferr, code, err := pictureFailure("discard", err)
		if err != nil {
			return err
		}
		return m.showPicture(w, r, p, ferr, nil, code, "")
	}
	http.Redirect(w, r, "/pictures/"+string(id)+"?done=discarded", http.StatusSeeOther)
	return nil
}

func (m *Module) picturePublish(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := m.svc.MayPlan(p); err != nil {
		return err
	}
	id := situation.PictureID(r.PathValue("id"))
	cmd := situation.Publish{Picture: id}
	err := func() error {
		if mins := strings.TrimSpace(r.PostFormValue("deadline")); mins != "" {
			minutes, err := strconv.Atoi(mins)
			if err != nil || minutes < 1 {
				return fail.Field("deadline", "give the number of minutes from now (at least 1), or leave it empty")
			}
			cmd.Deadline = m.sh.Now().Add(time.Duration(minutes) * time.Minute)
		}
		_, err := m.svc.PublishPicture(r.Context(), p, cmd)
		return err
	}()
	if err != nil {
		ferr, code, err := pictureFailure("publish", err)
		if err != nil {
			return err
		}
		return m.showPicture(w, r, p, ferr, nil, code, "")
	}
	http.Redirect(w, r, "/pictures/"+string(id)+"?done=published", http.StatusSeeOther)
	return nil
}

// pictureDiff shows two versions side by side, every field, the changed
// ones marked.
func (m *Module) pictureDiff(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	a := situation.PictureID(r.PathValue("id"))
	b := situation.PictureID(r.URL.Query().Get("with"))
	if b == "" {
		return fail.Field("with", "name the version to compare with")
	}
	changes, err := m.svc.PictureDiff(p, a, b)
	if err != nil {
		return err
	}
	pa, err := m.svc.Picture(p, a, incident.AsOf{})
	if err != nil {
		return err
	}
	pb, err := m.svc.Picture(p, b, incident.AsOf{})
	if err != nil {
		return err
	}
	if pb.Version < pa.Version { // older on the left
		pa, pb = pb, pa
	}
	inc, err := m.inc.Incident(p, pa.Incident, incident.AsOf{})
	if err != nil {
		return err
	}
	changed := map[string]bool{}
	for _, c := range changes {
		changed[c.Key] = true
	}
	lang := web.LangOf(r)
	fa, fb := m.pictureFields(lang, pa.Content), m.pictureFields(lang, pb.Content)
	pg := pictureDiffPage{Base: m.sh.Base(r, &p, fmt.Sprintf("%s: %d – %d", web.T(lang, "picture.diff"), pa.Version, pb.Version)),
		Incident: inc, A: pa, B: pb, Changed: len(changes)}
	for i := range fa {
		pg.Rows = append(pg.Rows, diffRow{Key: fa[i].Key, Label: fa[i].Label, From: fa[i].Value, To: fb[i].Value, Changed: changed[fa[i].Key]})
	}
	m.sh.Render(w, r, "picture-diff", pg)
	return nil
}

// picturePrint is one version on A4, every field.
func (m *Module) picturePrint(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	pg, err := m.loadPicture(r, p)
	if err != nil {
		return err
	}
	pg.Printed = m.sh.Now()
	m.sh.Render(w, r, "picture-print", pg)
	return nil
}

// orgName is the organisation's name as the directory's region states it.
func (m *Module) orgName() string {
	for _, u := range m.dir.Units() {
		if u.Type == directory.Region && u.Parent == "" {
			return u.Name
		}
	}
	return m.org
}

// situationReport is the export of a published version, with the version
// for its file name.
func (m *Module) situationReport(r *http.Request, p auth.Principal) (string, situation.Picture, error) {
	id := situation.PictureID(r.PathValue("id"))
	text, err := m.svc.SituationReport(p, id, m.orgName(), nil)
	if err != nil {
		if fail.Is(err, fail.Conflict) {
			return "", situation.Picture{}, fail.New(fail.Conflict, "%s (%v)", web.T(web.LangOf(r), "picture.report.unpub"), fail.As(err))
		}
		return "", situation.Picture{}, err
	}
	pic, err := m.svc.Picture(p, id, incident.AsOf{})
	return text, pic, err
}

func reportFile(pic situation.Picture, ext string) string {
	return fmt.Sprintf(`attachment; filename="lagesrapport-%s-v%d.%s"`, pic.Incident, pic.Version, ext)
}

func (m *Module) pictureReportText(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	text, pic, err := m.situationReport(r, p)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", reportFile(pic, "txt"))
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte(text))
	return nil
}

func (m *Module) pictureReportPDF(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	text, pic, err := m.situationReport(r, p)
	if err != nil {
		return err
	}
	inc, err := m.inc.Incident(p, pic.Incident, incident.AsOf{})
	if err != nil {
		return err
	}
	meta := pdf.Meta{Title: fmt.Sprintf("Lägesrapport: %s, version %d", inc.Title, pic.Version), Author: m.orgName(),
		Created: m.sh.Now().In(web.Stockholm), PageFormat: "Sida %d av %d"}
	var buf bytes.Buffer
	if _, err := reportPDF(meta, text).WriteTo(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", reportFile(pic, "pdf"))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
	return nil
}

// reportPDF sets the text of a situation report (situation.Export) as a
// PDF: its first line as the heading, the lines up to the first empty line
// as a table of facts, then every field under its heading. A field's
// heading is its label in capitals after an empty line, as Export writes
// it.
func reportPDF(meta pdf.Meta, text string) *pdf.Doc {
	labels := map[string]string{}
	for _, f := range situation.Fields(situation.Content{}, nil) {
		labels[strings.ToUpper(f.Label)] = f.Label
	}
	d := pdf.New(meta)
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	i := 0
	if len(lines) > 0 {
		d.Heading(lines[0])
		i = 1
	}
	for ; i < len(lines) && lines[i] != ""; i++ {
		if k, v, ok := strings.Cut(lines[i], ": "); ok && !strings.Contains(k, " ") {
			d.KeyValue(k, v)
		} else {
			d.Para(lines[i])
		}
	}
	d.Rule()
	var para []string
	flush := func() {
		if body := strings.Trim(strings.Join(para, "\n"), "\n"); body != "" {
			d.Para(body)
		}
		para = nil
	}
	for ; i < len(lines); i++ {
		if label, ok := labels[lines[i]]; ok && i > 0 && lines[i-1] == "" {
			flush()
			d.Heading(label)
			continue
		}
		para = append(para, lines[i])
	}
	flush()
	return d
}

// pictureArg is what the picture-text template gets: the page and the
// name of one free-text field.
type pictureArg struct {
	P    picturePage
	Name string
}

// Arg hands one free-text field to the picture-text template.
func (pg picturePage) Arg(name string) pictureArg { return pictureArg{P: pg, Name: name} }

// ConsequenceFields are the form names of the consequences.
func (pg picturePage) ConsequenceFields() []string { return pictureConsequenceFields }

// LaterFields are the free-text fields between the consequences and the
// direction: actions, resources, coordination, communication, forecast.
func (pg picturePage) LaterFields() []string { return pictureLaterFields }
