package registry_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fyr/internal/continuity/chart"
	"fyr/internal/continuity/graphsvg"
	"fyr/internal/demo"
	"fyr/internal/directory"
)

var graphPNG = flag.String("graph-png", "", "also write the A4-landscape screenshot of the DNS-down graph to this file (docs/impact-graph.png)")

var svLabels = graphsvg.Labels{Down: "NERE", Degraded: "BEGRÄNSAD", Up: "UPPE", Broken: "FUNGERAR INTE",
	Kinds: map[graphsvg.Kind]string{graphsvg.System: "System", graphsvg.Infrastructure: "Infrastruktur",
		graphsvg.Supplier: "Leverantör", graphsvg.Function: "Funktion", graphsvg.Unit: "Enhet", graphsvg.Routine: "Reservrutin"},
	Path: "Förklarande väg", Affects: "påverkar", Routines: "Reservrutiner",
	More: func(n int) string { return fmt.Sprintf("+ %d enheter", n) }}

var typeWords = map[string]string{"runs_on": "körs på", "hosted_by": "drivs av", "needs": "behöver", "supplied_by": "levereras av",
	"used_by": "använder", "for": "reservrutin för"}

// hospitalOf is the frame a unit is drawn in: its hospital, or the top of
// its tree (the region, a municipality).
func hospitalOf(units map[string]directory.Unit, id string) string {
	name := units[id].Name
	for u, ok := units[id]; ok; u, ok = units[u.Parent] {
		name = u.Name
		if u.Type == directory.Hospital {
			break
		}
	}
	return name
}

// impactGraph draws an impact the way the incident page will: what is down
// or degraded, the functions, the units and the routines the affected
// functions need, with the paths that explain the broken routines.
func impactGraph(d data, imp *impact, title string) graphsvg.Graph {
	g := graphsvg.Graph{Title: title}
	in := map[string]bool{}
	kinds := map[string]graphsvg.Kind{"system": graphsvg.System, "infrastructure": graphsvg.Infrastructure,
		"supplier": graphsvg.Supplier, "function": graphsvg.Function}
	for _, id := range d.order {
		if s := imp.status[id]; s > up {
			in[id] = true
			g.Nodes = append(g.Nodes, graphsvg.Node{ID: id, Label: d.components[id].name, Kind: kinds[d.components[id].kind],
				Status: graphsvg.Status(s.String())})
		}
	}
	nUnits := 0
	for _, u := range demo.Units {
		if imp.status[u.ID] > up {
			in[u.ID] = true
			nUnits++
			g.Nodes = append(g.Nodes, graphsvg.Node{ID: u.ID, Label: u.Name, Kind: graphsvg.Unit, Group: hospitalOf(d.units, u.ID)})
		}
	}
	for _, dep := range d.deps {
		if in[dep.dependent] && in[dep.dependency] {
			g.Edges = append(g.Edges, graphsvg.Edge{From: dep.dependent, To: dep.dependency, Type: typeWords[dep.typ]})
		}
	}
	onPath := map[[2]string]bool{}
	nodeOnPath := map[string]bool{}
	broken := 0
	for _, r := range d.routines {
		needed := slices.ContainsFunc(r.For, func(id string) bool { return imp.status[id] > up })
		if !needed {
			continue
		}
		by := imp.broken(r)
		n := graphsvg.Node{ID: r.ID, Label: r.Title, Kind: graphsvg.Routine, Broken: by != ""}
		g.Nodes = append(g.Nodes, n)
		for _, f := range r.For {
			if in[f] {
				g.Edges = append(g.Edges, graphsvg.Edge{From: r.ID, To: f, Type: typeWords["for"]})
			}
		}
		if by != "" {
			broken++
			g.Edges = append(g.Edges, graphsvg.Edge{From: r.ID, To: by, Type: typeWords["needs"]})
			onPath[[2]string{r.ID, by}] = true
			nodeOnPath[r.ID] = true
			p := imp.path(by)
			for i, id := range p {
				nodeOnPath[id] = true
				if i+1 < len(p) {
					onPath[[2]string{id, p[i+1]}] = true
				}
			}
		}
	}
	for i := range g.Nodes {
		g.Nodes[i].OnPath = nodeOnPath[g.Nodes[i].ID]
	}
	for i, e := range g.Edges {
		g.Edges[i].OnPath = onPath[[2]string{e.From, e.To}]
	}
	g.Desc = fmt.Sprintf("%s: %d komponenter nere eller begränsade, %d enheter påverkade, %d reservrutiner fungerar inte.",
		title, len(g.Nodes)-nUnits-countRoutines(g), nUnits, broken)
	return g
}

// backlogCharts is the re-entry backlog of the Tietoevry weeks, as the
// incident page will show it: a line per system with a total, and bars.
func backlogCharts(d data) []byte {
	start := time.Date(2026, 1, 20, 7, 0, 0, 0, time.UTC)
	var series []chart.Series
	var bars []chart.Bar
	for i, id := range []string{"journal", "ordering", "discharge", "economy"} {
		var pts []chart.Point
		n, done := 0, 0
		for h := 0; h <= 72; h += 6 {
			switch {
			case h < 48:
				n += (4 - i) * 9
			default:
				done += min(n, 40)
				n -= min(n, 40)
			}
			pts = append(pts, chart.Point{At: start.Add(time.Duration(h) * time.Hour), Count: n})
		}
		series = append(series, chart.Series{Name: d.components[id].name, Points: pts})
		bars = append(bars, chart.Bar{Label: d.components[id].name, Done: done, Left: n})
	}
	line := chart.LineSVG(chart.Line{Title: "Kvar att efterregistrera", Series: series, Total: "Totalt", IDPrefix: "backlog"})
	bar := chart.BarsSVG(chart.Bars{Title: "Per system", Bars: bars, Done: "klart", Left: "kvar", IDPrefix: "backlog-bars"})
	return append(line, bar...)
}

