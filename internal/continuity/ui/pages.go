package continuityui

import (
	"cmp"
	"fmt"
	"html/template"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/web"
)

// The registry's pages (issue 11, points 1–4 and 7):
//
//	GET  /registry                          every component, worst status first (?kind=), live
//	POST /registry/components               add a component (administrators)
//	GET  /registry/components/{id}          what it depends on, what depends on it, its routines
//	POST /registry/components/{id}          edit it
//	POST /registry/components/{id}/dependencies   add a dependency from it
//	POST /registry/components/{id}/routines       add a routine for it
//	GET  /registry/import, POST             CSV import (all or nothing) and the export links
//	GET  /registry/whatif (?down=&q=)       choose components → the impact; .svg: its drawing
//	GET  /incidents/{id}/continuity         the incident's statuses and impact (?at=, ?known_at=), live
//	POST /incidents/{id}/continuity         record a status; .svg: the drawing
//
// Reading takes auth.ReadIncidents, keeping the registry auth.ManageRegistry
// and recording a status auth.WriteIncidents: the service checks each, and
// the pages ask it before they offer a form.

func (m *Module) pageRoutes() {
	sh := m.sh
	sh.HandlePage("GET /registry", m.registryPage)
	sh.HandlePage("POST /registry/components", m.addComponentSubmit)
	sh.HandlePage("GET /registry/components/{cid}", m.componentPage)
	sh.HandlePage("POST /registry/components/{cid}", m.editComponentSubmit)
	sh.HandlePage("POST /registry/components/{cid}/dependencies", m.addDependencySubmit)
	sh.HandlePage("POST /registry/components/{cid}/routines", m.addRoutineSubmit)
	sh.HandlePage("GET /registry/import", m.importPage)
	sh.HandlePage("POST /registry/import", m.importSubmit)
	sh.HandlePage("GET /registry/whatif", m.whatIfPage)
	sh.HandlePage("GET /registry/whatif.svg", m.whatIfSVG)
	sh.HandlePage("GET /registry/continuity.css", serveCSS)
	sh.HandlePage("GET /incidents/{id}/continuity", m.incidentPage)
	sh.HandlePage("POST /incidents/{id}/continuity", m.recordSubmit)
	sh.HandlePage("GET /incidents/{id}/continuity.svg", m.incidentSVG)
	// A recorded status changes what the registry and the incident's pages
	// show: their parts marked data-live="situation" are fetched again
	// (fyr.js does that on a "situation" frame; the frame carries no
	// content, so it suits every role and language).
	sh.HandleLive(continuity.TypeStatusRecorded, m.publishStatus)
}

func (m *Module) publishStatus(e event.Envelope, out web.LiveOut) {
	var rec continuity.StatusRecorded
	if e.Unmarshal(&rec) != nil || rec.Incident == "" {
		return
	}
	out.Send(out.Frame("situation", map[string]string{"incident": string(rec.Incident), "type": "continuity"}), rec.Incident, nil)
}

func serveCSS(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	css, err := templates.ReadFile("templates/continuity.css")
	if err != nil {
		return fmt.Errorf("continuity.css: %w", err)
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Write(css)
	return nil
}

// statusRow is one component of the registry page.
type statusRow struct {
	C        continuity.Component
	Worst    continuity.Status // "" when no open incident records it
	Statuses []continuity.CurrentStatus
	Tel      template.URL
}

type registryPage struct {
	web.Base
	Rows      []statusRow
	Kinds     []continuity.Kind
	Kind      continuity.Kind
	Total     int
	Down      int
	Degraded  int
	CanManage bool
	NewForm   compForm
	Error     *web.FormError // the refusal, also in the form: put in the page's language by Render
}

func statusRank(s continuity.Status) int {
	switch s {
	case continuity.Down:
		return 0
	case continuity.Degraded:
		return 1
	}
	return 2
}

// telURL is a tel: link for a phone number as people write it
// ("010-123 45 67"), or "" when it is not one.
func telURL(number string) template.URL {
	var b strings.Builder
	for i, r := range strings.TrimSpace(number) {
		switch {
		case r >= '0' && r <= '9', r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')':
		default:
			return ""
		}
	}
	if b.Len() < 3 {
		return ""
	}
	return template.URL("tel:" + b.String())
}

func (m *Module) registryPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return m.showRegistry(w, r, p, nil, nil)
}

