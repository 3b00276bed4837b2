package dispatchui

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/web"
)

// The dispatch form: a recipient picker that shows the unit tree and
// searches it (a plain list of checkboxes without JavaScript), a deadline
// as an absolute time with quick picks, only the configured channels, and
// a preview of the units that will receive it before one confirmation.

var dispatchFormMessages = map[string][2]string{
	"dsp.title.opt":     {"Rubrik (för ett beslut: tom ger beslutets första rad)", "Title (for a decision: empty takes the decision's first line)"},
	"dsp.body":          {"Meddelande – för ett beslut: vad enheten ska göra", "Message – for a decision: what the unit must do"},
	"dsp.applies.input": {"Beslutet gäller från (tom: från när det fattades)", "The decision applies from (empty: from when it was taken)"},
	"dsp.search":        {"Sök enhet", "Search units"},
	"dsp.search.go":     {"Sök", "Search"},
	"dsp.search.hint":   {"Skriv en del av namnet. Bocka i enheten, eller den med alla enheter under.", "Type part of the name. Tick the unit, or the unit with every unit below it."},
	"dsp.tree":          {"Enheter", "Units"},
	"dsp.with.below":    {"med alla under (%d)", "with all below (%d)"},
	"dsp.no.match":      {"Ingen enhet matchar sökningen.", "No unit matches the search."},
	"dsp.deadline":      {"Kvittens senast", "Receipt due by"},
	"dsp.quick":         {"Snabbval", "Quick picks"},
	"dsp.quick.10":      {"+10 min", "+10 min"},
	"dsp.quick.30":      {"+30 min", "+30 min"},
	"dsp.quick.60":      {"+1 tim", "+1 h"},
	"dsp.channels":      {"Kanaler", "Channels"},
	"dsp.channels.hint": {"Endast kanaler som är konfigurerade visas (se Kanaler).", "Only configured channels are offered (see Channels)."},
	"dsp.preview":       {"Visa mottagare och förhandsgranska", "Show recipients and preview"},
	"dsp.check":         {"Kontrollera och skicka", "Check and send"},
	"dsp.goes.to":       {"Skickas till %d enheter", "Goes to %d units"},
	"dsp.send.n":        {"Skicka till %d enheter", "Send to %d units"},
	"dsp.edit":          {"Ändra", "Change"},
	"dsp.as.seen":       {"Så här ser enheterna utskicket", "What the units will see"},
	"dsp.via":           {"Kanaler", "Channels"},
	"dsp.err.in":        {"Rätta fältet", "Correct the field"},
	"dsp.question":      {"Fråga", "Question"},
	"dsp.corrected":     {"rättat – skicka rättelsen", "corrected – send the correction"},
}

func init() { web.AddMessages(dispatchFormMessages) }

// fieldLabels names a command's field by the label the form shows it under.
var fieldLabels = map[string]string{
	"title": "dispatch.title", "body": "dispatch.body", "decision": "dispatch.decision", "kind": "dispatch.kind",
	"audience": "dispatch.audience", "deadline": "dsp.deadline", "channels": "dsp.channels", "applies_from": "dsp.applies.from",
	"question": "dsp.question", "escalation": "dispatch.steps",
}

// fieldAnchor is the id of the input a field error points to.
var fieldAnchor = map[string]string{
	"title": "d-title", "body": "d-body", "decision": "d-decision", "kind": "d-kind-dec", "audience": "d-q",
	"deadline": "d-deadline", "channels": "d-channels", "applies_from": "d-applies", "question": "d-question",
}

// dispatchFormError is a form error with the field's label and anchor.
type dispatchFormError struct {
	*web.FormError
	Label, Anchor string
}

func fieldRoot(field string) string {
	root, _, _ := strings.Cut(field, ".")
	return root
}

type pickNode struct {
	ID, Name   string
	Below      int // units below it
	BelowLabel string
	Unit, Sub  bool // ticked: the unit, the unit with all below
	Hidden     bool // filtered out by the search (still submitted)
	Children   []*pickNode
}

