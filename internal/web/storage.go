package web

import (
	"errors"
	"net/http"

	"fyr/internal/fail"
	"fyr/internal/store"
)

func init() {
	addMessages(map[string][2]string{
		"store.full": {"Lagringen är full — ingenting sparades. Läsning fungerar; skrivning återupptas av sig själv när utrymme frigjorts.",
			"Storage full — nothing was saved. Reading works; writing resumes by itself once space is freed."},
		"store.noanswer": {"Händelseloggen svarade inte i tid — ingenting sparades. Försök igen.",
			"The event log did not answer in time — nothing was saved. Try again."},
		"store.banner": {"Lagringen är full: ingenting kan sparas just nu. Du kan läsa som vanligt; skrivning återupptas av sig själv när utrymme frigjorts.",
			"Storage is full: nothing can be saved right now. You can read as usual; writing resumes by itself once space is freed."},
	})
}

// localize shows a storage fault in the user's language. It returns a copy:
// the store's errors are shared values.
func localize(l Lang, fe *fail.Error) *fail.Error {
	if fe.Code != fail.Unavailable {
		return fe
	}
	c := *fe
	switch fe.Message {
	case store.ErrFull.Message:
		c.Message = T(l, "store.full")
	case store.ErrNoAnswer.Message:
		c.Message = T(l, "store.noanswer")
	}
	return &c
}

// writesDown answers /healthz while the log takes no writes: not ready for
// writes, and saying that reads still work.
func writesDown(w http.ResponseWriter, err error) {
	why := "storage full"
	if errors.Is(err, store.ErrNoAnswer) {
		why = "the event log does not answer writes"
	}
	http.Error(w, "not ready for writes: "+why+" — reads work, writes do not (they resume by themselves)", http.StatusServiceUnavailable)
}
