package app

import "fyr/internal/store"

// Writable is nil while the log takes writes, else why it does not (the
// storage is full): reads still work.
func (s *App) Writable() error { return s.st.Fault() }

// SetMaxStore raises the log's storage limit (Config.MaxStore).
func (s *App) SetMaxStore(n int64) {
	if js, ok := s.st.(*store.Store); ok {
		js.SetMaxStore(n)
	}
}
