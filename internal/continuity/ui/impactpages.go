package continuityui

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/continuity/graphsvg"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/web"
)

// impactView is a report as the pages show it: every item with its
// explaining path in words, units grouped per hospital, routines that will
// not work first.
type impactView struct {
	Lang       web.Lang
	Components []itemView
	Hospitals  []hospitalView
	Broken     []routineView
	Works      []routineView
	Units      int
	SVG        string // the drawing's URL
	Desc       string // what the drawing shows, in words
	Empty      bool
}

type itemView struct {
	ID, Name string
	Kind     continuity.Kind
	Status   continuity.Status
	Path     pathView
}

// pathView is an explaining path in words.
type pathView struct {
	Lang  web.Lang
	Steps []stepView
	Lead  bool // the first step says how the item before it (not shown) depends on it
}

type stepView struct {
	continuity.Step
	Status continuity.Status // of the last step: the recorded component
	Last   bool
}

type hospitalView struct {
	Name           string
	Down, Degraded int
	Groups         []unitGroup
}

// unitGroup is the units of a hospital affected the same way: the same
// status and the same path from what they use on (a ward's path differs
// from its neighbour's only by its own name), named once.
type unitGroup struct {
	Names  []string
	Status continuity.Status
	Path   pathView // from what the units use, its first step with the word for "uses"
}

type routineView struct {
	ID, Title string
	Works     bool
	BrokenBy  string
	AtRisk    string
	NeededFor []string
	Path      pathView
}

// view names an impact's items and their paths in words.
func (m *Module) view(lang web.Lang, rep continuity.Report, svgURL string) impactView {
	recorded := map[string]continuity.Status{}
	names := map[string]string{}
	for _, c := range rep.Components {
		names[c.ID] = c.Name
		if len(c.Path) == 1 {
			recorded[c.ID] = c.Status
		}
	}
	path := func(ids []string) pathView {
		steps := m.svc.Steps(ids)
		out := make([]stepView, len(steps))
		for i, s := range steps {
			out[i] = stepView{Step: s}
		}
		if n := len(out); n > 0 {
			out[n-1].Last = true
			out[n-1].Status = recorded[out[n-1].ID]
		}
		return pathView{Lang: lang, Steps: out}
	}
	v := impactView{Lang: lang, SVG: svgURL, Units: len(rep.Units)}
	for _, c := range rep.Components {
		v.Components = append(v.Components, itemView{ID: c.ID, Name: c.Name, Kind: c.Kind, Status: c.Status, Path: path(c.Path)})
	}
	byName := map[string]int{}
	for _, h := range rep.Hospitals {
		name := h.Name
		if name == "" {
			name = web.T(lang, "crp.no.hospital")
		}
		byName[h.Hospital] = len(v.Hospitals)
		v.Hospitals = append(v.Hospitals, hospitalView{Name: name, Down: h.Down, Degraded: h.Degraded})
	}
	groups := map[string]int{} // hospital, status and path tail → index in its hospital's groups
	for _, u := range rep.Units {
		i, ok := byName[u.Hospital]
		if !ok {
			continue
		}
		key := u.Hospital + "\x00" + string(u.Status) + "\x00" + strings.Join(u.Path[min(1, len(u.Path)):], "\x00")
		if j, ok := groups[key]; ok {
			g := &v.Hospitals[i].Groups[j]
			g.Names = append(g.Names, u.Name)
			continue
		}
		pv := path(u.Path)
		if len(pv.Steps) > 1 {
			pv.Steps, pv.Lead = pv.Steps[1:], true
		}
		groups[key] = len(v.Hospitals[i].Groups)
		v.Hospitals[i].Groups = append(v.Hospitals[i].Groups, unitGroup{Names: []string{u.Name}, Status: u.Status, Path: pv})
	}
	for _, rt := range rep.Routines {
		rv := routineView{ID: rt.ID, Title: rt.Title, Works: rt.Works, BrokenBy: names[rt.BrokenBy], AtRisk: names[rt.AtRisk], Path: path(rt.Path)}
		for _, id := range rt.NeededBy {
			rv.NeededFor = append(rv.NeededFor, names[id])
		}
		if rt.Works {
			v.Works = append(v.Works, rv)
		} else {
			v.Broken = append(v.Broken, rv)
		}
	}
	v.Empty = len(rep.Components) == 0
	v.Desc = fmt.Sprintf(web.T(lang, "crp.graph.desc"), len(rep.Components), len(rep.Units), len(v.Broken))
	return v
}

