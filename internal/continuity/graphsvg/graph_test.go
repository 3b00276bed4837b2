package graphsvg

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// elem is a parsed SVG element.
type elem struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []elem     `xml:",any"`
	Text     string     `xml:",chardata"`
}

func (e elem) attr(name string) string {
	for _, a := range e.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (e elem) hasClass(c string) bool { return hasWord(e.attr("class"), c) }

func hasWord(s, w string) bool {
	for _, f := range strings.Fields(s) {
		if f == w {
			return true
		}
	}
	return false
}

func (e elem) walk(f func(elem)) {
	f(e)
	for _, c := range e.Children {
		c.walk(f)
	}
}

func (e elem) child(name string) (elem, bool) {
	for _, c := range e.Children {
		if c.XMLName.Local == name {
			return c, true
		}
	}
	return elem{}, false
}

func (e elem) num(t *testing.T, name string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(e.attr(name), 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", e.XMLName.Local, name, e.attr(name), err)
	}
	return f
}

// parse checks that out is one well-formed XML document and returns its root.
func parse(t testing.TB, out []byte) elem {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(out))
	for {
		_, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, out)
		}
	}
	var root elem
	if err := xml.Unmarshal(out, &root); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	return root
}

var swedish = Labels{Down: "NERE", Degraded: "BEGRÄNSAD", Up: "UPPE", Broken: "FUNGERAR INTE",
	Kinds: map[Kind]string{System: "System", Infrastructure: "Infrastruktur", Supplier: "Leverantör",
		Function: "Funktion", Unit: "Enhet", Routine: "Reservrutin"},
	Path: "Förklarande väg", Affects: "påverkar", Routines: "Reservrutiner",
	More: func(n int) string { return fmt.Sprintf("+ %d enheter", n) }}

// kronoberg is a small graph around a DNS failure, with the DNS ↔ AD cycle.
func kronoberg() Graph {
	return Graph{Title: "DNS nere", Desc: "DNS nere påverkar 2 system, 2 funktioner, 4 enheter och 2 reservrutiner.",
		Nodes: []Node{
			{ID: "dns", Label: "Intern DNS", Kind: Infrastructure, Status: Down, OnPath: true},
			{ID: "ad", Label: "Active Directory", Kind: Infrastructure, Status: Down, OnPath: true},
			{ID: "cosmic", Label: "Journalsystem (Cosmic)", Kind: System, Status: Down, OnPath: true},
			{ID: "lis", Label: "Laboratoriesystem", Kind: System, Status: Degraded},
			{ID: "f-journal", Label: "Journalåtkomst", Kind: Function, Status: Down, OnPath: true},
			{ID: "f-lab", Label: "Labbeställning", Kind: Function, Status: Degraded},
			{ID: "cs-akutmott", Label: "Akutmottagningen CS", Kind: Unit, Group: "Centralsjukhuset", OnPath: true},
			{ID: "cs-iva", Label: "IVA CS", Kind: Unit, Group: "Centralsjukhuset"},
			{ID: "ls-akut", Label: "Akutmottagningen Norrby", Kind: Unit, Group: "Länssjukhuset Norrby"},
			{ID: "ls-med", Label: "Medicinavdelningen Norrby", Kind: Unit, Group: "Länssjukhuset Norrby"},
			{ID: "r-epc", Label: "Reservdator med journalutdrag", Kind: Routine, Broken: true, OnPath: true},
			{ID: "r-paper", Label: "Pappersjournal", Kind: Routine},
		},
		Edges: []Edge{
			{From: "ad", To: "dns", Type: "needs", OnPath: true},
			{From: "dns", To: "ad", Type: "needs"},
			{From: "cosmic", To: "dns", Type: "needs", OnPath: true},
			{From: "cosmic", To: "ad", Type: "needs"},
			{From: "lis", To: "dns", Type: "needs"},
			{From: "f-journal", To: "cosmic", Type: "runs_on", OnPath: true},
			{From: "f-lab", To: "lis", Type: "runs_on"},
			{From: "cs-akutmott", To: "f-journal", Type: "used_by", OnPath: true},
			{From: "cs-akutmott", To: "f-lab", Type: "used_by"},
			{From: "cs-iva", To: "f-journal", Type: "used_by"},
			{From: "ls-akut", To: "f-journal", Type: "used_by"},
			{From: "ls-med", To: "f-lab", Type: "used_by"},
			{From: "r-epc", To: "f-journal", Type: "for"},
			{From: "r-epc", To: "dns", Type: "needs", OnPath: true},
			{From: "r-paper", To: "f-journal", Type: "for"},
		}}
}

