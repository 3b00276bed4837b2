package ui

import (
	"net/http"
	"time"

	"fyr/internal/auth"
	"fyr/internal/fail"
	"fyr/internal/web"
)

// The accounts' JSON API: logging in and out with a bearer token, and the
// administrator's account routes. Every call but login is authorised by
// the shell (the route's Action) and again by the accounts service.

func init() {
	web.RequireFields[loginRequest]("username")
	web.RequireFields[passwordRequest]("password")
	web.AddFieldDocs(map[string]string{
		"LoginRequest.username":  "The account's username",
		"LoginRequest.password":  "The account's password",
		"LoginResponse.role":     "The account's role",
		"LoginResponse.token":    "Bearer token for the Authorization header",
		"LogoutResponse.revoked": "The token is revoked for good",
		"UserList.users":         "Every account",
	})
}

type (
	loginRequest struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	loginResponse struct {
		Token    string    `json:"token"`
		Username string    `json:"username"`
		Role     auth.Role `json:"role"`
		Expires  time.Time `json:"expires"`
	}
	logoutResponse struct {
		Username string `json:"username"`
		Revoked  bool   `json:"revoked"`
	}
	userList struct {
		Users []auth.User `json:"users"`
	}
	passwordRequest struct {
		Password string `json:"password"`
	}
)

// apiRoutes are the accounts' JSON routes.
func (m *Module) apiRoutes() []web.APIRoute {
	return []web.APIRoute{
		{Method: "POST", Path: "/api/v1/login", Summary: "Log in with a local account; returns a bearer token",
			Body: loginRequest{}, Response: loginResponse{}, Status: 200, Handle: m.apiLogin},
		{Method: "POST", Path: "/api/v1/logout", Summary: "Log out: revoke the bearer token of this request, for good (it stays refused after a restart)",
			Action: auth.EndSession, Response: logoutResponse{}, Status: 200, Handle: m.apiLogout},
		{Method: "GET", Path: "/api/v1/users", Summary: "List accounts",
			Action: auth.ManageUsers, Response: userList{}, Status: 200, Handle: m.apiUsers},
		{Method: "POST", Path: "/api/v1/users", Summary: "Create an account",
			Action: auth.ManageUsers, Body: auth.AddUser{}, Response: auth.User{}, Status: 201, Handle: web.JSONCommand(201, nil, web.ByRef(m.accounts.AddUser), nil)},
		{Method: "POST", Path: "/api/v1/users/{username}/disable", Summary: "Disable an account",
			Action: auth.ManageUsers, Response: auth.User{}, Status: 200, Handle: m.apiDisableUser},
		{Method: "POST", Path: "/api/v1/users/{username}/password", Summary: "Set an account's password",
			Action: auth.ManageUsers, Body: passwordRequest{}, Response: auth.User{}, Status: 200, Handle: m.apiSetPassword},
		{Method: "POST", Path: "/api/v1/users/{username}", Summary: "Change an account's role, staff function and unit",
			Action: auth.ManageUsers, Body: auth.ChangeUser{}, Response: auth.User{}, Status: 200, Handle: m.apiChangeUser},
		{Method: "POST", Path: "/api/v1/users/{username}/enable", Summary: "Enable a disabled account",
			Action: auth.ManageUsers, Response: auth.User{}, Status: 200, Handle: m.apiEnableUser},
	}
}

func (m *Module) apiLogin(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	var req loginRequest
	if err := web.Decode(r, &req); err != nil {
		return err
	}
	if req.Username == "" {
		return fail.Field("username", "is required")
	}
	token, u, err := m.accounts.Login(r.Context(), req.Username, req.Password, m.sh.ClientAddr(r))
	if err != nil {
		return err
	}
	web.WriteJSON(w, 200, loginResponse{Token: token, Username: u.Username, Role: u.Role, Expires: m.sh.Now().Add(auth.SessionTTL).UTC()})
	return nil
}

func (m *Module) apiLogout(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := m.accounts.Logout(r.Context(), p); err != nil {
		return err
	}
	web.WriteJSON(w, 200, logoutResponse{Username: p.Username, Revoked: true})
	return nil
}

func (m *Module) apiUsers(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	users, err := m.accounts.Users(&p)
	if err != nil {
		return err
	}
	web.WriteJSON(w, 200, userList{users})
	return nil
}

func (m *Module) apiDisableUser(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	name := r.PathValue("username")
	if err := m.accounts.DisableUser(r.Context(), &p, name); err != nil {
		return err
	}
	u, _ := m.accounts.User(name)
	web.WriteJSON(w, 200, u)
	return nil
}

func (m *Module) apiSetPassword(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var req passwordRequest
	if err := web.Decode(r, &req); err != nil {
		return err
	}
	name := r.PathValue("username")
	if err := m.accounts.SetPassword(r.Context(), &p, name, req.Password); err != nil {
		return err
	}
	u, _ := m.accounts.User(name)
	web.WriteJSON(w, 200, u)
	return nil
}

func (m *Module) apiChangeUser(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var cmd auth.ChangeUser
	if err := web.Decode(r, &cmd); err != nil {
		return err
	}
	cmd.Username = r.PathValue("username")
	u, err := m.accounts.ChangeUser(r.Context(), &p, cmd)
	if err != nil {
		return err
	}
	web.WriteJSON(w, 200, u)
	return nil
}

func (m *Module) apiEnableUser(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	name := r.PathValue("username")
	if err := m.accounts.EnableUser(r.Context(), &p, name); err != nil {
		return err
	}
	u, _ := m.accounts.User(name)
	web.WriteJSON(w, 200, u)
	return nil
}
