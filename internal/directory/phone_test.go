package directory_test

import (
	"strings"
	"testing"

	"fyr/internal/directory"
)

func TestNormalizePhone(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"070-123 45 67":        "+46701234567",
		"0701234567":           "+46701234567",
		"+46 (0)70 123 45 67":  "+46701234567",
		"0046701234567":        "+46701234567",
		"08-123 456 78":        "+46812345678",
		"+46701234567":         "+46701234567",
		"+46 70 123 45 67":     "+46701234567",
		"+46 070-123 45 67":    "+46701234567",
		"(08) 123 456 78":      "+46812345678",
		"070.123.45.67":        "+46701234567",
		"'0701234567":          "+46701234567", // Excel's text marker
		"  070\u00a0123 45 67": "+46701234567", // non-breaking space
		"0470-123 45":          "+4647012345",  // Växjö, 7 digits
		"+47 22 12 34 56":      "+4722123456",  // Norway
		"+1 202 555 0143":      "+12025550143",
		"00358 9 123 4567":     "+35891234567",
		"":                     "",
	} {
		got, err := directory.NormalizePhone(in)
		if err != nil || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{
		"070-123",             // too short
		"0701234567890",       // too long for Sweden
		"46701234567",         // the + lost in a spreadsheet
		"701234567",           // no leading 0 or country code
		"070-123 45 67 ank 3", // letters
		"+46 70 123 45 67 x",
		"++46701234567",
		"0046",
		"+0701234567",
		"00",
		"0",
		"+",
		"-",
		"070+1234567",
		"+1234567890123456", // 16 digits
		"+123456",           // 6 digits
	} {
		if got, err := directory.NormalizePhone(in); err == nil {
			t.Errorf("NormalizePhone(%q) = %q; want an error", in, got)
		} else if !strings.Contains(err.Error(), "phone number") && !strings.Contains(err.Error(), "+ before") {
			t.Errorf("NormalizePhone(%q): error %q does not say what is wrong", in, err)
		}
	}
	if _, err := directory.NormalizePhone("46701234567"); err == nil || !strings.Contains(err.Error(), "+46701234567") {
		t.Errorf("a number whose + a spreadsheet dropped gets no hint: %v", err)
	}
}

func TestCheckEmail(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"anna@test.example", "a.b+c@x.regionexempel.example", "akut.cs@sjukhus.se"} {
		if err := directory.CheckEmail(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"nobody", "a@b", "a@@b.se", "Anna <a@b.se>", "a b@c.se", "@b.se", "a@.se", "a@b..se", "a@b.se.", "a@b.se,", "a;b@c.se"} {
		if err := directory.CheckEmail(bad); err == nil {
			t.Errorf("%q accepted as an e-mail address", bad)
		}
	}
}

func TestCheckWebhookURL(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"https://display.cs.example/fyr", "https://10.1.2.3:8443/hooks?unit=iva", "http://127.0.0.1:9000/x", "http://localhost/x"} {
		if err := directory.CheckWebhookURL(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"display.cs.example/fyr", "http://display.cs.example/fyr", "ftp://x.example/", "https://", "https://u:p@x.example/",
		"https://x.example/#a", "mailto:a@b.se", "https://x.example/" + strings.Repeat("a", 2048)} {
		if err := directory.CheckWebhookURL(bad); err == nil {
			t.Errorf("%q accepted as a webhook URL", bad)
		}
	}
}