type drawn struct {
	root   elem
	nodes  []elem // <g class="node …">
	edges  []elem // <path class="edge …">
	frames []elem // <g class="frame">
}

func draw(t testing.TB, g Graph, o Options) drawn {
	t.Helper()
	d := drawn{root: parse(t, Render(g, swedish, o))}
	d.root.walk(func(e elem) {
		switch {
		case e.XMLName.Local == "g" && e.hasClass("node"):
			d.nodes = append(d.nodes, e)
		case e.XMLName.Local == "g" && (e.hasClass("edges") || e.hasClass("paths")):
			// An edge's stroke comes from its group.
			for _, c := range e.Children {
				if c.XMLName.Local == "path" && c.hasClass("edge") {
					c.Attrs = append(c.Attrs, xml.Attr{Name: xml.Name{Local: "stroke-width"}, Value: e.attr("stroke-width")},
						xml.Attr{Name: xml.Name{Local: "stroke"}, Value: e.attr("stroke")})
					d.edges = append(d.edges, c)
				}
			}
		case e.XMLName.Local == "g" && e.hasClass("frame"):
			d.frames = append(d.frames, e)
		}
	})
	return d
}

func (d drawn) count(list []elem, class string) int {
	n := 0
	for _, e := range list {
		if e.hasClass(class) {
			n++
		}
	}
	return n
}

func TestStructure(t *testing.T) {
	d := draw(t, kronoberg(), Options{})
	if got := len(d.nodes); got != 12 {
		t.Errorf("nodes drawn = %d, want 12", got)
	}
	if got := len(d.edges); got != 15 {
		t.Errorf("edges drawn = %d, want 15 (both edges of the DNS ↔ AD cycle included)", got)
	}
	for class, want := range map[string]int{"down": 4, "degraded": 2, "broken": 1, "onpath": 6, "unit": 4, "routine": 2} {
		if got := d.count(d.nodes, class); got != want {
			t.Errorf("nodes of class %q = %d, want %d", class, got, want)
		}
	}
	if got := d.count(d.edges, "onpath"); got != 5 {
		t.Errorf("highlighted edges = %d, want 5", got)
	}
	// Highlighted edges are thicker and carry their own arrowhead.
	for _, e := range d.edges {
		thick := e.attr("stroke-width") == "3"
		marked := strings.Contains(e.attr("marker-end")+e.attr("marker-start"), "arrow-path")
		if e.hasClass("onpath") != thick || e.hasClass("onpath") != marked {
			t.Errorf("edge %q: onpath=%v but stroke-width=%s, markers %s%s", e.Text, e.hasClass("onpath"),
				e.attr("stroke-width"), e.attr("marker-end"), e.attr("marker-start"))
		}
	}
	var heads []string
	for _, f := range d.frames {
		title, _ := f.child("title")
		heads = append(heads, title.Text)
	}
	want := []string{"Centralsjukhuset (2)", "Länssjukhuset Norrby (2)", "Reservrutiner (2)"}
	if fmt.Sprint(sortedCopy(heads)) != fmt.Sprint(want) {
		t.Errorf("frames = %q, want %q", heads, want)
	}
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	for i := range c {
		for j := i + 1; j < len(c); j++ {
			if c[j] < c[i] {
				c[i], c[j] = c[j], c[i]
			}
		}
	}
	return c
}

