package incident

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"fyr/internal/fail"
)

// TaskState is a task (uppdrag) as it stands after its updates: a task
// entry, and the later task entries naming it in Updates.
type TaskState struct {
	ID         string     `json:"id"` // the task's own entry
	Serial     int        `json:"serial"`
	Text       string     `json:"text"`
	Owner      string     `json:"owner"`
	Deadline   time.Time  `json:"deadline,omitzero"`
	Status     TaskStatus `json:"status"`
	ReportBack string     `json:"report_back,omitempty"`
	Since      time.Time  `json:"since"` // when it last changed
	Overdue    bool       `json:"overdue"`
}

// Open reports whether the task is still to be done.
func (t TaskState) Open() bool { return t.Status == TaskOpen || t.Status == TaskStarted }

// Tasks returns the tasks of an incident as they stand: the open ones
// first — the overdue first, by deadline; then by owner and deadline — and
// then the done and cancelled, latest first.
func (v *View) Tasks(id ID, now time.Time) ([]TaskState, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	st := v.incidents[id]
	if st == nil {
		return nil, fail.New(fail.NotFound, "incident %q does not exist", id)
	}
	var out []TaskState
	index := map[string]int{}
	for _, e := range st.entries {
		t := e.Task
		if e.Kind != Task || t == nil {
			continue
		}
		if t.Updates == "" {
			index[e.ID] = len(out)
			out = append(out, TaskState{ID: e.ID, Serial: e.Serial, Text: e.Text, Owner: t.Owner, Deadline: t.Deadline,
				Status: t.Status, ReportBack: t.ReportBack, Since: e.OccurredAt})
			continue
		}
		i, ok := index[t.Updates]
		if !ok {
			continue
		}
		ts := &out[i]
		if t.Owner != "" {
			ts.Owner = t.Owner
		}
		if !t.Deadline.IsZero() {
			ts.Deadline = t.Deadline
		}
		if t.Status != "" {
			ts.Status = t.Status
		}
		if t.ReportBack != "" {
			ts.ReportBack = t.ReportBack
		}
		ts.Since = e.OccurredAt
	}
	for i := range out {
		out[i].Overdue = out[i].Open() && !out[i].Deadline.IsZero() && out[i].Deadline.Before(now)
	}
	slices.SortStableFunc(out, func(a, b TaskState) int {
		switch {
		case a.Open() != b.Open():
			if a.Open() {
				return -1
			}
			return 1
		case !a.Open():
			return b.Since.Compare(a.Since)
		case a.Overdue != b.Overdue:
			if a.Overdue {
				return -1
			}
			return 1
		case a.Overdue:
			return a.Deadline.Compare(b.Deadline)
		}
		if c := cmp.Compare(strings.ToLower(a.Owner), strings.ToLower(b.Owner)); c != 0 {
			return c
		}
		return byDeadline(a, b)
	})
	return out, nil
}

// byDeadline puts a task without a deadline after those with one.
func byDeadline(a, b TaskState) int {
	switch {
	case a.Deadline.IsZero() && b.Deadline.IsZero():
		return cmp.Compare(a.Serial, b.Serial)
	case a.Deadline.IsZero():
		return 1
	case b.Deadline.IsZero():
		return -1
	}
	return a.Deadline.Compare(b.Deadline)
}