// graph is what the drawing shows of a report: the affected components,
// units (framed per hospital) and needed routines, the dependencies among
// them, and the paths that explain the broken routines marked.
func (m *Module) graph(p auth.Principal, lang web.Lang, rep continuity.Report, title string) (graphsvg.Graph, error) {
	edges, err := m.svc.Edges(p)
	if err != nil {
		return graphsvg.Graph{}, err
	}
	g := graphsvg.Graph{Title: title}
	in := map[string]bool{}
	onPath := map[string]bool{}
	pathEdge := map[[2]string]bool{}
	for _, rt := range rep.Routines {
		if rt.Works {
			continue
		}
		for i, id := range rt.Path {
			onPath[id] = true
			if i > 0 {
				pathEdge[[2]string{rt.Path[i-1], id}] = true
			}
		}
	}
	status := func(s continuity.Status) graphsvg.Status { return graphsvg.Status(s) }
	for _, c := range rep.Components {
		in[c.ID] = true
		g.Nodes = append(g.Nodes, graphsvg.Node{ID: c.ID, Label: c.Name, Kind: graphsvg.Kind(c.Kind), Status: status(c.Status), OnPath: onPath[c.ID]})
	}
	for _, u := range rep.Units {
		in[u.ID] = true
		group := u.HospitalName
		if group == "" {
			group = web.T(lang, "crp.no.hospital")
		}
		g.Nodes = append(g.Nodes, graphsvg.Node{ID: u.ID, Label: u.Name, Kind: graphsvg.Unit, Status: status(u.Status), Group: group})
	}
	for _, rt := range rep.Routines {
		in[rt.ID] = true
		g.Nodes = append(g.Nodes, graphsvg.Node{ID: rt.ID, Label: rt.Title, Kind: graphsvg.Routine, Broken: !rt.Works, OnPath: onPath[rt.ID]})
		if len(rt.Path) > 1 {
			g.Edges = append(g.Edges, graphsvg.Edge{From: rt.ID, To: rt.Path[1], Type: web.T(lang, "crp.via.needs"), OnPath: !rt.Works})
		}
	}
	for _, e := range edges {
		if in[e.Dependent] && in[e.On] {
			g.Edges = append(g.Edges, graphsvg.Edge{From: e.Dependent, To: e.On, Type: web.T(lang, "crp.via."+string(e.Type)),
				OnPath: pathEdge[[2]string{e.Dependent, e.On}]})
		}
	}
	return g, nil
}

func labels(lang web.Lang) graphsvg.Labels {
	t := func(k string) string { return web.T(lang, k) }
	more := t("crp.graph.more")
	return graphsvg.Labels{Down: strings.ToUpper(t("crp.status.down")), Degraded: strings.ToUpper(t("crp.status.degraded")),
		Up: strings.ToUpper(t("crp.status.up")), Broken: strings.ToUpper(t("crp.routine.broken")),
		Kinds: map[graphsvg.Kind]string{graphsvg.System: t("crp.kind.system"), graphsvg.Infrastructure: t("crp.kind.infrastructure"),
			graphsvg.Supplier: t("crp.kind.supplier"), graphsvg.Function: t("crp.kind.function"), graphsvg.Unit: t("crp.unit"),
			graphsvg.Routine: t("crp.routine")},
		Path: t("crp.graph.path"), Affects: t("crp.graph.affects"), Routines: t("crp.routines"),
		More: func(n int) string { return fmt.Sprintf(more, n) }}
}

func (m *Module) sendSVG(w http.ResponseWriter, p auth.Principal, lang web.Lang, rep continuity.Report, title string) error {
	g, err := m.graph(p, lang, rep, title)
	if err != nil {
		return err
	}
	g.Desc = m.view(lang, rep, "").Desc
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Write(graphsvg.Render(g, labels(lang), graphsvg.Options{IDPrefix: "impact"}))
	return nil
}

