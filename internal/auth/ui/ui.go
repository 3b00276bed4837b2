// Package ui is the accounts capability's pages: the administrator's user
// page (issue 8, point 12), mounted in the web shell.
//
//	GET  /users                      every account: role, function, unit, disabled; the form for a new one
//	POST /users                      create an account
//	GET  /users/{username}           one account with its forms
//	POST /users/{username}           change role, function and unit
//	POST /users/{username}/disable   disable; /enable enables again
//	POST /users/{username}/password  set a new password
//
// Every call goes through the accounts service, which authorises it
// (auth.ManageUsers: the admin only); this package only translates.
package ui

import (
	"embed"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/fail"
	"fyr/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Units is what the account pages need of the directory: the units an
// account may answer for.
type Units interface {
	Units() []directory.Unit
	UnitName(id string) string
}

// Module is the accounts' pages.
type Module struct {
	accounts *auth.Service
	units    Units
	sh       *web.Server
}

// New returns the module over the accounts service and the directory.
func New(accounts *auth.Service, units Units) *Module {
	return &Module{accounts: accounts, units: units}
}

// Templates are the user pages' templates.
func (m *Module) Templates() fs.FS { return templates }

// Mount registers the user pages.
func (m *Module) Mount(sh *web.Server) {
	m.sh = sh
	sh.HandlePage("GET /users", m.usersPage)
	sh.HandlePage("POST /users", m.userCreate)
	sh.HandlePage("GET /users/{username}", m.userPage)
	sh.HandlePage("POST /users/{username}", m.userChange)
	sh.HandlePage("POST /users/{username}/disable", m.userDisable)
	sh.HandlePage("POST /users/{username}/enable", m.userEnable)
	sh.HandlePage("POST /users/{username}/password", m.userPassword)
	for _, rt := range m.apiRoutes() {
		sh.HandleAPI(rt)
	}
}

// messages are the UI strings of the user pages: Swedish, English.
var messages = map[string][2]string{
	"nav.users":              {"Användare", "Users"},
	"users.title":            {"Användare", "Users"},
	"users.intro":            {"Konton som kan logga in i Fyr. Lokala konton fungerar alltid, också när regionens inloggning ligger nere.", "Accounts that can log in to Fyr. Local accounts always work, also when the region's login is down."},
	"users.username":         {"Användarnamn", "Username"},
	"users.name":             {"Namn", "Name"},
	"users.role":             {"Roll", "Role"},
	"users.function":         {"Funktion i staben", "Staff function"},
	"users.function.hint":    {"T.ex. TiB, Sjukvårdsledare, Stabschef. Stabschef godkänner lägesbilden.", "E.g. TiB, Sjukvårdsledare, Stabschef. The stabschef approves the situation picture."},
	"users.unit":             {"Enhet", "Unit"},
	"users.unit.none":        {"Ingen enhet", "No unit"},
	"users.unit.hint":        {"Krävs för rollen Enhet: den enhet kontot svarar för.", "Required for the role Unit: the unit the account answers for."},
	"users.status":           {"Status", "Status"},
	"users.active":           {"Aktivt", "Active"},
	"users.disabled":         {"Avstängt", "Disabled"},
	"users.created":          {"Skapat", "Created"},
	"users.none":             {"Inga konton.", "No accounts."},
	"users.open":             {"Ändra", "Change"},
	"users.new":              {"Nytt konto", "New account"},
	"users.new.submit":       {"Skapa kontot", "Create the account"},
	"users.password":         {"Lösenord (minst 12 tecken)", "Password (at least 12 characters)"},
	"users.password.new":     {"Nytt lösenord (minst 12 tecken)", "New password (at least 12 characters)"},
	"users.password.h":       {"Återställ lösenordet", "Reset the password"},
	"users.password.why":     {"Kontots inloggningar avslutas. Lämna det nya lösenordet till personen på ett säkert sätt.", "The account's sessions end. Give the new password to the person in a safe way."},
	"users.password.submit":  {"Sätt nytt lösenord", "Set the new password"},
	"users.change.h":         {"Roll, funktion och enhet", "Role, function and unit"},
	"users.change.submit":    {"Spara ändringarna", "Save the changes"},
	"users.disable.h":        {"Stäng av eller aktivera", "Disable or enable"},
	"users.disable.why":      {"Ett avstängt konto kan inte logga in och dess inloggningar avslutas. Det finns kvar i journalen och kan aktiveras igen.", "A disabled account cannot log in and its sessions end. It stays in the journal and can be enabled again."},
	"users.disable":          {"Stäng av kontot", "Disable the account"},
	"users.enable":           {"Aktivera kontot igen", "Enable the account again"},
	"users.back":             {"Alla användare", "All users"},
	"users.account":          {"Konto", "Account"},
	"users.you":              {"du", "you"},
	"users.done.created":     {"Kontot är skapat:", "The account is created:"},
	"users.done.changed":     {"Ändringarna är sparade för", "The changes are saved for"},
	"users.done.disabled":    {"Kontot är avstängt:", "The account is disabled:"},
	"users.done.enabled":     {"Kontot är aktiverat:", "The account is enabled:"},
	"users.done.password":    {"Nytt lösenord är satt för", "A new password is set for"},
	"users.role.admin":       {"Administratör", "Administrator"},
	"users.role.staff":       {"Stab", "Staff"},
	"users.role.unit":        {"Enhet", "Unit"},
	"users.role.viewer":      {"Läsare", "Viewer"},
	"users.role.admin.what":  {"hanterar konton och inställningar, och allt staben får", "manages accounts and settings, and all the staff may"},
	"users.role.staff.what":  {"leder händelser, skriver i stabsjournalen, skickar utskick", "runs incidents, writes the journal, sends dispatches"},
	"users.role.unit.what":   {"en enhets kontakt: kvitterar och rapporterar för sin enhet", "a unit's contact: acknowledges and reports for its unit"},
	"users.role.viewer.what": {"läser allt, ändrar inget", "reads everything, changes nothing"},
}

func init() { web.AddMessages(messages) }

// userRow is one account as the pages show it.
type userRow struct {
	auth.User
	UnitName string
}

// usersPage is the list and the form for a new account.
type usersPage struct {
	web.Base
	Users  []userRow
	Roles  []auth.Role
	Units  []directory.Unit
	Form   url.Values
	Error  *web.FormError
	Notice string // a message key
	Who    string // the account the notice is about
}

// userPage is one account with its forms.
type userPage struct {
	web.Base
	Account userRow
	Self    bool
	Roles   []auth.Role
	Units   []directory.Unit
	Form    url.Values
	Error   *web.FormError
	Notice  string
}

// noticeOf maps ?done= to the message of a finished action.
func noticeOf(r *http.Request) string {
	switch d := r.URL.Query().Get("done"); d {
	case "created", "changed", "disabled", "enabled", "password":
		return "users.done." + d
	}
	return ""
}

func (m *Module) userRows(users []auth.User) []userRow {
	rows := make([]userRow, len(users))
	for i, u := range users {
		rows[i] = userRow{User: u}
		if u.Unit != "" {
			rows[i].UnitName = m.units.UnitName(u.Unit)
		}
	}
	return rows
}

// unitChoices are the directory's units by name, for the unit picker.
func (m *Module) unitChoices() []directory.Unit {
	units := slices.Clone(m.units.Units())
	slices.SortFunc(units, func(a, b directory.Unit) int { return strings.Compare(a.Name, b.Name) })
	return units
}

func (m *Module) usersPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return m.showUsers(w, r, p, nil, nil)
}