// The columns follow the dependencies: the down DNS first, units and
// routines last, every non-cycle arrow pointing right.
func TestColumnsFollowDependencies(t *testing.T) {
	d := draw(t, kronoberg(), Options{})
	x := map[string]float64{}
	for _, n := range d.nodes {
		r, _ := n.child("rect")
		x[n.attr("data-id")] = r.num(t, "x")
	}
	for _, e := range kronoberg().Edges {
		if e.From == "dns" { // the cycle's back edge
			continue
		}
		if x[e.From] <= x[e.To] {
			t.Errorf("%s (x=%v) depends on %s (x=%v) but is not to its right", e.From, x[e.From], e.To, x[e.To])
		}
	}
	for _, id := range []string{"cs-akutmott", "cs-iva", "ls-akut", "ls-med", "r-epc", "r-paper"} {
		if x[id] != x["cs-akutmott"] {
			t.Errorf("%s in column x=%v, want the units' and routines' column x=%v", id, x[id], x["cs-akutmott"])
		}
	}
}

func TestCycles(t *testing.T) {
	g := Graph{Title: "cycles", Nodes: []Node{
		{ID: "a", Label: "A", Kind: Infrastructure, Status: Down},
		{ID: "b", Label: "B", Kind: Infrastructure}, {ID: "c", Label: "C", Kind: System},
		{ID: "u", Label: "U", Kind: Unit},
	}, Edges: []Edge{
		{From: "b", To: "a"}, {From: "c", To: "b"}, {From: "a", To: "c"}, // a 3-cycle
		{From: "a", To: "b"},                       // and a 2-cycle inside it
		{From: "u", To: "c"}, {From: "c", To: "u"}, // a component depending on a unit
	}}
	d := draw(t, g, Options{})
	if len(d.nodes) != 4 || len(d.edges) != 6 {
		t.Fatalf("drew %d nodes and %d edges, want 4 and 6", len(d.nodes), len(d.edges))
	}
	back := 0
	for _, e := range d.edges {
		if e.attr("marker-start") != "" {
			back++
		}
	}
	if back == 0 {
		t.Error("no edge drawn against the flow: a cycle must show its back edge")
	}
}

type box struct {
	id         string
	x, y, w, h float64
}

func (a box) overlaps(b box) bool {
	return a.x < b.x+b.w && b.x < a.x+a.w && a.y < b.y+b.h && b.y < a.y+a.h
}

func boxes(t *testing.T, list []elem) []box {
	var out []box
	for _, n := range list {
		r, ok := n.child("rect")
		if !ok {
			t.Fatalf("%s without a rect", n.attr("class"))
		}
		out = append(out, box{n.attr("data-id") + n.attr("class"), r.num(t, "x"), r.num(t, "y"), r.num(t, "width"), r.num(t, "height")})
	}
	return out
}

// bigGraph is a random layered graph the size of a region's impact.
func bigGraph(seed uint64, comps, units int) Graph {
	rng := rand.New(rand.NewPCG(seed, 7))
	g := Graph{Title: "big"}
	kinds := []Kind{Infrastructure, System, System, Supplier, Function, Function}
	for i := range comps {
		n := Node{ID: fmt.Sprintf("c%d", i), Label: fmt.Sprintf("Komponent nummer %d med ett långt namn", i), Kind: kinds[i%len(kinds)]}
		if i < 3 {
			n.Status = Down
		} else if rng.IntN(4) == 0 {
			n.Status = Degraded
		}
		n.OnPath = rng.IntN(3) == 0
		g.Nodes = append(g.Nodes, n)
		for range 1 + rng.IntN(2) {
			if i > 0 {
				g.Edges = append(g.Edges, Edge{From: n.ID, To: fmt.Sprintf("c%d", rng.IntN(i)), Type: "needs", OnPath: rng.IntN(4) == 0})
			}
		}
	}
	for i := range units {
		n := Node{ID: fmt.Sprintf("u%d", i), Label: fmt.Sprintf("Avdelning %d", i), Kind: Unit, Group: fmt.Sprintf("Sjukhus %d", i%5)}
		if i%20 == 0 {
			n = Node{ID: n.ID, Label: "Reservrutin " + n.ID, Kind: Routine, Broken: i%40 == 0}
		}
		g.Nodes = append(g.Nodes, n)
		for range 1 + rng.IntN(3) {
			g.Edges = append(g.Edges, Edge{From: n.ID, To: fmt.Sprintf("c%d", comps-1-rng.IntN(min(comps, 8))), Type: "used_by"})
		}
	}
	return g
}

