package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fyr/internal/auth"
	"fyr/internal/backlog"
	"fyr/internal/continuity/chart"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/tz"
	"fyr/internal/web"
)

func (m *Module) pageRoutes() {
	m.sh.HandlePage("GET /backlog", m.index)
	m.sh.HandlePage("GET /incidents/{id}/backlog", m.staffPage)
	m.sh.HandlePage("GET /incidents/{id}/backlog/unit", m.unitPage)
	m.sh.HandlePage("POST /incidents/{id}/backlog", m.submit)
}

// index lists the active incidents, each with a link to the caller's
// backlog page in it: the one place to bookmark.
func (m *Module) index(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return err
	}
	type item struct {
		Incident incident.Incident
		Left     int
	}
	base := m.sh.Base(r, &p, web.T(web.LangOf(r), "backlog.title"))
	var items []item
	for _, inc := range base.Active {
		t, err := m.svc.Totals(p, inc.ID, incident.AsOf{})
		if err != nil {
			return err
		}
		items = append(items, item{inc, t.Total.Left})
	}
	m.sh.Render(w, r, "backlog-index", struct {
		web.Base
		Items    []item
		UnitPage bool
	}{base, items, p.Role == auth.Unit})
	return nil
}

// bar is one line of the progress with its share done, for the text.
type bar struct {
	backlog.Line
	Pct int
	L   web.Lang
}

func bars(lang web.Lang, ls []backlog.Line) []bar {
	out := make([]bar, 0, len(ls))
	for _, l := range ls {
		out = append(out, barOf(lang, l))
	}
	return out
}

func barOf(lang web.Lang, l backlog.Line) bar {
	b := bar{Line: l, L: lang}
	if l.Added > 0 {
		b.Pct = 100 * l.Done / l.Added
	}
	return b
}

// staffPage is the staff's view of an incident's backlog: progress per
// system, per unit and in total, live.
func (m *Module) staffPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if p.Role == auth.Unit { // a unit account's backlog is its own unit's page
		http.Redirect(w, r, "/incidents/"+url.PathEscape(r.PathValue("id"))+"/backlog/unit", http.StatusSeeOther)
		return nil
	}
	q, err := web.ParseQuery(r)
	if err != nil {
		return err
	}
	id := web.IncidentID(r)
	inc, err := m.inc.Incident(p, id, q.AsOf)
	if err != nil {
		return err
	}
	t, err := m.svc.Totals(p, id, q.AsOf)
	if err != nil {
		return err
	}
	l := web.LangOf(r)
	base := m.sh.Base(r, &p, web.T(l, "backlog.title")+" · "+inc.Title)
	if q.AsOf.IsNow() {
		base.LiveIncident = id
	}
	m.sh.Render(w, r, "backlog-staff", struct {
		web.Base
		Incident  incident.Incident
		T         backlog.Totals
		Total     bar
		Systems   []bar
		Units     []bar
		Kinds     []bar
		AsOf      asOfView
		Pick      []web.Option
		CanRecord bool
		Chart     template.HTML
	}{base, inc, t, barOf(l, t.Total), bars(l, t.Systems), bars(l, t.Units), bars(l, t.Kinds), asOfOf(q.AsOf, r),
		m.unitOptions(), p.May(auth.WriteIncidents), lineChart(l, t, q.AsOf.At, m.sh.Now())})
	return nil
}

func (m *Module) unitOptions() []web.Option {
	var ids, names []string
	for _, u := range m.dir.Units() {
		ids, names = append(ids, u.ID), append(names, u.Name)
	}
	label := func(id string) string {
		for i, x := range ids {
			if x == id {
				return names[i]
			}
		}
		return id
	}
	return web.Options(ids, label, nil)
}

// asOfView is the point in time a page shows, with the link back to now.
type asOfView struct {
	incident.AsOf
	Now string
}

func asOfOf(a incident.AsOf, r *http.Request) asOfView {
	q := r.URL.Query()
	q.Del("at")
	q.Del("known_at")
	now := r.URL.Path
	if len(q) > 0 {
		now += "?" + q.Encode()
	}
	return asOfView{a, now}
}

// saved is the confirmation of a change, shown in the row it changed.
type saved struct {
	Key   string // system~kind
	Count int    // signed: + added, - worked off
	Abs   int
	At    time.Time
}

// Clock is when it was saved, as the ward reads it: 14:02.
func (s saved) Clock() string { return s.At.In(tz.Stockholm).Format("15:04") }

// unitView is a unit's backlog page.
type unitView struct {
	web.Base
	Incident incident.Incident
	Unit     string
	UnitName string
	T        backlog.Totals
	Total    bar
	Rows     []rowView
	Systems  []backlog.System
	Kinds    []backlog.Kind
	Token    string
	Saved    *saved
	Error    *web.FormError
	ErrorAt  string // the form the refusal is shown in: a row's id, "new", or "" (the top)
	Form     url.Values
	OnBehalf bool
	Pick     []web.Option
	AsOf     asOfView
}

// errorView is a refusal with the page's language, for the template.
type errorView struct {
	E *web.FormError
	L web.Lang
}

// Err is the refusal to show in the form at.
func (v unitView) Err(at string) errorView { return errorView{v.Error, v.Lang} }

type rowView struct {
	backlog.Row
	Key   string
	ID    string // the row's element id
	Pct   int
	Saved *saved
}

func rowKey(system string, kind backlog.Kind) string { return system + "~" + string(kind) }