func (m *Module) showRegistry(w http.ResponseWriter, r *http.Request, p auth.Principal, ferr *web.FormError, form url.Values) error {
	cs, err := m.svc.Components(p)
	if err != nil {
		return err
	}
	open, err := m.svc.OpenStatuses(p)
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	pg := registryPage{Base: m.sh.Base(r, &p, web.T(lang, "crp.registry.title")), Kinds: continuity.Kinds,
		Kind: continuity.Kind(r.URL.Query().Get("kind")), CanManage: m.svc.MayManage(p) == nil,
		NewForm: compForm{Lang: lang, P: "cn", New: true, V: formOf(ferr, "component", form, url.Values{"criticality": {"medium"}}),
			Kinds: continuity.Kinds, Crits: continuity.Criticalities, Error: ferr, Action: "/registry/components"}, Error: ferr}
	if !slices.Contains(pg.Kinds, pg.Kind) {
		pg.Kind = ""
	}
	// The page follows the newest open incident's statuses live.
	if len(pg.Active) > 0 {
		pg.LiveIncident = pg.Active[0].ID
	}
	for _, c := range cs {
		row := statusRow{C: c, Statuses: open[c.ID], Tel: telURL(c.ContactPhone)}
		if len(row.Statuses) > 0 {
			row.Worst = row.Statuses[0].Status
		}
		switch row.Worst {
		case continuity.Down:
			pg.Down++
		case continuity.Degraded:
			pg.Degraded++
		}
		if pg.Kind == "" || c.Kind == pg.Kind {
			pg.Rows = append(pg.Rows, row)
		}
	}
	pg.Total = len(cs)
	slices.SortStableFunc(pg.Rows, func(a, b statusRow) int { return cmp.Compare(statusRank(a.Worst), statusRank(b.Worst)) })
	if ferr != nil {
		w.WriteHeader(http.StatusBadRequest)
	}
	m.sh.Render(w, r, "crp-registry", pg)
	return nil
}

// componentOf reads the component form.
func componentOf(r *http.Request, id string) continuity.Component {
	f := r.PostFormValue
	if id == "" {
		id = f("id")
	}
	return continuity.Component{ID: id, Kind: continuity.Kind(f("kind")), Name: f("name"), Owner: f("owner"),
		ContactName: f("contact_name"), ContactPhone: f("contact_phone"), Criticality: continuity.Criticality(f("criticality")),
		MaxOutage: f("max_outage"), Note: f("note")}
}

func (m *Module) addComponentSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := m.svc.MayManage(p); err != nil {
		return err
	}
	c := componentOf(r, "")
	if _, ok, err := m.svc.Component(p, strings.TrimSpace(c.ID)); err != nil {
		return err
	} else if ok {
		// A new component must not silently replace one (the API's save
		// does: this form says "add").
		ferr, _ := web.FormFailure("component", fail.Field("id", "%q is taken by another component", c.ID))
		return m.showRegistry(w, r, p, ferr, r.PostForm)
	}
	saved, err := m.svc.SaveComponent(r.Context(), p, c)
	if err != nil {
		ferr, err := web.FormFailure("component", err)
		if err != nil {
			return err
		}
		return m.showRegistry(w, r, p, ferr, r.PostForm)
	}
	http.Redirect(w, r, "/registry/components/"+url.PathEscape(saved.ID)+"?saved=component", http.StatusSeeOther)
	return nil
}

