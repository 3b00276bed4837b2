package app

import "fyr/internal/store"

// LogOf lets a test write to a running service's log directly, as another
// node or a hand-edited log would, past every command's checks.
func LogOf(s *App) store.Log { return s.st }
