package app

// Healthy is nil while the read model follows the log, else the event it
// stopped at: the node then refuses commands and /healthz answers 503.
func (s *App) Healthy() error { return s.k.Healthy() }
