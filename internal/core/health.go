package core

// Writable is nil while the log takes writes, else why it does not (the
// storage is full): reads still work.
func (s *Service) Writable() error { return s.st.Fault() }
