package auth

import (
	"testing"

	"fyr/internal/fail"
)

// NIST SP 800-63B: common passwords, repetitions, runs and the username
// are refused, naming the field; ordinary passphrases pass.
func TestGuessablePasswordsRefused(t *testing.T) {
	for _, tc := range []struct {
		pw, user string
		ok       bool
	}{
		{"password1234", "tib", false},
		{"Password1234", "tib", false}, // the list is matched without case
		{"aaaaaaaaaaaa", "tib", false},
		{"qwertyuiop12", "tib", false},
		{"1q2w3e4r5t6y", "tib", false},
		{"abababababab", "tib", false},
		{"123456789012", "tib", false},
		{"lmnopqrstuvw", "tib", false},
		{"sjukvardsledare", "sjukvardsledare", false},
		{"Sjukvardsledare", "sjukvardsledare", false},
		{"kort", "tib", false},
		{"fyr-demo-2018", "tib", true},
		{"reservkraft i källaren", "tib", true},
		{"crash-test-password-1", "admin", true},
	} {
		err := checkPassword(tc.pw, tc.user)
		if tc.ok != (err == nil) {
			t.Errorf("%q for %s: %v, want ok=%v", tc.pw, tc.user, err, tc.ok)
		}
		if err != nil && fail.As(err).Field != "password" {
			t.Errorf("%q: error %v does not name the field password", tc.pw, err)
		}
	}
	if n := len(commonPasswords()); n != 10000 {
		t.Errorf("the embedded list holds %d passwords, want 10,000", n)
	}
}
