package backlog

import (
	"fmt"
	"testing"
	"time"

	"fyr/internal/incident"
)

// bigBook is an incident's backlog of n changes over 300 units, 40
// systems and every kind.
func bigBook(b *testing.B, n int) WriteModel {
	m := model()
	units, systems := names{}, names{}
	for i := range 300 {
		units[fmt.Sprintf("u%d", i)] = fmt.Sprintf("Enhet %d", i)
	}
	for i := range 40 {
		systems[fmt.Sprintf("s%d", i)] = fmt.Sprintf("System %d", i)
	}
	m.Units, m.Systems = units, systems
	for i := range n {
		c := add(fmt.Sprintf("u%d", i%300), fmt.Sprintf("s%d", i%40), Kinds[i%len(Kinds)], 3, t0.Add(time.Duration(i)*time.Second))
		drafts, err := c.Decide(m, staff, t0.Add(48*time.Hour))
		if err != nil {
			b.Fatal(err)
		}
		apply(&testing.T{}, m.Book, t0.Add(48*time.Hour), drafts)
	}
	return m
}

// The staff page and the API compute the totals on every read (and every
// live refresh).
func BenchmarkTotals(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := bigBook(b, n)
			id := func(s string) string { return s }
			b.ResetTimer()
			for range b.N {
				m.Book.Totals("inc", "", incident.AsOf{}, id, id)
			}
		})
	}
}

// A work-off is checked against every change of its line, inside the one
// appender: its cost delays every writer.
func BenchmarkWorkOffDecide(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := bigBook(b, n)
			c := WorkOff(add("u1", "s1", Kinds[1], 1, t0.Add(time.Hour)))
			b.ResetTimer()
			for range b.N {
				if _, err := c.Decide(m, staff, t0.Add(48*time.Hour)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
