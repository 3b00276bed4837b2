package web

import (
	"net/http"

	"fyr/internal/auth"
)

// PageForTest wraps a page handler as the server wraps its own, so that a
// test can make a page fail as it wants (an internal error) and see the
// error page.
func (s *Server) PageForTest(h func(w http.ResponseWriter, r *http.Request, p auth.Principal) error) http.Handler {
	return s.page(h)
}
