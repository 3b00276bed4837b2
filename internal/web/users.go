package web

import (
	"net/http"

	"fyr/internal/auth"
)

// userAPIRoutes are the account routes beyond list, create, disable and
// password (api.go).
func (s *Server) userAPIRoutes() []apiRoute {
	return []apiRoute{
		{Method: "POST", Path: "/api/v1/users/{username}", Summary: "Change an account's role, staff function and unit",
			Action: auth.ManageUsers, Body: auth.ChangeUser{}, Response: auth.User{}, Status: 200, handle: s.apiChangeUser},
		{Method: "POST", Path: "/api/v1/users/{username}/enable", Summary: "Enable a disabled account",
			Action: auth.ManageUsers, Response: auth.User{}, Status: 200, handle: s.apiEnableUser},
	}
}

func (s *Server) apiChangeUser(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var cmd auth.ChangeUser
	if err := decode(r, &cmd); err != nil {
		return err
	}
	cmd.Username = r.PathValue("username")
	u, err := s.svc.Auth.ChangeUser(r.Context(), &p, cmd)
	if err != nil {
		return err
	}
	writeJSON(w, 200, u)
	return nil
}

func (s *Server) apiEnableUser(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	name := r.PathValue("username")
	if err := s.svc.Auth.EnableUser(r.Context(), &p, name); err != nil {
		return err
	}
	u, _ := s.svc.Auth.User(name)
	writeJSON(w, 200, u)
	return nil
}
