package core

import (
	"fyr/internal/event"
	"fyr/internal/fail"
)

// logFault says loudly that the read model stopped at an event it cannot
// fold (Projection.Apply calls it once, on the subscription's goroutine).
func (s *Service) logFault(e event.Envelope, err error) {
	s.log.Error("read model stopped: an event cannot be folded; commands are refused until it is fixed",
		"seq", e.Seq, "event_id", e.ID, "type", e.Type, "err", err)
}

// Healthy is nil while the read model follows the log, else the event it
// stopped at: the node then refuses commands and /healthz answers 503.
func (s *Service) Healthy() error { return s.P.Fault() }

// stopped is what a command gets once the read model has stopped.
func stopped(fault error) error {
	return fail.New(fail.Unavailable, "this node has stopped applying the log and takes no commands: %v", fault)
}
