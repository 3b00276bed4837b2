package web

import "fyr/internal/app"

// Hooks for the live tests in package web_test.

// LiveConns counts the live subscribers: hijacked connections and the
// goroutine-per-connection ones.
func (s *Server) LiveConns() (hijacked, goroutine int) {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	for sub := range s.hub.subs {
		if sub.conn != nil {
			hijacked++
		} else {
			goroutine++
		}
	}
	return hijacked, goroutine
}

// LiveNoHijack keeps new connections on the goroutine-per-connection path.
func (s *Server) LiveNoHijack() { s.hub.noHijack = true }

// LiveHeartbeat queues a heartbeat to every hijacked connection now.
func (s *Server) LiveHeartbeat() { s.hub.heartbeat() }

// OnLiveRemove calls f (from the hub) whenever a subscriber is dropped.
func (s *Server) OnLiveRemove(f func()) {
	s.hub.mu.Lock()
	s.hub.onRemove = f
	s.hub.mu.Unlock()
}

// SetTestModules gives the package's own tests the capabilities' modules
// (which import this package, so its tests cannot).
func SetTestModules(f func(*app.App) []Module) { testModules = f }