// rowID is an element id for a row: ids of the registry are lower-case
// letters, digits and '-'.
func rowID(system string, kind backlog.Kind) string { return "row-" + system + "-" + string(kind) }

// unitPage is a unit's backlog in an incident: a unit account's own, or
// the unit a staff member picks (recording on its behalf).
func (m *Module) unitPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return m.renderUnit(w, r, p, r.URL.Query().Get("unit"), nil, nil)
}

func (m *Module) renderUnit(w http.ResponseWriter, r *http.Request, p auth.Principal, unit string, ferr *web.FormError, form url.Values) error {
	q, err := web.ParseQuery(r)
	if err != nil {
		return err
	}
	id := web.IncidentID(r)
	inc, err := m.inc.Incident(p, id, q.AsOf)
	if err != nil {
		return err
	}
	l := web.LangOf(r)
	v := unitView{Incident: inc, Unit: unit, Kinds: backlog.Kinds, Token: event.NewID(), Error: ferr, Form: url.Values{},
		OnBehalf: p.Role != auth.Unit, AsOf: asOfOf(q.AsOf, r)}
	if ferr != nil { // shown in the form that was sent, with what was typed
		v.ErrorAt, v.Form = form.Get("form"), form
	}
	if p.Role == auth.Unit {
		v.Unit = p.Unit
	}
	v.Base = m.sh.Base(r, &p, web.T(l, "backlog.unit.title")+" · "+inc.Title)
	if v.OnBehalf && v.Unit == "" { // the staff pick the unit first
		v.Pick = m.unitOptions()
		m.sh.Render(w, r, "backlog-unit", v)
		return nil
	}
	if v.T, err = m.svc.UnitTotals(p, id, v.Unit, q.AsOf); err != nil {
		return err
	}
	if v.Systems, err = m.svc.Systems(p); err != nil {
		return err
	}
	v.UnitName = m.dir.UnitName(v.Unit)
	v.Base.Title = web.T(l, "backlog.unit.title") + " · " + v.UnitName
	v.Total = barOf(l, v.T.Total)
	if s := r.URL.Query().Get("saved"); s != "" {
		if n, err := strconv.Atoi(r.URL.Query().Get("n")); err == nil && n != 0 {
			v.Saved = &saved{Key: s, Count: n, Abs: max(n, -n)}
			v.Saved.At, _ = time.Parse(time.RFC3339, r.URL.Query().Get("when"))
		}
	}
	for _, row := range v.T.Rows {
		rv := rowView{Row: row, Key: rowKey(row.System, row.Kind), ID: rowID(row.System, row.Kind), Pct: barOf(l, backlog.Line{Added: row.Added, Done: row.Done}).Pct}
		if v.Saved != nil && v.Saved.Key == rv.Key {
			rv.Saved = v.Saved
		}
		v.Rows = append(v.Rows, rv)
	}
	m.sh.Render(w, r, "backlog-unit", v)
	return nil
}

// submit records a change from the unit page: +1, a number added, or a
// number worked off. It answers with the unit page, the change confirmed
// in its row.
func (m *Module) submit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := r.ParseForm(); err != nil {
		return web.BadForm(err)
	}
	f := r.PostForm
	id := web.IncidentID(r)
	unit := f.Get("unit")
	if p.Role == auth.Unit {
		unit = p.Unit
	}
	c := backlog.Add{Incident: id, Unit: unit, System: f.Get("system"), Kind: backlog.Kind(f.Get("kind")), Note: f.Get("note"), Token: f.Get("token")}
	var err error
	if c.Count, err = strconv.Atoi(strings.TrimSpace(f.Get("count"))); err != nil {
		err = fail.Field("count", "%q is not a whole number", f.Get("count"))
	}
	signed := c.Count
	if err == nil {
		if f.Get("op") == "off" {
			signed = -c.Count
			_, err = m.svc.WorkOff(r.Context(), p, backlog.WorkOff(c))
		} else {
			_, err = m.svc.Add(r.Context(), p, c)
		}
	}
	if err != nil {
		ferr, err := web.FormFailure(f.Get("form"), err)
		if err != nil {
			return err
		}
		return m.renderUnit(w, r, p, unit, ferr, f)
	}
	q := url.Values{"saved": {rowKey(c.System, c.Kind)}, "n": {strconv.Itoa(signed)}, "when": {m.sh.Now().UTC().Format(time.RFC3339)}}
	if p.Role != auth.Unit {
		q.Set("unit", unit)
	}
	http.Redirect(w, r, "/incidents/"+url.PathEscape(string(id))+"/backlog/unit?"+q.Encode()+"#"+rowID(c.System, c.Kind), http.StatusSeeOther)
	return nil
}

// lineChart draws what was left of each system over time, with the total,
// up to now (or the point in time looked at); none without data.
func lineChart(l web.Lang, t backlog.Totals, at, now time.Time) template.HTML {
	c := chart.Line{Title: web.T(l, "backlog.over.time"), Total: web.T(l, "backlog.chart.total"), To: at, IDPrefix: "bl"}
	if c.To.IsZero() {
		c.To = now
	}
	for _, s := range t.Series {
		if len(s.Points) == 0 {
			continue
		}
		cs := chart.Series{Name: s.Name}
		for _, p := range s.Points {
			cs.Points = append(cs.Points, chart.Point{At: p.At, Count: p.Left})
		}
		c.Series = append(c.Series, cs)
	}
	if len(c.Series) == 0 {
		return ""
	}
	return template.HTML(chart.LineSVG(c)) // the chart escapes every text it draws
}
