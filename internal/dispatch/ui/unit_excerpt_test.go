package dispatchui

import (
	"fyr/internal/web"
	"strings"
	"testing"
	"time"
)

func TestExcerptCutsAtAWord(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		text, want string
		cut        bool
	}{
		{"  Kort beslut.  ", "Kort beslut.", false},
		{strings.Repeat("å", 10), strings.Repeat("å", 10), false},
		{"Planerad vård ställs in från och med i morgon", "Planerad vård ställs …", true},
		{strings.Repeat("x", 30), strings.Repeat("x", 20) + " …", true}, // no word break: cut at the limit
	} {
		got, cut := cutExcerpt(c.text, 20)
		if got != c.want || cut != c.cut {
			t.Errorf("cutExcerpt(%q) = %q, %v; want %q, %v", c.text, got, cut, c.want, c.cut)
		}
	}
}

func TestClockOmitsTodaysDate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 5, 3, 30, 0, 0, web.Stockholm)
	if got := clock(now.Add(40*time.Minute), now); got != "04:10" {
		t.Errorf("today: %q", got)
	}
	if got := clock(now.Add(24*time.Hour), now); got != "2026-12-06 03:30" {
		t.Errorf("tomorrow: %q", got)
	}
}