func TestNoOverlappingBoxes(t *testing.T) {
	for _, g := range []Graph{kronoberg(), bigGraph(1, 40, 120), bigGraph(2, 120, 300)} {
		d := draw(t, g, Options{MaxUnitsPerGroup: 15})
		nodes, frames := boxes(t, d.nodes), boxes(t, d.frames)
		vb := strings.Fields(d.root.attr("viewBox"))
		w, _ := strconv.ParseFloat(vb[2], 64)
		h, _ := strconv.ParseFloat(vb[3], 64)
		for i, a := range nodes {
			if a.x < 0 || a.y < 0 || a.x+a.w > w || a.y+a.h > h {
				t.Errorf("%s: box %v outside the viewBox %vx%v", g.Title, a, w, h)
			}
			for _, b := range nodes[i+1:] {
				if a.overlaps(b) {
					t.Errorf("%s: boxes overlap: %v and %v", g.Title, a, b)
				}
			}
		}
		for i, a := range frames {
			for _, b := range frames[i+1:] {
				if a.overlaps(b) {
					t.Errorf("%s: frames overlap: %v and %v", g.Title, a, b)
				}
			}
			// A box is in a frame wholly, below its heading, or clear of it.
			for _, n := range nodes {
				inside := n.x >= a.x && n.x+n.w <= a.x+a.w && n.y >= a.y+10+headLine && n.y+n.h <= a.y+a.h
				if a.overlaps(n) && !inside {
					t.Errorf("%s: box %v cuts frame %v", g.Title, n, a)
				}
			}
		}
		if len(nodes) == 0 {
			t.Fatalf("%s: nothing drawn", g.Title)
		}
	}
}

// Labels never run out of their box: long ones are cut with an ellipsis and
// the box's <title> carries the whole text.
func TestLabelsFit(t *testing.T) {
	long := "Regionens gemensamma system för läkemedelsordination och administrering i slutenvård"
	g := Graph{Title: "fit", Nodes: []Node{{ID: "x", Label: long, Kind: System, Status: Down}, {ID: "wide", Label: strings.Repeat("W", 40), Kind: Function}}}
	d := draw(t, g, Options{})
	for _, n := range d.nodes {
		title, _ := n.child("title")
		var lines []string
		for _, c := range n.Children {
			if c.XMLName.Local == "text" && c.attr("class") == "label" {
				lines = append(lines, c.Text)
				if w := TextWidth(c.Text, labelSize, false); w > nodeW-16 {
					t.Errorf("label line %q is %.0f wide, the box has room for %.0f", c.Text, w, nodeW-16)
				}
			}
		}
		if len(lines) != 2 || !strings.HasSuffix(lines[1], "…") {
			t.Errorf("long label drawn as %q, want two lines, the second cut with an ellipsis", lines)
		}
		full := long
		if n.attr("data-id") == "wide" {
			full = strings.Repeat("W", 40)
		}
		if !strings.HasPrefix(title.Text, full) {
			t.Errorf("title %q does not carry the full label", title.Text)
		}
	}
	// A label that fits stays whole, on one line.
	d = draw(t, Graph{Title: "fit", Nodes: []Node{{ID: "s", Label: "Läkemedelsordination", Kind: Function}}}, Options{})
	for _, c := range d.nodes[0].Children {
		if c.XMLName.Local == "text" && c.attr("class") == "label" && c.Text != "Läkemedelsordination" {
			t.Errorf("label drawn as %q", c.Text)
		}
	}
}

func TestHostileLabelsAreEscaped(t *testing.T) {
	evil := `<script>alert("x")</script>' & "quoted" ]]> ` + "\x00\x1b\xff"
	g := Graph{Title: evil, Desc: evil, Nodes: []Node{
		{ID: `"><script>`, Label: evil, Kind: Unit, Group: evil},
		{ID: "s", Label: evil, Kind: System, Status: Down},
	}, Edges: []Edge{{From: `"><script>`, To: "s", Type: evil, OnPath: true}}}
	out := Render(g, Labels{Down: evil, Routines: evil}, Options{IDPrefix: `a"b`})
	root := parse(t, out)
	if bytes.Contains(out, []byte("<script")) {
		t.Fatalf("raw <script in output:\n%s", out)
	}
	seen := false
	root.walk(func(e elem) {
		if e.XMLName.Local == "g" && strings.HasPrefix(e.attr("data-id"), `"><script>`) {
			seen = true
		}
	})
	if !seen {
		t.Error("the node's id did not survive escaping")
	}
}