type drawnCounts struct{ Nodes, Broken, OnPath int }

func countRoutines(g graphsvg.Graph) int {
	n := 0
	for _, x := range g.Nodes {
		if x.Kind == graphsvg.Routine {
			n++
		}
	}
	return n
}

func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("FYR_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("chromium not found: install Debian's package (apt-get install -y chromium) or set FYR_CHROMIUM")
	return ""
}

// The picture the staff see when both DNS servers fail, in a real browser
// on a phone and at A4 width: every label fits its box in the real font,
// and the broken routines are there, marked.
func TestDNSDownGraphInBrowser(t *testing.T) {
	d := load(t)
	g := impactGraph(d, d.impact("dns-1", "dns-2"), "Övning Kronoberg: DNS nere 03:00")
	svg := graphsvg.Render(g, svLabels, graphsvg.Options{IDPrefix: "impact"})
	page := `<!doctype html><html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Påverkan</title><style>body{margin:0;padding:12px;font-family:system-ui,sans-serif;background:#fff}
.graph{overflow-x:auto;margin:0} svg{display:block;max-width:100%;height:auto}
@media (max-width:700px){.graph svg{max-width:none}}</style></head>
<body><main><h1 style="font-size:18px">Påverkan</h1><figure class="graph">` + string(svg) + `</figure>
<h2 style="font-size:16px">Efterregistrering</h2>` + string(backlogCharts(d)) + `</main></body></html>`
	dir := t.TempDir()
	file := filepath.Join(dir, "graph.html")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.Flag("headless", true),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	defer cancelT()

	// Text that runs out of its box, measured in the browser's own font.
	const overflow = `(() => {
	  const bad = [];
	  for (const g of document.querySelectorAll('g.node')) {
	    const r = g.querySelector('rect').getBBox();
	    for (const t of g.querySelectorAll('text')) {
	      const b = t.getBBox();
	      if (b.x + b.width > r.x + r.width - 3) bad.push(t.textContent + ' (' + Math.round(b.x + b.width - r.x - r.width) + ')');
	    }
	  }
	  for (const f of document.querySelectorAll('g.frame')) {
	    const r = f.querySelector('rect').getBBox();
	    for (const t of f.querySelectorAll('text')) {
	      const b = t.getBBox();
	      if (b.x + b.width > r.x + r.width - 3) bad.push(t.textContent);
	    }
	  }
	  for (const svg of document.querySelectorAll('svg.chart')) {
	    const w = svg.viewBox.baseVal.width;
	    for (const t of svg.querySelectorAll('text')) {
	      const b = t.getBBox();
	      if (b.x < 0 || b.x + b.width > w) bad.push('chart: ' + t.textContent);
	    }
	  }
	  return bad;
	})()`
	var counts drawnCounts
	for _, vp := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"a4", 794, 1123}, {"a4-landscape", 1123, 794}} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.w, vp.h), chromedp.Navigate("file://"+file)); err != nil {
			t.Fatalf("%s: open: %v", vp.name, err)
		}
		bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](overflow))
		if err != nil {
			t.Fatalf("%s: measure: %v", vp.name, err)
		}
		counts, err = chromedp.Run(ctx, chromedp.Evaluate[drawnCounts](`({Nodes: document.querySelectorAll('g.node').length,
		  Broken: document.querySelectorAll('g.node.broken').length, OnPath: document.querySelectorAll('path.edge.onpath').length})`))
		if err != nil {
			t.Fatalf("%s: count: %v", vp.name, err)
		}
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("%s: screenshot: %v", vp.name, err)
		}
		if len(bad) > 0 {
			t.Errorf("%s: text runs out of its box: %q", vp.name, bad)
		}
		if err := os.WriteFile(filepath.Join(dir, vp.name+".png"), shot, 0o644); err != nil {
			t.Fatal(err)
		}
		if vp.name == "a4-landscape" && *graphPNG != "" {
			// The figure alone: the picture of the README.
			fig, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("figure.graph")))
			if err != nil {
				t.Fatalf("screenshot of the figure: %v", err)
			}
			if err := os.WriteFile(*graphPNG, fig, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if dst := os.Getenv("GRAPH_SHOTS"); dst != "" {
			_ = os.WriteFile(filepath.Join(dst, vp.name+".png"), shot, 0o644)
		}
	}
	// axe-core (vendored for the web tests) on the page with the drawings.
	axe, err := os.ReadFile(filepath.Join("..", "..", "web", "testdata", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(axe))); err != nil {
		t.Fatalf("inject axe: %v", err)
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(async () => {
	  const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
	  return r.violations.map(v => v.id + ": " + v.help + " " + v.nodes.map(n => n.target.join(" ")).join(", "));
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe: %v", err)
	}
	for _, v := range violations {
		t.Errorf("axe: %s", v)
	}
	if counts.Broken < 5 || counts.OnPath < 5 || counts.Nodes < 40 {
		t.Errorf("drawn: %+v; want the broken routines marked and their paths highlighted", counts)
	}
	if !strings.Contains(string(svg), "FUNGERAR INTE") {
		t.Error("no routine marked as not working")
	}
}

// Drawing the demo's DNS failure (101 boxes, 259 edges), as the incident
// page would on every status change.
func BenchmarkDNSDownGraph(b *testing.B) {
	d := load(b)
	g := impactGraph(d, d.impact("dns-1", "dns-2"), "DNS nere")
	b.ReportAllocs()
	for b.Loop() {
		graphsvg.Render(g, svLabels, graphsvg.Options{})
	}
}