// chosen reads the what-if's components (?down=a&down=b or ?down=a,b).
func chosen(q url.Values) []string {
	var out []string
	for _, v := range q["down"] {
		for _, id := range strings.Split(v, ",") {
			if id = strings.TrimSpace(id); id != "" && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

type choice struct {
	C  continuity.Component
	On bool
}

type whatIfPage struct {
	web.Base
	Query   string
	Choices []choice
	Hidden  []string // chosen but filtered out: kept in the form
	Chosen  []string
	Impact  *impactView
	Error   string
	Names   map[string]string
}

func (m *Module) whatIfPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	cs, err := m.svc.Components(p)
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	q := r.URL.Query()
	pg := whatIfPage{Base: m.sh.Base(r, &p, web.T(lang, "crp.whatif.title")), Query: strings.TrimSpace(q.Get("q")), Chosen: chosen(q)}
	needle := strings.ToLower(pg.Query)
	pg.Names = map[string]string{}
	for _, c := range cs {
		pg.Names[c.ID] = c.Name
		on := slices.Contains(pg.Chosen, c.ID)
		match := needle == "" || strings.Contains(strings.ToLower(c.Name), needle) || strings.Contains(c.ID, needle)
		switch {
		case match:
			pg.Choices = append(pg.Choices, choice{C: c, On: on})
		case on:
			pg.Hidden = append(pg.Hidden, c.ID)
		}
	}
	if len(pg.Chosen) == 0 && q.Get("go") != "" {
		pg.Error = web.T(lang, "crp.whatif.none")
	}
	if len(pg.Chosen) > 0 {
		rep, err := m.svc.WhatIf(p, pg.Chosen)
		if err != nil {
			fe := web.Localized(lang, fail.As(err))
			if fe.Code != fail.Invalid {
				return err
			}
			pg.Error = fe.Message
			w.WriteHeader(http.StatusBadRequest)
		} else {
			v := m.view(lang, rep, "/registry/whatif.svg?down="+url.QueryEscape(strings.Join(pg.Chosen, ",")))
			pg.Impact = &v
		}
	}
	m.sh.Render(w, r, "crp-whatif", pg)
	return nil
}

func (m *Module) whatIfSVG(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	lang := web.LangOf(r)
	down := chosen(r.URL.Query())
	rep, err := m.svc.WhatIf(p, down)
	if err != nil {
		return err
	}
	return m.sendSVG(w, p, lang, rep, web.T(lang, "crp.whatif.title"))
}

type asOfView struct {
	Lang        web.Lang
	At, KnownAt time.Time
	IsNow       bool
	Now         string
}

type incidentPage struct {
	web.Base
	Incident   incident.Incident
	AsOf       asOfView
	AtInput    string
	KnownInput string
	Statuses   []continuity.StatusChange
	Names      map[string]string
	Impact     impactView
	CanRecord  bool
	Components []continuity.Component
	Statuses3  []continuity.Status
	Saved      *continuity.StatusChange
	Rec        sub
	Error      *web.FormError // the refusal, also in Rec: put in the page's language by Render
}

func (m *Module) incidentPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return m.showIncident(w, r, p, nil, nil)
}

func (m *Module) showIncident(w http.ResponseWriter, r *http.Request, p auth.Principal, ferr *web.FormError, form url.Values) error {
	id := web.IncidentID(r)
	at, err := asOf(r)
	if err != nil {
		return err
	}
	inc, statuses, err := m.svc.IncidentStatuses(p, id, at, false)
	if err != nil {
		return err
	}
	rep, err := m.svc.Impact(p, id, at)
	if err != nil {
		return err
	}
	cs, err := m.svc.Components(p)
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	svg := "/incidents/" + url.PathEscape(string(id)) + "/continuity.svg"
	if r.URL.RawQuery != "" {
		q := url.Values{}
		for _, k := range []string{"at", "known_at"} {
			if v := r.URL.Query().Get(k); v != "" {
				q.Set(k, v)
			}
		}
		if len(q) > 0 {
			svg += "?" + q.Encode()
		}
	}
	pg := incidentPage{Base: m.sh.Base(r, &p, web.T(lang, "crp.incident.title")+" – "+inc.Title), Incident: inc,
		AsOf:     asOfView{Lang: lang, At: at.At, KnownAt: at.KnownAt, IsNow: at.IsNow(), Now: "/incidents/" + string(id) + "/continuity"},
		Statuses: statuses, Names: map[string]string{}, Impact: m.view(lang, rep, svg),
		CanRecord: m.svc.MayRecord(p) == nil && !inc.Closed && at.IsNow(), Components: cs, Statuses3: []continuity.Status{continuity.Down, continuity.Degraded, continuity.Up},
		Rec: sub{Lang: lang, Error: ferr, Form: "status", Fields: statusFields, V: formOf(ferr, "status", form, url.Values{})}, Error: ferr}
	if !at.At.IsZero() {
		pg.AtInput = web.LocalInput(at.At)
	}
	if !at.KnownAt.IsZero() {
		pg.KnownInput = web.LocalInput(at.KnownAt)
	}
	for _, c := range cs {
		pg.Names[c.ID] = c.Name
	}
	if at.IsNow() {
		pg.LiveIncident = id
	}
	if ferr == nil {
		if saved := r.URL.Query().Get("saved"); saved != "" {
			for i := range statuses {
				if statuses[i].Entry == saved {
					pg.Saved = &statuses[i]
				}
			}
		}
	} else {
		w.WriteHeader(http.StatusBadRequest)
	}
	m.sh.Render(w, r, "crp-incident", pg)
	return nil
}

func (m *Module) recordSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	f := r.PostFormValue
	at, err := web.ParseTime("occurred_at", f("occurred_at"))
	var ch continuity.StatusChange
	if err == nil {
		ch, err = m.svc.RecordStatus(r.Context(), p, continuity.RecordStatus{Incident: web.IncidentID(r), Component: f("component"),
			Status: continuity.Status(f("status")), OccurredAt: at, Source: f("source"), Note: f("note")})
	}
	if err != nil {
		ferr, err := web.FormFailure("status", err)
		if err != nil {
			return err
		}
		return m.showIncident(w, r, p, ferr, r.PostForm)
	}
	http.Redirect(w, r, "/incidents/"+url.PathEscape(string(ch.Incident))+"/continuity?saved="+url.QueryEscape(ch.Entry), http.StatusSeeOther)
	return nil
}

func (m *Module) incidentSVG(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	at, err := asOf(r)
	if err != nil {
		return err
	}
	inc, _, err := m.svc.IncidentStatuses(p, web.IncidentID(r), at, true)
	if err != nil {
		return err
	}
	rep, err := m.svc.Impact(p, inc.ID, at)
	if err != nil {
		return err
	}
	return m.sendSVG(w, p, web.LangOf(r), rep, inc.Title)
}
