package event

// Actor is who did it: the account, the person's name and the staff
// function they acted in. Every capability's commands take one. It is not
// itself a payload: each event keeps the fields it has always stored
// (an author's name, a username, a function), so the log does not change.
type Actor struct {
	Username string
	Name     string
	Function string
}

// System is Fyr itself acting (a reminder, the escalation engine), as the
// log has always named it.
var System = Actor{Username: "fyr", Name: "Fyr"}
