package dispatch

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// SMSBudget is how long the SMS of a dispatch may grow, in characters:
// four parts of a concatenated SMS. What does not fit is behind the receipt
// link.
const SMSBudget = 4 * 153

// Compose writes the message of a dispatch for one channel, in Swedish (the
// language of the region's units). A decision dispatch carries the decision
// itself — its text, who decided with which mandate, from when it applies —
// and what the unit must do. E-mail and webhook take all of it; an SMS
// takes as much as fits in SMSBudget and says that the link holds the
// rest. loc is the time zone times are shown in.
func Compose(d Dispatch, channel string, loc *time.Location, link, code string) (subject, text string) {
	when := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04") }
	sms := channel == SMS
	dash, more := "–", "…"
	if sms {
		dash, more = "-", "..." // GSM-7 has neither the dash nor the ellipsis
	}
	subject = "[Fyr] " + d.Title
	if d.Content != nil {
		subject = "[Fyr] Beslut: " + d.Title
	}
	head := fmt.Sprintf("Fyr %s krisledningen: %s\n", dash, d.Title)
	if sms && d.Content != nil {
		head = "Fyr - krisledningen\n" // the decision's own text says it: no title to spend the SMS on
	}
	var facts []string // short lines about the decision
	if c := d.Content; c != nil {
		by := "Beslutat av: " + c.DecisionMaker
		if c.Mandate != "" {
			by += " (mandat: " + c.Mandate + ")"
		}
		applies := "Gäller från: " + when(c.AppliesFrom)
		if !c.ValidUntil.IsZero() {
			applies += " till " + when(c.ValidUntil)
		}
		facts = []string{by, applies}
		if !sms {
			facts = append([]string{"Beslutat: " + when(c.DecidedAt)}, facts...)
		}
	}
	var question string
	if d.Question != nil {
		question = fmt.Sprintf("%s (%s)\n", d.Question.Text, strings.Join(d.Question.Answers, " / "))
	}
	tail := fmt.Sprintf("Kvittera senast %s: %s\n", when(d.Deadline), link)
	if code != "" {
		tail += fmt.Sprintf("Eller svara på detta SMS: OK %s\n", code)
	}

	decision, action := "", d.Body
	if d.Content != nil {
		decision = d.Content.Text
	}
	cut := false
	if sms {
		// What is left for the decision's text and the action, after the
		// lines that must be there; the decision's text comes first.
		fixed := utf8.RuneCountInString(head + strings.Join(facts, "\n") + question + tail)
		left := SMSBudget - fixed - 60 // labels, blank lines and the note that the link holds the rest
		// The decision first, but what the unit must do keeps a few words.
		reserve := min(utf8.RuneCountInString(action), 120)
		decision, cut = fit(decision, max(left-reserve, 40), more)
		var cutAction bool
		action, cutAction = fit(action, max(left-utf8.RuneCountInString(decision), 0), more)
		cut = cut || cutAction
		if cut {
			tail = "Läs allt och k" + strings.TrimPrefix(tail, "K")
		}
	}

	var b strings.Builder
	b.WriteString(head)
	if decision != "" {
		fmt.Fprintf(&b, "\nBESLUT: %s\n", decision)
	}
	if len(facts) > 0 {
		b.WriteString(strings.Join(facts, "\n") + "\n")
	}
	if c := d.Content; c != nil && c.Rationale != "" && !sms {
		fmt.Fprintf(&b, "Motivering: %s\n", c.Rationale)
	}
	if action != "" {
		if d.Content != nil {
			fmt.Fprintf(&b, "\nDetta ska enheten göra: %s\n", action)
		} else {
			fmt.Fprintf(&b, "\n%s\n", action)
		}
	}
	if question != "" {
		b.WriteString("\n" + question)
	}
	b.WriteString("\n" + tail)
	return subject, b.String()
}

// fit cuts s to n characters, marked with more; it reports whether it cut.
func fit(s string, n int, more string) (string, bool) {
	if utf8.RuneCountInString(s) <= n {
		return s, false
	}
	if n <= utf8.RuneCountInString(more) {
		return "", s != ""
	}
	r := []rune(s)[:n-utf8.RuneCountInString(more)]
	cut := string(r)
	if i := strings.LastIndexAny(cut, " \n"); i > len(cut)*2/3 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:\n") + more, true
}