type dispatchFormPage struct {
	web.Base
	Incident  incident.Incident
	Decisions []incident.Entry
	Tree      []*pickNode
	Matches   int
	Types     []web.Option
	Functions []web.Option
	Channels  []web.Option
	Error     *dispatchFormError
	Form      url.Values
	Query     string
	Preview   *dispatchPreview
}

// Err returns the error message when it concerns field (or one of its
// parts, e.g. audience.units).
func (p dispatchFormPage) Err(field string) string {
	if p.Error == nil || fieldRoot(p.Error.Field) != field {
		return ""
	}
	return p.Error.Msg
}

// dispatchPreview is what the dispatch would send, before it is sent.
type dispatchPreview struct {
	Content  contentView
	Groups   []previewGroup
	Count    int
	Digest   string
	Channels []string
	Hidden   url.Values // the form's values, carried to the confirmation
}

// previewGroup is the units of one hospital (or other top unit).
type previewGroup struct {
	Name  string
	Units []string
}

// dispatchForm shows the form, prefilled with a decision when the journal
// entry's link names one.
func (m *Module) dispatchForm(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	form := url.Values{"deadline": {web.LocalInput(m.now().Add(30 * time.Minute))}, "channels": m.configuredChannels()}
	if d := r.URL.Query().Get("decision"); d != "" {
		form.Set("kind", "decision")
		form.Set("decision", d)
	}
	return m.showDispatchForm(w, r, p, nil, form, nil)
}

// quickView is the quick picks of a deadline field: the same on every
// form that asks for a deadline. Submit makes them submit buttons the
// server answers without JavaScript; otherwise they show only with it (a
// form whose Enter key must keep submitting the form).
type quickView struct {
	Lang     web.Lang
	For, Now string
	Submit   bool
}

func (m *Module) quickFor(l web.Lang, field string, submit bool) quickView {
	return quickView{l, field, m.now().In(web.Stockholm).Format("2006-01-02T15:04:05"), submit}
}

// quickDeadline sets the deadline a quick pick (a number of minutes) asks
// for; it reports whether the form held one.
func (m *Module) quickDeadline(f url.Values) bool {
	q := f.Get("quick")
	if q == "" {
		return false
	}
	if n, err := strconv.Atoi(q); err == nil && n > 0 && n <= 24*60 {
		f.Set("deadline", web.LocalInput(m.now().Add(time.Duration(n)*time.Minute)))
	}
	return true
}

// configuredChannels are the channels a dispatch can go over: in-app
// always, the others when the server was configured with them.
func (m *Module) configuredChannels() []string {
	out := []string{dispatch.InApp}
	for _, row := range m.channelRows() {
		if row.Configured {
			out = append(out, row.Name)
		}
	}
	return out
}

func (m *Module) showDispatchForm(w http.ResponseWriter, r *http.Request, p auth.Principal, ferr *web.FormError, form url.Values, pv *dispatchPreview) error {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return err
	}
	id := incident.ID(r.PathValue("id"))
	inc, err := m.inc.Incident(p, id, incident.AsOf{})
	if err != nil {
		return err
	}
	decisions, err := m.inc.Journal(p, id, incident.Query{Kind: incident.Decision}, "dispatch form")
	if err != nil {
		return err
	}
	slices.Reverse(decisions)
	lang := web.LangOf(r)
	pg := dispatchFormPage{Base: m.sh.Base(r, &p, web.T(lang, "dispatch.new")), Incident: inc, Decisions: decisions, Form: form,
		Query: strings.TrimSpace(form.Get("q")), Preview: pv}
	if pv != nil {
		pg.Title = web.T(lang, "dsp.check")
	}
	pg.Tree, pg.Matches = m.unitTree(lang, form, pg.Query)
	av := m.sh.AudienceView(lang, form)
	pg.Types, pg.Functions = av.Types, av.Functions
	pg.Channels = web.Options(m.configuredChannels(), nil, form["channels"])
	for i := range pg.Channels {
		pg.Channels[i].Key = "channel." + pg.Channels[i].Value
	}
	if ferr != nil {
		root := fieldRoot(ferr.Field)
		if fe := ferr.Cause(); fe != nil { // in the reader's language, as Render does for a plain FormError
			ferr.Msg = web.ErrText(lang, fe)
		}
		pg.Error = &dispatchFormError{FormError: ferr, Anchor: fieldAnchor[root]}
		if key, ok := fieldLabels[root]; ok {
			pg.Error.Label = web.T(lang, key)
		}
		w.WriteHeader(http.StatusBadRequest)
	}
	m.sh.Render(w, r, "dispatch-form", pg)
	return nil
}

