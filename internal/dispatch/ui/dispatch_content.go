package dispatchui

import (
	"fmt"
	"strings"

	"fyr/internal/dispatch"
	"fyr/internal/web"
)

// dispatchContentMessages are the strings of what a dispatch carries and of
// its figures: Swedish, English.
var dispatchContentMessages = map[string][2]string{
	"dsp.decision":      {"Beslutet", "The decision"},
	"dsp.decided.by":    {"Beslutat av", "Decided by"},
	"dsp.mandate":       {"Mandat", "Mandate"},
	"dsp.decided.at":    {"Beslutat", "Decided"},
	"dsp.applies.from":  {"Gäller från", "Applies from"},
	"dsp.valid.until":   {"Gäller till", "Valid until"},
	"dsp.rationale":     {"Motivering", "Rationale"},
	"dsp.action":        {"Detta ska enheten göra", "What the unit must do"},
	"dsp.kind.decision": {"Beslut", "Decision"},
	"dsp.figure":        {"Kvitterat %d av %d", "Acknowledged %d of %d"},
	"dsp.board":         {"Kvittenstavla", "Coverage board"},
	"dsp.sent":          {"Det som skickades", "What was sent"},
	"dsp.live":          {"Uppdateras direkt", "Updates live"},
	"dsp.offline":       {"Inte ansluten – sidan uppdateras inte", "Not connected – the page does not update"},
}

func init() { web.AddMessages(dispatchContentMessages) }

// contentView is what a dispatch carries, for the template that shows it
// to a unit, on the receipt page and on the staff's board alike.
type contentView struct {
	Lang     web.Lang
	Dispatch dispatch.Dispatch
}

func contentOf(l web.Lang, d dispatch.Dispatch) contentView { return contentView{l, d} }

// figure is a dispatch's coverage in words: "Kvitterat 1 av 299".
type figure struct {
	Lang     web.Lang
	Dispatch dispatch.ID
	Acked    int
	Units    int
}

// Text is the figure as the page shows it and the live update replaces it.
func (f figure) Text() string { return fmt.Sprintf(web.T(f.Lang, "dsp.figure"), f.Acked, f.Units) }

// coverageOf returns the current figure of a dispatch, for every place that
// lists dispatches; the live coverage event keeps it in step. id is a
// dispatch.ID or the string a journal entry holds.
func (m *Module) coverageOf(l web.Lang, ref any) figure {
	id := dispatch.ID(fmt.Sprint(ref))
	d, ok := m.svc.Head(id)
	if !ok {
		return figure{Lang: l, Dispatch: id}
	}
	return figure{Lang: l, Dispatch: d.Dispatch, Acked: d.Acked, Units: len(d.Units)}
}

// excerpt is the start of a text, for a list.
func excerpt(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	if r := []rune(line); len(r) > 140 {
		return strings.TrimSpace(string(r[:139])) + "…"
	}
	return line
}
