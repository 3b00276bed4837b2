package chart

import (
	"os"
	"testing"
	"time"
)

func TestZZDump(t *testing.T) {
	l := backlog()
	l.Series = append(l.Series, Series{Name: "Beställningssystem för förbrukningsmaterial", Points: []Point{{at("2026-12-05T03:10:00Z"), 2}, {at("2026-12-05T05:00:00Z"), 7}, {at("2026-12-05T07:30:00Z"), 0}}})
	l.To = l.To.Add(30 * time.Minute)
	svg := string(LineSVG(l)) + string(BarsSVG(Bars{Title: "Per system", Done: "klart", Left: "kvar", Bars: []Bar{{"Journalsystem", 120, 30}, {"Labbsystem", 0, 75}, {"Beställningssystem för förbrukningsmaterial", 12, 3}}}))
	os.WriteFile("/tmp/ch.html", []byte(`<!doctype html><meta charset="utf-8"><style>svg{max-width:100%;height:auto;display:block}</style>`+svg), 0o644)
}