// unitTree is the directory as a tree with the form's ticks, the units
// that do not match query hidden (an ancestor of a match stays); it
// returns how many units match.
func (m *Module) unitTree(lang web.Lang, form url.Values, query string) ([]*pickNode, int) {
	units := m.dir.Units()
	nodes := make(map[string]*pickNode, len(units))
	for _, u := range units {
		nodes[u.ID] = &pickNode{ID: u.ID, Name: u.Name, Unit: slices.Contains(form["units"], u.ID),
			Sub: slices.Contains(form["subtrees"], u.ID)}
	}
	var roots []*pickNode
	for _, u := range units {
		n := nodes[u.ID]
		if parent, ok := nodes[u.Parent]; ok && u.Parent != u.ID {
			parent.Children = append(parent.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	q := strings.ToLower(query)
	matches := 0
	var walk func(n *pickNode) bool // whether n or a unit below matches
	walk = func(n *pickNode) bool {
		hit := q == "" || strings.Contains(strings.ToLower(n.Name), q)
		if hit {
			matches++
		}
		below := false
		for _, c := range n.Children {
			below = walk(c) || below
			n.Below += 1 + c.Below
		}
		n.BelowLabel = fmt.Sprintf(web.T(lang, "dsp.with.below"), n.Below)
		n.Hidden = !hit && !below
		return hit || below
	}
	for _, r := range roots {
		walk(r)
	}
	return roots, matches
}

var wholeMinutes = regexp.MustCompile(`^\d{1,5}$`)

// deadlineOf reads the deadline: an absolute time (what the form sends)
// or, as the form once took, a number of minutes from now.
func (m *Module) deadlineOf(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return time.Time{}, fail.Field("deadline", "is required: the time by which the units must acknowledge")
	case wholeMinutes.MatchString(v):
		n, _ := strconv.Atoi(v)
		return m.now().Add(time.Duration(n) * time.Minute), nil
	}
	return web.ParseTime("deadline", v)
}

// dispatchCommand reads the form into the command.
func (m *Module) dispatchCommand(id incident.ID, f url.Values) (dispatch.Create, error) {
	cmd := dispatch.Create{Incident: id, Kind: dispatch.Kind(f.Get("kind")), Title: f.Get("title"), Body: f.Get("body"),
		Decision: f.Get("decision"), Audience: web.AudienceOf(f), Channels: f["channels"], Token: f.Get("token")}
	if cmd.Kind == dispatch.KindMessage {
		cmd.Decision = ""
	}
	if q := strings.TrimSpace(f.Get("question")); q != "" {
		var answers []string
		for _, a := range strings.Split(f.Get("answers"), "\n") {
			if a = strings.TrimSpace(a); a != "" {
				answers = append(answers, a)
			}
		}
		cmd.Question = &dispatch.Question{Text: q, Answers: answers}
	}
	var err error
	if cmd.Deadline, err = m.deadlineOf(f.Get("deadline")); err != nil {
		return cmd, err
	}
	if cmd.Kind == dispatch.KindDecision {
		if cmd.AppliesFrom, err = web.ParseTime("applies_from", strings.TrimSpace(f.Get("applies_from"))); err != nil {
			return cmd, err
		}
	}
	if len(cmd.Channels) == 0 {
		return cmd, fail.Field("channels", "choose at least one channel")
	}
	configured := m.configuredChannels()
	for _, ch := range cmd.Channels {
		if !slices.Contains(configured, ch) {
			return cmd, fail.Field("channels", "%q is not configured on this server", ch)
		}
	}
	return cmd, nil
}

// dispatchSubmit takes the form's steps: a search or a quick pick shows
// the form again; "preview" shows what would be sent to whom; "send", from
// the preview, sends it. Nothing goes out without the preview.
func (m *Module) dispatchSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return fail.Field("form", "cannot read the form: %v", err)
	}
	id := incident.ID(r.PathValue("id"))
	f := r.PostForm
	step := f.Get("step")
	if m.quickDeadline(f) {
		return m.showDispatchForm(w, r, p, nil, f, nil)
	}
	if step == "filter" || step == "edit" {
		return m.showDispatchForm(w, r, p, nil, f, nil)
	}
	cmd, err := m.dispatchCommand(id, f)
	if err != nil {
		return m.dispatchFormFailure(w, r, p, f, err)
	}
	var changed *web.FormError // the audience changed between preview and send
	if step == "send" && f.Get("audience_digest") != "" {
		cmd.AudienceDigest = f.Get("audience_digest")
		d, err := m.svc.CreateDispatch(r.Context(), p, cmd)
		if err == nil {
			http.Redirect(w, r, "/dispatches/"+string(d.Dispatch), http.StatusSeeOther)
			return nil
		}
		if changed, err = web.FormFailure("dispatch", err); err != nil {
			return err
		}
		if fieldRoot(changed.Field) != "audience" {
			return m.showDispatchForm(w, r, p, changed, f, nil)
		}
		cmd.AudienceDigest = ""
	}
	created, err := m.svc.PreviewDispatch(r.Context(), p, cmd)
	if err != nil {
		return m.dispatchFormFailure(w, r, p, f, err)
	}
	return m.showDispatchForm(w, r, p, changed, f, m.preview(created, f, web.LangOf(r)))
}