func TestDeterministic(t *testing.T) {
	g := bigGraph(3, 60, 200)
	first := Render(g, swedish, Options{})
	for range 5 {
		if again := Render(g, swedish, Options{}); !bytes.Equal(first, again) {
			t.Fatal("the same graph rendered to different bytes")
		}
	}
}

// A big impact stays usable: beyond the limit a frame shows one "+ n" box
// whose title names the units it stands for.
func TestCollapsePerGroup(t *testing.T) {
	g := Graph{Title: "300", Nodes: []Node{{ID: "j", Label: "Journal", Kind: Function, Status: Down}}}
	for i := range 300 {
		id := fmt.Sprintf("u%03d", i)
		g.Nodes = append(g.Nodes, Node{ID: id, Label: "Avdelning " + id, Kind: Unit, Group: fmt.Sprintf("Sjukhus %d", i%3), OnPath: i == 299})
		g.Edges = append(g.Edges, Edge{From: id, To: "j", Type: "used_by", OnPath: i == 299})
	}
	d := draw(t, g, Options{MaxUnitsPerGroup: 10})
	if got := d.count(d.nodes, "unit"); got != 33 {
		t.Errorf("unit boxes = %d, want 3 × (10 + one '+ 90')", got)
	}
	if got := len(d.edges); got != 33 {
		t.Errorf("edges = %d, want 33 (one per box)", got)
	}
	mores := 0
	for _, n := range d.nodes {
		if !n.hasClass("more") {
			continue
		}
		mores++
		title, _ := n.child("title")
		if !strings.HasPrefix(title.Text, "+ 90 enheter: ") || strings.Count(title.Text, "Avdelning") != 90 {
			t.Errorf("more box title = %.60q…, want '+ 90 enheter: ' and 90 names", title.Text)
		}
	}
	// The "+ n" box closes its frame: it is the lowest unit box of its hospital.
	nodes := boxes(t, d.nodes)
	for _, f := range boxes(t, d.frames) {
		var low box
		for i, b := range nodes {
			if f.overlaps(b) && b.y >= low.y {
				low = b
				low.id = d.nodes[i].attr("class")
			}
		}
		if !hasWord(low.id, "more") {
			t.Errorf("frame at y=%v: lowest box is %q, want the '+ n' box", f.y, low.id)
		}
	}
	if mores != 3 {
		t.Errorf("'+ n' boxes = %d, want 3", mores)
	}
	if got := d.count(d.edges, "onpath"); got != 1 {
		t.Errorf("highlighted edges = %d, want the one of the hidden unit on the path", got)
	}
	for _, f := range d.frames {
		var head []string
		for _, c := range f.Children {
			if c.XMLName.Local == "text" {
				head = append(head, c.Text)
			}
		}
		if !strings.HasSuffix(strings.Join(head, " "), "(100)") {
			t.Errorf("frame heading %q does not count the hidden units", head)
		}
	}
	// No limit: everything drawn.
	if d := draw(t, g, Options{MaxUnitsPerGroup: -1}); d.count(d.nodes, "unit") != 300 {
		t.Errorf("without a limit drew %d units, want 300", d.count(d.nodes, "unit"))
	}
}