type componentPage struct {
	web.Base
	C          continuity.Component
	Tel        template.URL
	Statuses   []continuity.CurrentStatus
	On, By     []continuity.Link
	For, Needs []continuity.Routine
	CanManage  bool
	Saved      string
	Edit       compForm
	Error      *web.FormError // the refusal, also in its form: put in the page's language by Render
	Dep        sub
	Rt         sub
	DepTypes   []continuity.DepType
	Others     []continuity.Component
	Names      map[string]string // component id → name
}

func (m *Module) componentPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return m.showComponent(w, r, p, nil, nil)
}

func (m *Module) showComponent(w http.ResponseWriter, r *http.Request, p auth.Principal, ferr *web.FormError, form url.Values) error {
	id := r.PathValue("cid")
	c, ok, err := m.svc.Component(p, id)
	if err != nil {
		return err
	}
	if !ok {
		return fail.New(fail.NotFound, "no component %q in the registry", id)
	}
	on, by, err := m.svc.Links(p, id)
	if err != nil {
		return err
	}
	forIt, needIt, err := m.svc.RoutinesOf(p, id)
	if err != nil {
		return err
	}
	open, err := m.svc.OpenStatuses(p)
	if err != nil {
		return err
	}
	all, err := m.svc.Components(p)
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	pg := componentPage{Base: m.sh.Base(r, &p, c.Name), C: c, Tel: telURL(c.ContactPhone), Statuses: open[id], On: on, By: by,
		For: forIt, Needs: needIt, CanManage: m.svc.MayManage(p) == nil, DepTypes: continuity.DepTypes,
		Edit: compForm{Lang: lang, P: "ce", V: formOf(ferr, "component", form, valuesOf(c)), Kinds: continuity.Kinds,
			Crits: continuity.Criticalities, Error: ferr, Action: "/registry/components/" + url.PathEscape(id)},
		Dep: sub{Lang: lang, Error: ferr, Form: "dependency", Fields: dependencyFields, V: formOf(ferr, "dependency", form, url.Values{})},
		Rt:  sub{Lang: lang, Error: ferr, Form: "routine", Fields: routineFields, V: formOf(ferr, "routine", form, url.Values{})}, Error: ferr}
	if ferr == nil {
		pg.Saved = r.URL.Query().Get("saved")
	}
	pg.Names = map[string]string{}
	for _, o := range all {
		pg.Names[o.ID] = o.Name
		if o.ID != id {
			pg.Others = append(pg.Others, o)
		}
	}
	if len(pg.Active) > 0 {
		pg.LiveIncident = pg.Active[0].ID
	}
	if ferr != nil {
		w.WriteHeader(http.StatusBadRequest)
	}
	m.sh.Render(w, r, "crp-component", pg)
	return nil
}

func (m *Module) editComponentSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := r.PathValue("cid")
	if _, ok, err := m.svc.Component(p, id); err != nil {
		return err
	} else if !ok {
		return fail.New(fail.NotFound, "no component %q in the registry", id)
	}
	if _, err := m.svc.SaveComponent(r.Context(), p, componentOf(r, id)); err != nil {
		ferr, err := web.FormFailure("component", err)
		if err != nil {
			return err
		}
		return m.showComponent(w, r, p, ferr, r.PostForm)
	}
	http.Redirect(w, r, "/registry/components/"+url.PathEscape(id)+"?saved=component", http.StatusSeeOther)
	return nil
}

func (m *Module) addDependencySubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := r.PathValue("cid")
	f := r.PostFormValue
	d := continuity.Dependency{From: id, To: strings.TrimSpace(f("to")), Type: continuity.DepType(f("type")),
		Group: strings.TrimSpace(f("group")), Mode: continuity.Mode(f("mode"))}
	if _, err := m.svc.AddDependency(r.Context(), p, d); err != nil {
		ferr, err := web.FormFailure("dependency", err)
		if err != nil {
			return err
		}
		return m.showComponent(w, r, p, ferr, r.PostForm)
	}
	http.Redirect(w, r, "/registry/components/"+url.PathEscape(id)+"?saved=dependency#on", http.StatusSeeOther)
	return nil
}

