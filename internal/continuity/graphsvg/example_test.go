package graphsvg_test

import (
	"fmt"
	"html/template"

	"fyr/internal/continuity/graphsvg"
)

// The incident page draws its impact: what is down, what depends on it,
// the units framed per hospital and the routines, with the path that
// explains a broken routine marked. The output is escaped and well-formed,
// so a page can inline it.
func ExampleRender() {
	g := graphsvg.Graph{
		Title: "DNS nere",
		Desc:  "DNS nere: journalen nere, 1 enhet påverkad, 1 reservrutin fungerar inte.",
		Nodes: []graphsvg.Node{
			{ID: "dns-1", Label: "DNS-server 1", Kind: graphsvg.Infrastructure, Status: graphsvg.Down, OnPath: true},
			{ID: "journal", Label: "Journalsystemet", Kind: graphsvg.System, Status: graphsvg.Down},
			{ID: "f-journal-read", Label: "Läsa journalen", Kind: graphsvg.Function, Status: graphsvg.Down},
			{ID: "cs-iva", Label: "IVA CS", Kind: graphsvg.Unit, Group: "Centralsjukhuset"},
			{ID: "r-read-only", Label: "Journal i läsläge", Kind: graphsvg.Routine, Broken: true, OnPath: true},
		},
		Edges: []graphsvg.Edge{
			{From: "journal", To: "dns-1", Type: "behöver"},
			{From: "f-journal-read", To: "journal", Type: "körs på"},
			{From: "cs-iva", To: "f-journal-read", Type: "använder"},
			{From: "r-read-only", To: "dns-1", Type: "behöver", OnPath: true},
		},
	}
	labels := graphsvg.Labels{Down: "NERE", Degraded: "BEGRÄNSAD", Broken: "FUNGERAR INTE", Routines: "Reservrutiner",
		Path: "Förklarande väg", Affects: "påverkar", More: func(n int) string { return fmt.Sprintf("+ %d enheter", n) }}
	svg := graphsvg.Render(g, labels, graphsvg.Options{MaxUnitsPerGroup: 12, IDPrefix: "impact"})
	_ = template.HTML(svg) // safe to inline: every text in it is escaped
	fmt.Println(len(svg) > 0)
	// Output: true
}