// dispatchFormFailure shows the form again with a field error; other
// errors propagate.
func (m *Module) dispatchFormFailure(w http.ResponseWriter, r *http.Request, p auth.Principal, f url.Values, err error) error {
	ferr, err := web.FormFailure("dispatch", err)
	if err != nil {
		return err
	}
	return m.showDispatchForm(w, r, p, ferr, f, nil)
}

// preview lays out what a dispatch would send: the units grouped under
// the top units below the region, and the form's values for the
// confirmation, the deadline fixed as the absolute time shown.
func (m *Module) preview(c dispatch.Created, f url.Values, lang web.Lang) *dispatchPreview {
	pv := &dispatchPreview{Content: contentView{lang, dispatch.Dispatch{Created: c}}, Count: len(c.Units), Digest: dispatch.Digest(c.Units),
		Channels: c.Channels, Hidden: url.Values{}}
	byID := map[string]directory.Unit{}
	for _, u := range m.dir.Units() {
		byID[u.ID] = u
	}
	// top is the unit's ancestor just below the root (its hospital); the
	// bound guards against a cycle.
	top := func(id string) string {
		for range len(byID) {
			u := byID[id]
			parent, ok := byID[u.Parent]
			if !ok || parent.Parent == "" || byID[parent.Parent].ID == "" {
				break
			}
			id = u.Parent
		}
		return id
	}
	index := map[string]int{}
	for _, id := range c.Units {
		t := top(id)
		i, ok := index[t]
		if !ok {
			i = len(pv.Groups)
			index[t] = i
			pv.Groups = append(pv.Groups, previewGroup{Name: m.dir.UnitName(t)})
		}
		pv.Groups[i].Units = append(pv.Groups[i].Units, m.dir.UnitName(id))
	}
	for _, g := range pv.Groups {
		slices.Sort(g.Units)
	}
	for k, vs := range f {
		switch k {
		case "csrf", "step", "quick", "q", "audience_digest":
			continue
		}
		pv.Hidden[k] = vs
	}
	pv.Hidden.Set("deadline", web.LocalInput(c.Deadline))
	if pv.Hidden.Get("token") == "" {
		pv.Hidden.Set("token", event.NewID()) // the same form sent twice sends once
	}
	return pv
}