// ids splits a list of ids written with commas, spaces or lines.
func ids(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

func (m *Module) addRoutineSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := r.PathValue("cid")
	f := r.PostFormValue
	var steps []string
	for _, s := range strings.Split(f("steps"), "\n") {
		if s = strings.TrimSpace(s); s != "" {
			steps = append(steps, s)
		}
	}
	rt := continuity.Routine{ID: strings.TrimSpace(f("rid")), Title: f("title"), Steps: steps, Owner: f("owner"),
		PaperCopy: f("paper_copy"), For: append([]string{id}, ids(f("for"))...), Needs: append(r.PostForm["needs"], ids(f("needs_more"))...)}
	if rt.Needs == nil {
		rt.Needs = []string{}
	}
	if _, err := m.svc.SaveRoutine(r.Context(), p, rt); err != nil {
		ferr, err := web.FormFailure("routine", err)
		if err != nil {
			return err
		}
		return m.showComponent(w, r, p, ferr, r.PostForm)
	}
	http.Redirect(w, r, "/registry/components/"+url.PathEscape(id)+"?saved=routine#routines", http.StatusSeeOther)
	return nil
}

// importPage is the CSV import and export page, and the result of an import.
type importPage struct {
	web.Base
	CanImport bool
	Pasted    url.Values // what was pasted, shown again after a refusal
	Comps     []string
	Deps      []string
	Summary   *continuity.ImportSummary
	Problems  []problemView
}

// importFiles reads the two CSV files of an import: pasted into the page's
// text areas (a form, which the shell takes on every route) or, where the
// shell lets the route take an upload, as files.
func importFiles(r *http.Request, names map[string]string) (map[string][]byte, error) {
	files := map[string][]byte{}
	fields := []string{continuity.FileComponents, continuity.FileDependencies}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		if err := r.ParseForm(); err != nil {
			if err := web.BodyTooLarge(r); err != nil {
				return nil, err
			}
			return nil, web.BadForm(err)
		}
		for _, field := range fields {
			if v := strings.TrimSpace(r.PostFormValue(field)); v != "" {
				files[field] = []byte(v + "\n")
			}
		}
		return files, nil
	}
	if err := r.ParseMultipartForm(MaxImportBytes); err != nil {
		if err := web.BodyTooLarge(r); err != nil {
			return nil, err
		}
		return nil, fail.Field(continuity.FileComponents, "the upload could not be read: %v", err)
	}
	for _, field := range fields {
		f, h, err := r.FormFile(field)
		if err != nil || h.Size == 0 {
			// No file chosen: the text pasted into the field's text area.
			for _, v := range r.MultipartForm.Value[field] {
				if v = strings.TrimSpace(v); v != "" {
					files[field] = []byte(v + "\n")
					break
				}
			}
			continue
		}
		names[field] = h.Filename
		buf, err := io.ReadAll(io.LimitReader(f, MaxImportBytes+1))
		f.Close()
		if err != nil {
			return nil, fail.Field(field, "could not be read: %v", err)
		}
		if len(buf) > MaxImportBytes {
			return nil, web.TooLarge(MaxImportBytes)
		}
		files[field] = buf
	}
	return files, nil
}

type problemView struct {
	fail.Problem
	FileName string
}

func (m *Module) newImportPage(r *http.Request, p auth.Principal) importPage {
	return importPage{Base: m.sh.Base(r, &p, web.T(web.LangOf(r), "crp.import.title")), CanImport: m.svc.MayManage(p) == nil,
		Comps: append(append([]string{}, continuity.ComponentColumns...), continuity.ComponentOptional...),
		Deps:  append(append([]string{}, continuity.DependencyColumns...), continuity.DependencyOptional...)}
}

func (m *Module) importPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if _, err := m.svc.Components(p); err != nil {
		return err
	}
	m.sh.Render(w, r, "crp-import", m.newImportPage(r, p))
	return nil
}

