package web

// The live marker of the staff's situation pages (issue 8, point 8): sent
// hidden and empty, shown by fyr.js only once the live connection is open,
// so that a page never claims to update live when it does not (JavaScript
// off, or no connection).

// liveMessages are the marker's words: Swedish, English.
var liveMessages = map[string][2]string{
	"livemark.on":      {"Uppdateras direkt", "Updates live"},
	"livemark.reports": {"Uppdateras direkt när enheter rapporterar", "Updates live as units report"},
	"livemark.off":     {"Anslutningen bröts – återansluter…", "Connection lost – reconnecting…"},
	// The round's table: a missing unit's "reported" cell says so; whom to
	// call has a column of its own.
	"rounds.not.filed": {"Ej rapporterat", "Not reported"},
}

func init() { addMessages(liveMessages) }

// liveMark is what the live-marker template gets.
type liveMark struct {
	Lang Lang
	Key  string // the words while live
}

// LiveMark hands the live-marker template its words (a message key).
func (b Base) LiveMark(key string) liveMark { return liveMark{Lang: b.Lang, Key: key} }
