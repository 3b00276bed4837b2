package situation

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"fyr/internal/fail"
	"fyr/internal/incident"
)

// Field is one field of a picture's content as text, for the side-by-side
// view, the diff, the dispatched text and the export.
type Field struct {
	Key   string `json:"key"`   // the JSON path: event, consequences.capacity …
	Label string `json:"label"` // the Swedish heading
	Value string `json:"value"`
}

// Fields lists a picture's content field by field, in reading order. names
// turns a unit id into its name (nil: the id).
func Fields(c Content, names func(string) string) []Field {
	if names == nil {
		names = func(id string) string { return id }
	}
	var levels []string
	for _, l := range c.Levels {
		levels = append(levels, fmt.Sprintf("%s: %s", cmpOr(l.Name, l.Scope), levelName(l.Level)))
	}
	var affected []string
	for _, id := range c.Affected {
		affected = append(affected, names(id))
	}
	var direction []string
	for _, m := range c.Direction {
		line := fmt.Sprintf("%s (ansvarig: %s", m.What, m.Owner)
		if !m.Deadline.IsZero() {
			line += ", senast " + stamped(m.Deadline)
		}
		direction = append(direction, line+")")
	}
	next := ""
	if !c.NextBriefing.IsZero() {
		next = stamped(c.NextBriefing)
	}
	return []Field{
		{"event", "Händelse", c.Event},
		{"levels", "Beredskapsläge", strings.Join(levels, "\n")},
		{"scope", "Omfattning", c.Scope},
		{"affected", "Berörda enheter", strings.Join(affected, "\n")},
		{"consequences.patient_safety", "Konsekvenser: patientsäkerhet", c.Consequences.PatientSafety},
		{"consequences.capacity", "Konsekvenser: kapacitet", c.Consequences.Capacity},
		{"consequences.staff", "Konsekvenser: personal", c.Consequences.Staff},
		{"consequences.supplies", "Konsekvenser: försörjning", c.Consequences.Supplies},
		{"consequences.personal_data", "Konsekvenser: personuppgifter", c.Consequences.PersonalData},
		{"consequences.media", "Konsekvenser: förtroende och media", c.Consequences.Media},
		{"actions", "Åtgärder och beslut sedan förra versionen", c.Actions},
		{"resources", "Resurser och behov", c.Resources},
		{"coordination", "Samverkan", c.Coordination},
		{"communication", "Kommunikation", c.Communication},
		{"forecast", "Prognos", c.Forecast},
		{"direction", "Inriktning: planerade åtgärder", strings.Join(direction, "\n")},
		{"reporting", "Rapportering", c.Reporting},
		{"next_briefing", "Nästa genomgång", next},
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func levelName(l incident.Level) string {
	switch l {
	case incident.Normal:
		return "normalläge"
	case incident.Staff:
		return "stabsläge"
	case incident.Reinforcement:
		return "förstärkningsläge"
	case incident.Disaster:
		return "katastrofläge"
	}
	return string(l)
}

// Change is one field that differs between two versions.
type Change struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// Diff compares two versions field by field and lists the fields that
// differ, in reading order.
func Diff(a, b Content, names func(string) string) []Change {
	fa, fb := Fields(a, names), Fields(b, names)
	out := []Change{}
	for i := range fa {
		if fa[i].Value != fb[i].Value {
			out = append(out, Change{Key: fa[i].Key, Label: fa[i].Label, From: fa[i].Value, To: fb[i].Value})
		}
	}
	return out
}

// Render is a picture as the text that is dispatched to the units.
func Render(p Picture, names func(string) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "LÄGESBILD version %d\n", p.Version)
	if !p.ApprovedAt.IsZero() {
		fmt.Fprintf(&b, "Fastställd %s av %s\n", stamped(p.ApprovedAt), cmpOr(p.ApprovedFunction, p.ApprovedBy))
	}
	for _, f := range Fields(p.Content, names) {
		if strings.TrimSpace(f.Value) == "" {
			continue
		}
		fmt.Fprintf(&b, "\n%s\n%s\n", strings.ToUpper(f.Label), f.Value)
	}
	return b.String()
}

// ExportInput is what an export needs besides the picture.
type ExportInput struct {
	Org        string            // the organisation's name, e.g. "Region Kronoberg"
	Recipients []string          // e.g. Socialstyrelsen, Länsstyrelsen i Kronobergs län (configuration: agency names change)
	Incident   incident.Incident // its title and exercise mark
	Names      func(string) string
	// People are names to strip from the text: every person in the
	// directory and every account holder.
	People []string
	// Functions are the staff functions and unit names that may stand as
	// the owner of a measure (they are roles, not people).
	Functions []string
}

// Export is a situation report (lägesrapport) to Socialstyrelsen and the
// county administrative board, as plain text, from a published version.
//
// It carries no personal data. It holds only the fields designed for it:
// the picture's text fields, unit names and figures; never the author,
// the approver or the accounts (the approving function is named instead).
// Names typed into free text are handled in three ways: every name the
// organisation knows (people in the directory, account holders) is
// replaced with "[namn]"; whatever looks like an e-mail address, a phone
// number or a personnummer/samordningsnummer is replaced with "[borttaget]";
// and the owner of a measure is kept only when it is a known staff function
// or unit, otherwise it reads "[ansvarig angiven]". A name Fyr has never
// heard of, typed into free text, cannot be recognised: the form says that
// the picture must not name patients or staff, and the export is for the
// staff to read before it is sent.
func Export(p Picture, in ExportInput) (string, error) {
	if p.Status != Published {
		return "", fail.Errorf("version %d is %s: only a published picture is exported", p.Version, p.Status)
	}
	c := cloneContent(p.Content)
	scrub := scrubber(in.People)
	for _, s := range []*string{&c.Event, &c.Scope, &c.Consequences.PatientSafety, &c.Consequences.Capacity, &c.Consequences.Staff,
		&c.Consequences.Supplies, &c.Consequences.PersonalData, &c.Consequences.Media, &c.Actions, &c.Resources,
		&c.Coordination, &c.Communication, &c.Forecast, &c.Reporting} {
		*s = scrub(*s)
	}
	known := map[string]bool{}
	for _, f := range in.Functions {
		known[strings.ToLower(strings.TrimSpace(f))] = true
	}
	for i := range c.Direction {
		m := &c.Direction[i]
		m.What = scrub(m.What)
		if !known[strings.ToLower(strings.TrimSpace(m.Owner))] {
			m.Owner = "[ansvarig angiven]"
		}
	}
	var b strings.Builder
	title := "LÄGESRAPPORT"
	if in.Incident.Exercise {
		title = "ÖVNING – " + title
	}
	fmt.Fprintf(&b, "%s\n", title)
	if in.Org != "" {
		fmt.Fprintf(&b, "Från: %s, särskild sjukvårdsledning\n", in.Org)
	}
	if len(in.Recipients) > 0 {
		fmt.Fprintf(&b, "Till: %s\n", strings.Join(in.Recipients, ", "))
	}
	fmt.Fprintf(&b, "Händelse: %s\n", scrub(in.Incident.Title))
	fmt.Fprintf(&b, "Lägesbild version %d, publicerad %s", p.Version, stamped(p.PublishedAt))
	if p.ApprovedFunction != "" {
		fmt.Fprintf(&b, ", fastställd av %s", scrub(p.ApprovedFunction))
	}
	b.WriteString("\nInnehåller inga personuppgifter.\n")
	for _, f := range Fields(c, in.Names) {
		if strings.TrimSpace(f.Value) == "" {
			continue
		}
		fmt.Fprintf(&b, "\n%s\n%s\n", strings.ToUpper(f.Label), f.Value)
	}
	return b.String(), nil
}

var (
	emailRE = regexp.MustCompile(`[\p{L}0-9._%+-]+@[\p{L}0-9.-]+\.[\p{L}]{2,}`)
	// personnummer / samordningsnummer: (YY)YYMMDD-NNNN, also with + or no separator.
	pnrRE = regexp.MustCompile(`\b(?:19|20)?\d{6}[-+ ]?\d{4}\b`)
	// phone numbers: +46 …, 07x-…, 010-… with spaces or dashes, at least 7 digits.
	phoneRE = regexp.MustCompile(`(?:\+\d{1,3}[\s-]?|\b0)\d{1,4}(?:[\s-]?\d{2,4}){2,4}\b`)
)

// scrubber returns a function that strips known names, e-mail addresses,
// personnummer and phone numbers from a text.
func scrubber(people []string) func(string) string {
	var names []string
	for _, n := range people {
		if n = strings.TrimSpace(n); len([]rune(n)) >= 3 {
			names = append(names, n)
		}
	}
	// Longest first, so that "Anna Andersson" goes before "Anna".
	slices.SortFunc(names, func(a, b string) int { return len(b) - len(a) })
	var nameRE *regexp.Regexp
	if len(names) > 0 {
		quoted := make([]string, len(names))
		for i, n := range names {
			quoted[i] = regexp.QuoteMeta(n)
		}
		nameRE = regexp.MustCompile(`(?i)\b(?:` + strings.Join(quoted, "|") + `)\b`)
	}
	return func(s string) string {
		s = emailRE.ReplaceAllString(s, "[borttaget]")
		s = pnrRE.ReplaceAllString(s, "[borttaget]")
		s = phoneRE.ReplaceAllString(s, "[borttaget]")
		if nameRE != nil {
			s = nameRE.ReplaceAllString(s, "[namn]")
		}
		return s
	}
}

// PrefillInput is what a new draft is prefilled from.
type PrefillInput struct {
	Incident incident.Incident
	Overview Overview         // the roll-up of the newest report per unit
	Journal  []incident.Entry // the incident's journal, now
	// Since is when the previous version was published (zero for the
	// first): decisions and tasks after it are "since the last version".
	Since    time.Time
	Previous *Content // the previous published version's content, carried forward where nothing newer is known
	Names    func(string) string
}

// PrefillPicture prefills a draft: the event, the current levels, the
// roll-up (affected units, capacity, staff, supplies, systems, needs), the
// decisions and tasks since the last version, and the open tasks as the
// direction. The staff edits it before it is approved.
func PrefillPicture(in PrefillInput) (Content, Basis) {
	names := in.Names
	if names == nil {
		names = func(id string) string { return id }
	}
	var c Content
	if in.Previous != nil {
		c = cloneContent(*in.Previous)
		c.Actions, c.NextBriefing = "", time.Time{}
	}
	basis := Basis{Round: in.Overview.Round, Since: in.Since}
	c.Event = strings.TrimSpace(in.Incident.Title + "\n" + in.Incident.Description)
	c.Levels = nil
	for _, l := range in.Incident.Levels {
		name := "Regionen (RSSL)"
		if l.Scope != incident.RegionScope {
			name = names(l.Scope) + " (LSSL)"
		}
		c.Levels = append(c.Levels, Level{Scope: l.Scope, Name: name, Level: l.Level})
	}
	r := in.Overview.Region
	for _, u := range in.Overview.Units {
		if u.Report != "" {
			basis.Reports = append(basis.Reports, u.Report)
		}
	}
	if r.Asked > 0 || r.Reported.Value > 0 {
		var scope []string
		scope = append(scope, fmt.Sprintf("%d av %d enheter har rapporterat.", r.Reported.Value, r.Asked))
		c.Affected = nil
		if len(r.Closed) > 0 {
			scope = append(scope, "Stängda: "+refNames(r.Closed)+".")
		}
		if len(r.Limited) > 0 {
			scope = append(scope, "Begränsad drift: "+refNames(r.Limited)+".")
		}
		for _, ref := range append(slices.Clone(r.Closed), r.Limited...) {
			c.Affected = append(c.Affected, ref.Unit)
		}
		var sys []string
		for _, s := range r.Systems {
			part := s.Name + ":"
			if len(s.Down) > 0 {
				part += " nere hos " + enheter(len(s.Down))
			}
			if len(s.Degraded) > 0 {
				if len(s.Down) > 0 {
					part += ","
				}
				part += " störd hos " + enheter(len(s.Degraded))
			}
			sys = append(sys, part)
		}
		if len(sys) > 0 {
			scope = append(scope, "IT-system: "+strings.Join(sys, "; ")+".")
		}
		c.Scope = strings.Join(scope, "\n")
		c.Consequences.Capacity = fmt.Sprintf("Vårdplatser i drift %d, belagda %d, lediga %d (enligt rapporter från %s).",
			r.Beds.Total.Value, r.Beds.Occupied.Value, r.Beds.Available.Value, enheter(r.Reported.Value))
		c.Consequences.Staff = fmt.Sprintf("Personal i tjänst %d, saknas %d.", r.Staff.Present.Value, r.Staff.Missing.Value)
		var sup []string
		for _, s := range r.Supplies {
			sup = append(sup, fmt.Sprintf("%s (%s)", s.Name, enheter(len(s.Units))))
		}
		if len(sup) > 0 {
			c.Consequences.Supplies = "Låga lager: " + strings.Join(sup, ", ") + "."
		}
		var needs []string
		for _, n := range r.Needs {
			needs = append(needs, fmt.Sprintf("%s: %s", n.Name, n.Text))
		}
		c.Resources = strings.Join(needs, "\n")
	}
	// Decisions and tasks since the last version; open tasks as direction.
	status := map[string]incident.TaskStatus{}
	for _, e := range in.Journal {
		if e.Task != nil && e.Task.Updates != "" {
			status[e.Task.Updates] = e.Task.Status
		}
	}
	var actions []string
	c.Direction = nil
	for _, e := range in.Journal {
		if len(e.CorrectedBy) > 0 {
			continue // a corrected entry: its correction speaks
		}
		since := in.Since.IsZero() || e.OccurredAt.After(in.Since)
		switch {
		case e.Kind == incident.Decision && since:
			actions = append(actions, fmt.Sprintf("%s Beslut: %s", clock(e.OccurredAt), e.Text))
			basis.Entries = append(basis.Entries, e.ID)
		case e.Kind == incident.Task && e.Task != nil && e.Task.Updates == "":
			st := e.Task.Status
			if s, ok := status[e.ID]; ok {
				st = s
			}
			if since {
				actions = append(actions, fmt.Sprintf("%s Uppdrag: %s (ansvarig: %s)", clock(e.OccurredAt), e.Text, e.Task.Owner))
				basis.Entries = append(basis.Entries, e.ID)
			}
			if st == incident.TaskOpen || st == incident.TaskStarted {
				c.Direction = append(c.Direction, Measure{What: e.Text, Owner: e.Task.Owner, Deadline: e.Task.Deadline, Task: e.ID})
				if !since {
					basis.Entries = append(basis.Entries, e.ID)
				}
			}
		case e.Kind == incident.Report && since:
			c.Reporting = strings.TrimSpace(c.Reporting + "\n" + clock(e.OccurredAt) + " " + e.Text)
			basis.Entries = append(basis.Entries, e.ID)
		}
	}
	c.Actions = strings.Join(actions, "\n")
	return c, basis
}

func refNames(refs []UnitRef) string {
	var out []string
	for _, r := range refs {
		out = append(out, r.Name)
	}
	return strings.Join(out, ", ")
}

func enheter(n int) string {
	if n == 1 {
		return "1 enhet"
	}
	return fmt.Sprintf("%d enheter", n)
}
