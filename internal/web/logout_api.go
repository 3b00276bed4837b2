package web

import (
	"net/http"

	"fyr/internal/auth"
)

type logoutResponse struct {
	Username string `json:"username"`
	Revoked  bool   `json:"revoked"`
}

func (s *Server) logoutAPIRoute() APIRoute {
	return APIRoute{Method: "POST", Path: "/api/v1/logout", Summary: "Log out: revoke the bearer token of this request, for good (it stays refused after a restart)",
		Action: auth.EndSession, Response: logoutResponse{}, Status: 200, Handle: s.apiLogout}
}

func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := s.svc.Auth.Logout(r.Context(), p); err != nil {
		return err
	}
	writeJSON(w, 200, logoutResponse{Username: p.Username, Revoked: true})
	return nil
}