func (m *Module) showUsers(w http.ResponseWriter, r *http.Request, p auth.Principal, ferr *web.FormError, form url.Values) error {
	users, err := m.accounts.Users(&p)
	if err != nil {
		return err
	}
	if form == nil {
		form = url.Values{"role": {string(auth.Staff)}}
	}
	pg := usersPage{Base: m.sh.Base(r, &p, web.T(web.LangOf(r), "users.title")), Users: m.userRows(users), Roles: auth.Roles,
		Units: m.unitChoices(), Form: form, Error: ferr}
	if ferr == nil {
		pg.Notice, pg.Who = noticeOf(r), r.URL.Query().Get("u")
	} else {
		w.WriteHeader(http.StatusBadRequest)
	}
	m.sh.Render(w, r, "users", pg)
	return nil
}

func (m *Module) userCreate(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := r.ParseForm(); err != nil {
		return web.BadForm(err)
	}
	f := r.PostForm
	cmd := auth.AddUser{Username: strings.TrimSpace(f.Get("username")), Name: strings.TrimSpace(f.Get("name")),
		Role: auth.Role(f.Get("role")), Function: strings.TrimSpace(f.Get("function")), Unit: f.Get("unit"), Password: f.Get("password")}
	if _, err := m.accounts.AddUser(r.Context(), &p, cmd); err != nil {
		return m.userFormError(w, r, p, "new", err)
	}
	http.Redirect(w, r, "/users?done=created&u="+url.QueryEscape(cmd.Username)+"#u-"+cmd.Username, http.StatusSeeOther)
	return nil
}

