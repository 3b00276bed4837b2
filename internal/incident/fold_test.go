package incident

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzContainsFold checks the journal search's matcher against the plain
// way (lower-case both, then strings.Contains).
func FuzzContainsFold(f *testing.F) {
	for _, s := range [][2]string{{"Post 10 från Växeln", "VÄX"}, {"IVA har 3 lediga", "iva"}, {"Åsa", "åS"}, {"x", "xx"}, {"ab", ""}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, s, needle string) {
		if !utf8.ValidString(s) || !utf8.ValidString(needle) {
			return
		}
		for _, r := range s {
			if r >= utf8.RuneSelf && unicode.ToLower(r) < utf8.RuneSelf {
				return // the Kelvin sign: an ASCII needle does not find it, by design
			}
		}
		lower := strings.ToLower(needle)
		if got, want := containsFold(s, lower), strings.Contains(strings.ToLower(s), lower); got != want {
			t.Fatalf("containsFold(%q, %q) = %v, want %v", s, lower, got, want)
		}
	})
}
