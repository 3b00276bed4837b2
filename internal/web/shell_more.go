package web

import "net/http"

// More of the shell's side of a capability's UI (see shell.go).

// ClientAddr is the address of the person making the request: the peer,
// or what a trusted reverse proxy says it is.
func (s *Server) ClientAddr(r *http.Request) string { return s.clientAddr(r) }
