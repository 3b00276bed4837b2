package auth

import (
	_ "embed"
	"strings"
	"sync"

	"fyr/internal/fail"
)

//go:embed common-passwords.txt
var commonPasswordsFile string

// commonPasswords is the set of the embedded list, built on first use.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 10000)
	for _, line := range strings.Split(commonPasswordsFile, "\n") {
		if line != "" && !strings.HasPrefix(line, "# ") { // "# " starts the header; a password may start with "#"
			set[line] = struct{}{}
		}
	}
	return set
})

// guessable refuses the passwords NIST SP 800-63B (5.1.1.2) names: those
// in lists of common or breached passwords, repetitive or sequential
// characters, and context-specific words (here the username).
func guessable(pw, username string) error {
	low := strings.ToLower(pw)
	if username != "" && low == strings.ToLower(strings.TrimSpace(username)) {
		return fail.Field("password", "must not be the username")
	}
	if _, ok := commonPasswords()[low]; ok {
		return fail.Field("password", "is one of the 10,000 most common passwords: choose another (a few unrelated words make a good one)")
	}
	if repeats(low) {
		return fail.Field("password", "is a few characters repeated: choose another")
	}
	for _, run := range []string{"01234567890123456789", "98765432109876543210", "abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcba"} {
		if strings.Contains(run, low) {
			return fail.Field("password", "is a run of consecutive characters: choose another")
		}
	}
	return nil
}

// repeats reports a password made of one unit of up to four characters
// repeated ("aaaaaaaaaaaa", "abcabcabcabc").
func repeats(pw string) bool {
	r := []rune(pw)
	for unit := 1; unit <= 4 && unit < len(r); unit++ {
		same := true
		for i := unit; i < len(r) && same; i++ {
			same = r[i] == r[i%unit]
		}
		if same {
			return true
		}
	}
	return false
}