// userFormError shows a refused form beside its fields (the password is
// never sent back); other errors become the error page.
func (m *Module) userFormError(w http.ResponseWriter, r *http.Request, p auth.Principal, form string, err error) error {
	ferr, err := web.FormFailure(form, err)
	if err != nil {
		return err
	}
	kept := url.Values{}
	for k, v := range r.PostForm {
		if k != "password" && k != "csrf" {
			kept[k] = v
		}
	}
	if form == "new" {
		return m.showUsers(w, r, p, ferr, kept)
	}
	return m.showUser(w, r, p, ferr, kept)
}

func (m *Module) userPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return m.showUser(w, r, p, nil, nil)
}

func (m *Module) showUser(w http.ResponseWriter, r *http.Request, p auth.Principal, ferr *web.FormError, form url.Values) error {
	users, err := m.accounts.Users(&p)
	if err != nil {
		return err
	}
	name := r.PathValue("username")
	i := slices.IndexFunc(users, func(u auth.User) bool { return u.Username == name })
	if i < 0 {
		return fail.New(fail.NotFound, "no account %q", name)
	}
	u := users[i]
	if form == nil || ferr == nil || ferr.Form != "change" {
		form = url.Values{"role": {string(u.Role)}, "function": {u.Function}, "unit": {u.Unit}}
	}
	pg := userPage{Base: m.sh.Base(r, &p, web.T(web.LangOf(r), "users.account")+": "+u.Name), Account: m.userRows([]auth.User{u})[0],
		Self: u.Username == p.Username, Roles: auth.Roles, Units: m.unitChoices(), Form: form, Error: ferr}
	if ferr == nil {
		pg.Notice = noticeOf(r)
	} else {
		w.WriteHeader(http.StatusBadRequest)
	}
	m.sh.Render(w, r, "user", pg)
	return nil
}

func (m *Module) afterUser(w http.ResponseWriter, r *http.Request, p auth.Principal, form, done string, err error) error {
	if err != nil {
		return m.userFormError(w, r, p, form, err)
	}
	http.Redirect(w, r, "/users/"+url.PathEscape(r.PathValue("username"))+"?done="+done, http.StatusSeeOther)
	return nil
}

func (m *Module) userChange(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	f := r.PostFormValue
	_, err := m.accounts.ChangeUser(r.Context(), &p, auth.ChangeUser{Username: r.PathValue("username"), Role: auth.Role(f("role")),
		Function: f("function"), Unit: f("unit")})
	return m.afterUser(w, r, p, "change", "changed", err)
}

func (m *Module) userDisable(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	err := m.accounts.DisableUser(r.Context(), &p, r.PathValue("username"))
	return m.afterUser(w, r, p, "state", "disabled", err)
}

func (m *Module) userEnable(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	err := m.accounts.EnableUser(r.Context(), &p, r.PathValue("username"))
	return m.afterUser(w, r, p, "state", "enabled", err)
}

func (m *Module) userPassword(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	err := m.accounts.SetPassword(r.Context(), &p, r.PathValue("username"), r.PostFormValue("password"))
	return m.afterUser(w, r, p, "password", "password", err)
}

// roleFields is what the role, function and unit part of a form gets.
type roleFields struct {
	Lang      web.Lang
	Prefix    string // of the element ids, so that two forms may share the part
	Form      url.Values
	Roles     []auth.Role
	Units     []directory.Unit
	Functions []string
}

// RoleFields hands the role part of the new-account form its data.
func (pg usersPage) RoleFields(prefix string) roleFields {
	return roleFields{pg.Lang, prefix, pg.Form, pg.Roles, pg.Units, pg.Functions}
}

// RoleFields hands the role part of the change form its data.
func (pg userPage) RoleFields(prefix string) roleFields {
	return roleFields{pg.Lang, prefix, pg.Form, pg.Roles, pg.Units, pg.Functions}
}