// importSubmit imports the uploaded files as one import: every bad row is
// listed, and nothing changes unless every row is good.
func (m *Module) importSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := m.svc.MayManage(p); err != nil {
		return err
	}
	pg := m.newImportPage(r, p)
	names := map[string]string{}
	err := func() error {
		files, err := importFiles(r, names)
		if err != nil {
			return err
		}
		if len(files) == 0 {
			return fail.Field(continuity.FileComponents, "paste or choose at least one file")
		}
		sum, err := m.svc.ImportCSV(r.Context(), &p, files[continuity.FileComponents], files[continuity.FileDependencies])
		if err != nil {
			return err
		}
		pg.Summary = &sum
		return nil
	}()
	if err != nil {
		fe := web.Localized(web.LangOf(r), fail.As(err))
		if fe.Code != fail.Invalid {
			return err
		}
		for _, pr := range fe.Problems {
			pg.Problems = append(pg.Problems, problemView{Problem: pr, FileName: names[pr.File]})
		}
		if len(pg.Problems) == 0 {
			pg.Problems = []problemView{{Problem: fail.Problem{Field: fe.Field, Message: fe.Message}}}
		}
		pg.Pasted = r.PostForm
		w.WriteHeader(http.StatusBadRequest)
	}
	m.sh.Render(w, r, "crp-import", pg)
	return nil
}

// compForm is the component form: new (with its id field) or editing one.
type compForm struct {
	Lang   web.Lang
	P      string // the prefix of the fields' element ids
	New    bool
	V      url.Values
	Kinds  []continuity.Kind
	Crits  []continuity.Criticality
	Error  *web.FormError
	Action string
}

// fieldErr is the refusal of field in form, or "".
func fieldErr(e *web.FormError, form, field string) string {
	if e != nil && e.Form == form && e.Field == field {
		return e.Msg
	}
	return ""
}

// Err is the refusal of the form's field, or "".
func (f compForm) Err(field string) string { return fieldErr(f.Error, "component", field) }

// Other is a refusal of the form that names none of its fields.
func (f compForm) Other() *web.FormError { return otherErr(f.Error, "component", componentFields) }

var (
	componentFields  = []string{"id", "kind", "name", "owner", "contact_name", "contact_phone", "criticality", "max_outage", "note"}
	dependencyFields = []string{"to", "type", "group", "mode"}
	routineFields    = []string{"id", "title", "steps", "owner", "paper_copy", "for", "needs"}
	statusFields     = []string{"component", "status", "occurred_at", "source", "note"}
)

// otherErr is e when it refuses form without naming one of its fields
// (those are shown beside the field).
func otherErr(e *web.FormError, form string, fields []string) *web.FormError {
	if e == nil || e.Form != form || slices.Contains(fields, e.Field) {
		return nil
	}
	return e
}

func valuesOf(c continuity.Component) url.Values {
	return url.Values{"id": {c.ID}, "kind": {string(c.Kind)}, "name": {c.Name}, "owner": {c.Owner}, "contact_name": {c.ContactName},
		"contact_phone": {c.ContactPhone}, "criticality": {string(c.Criticality)}, "max_outage": {c.MaxOutage}, "note": {c.Note}}
}

// formOf is the form posted when a refusal shows it again, or else base.
func formOf(e *web.FormError, form string, posted, base url.Values) url.Values {
	if e != nil && e.Form == form && posted != nil {
		return posted
	}
	return base
}

// sub is one of a page's forms with the page's refusal.
type sub struct {
	Lang   web.Lang
	Error  *web.FormError
	Form   string
	Fields []string
	V      url.Values
}

// Err is the refusal of the form's field, or "".
func (s sub) Err(field string) string { return fieldErr(s.Error, s.Form, field) }

// Other is a refusal of the form that names none of its fields.
func (s sub) Other() *web.FormError { return otherErr(s.Error, s.Form, s.Fields) }