// A screen reader gets a title and a summary; a state is never told by
// colour alone: every down, degraded or broken box has a shape mark and its
// word.
func TestAccessible(t *testing.T) {
	d := draw(t, kronoberg(), Options{IDPrefix: "g1"})
	if d.root.attr("role") != "img" || d.root.attr("aria-labelledby") != "g1-title g1-desc" {
		t.Errorf("root role=%q aria-labelledby=%q", d.root.attr("role"), d.root.attr("aria-labelledby"))
	}
	title, _ := d.root.child("title")
	desc, _ := d.root.child("desc")
	if title.attr("id") != "g1-title" || title.Text != "DNS nere" || desc.attr("id") != "g1-desc" || !strings.Contains(desc.Text, "4 enheter") {
		t.Errorf("title %q (%s), desc %q (%s)", title.Text, title.attr("id"), desc.Text, desc.attr("id"))
	}
	words := map[string]string{"down": "NERE", "degraded": "BEGRÄNSAD", "broken": "FUNGERAR INTE"}
	for _, n := range d.nodes {
		for class, word := range words {
			if !n.hasClass(class) {
				continue
			}
			var texts []string
			marks := 0
			for _, c := range n.Children {
				switch c.XMLName.Local {
				case "text":
					texts = append(texts, c.Text)
				case "use":
					if c.attr("href") == "#g1-m-"+class {
						marks++
					}
				}
			}
			if marks == 0 || !strings.Contains(strings.Join(texts, " "), word) {
				t.Errorf("%s box %s: marks=%d texts=%q, want a shape and %q", class, n.attr("data-id"), marks, texts, word)
			}
		}
	}
	// The three marks differ in shape, not only in colour.
	shapes := map[string]string{}
	d.root.walk(func(e elem) {
		if e.XMLName.Local == "g" && strings.HasPrefix(e.attr("id"), "g1-m-") {
			var s []string
			for _, c := range e.Children {
				s = append(s, c.XMLName.Local+c.attr("d"))
			}
			shapes[e.attr("id")] = strings.Join(s, "|")
		}
	})
	if len(shapes) != 3 || shapes["g1-m-down"] == shapes["g1-m-broken"] || shapes["g1-m-down"] == shapes["g1-m-degraded"] ||
		shapes["g1-m-broken"] == shapes["g1-m-degraded"] {
		t.Errorf("marks: %q, want three different shapes", shapes)
	}
	// Print-friendly: no dark fill anywhere.
	d.root.walk(func(e elem) {
		if e.XMLName.Local == "rect" && (e.attr("fill") == "#000" || e.attr("fill") == "#000000") {
			t.Errorf("dark rect %v", e.Attrs)
		}
	})
}

func TestEmptyGraph(t *testing.T) {
	d := draw(t, Graph{Title: "Inget påverkat"}, Options{})
	if len(d.nodes) != 0 || d.root.attr("viewBox") == "" {
		t.Errorf("empty graph: %d nodes, viewBox %q", len(d.nodes), d.root.attr("viewBox"))
	}
}

func FuzzRender(f *testing.F) {
	f.Add([]byte("\x05\x03abc\x00\x01\x02"), uint8(3))
	f.Add([]byte("<script>\"&'\x00\xff"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, limit uint8) {
		g := fuzzGraph(data)
		out := Render(g, Labels{Down: string(data)}, Options{MaxUnitsPerGroup: int(limit%8) - 1})
		parse(t, out)
	})
}

// fuzzGraph reads a small graph from bytes: a node per byte (kind, status
// and group from its bits, a label from the bytes that follow), and edges
// between byte-picked nodes.
func fuzzGraph(data []byte) Graph {
	kinds := []Kind{System, Infrastructure, Supplier, Function, Unit, Routine, "", "odd"}
	statuses := []Status{"", Down, Degraded, Up}
	g := Graph{Title: string(data)}
	n := min(len(data), 24)
	for i := range n {
		b := data[i]
		g.Nodes = append(g.Nodes, Node{ID: strconv.Itoa(int(b) % 20), Label: string(data[i:min(len(data), i+int(b%9))]),
			Kind: kinds[b%8], Status: statuses[(b>>3)%4], Group: []string{"", "A", "B"}[(b>>5)%3], OnPath: b&1 == 1, Broken: b&2 == 2})
	}
	for i := 0; i+1 < len(data); i += 2 {
		g.Edges = append(g.Edges, Edge{From: strconv.Itoa(int(data[i]) % 20), To: strconv.Itoa(int(data[i+1]) % 20),
			Type: "x", OnPath: data[i]&4 == 4})
	}
	return g
}

func BenchmarkRender500(b *testing.B) {
	g := bigGraph(4, 200, 300)
	b.ReportAllocs()
	for b.Loop() {
		Render(g, swedish, Options{MaxUnitsPerGroup: -1})
	}
}

