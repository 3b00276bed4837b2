package backlog

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"fyr/internal/auth"
	"fyr/internal/incident"
)

// Summary is the backlog's line in the roll-up and the lägesbild: the
// whole incident's totals and the systems with something left, most left
// first.
type Summary struct {
	Total   Line   `json:"total"`
	Systems []Line `json:"systems"`
}

// Summary returns an incident's backlog summary at a point in time (a unit
// account: its own unit's).
func (s *Service) Summary(p auth.Principal, id incident.ID, asOf incident.AsOf) (Summary, error) {
	t, err := s.Totals(p, id, asOf)
	if err != nil {
		return Summary{}, err
	}
	return SummaryOf(t), nil
}

// SummaryOf is the summary of totals.
func SummaryOf(t Totals) Summary {
	sum := Summary{Total: t.Total, Systems: []Line{}}
	for _, l := range t.Systems {
		if l.Left > 0 {
			sum.Systems = append(sum.Systems, l)
		}
	}
	// Most left first; equal ones keep their name order.
	slices.SortStableFunc(sum.Systems, func(a, b Line) int { return cmp.Compare(b.Left, a.Left) })
	return sum
}

// Swedish is the summary as one line of the lägesbild's prefilled text
// (Swedish, as the rest of the prefill): "" when there was never any
// backlog.
func (s Summary) Swedish() string {
	if s.Total.Added == 0 {
		return ""
	}
	if s.Total.Left == 0 {
		return fmt.Sprintf("Efterregistrering: allt klart (%d poster införda).", s.Total.Done)
	}
	line := fmt.Sprintf("Efterregistrering: %d kvar av %d (%d klara).", s.Total.Left, s.Total.Added, s.Total.Done)
	var per []string
	for _, l := range s.Systems {
		per = append(per, fmt.Sprintf("%s %d", l.Name, l.Left))
	}
	return line + " Kvar per system: " + strings.Join(per, ", ") + "."
}
