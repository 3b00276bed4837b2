package web

import "net/http"

// serviceWorker keeps a copy of the unit page (and the pages it links to
// for reading) for when Fyr cannot be reached: network first, the copy
// only when the network fails, and then marked as a copy with its time.
// It is served from the root so that its scope covers /unit.
func (s *Server) serviceWorker(w http.ResponseWriter, r *http.Request) {
	b, err := staticFS.ReadFile("static/sw.js")
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}