// The "+ n" box comes last in its frame even when its units' dependencies
// would pull it up.
func TestMoreBoxClosesFrame(t *testing.T) {
	g := Graph{Title: "pull", Nodes: []Node{{ID: "j", Label: "J", Kind: Function}, {ID: "k", Label: "K", Kind: Function}}}
	for i := range 8 {
		id := fmt.Sprintf("u%d", i)
		to := "k"
		if i >= 3 {
			to = "j"
		}
		g.Nodes = append(g.Nodes, Node{ID: id, Label: id, Kind: Unit, Group: "H"})
		g.Edges = append(g.Edges, Edge{From: id, To: to})
	}
	d := draw(t, g, Options{MaxUnitsPerGroup: 3})
	var low box
	for i, b := range boxes(t, d.nodes) {
		if hasWord(d.nodes[i].attr("class"), "unit") && b.y >= low.y {
			low, low.id = b, d.nodes[i].attr("class")
		}
	}
	if !hasWord(low.id, "more") {
		t.Errorf("lowest unit box is %q, want the '+ 5' box", low.id)
	}
}

// A tangle: 500 components with edges in both directions, many cycles.
func BenchmarkRender500Cyclic(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 5))
	g := Graph{Title: "tangle"}
	for i := range 500 {
		g.Nodes = append(g.Nodes, Node{ID: strconv.Itoa(i), Label: "Komponent " + strconv.Itoa(i), Kind: System, Status: Down})
	}
	for range 1500 {
		g.Edges = append(g.Edges, Edge{From: strconv.Itoa(rng.IntN(500)), To: strconv.Itoa(rng.IntN(500))})
	}
	b.ReportAllocs()
	for b.Loop() {
		Render(g, swedish, Options{})
	}
}

// A long hospital name takes two lines of heading; the count stays whole.
func TestLongFrameHeading(t *testing.T) {
	g := Graph{Title: "h", Nodes: []Node{{ID: "f", Label: "F", Kind: Function}}}
	for i := range 3 {
		id := strconv.Itoa(i)
		g.Nodes = append(g.Nodes, Node{ID: id, Label: "Avdelning " + id, Kind: Unit, Group: "Centralsjukhuset Exempelstad med ett mycket långt namn"})
		g.Edges = append(g.Edges, Edge{From: id, To: "f"})
	}
	d := draw(t, g, Options{})
	var head []string
	for _, c := range d.frames[0].Children {
		if c.XMLName.Local == "text" {
			head = append(head, c.Text)
			if w := TextWidth(c.Text, headSize, true); w > nodeW {
				t.Errorf("heading line %q is %.0f wide, the frame has room for %.0f", c.Text, w, nodeW)
			}
		}
	}
	if len(head) != 2 || !strings.HasSuffix(head[1], "… (3)") {
		t.Errorf("heading %q, want two lines, the second cut and ending in the count", head)
	}
	// The heading sits above the first box of its frame.
	f, first := boxes(t, d.frames)[0], boxes(t, d.nodes)[1]
	if first.y-f.y < 10+2*headLine {
		t.Errorf("first box at %v, frame at %v: no room for a two-line heading", first.y, f.y)
	}
}

// The sweeps undo crossings the input order would make: two chains given
// crosswise are drawn side by side.
func TestBarycentreUncrosses(t *testing.T) {
	g := Graph{Title: "x", Nodes: []Node{
		{ID: "a1", Label: "A1", Kind: Infrastructure, Status: Down}, {ID: "a2", Label: "A2", Kind: Infrastructure, Status: Down},
		{ID: "b2", Label: "B2", Kind: System}, {ID: "b1", Label: "B1", Kind: System},
		{ID: "c1", Label: "C1", Kind: Function}, {ID: "c2", Label: "C2", Kind: Function},
	}, Edges: []Edge{{From: "b1", To: "a1"}, {From: "b2", To: "a2"}, {From: "c2", To: "b2"}, {From: "c1", To: "b1"}}}
	d := draw(t, g, Options{})
	y := map[string]float64{}
	for i, b := range boxes(t, d.nodes) {
		y[d.nodes[i].attr("data-id")] = b.y
	}
	for _, col := range [][2]string{{"a1", "a2"}, {"b1", "b2"}, {"c1", "c2"}} {
		if (y[col[0]] < y[col[1]]) != (y["a1"] < y["a2"]) {
			t.Errorf("chains cross: %v", y)
		}
	}
}
