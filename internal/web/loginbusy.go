package web

// Login says it is working (issue 8, point 12): checking a password takes
// seconds under load (argon2id, a bounded number at once), so on submit
// static/busy.js disables the button and says "Loggar in…". Without
// JavaScript the form posts as before.

// loginBusyMessages are its words: Swedish, English.
var loginBusyMessages = map[string][2]string{
	"login.busy":     {"Loggar in…", "Logging in…"},
	"login.busy.why": {"Loggar in… Det kan ta några sekunder.", "Logging in… This can take a few seconds."},
}

func init() { addMessages(loginBusyMessages) }
