package dispatch

import (
	"slices"
	"time"

	"fyr/internal/event"
	"fyr/internal/fail"
)

// Kinds that other capabilities send through the dispatch engine. Only their
// own commands create them (through DecideCarried): Create.Decide, what the
// staff uses directly, refuses them.
const (
	KindReportRequest  Kind = "report_request"  // a call to report in a reporting round
	KindReportReminder Kind = "report_reminder" // a reminder to the units whose report is missing
	KindPicture        Kind = "picture"         // a published situation picture (lägesbild)
)

// CarriedKinds lists the kinds DecideCarried accepts.
var CarriedKinds = []Kind{KindReportRequest, KindReportReminder, KindPicture}

// DecideCarried checks a dispatch another capability sends for its own kind
// (a call to report, a reminder, a situation picture): every check of
// Decide, the audience resolved the same way, and the event carries kind.
//
// The author of a carried dispatch is the account (by.Username), as the log
// has always had it.
func (c Create) DecideCarried(inc Incidents, units UnitLister, by event.Actor, now time.Time) (ID, []event.Draft, error) {
	if !slices.Contains(CarriedKinds, c.Kind) {
		return "", nil, fail.Field("kind", "%q is not a kind another capability sends", c.Kind)
	}
	if c.Decision != "" {
		return "", nil, fail.Field("decision", "only a decision dispatch carries a decision")
	}
	kind := c.Kind
	c.Kind = KindMessage
	id, drafts, err := c.decide(inc, units, by.Username, by.Username, now)
	if err != nil {
		return "", nil, err
	}
	created := drafts[0].Payload.(Created)
	created.Kind = kind
	drafts[0].Payload = created
	return id, drafts, nil
}
