package graphsvg

import (
	"strconv"
	"strings"
)

// Colours: light fills and dark strokes, so the drawing prints on white and
// every text has a contrast of at least 4.5:1 against its fill.
const (
	inkText    = "#101828"
	inkMeta    = "#344054"
	inkEdge    = "#7a8699"
	inkPath    = "#b42318"
	inkFrame   = "#98a2b3"
	fillFrame  = "#f8f9fb"
	fillPlain  = "#ffffff"
	fillDown   = "#fdecea"
	fillDegr   = "#fff4dc"
	strokeNorm = "#667085"
	strokeDown = "#b42318"
	strokeDegr = "#a15c07"
)

const (
	labelSize = 12.0
	metaSize  = 10.5
	titleSize = 17.0
	headSize  = 12.0
	bulge     = 28.0 // how far an edge between two units or routines swings out
)

// Render draws g as a standalone SVG document fragment (an <svg> element
// that can be inlined in HTML or served as image/svg+xml).
func Render(g Graph, l Labels, o Options) []byte {
	l = l.withDefaults()
	prefix := o.IDPrefix
	if prefix == "" {
		prefix = "graph"
	}
	p := layout(g, l, o)
	cols := max(len(p.layers), 1)
	graphW := float64(cols)*nodeW + float64(cols-1)*gapX + 2*framePad + bulge
	width := max(2*margin+graphW, 360)

	// Header: the title, then the legend wrapped to the width.
	legend := legendItems(l)
	y := margin + titleSize
	titleY := y
	y += 14
	lines := [][]legendItem{nil}
	lineW := 0.0
	for _, it := range legend {
		if lineW > 0 && lineW+it.width > width-2*margin {
			lines = append(lines, nil)
			lineW = 0
		}
		it.x = margin + lineW
		lines[len(lines)-1] = append(lines[len(lines)-1], it)
		lineW += it.width
	}
	legendTop := y
	y += float64(len(lines))*22 + 14

	p.frames()
	top, bottom := p.extent()
	shift := y - top
	height := y + (bottom - top) + margin
	if len(p.nodes) == 0 {
		height = y + margin
	}

	var w writer
	w.raw(`<svg xmlns="http://www.w3.org/2000/svg" class="impact-graph" role="img" aria-labelledby="`)
	w.text(prefix + "-title " + prefix + "-desc")
	w.raw(`" viewBox="0 0 `, num(width), " ", num(height), `" width="`, num(width), `" height="`, num(height),
		`" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" font-size="`, num(labelSize),
		`" fill="`, inkText, `">`, "\n")
	w.prefix = prefix
	desc := g.Desc
	if desc == "" {
		desc = g.Title
	}
	w.raw(`<title id="`)
	w.text(prefix + "-title")
	w.raw(`">`)
	w.text(g.Title)
	w.raw("</title>\n", `<desc id="`)
	w.text(prefix + "-desc")
	w.raw(`">`)
	w.text(desc)
	w.raw("</desc>\n")
	w.defs(prefix)
	w.raw(`<text class="title" x="`, num(margin), `" y="`, num(titleY), `" font-size="`, num(titleSize),
		`" font-weight="700" fill="`, inkText, `">`)
	w.text(fit(g.Title, titleSize, width-2*margin, true))
	w.raw("</text>\n")
	for i, line := range lines {
		for _, it := range line {
			w.legendItem(it, legendTop+float64(i)*22, prefix)
		}
	}

	x := func(layer int) float64 { return margin + framePad + float64(layer)*(nodeW+gapX) }
	for _, f := range p.groups {
		w.frame(f, x(p.consumer), shift)
	}
	// Edges off the paths first, so that the paths are drawn over them.
	for _, onPath := range []bool{false, true} {
		class, colour, sw := "edges", inkEdge, "1.25"
		if onPath {
			class, colour, sw = "paths", inkPath, "3"
		}
		w.raw(`<g class="`, class, `" fill="none" stroke="`, colour, `" stroke-width="`, sw, `">`, "\n")
		for _, e := range p.edges {
			if e.OnPath == onPath {
				w.edge(p, e, x, shift, prefix)
			}
		}
		w.raw("</g>\n")
	}
	for _, v := range p.nodes {
		if !v.dummy {
			w.node(v, x(v.layer), v.y+shift, l)
		}
	}
	w.raw("</svg>\n")
	return w.Bytes()
}

// frames computes the frame of each run of one group in the consumers'
// column, in layout coordinates.
func (p *plan) frames() {
	if p.consumer < 0 {
		return
	}
	layer := p.layers[p.consumer]
	for start := 0; start < len(layer); {
		end := start
		g := p.nodes[layer[start]].group
		for end+1 < len(layer) && p.nodes[layer[end+1]].group == g {
			end++
		}
		if g != "" {
			f := frame{label: p.nodes[layer[start]].groupLabel, head: p.heads[g], x: -framePad, w: nodeW + 2*framePad}
			f.y = p.nodes[layer[start]].y - p.headH(g)
			f.h = p.nodes[layer[end]].y + p.nodes[layer[end]].height() + framePad - f.y
			for _, i := range layer[start : end+1] {
				if n := len(p.nodes[i].hidden); n > 0 {
					f.count += n
				} else {
					f.count++
				}
			}
			p.groups = append(p.groups, f)
		}
		start = end + 1
	}
}

// extent is the top and bottom of everything placed.
func (p *plan) extent() (top, bottom float64) {
	first := true
	add := func(a, b float64) {
		if first || a < top {
			top = a
		}
		if first || b > bottom {
			bottom = b
		}
		first = false
	}
	for _, v := range p.nodes {
		add(v.y, v.y+v.height())
	}
	for _, f := range p.groups {
		add(f.y, f.y+f.h)
	}
	return top, bottom
}

func (w *writer) defs(prefix string) {
	w.raw("<defs>")
	for _, m := range []struct {
		id, fill string
		size     float64
	}{{"-arrow", inkEdge, 8}, {"-arrow-path", inkPath, 11}} {
		s := num(m.size)
		h := num(m.size / 2)
		w.raw(`<marker id="`)
		w.text(prefix + m.id)
		w.raw(`" viewBox="0 0 `, s, " ", s, `" refX="`, s, `" refY="`, h, `" markerWidth="`, s, `" markerHeight="`, s,
			`" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L`, s, ",", h, " L0,", s,
			` z" fill="`, m.fill, `"/></marker>`)
	}
	for _, kind := range []string{"down", "degraded", "broken"} {
		w.raw(`<g id="`)
		w.text(prefix + "-m-" + kind)
		w.raw(`">`, marks[kind], `</g>`)
	}
	w.raw("</defs>\n")
}

type legendItem struct {
	kind  string // down, degraded, broken, path, arrow
	label string
	x     float64
	width float64
}

func legendItems(l Labels) []legendItem {
	items := []legendItem{{kind: "down", label: l.Down}, {kind: "degraded", label: l.Degraded},
		{kind: "broken", label: l.Broken}, {kind: "path", label: l.Path}, {kind: "arrow", label: l.Affects}}
	for i := range items {
		items[i].label = fit(items[i].label, headSize, 220, false)
		items[i].width = 26 + TextWidth(items[i].label, headSize, false) + 18
	}
	return items
}

func (w *writer) legendItem(it legendItem, top float64, prefix string) {
	cy := top + 8
	x := it.x
	w.raw(`<g class="legend">`)
	switch it.kind {
	case "down", "broken", "degraded":
		fill, stroke, dash := fillDown, strokeDown, ""
		if it.kind == "degraded" {
			fill, stroke = fillDegr, strokeDegr
		}
		if it.kind == "broken" {
			dash = ` stroke-dasharray="4 2"`
		}
		w.raw(`<rect x="`, num(x), `" y="`, num(cy-8), `" width="20" height="16" rx="3" fill="`, fill, `" stroke="`,
			stroke, `" stroke-width="1.5"`, dash, `/>`)
		w.mark(it.kind, x+10, cy)
	case "path":
		w.raw(`<path d="M`, num(x), ",", num(cy), " h20", `" stroke="`, inkPath, `" stroke-width="3.5" fill="none" marker-end="url(#`)
		w.text(prefix + "-arrow-path")
		w.raw(`)"/>`)
	case "arrow":
		w.raw(`<path d="M`, num(x), ",", num(cy), " h20", `" stroke="`, inkEdge, `" stroke-width="1.25" fill="none" marker-end="url(#`)
		w.text(prefix + "-arrow")
		w.raw(`)"/>`)
	}
	w.raw(`<text x="`, num(x+26), `" y="`, num(cy+4), `" font-size="`, num(headSize), `" fill="`, inkText, `">`)
	w.text(it.label)
	w.raw("</text></g>\n")
}

// marks are the shapes that tell a state without colour, drawn once in
// <defs> around (0,0): a circle with a cross for down, a triangle with "!"
// for degraded, a square with a cross for a routine that will not work.
var marks = map[string]string{
	"down": `<circle r="5.5" fill="` + strokeDown + `"/><path d="M-2.6,-2.6 L2.6,2.6 M2.6,-2.6 L-2.6,2.6" stroke="#ffffff" stroke-width="1.6"/>`,
	"broken": `<rect x="-5.5" y="-5.5" width="11" height="11" fill="` + strokeDown +
		`"/><path d="M-2.8,-2.8 L2.8,2.8 M2.8,-2.8 L-2.8,2.8" stroke="#ffffff" stroke-width="1.6"/>`,
	"degraded": `<path d="M0,-6 L6.5,5 L-6.5,5 z" fill="` + strokeDegr +
		`"/><path d="M0,-2.5 v4.2 M0,2.6 v1.2" stroke="#ffffff" stroke-width="1.6"/>`,
}

// mark places the shape of a state centred on (cx, cy).
func (w *writer) mark(kind string, cx, cy float64) {
	w.raw(`<use class="mark" href="#`)
	w.text(w.prefix + "-m-" + kind)
	w.raw(`" x="`, num(cx), `" y="`, num(cy), `"/>`)
}

func (w *writer) frame(f frame, colX, shift float64) {
	x, y := colX+f.x, f.y+shift
	w.raw(`<g class="frame"><title>`)
	w.text(f.label + " (" + strconv.Itoa(f.count) + ")")
	w.raw(`</title><rect x="`, px(x), `" y="`, px(y), `" width="`, px(f.w), `" height="`, px(f.h),
		`" rx="6" fill="`, fillFrame, `" stroke="`, inkFrame, `"/>`)
	for i, line := range f.head {
		w.raw(`<text class="head" x="`, px(x+framePad), `" y="`, px(y+16+headLine*float64(i)), `" font-size="`, num(headSize),
			`" font-weight="700" fill="`, inkText, `">`)
		w.text(line)
		w.raw("</text>")
	}
	w.raw("</g>\n")
}

func statusOf(v vnode) string {
	switch {
	case v.node.Broken:
		return "broken"
	case v.node.Status == Down:
		return "down"
	case v.node.Status == Degraded:
		return "degraded"
	}
	return ""
}

func (w *writer) node(v vnode, x, y float64, l Labels) {
	n := v.node
	st := statusOf(v)
	fill, stroke, dash := fillPlain, strokeNorm, ""
	switch st {
	case "down":
		fill, stroke = fillDown, strokeDown
	case "broken":
		fill, stroke, dash = fillDown, strokeDown, ` stroke-dasharray="6 3"`
	case "degraded":
		fill, stroke = fillDegr, strokeDegr
	}
	sw := "1.25"
	if n.OnPath {
		sw = "3"
	}
	rx := "4"
	switch n.Kind {
	case Function:
		rx = "14"
	case Infrastructure:
		rx = "0"
	case Routine:
		rx = "8"
	}
	var word string
	switch st {
	case "broken":
		word = l.Broken
	case "down":
		word = l.Down
	case "degraded":
		word = l.Degraded
	default:
		if n.Status == Up {
			word = l.Up
		}
	}
	meta := l.Kinds[n.Kind]
	switch {
	case v.group != "":
		meta = word // the frame's heading says what it holds
	case word != "":
		meta = word + " · " + meta
	}
	class := []string{"node", string(n.Kind)}
	if st != "" {
		class = append(class, st)
	}
	if n.OnPath {
		class = append(class, "onpath")
	}
	if len(v.hidden) > 0 {
		class = append(class, "more")
		meta = ""
	}
	w.raw(`<g class="`, strings.Join(class, " "), `"`)
	if len(v.hidden) == 0 {
		w.raw(` data-id="`)
		w.text(n.ID)
		w.raw(`"`)
	}
	w.raw("><title>")
	if len(v.hidden) > 0 {
		w.text(n.Label + ": " + strings.Join(v.hidden, ", "))
	} else {
		w.text(strings.TrimSuffix(n.Label+" — "+meta, " — "))
	}
	h := v.height()
	w.raw(`</title><rect x="`, px(x), `" y="`, px(y), `" width="`, px(nodeW), `" height="`, px(h), `" rx="`, rx,
		`" fill="`, fill, `" stroke="`, stroke, `" stroke-width="`, sw, `"`, dash, "/>")
	lineY := y + 17
	if meta == "" {
		lineY = y + (h-lineH*float64(len(v.lines)-1))/2 + 4.5
	}
	for _, line := range v.lines {
		w.raw(`<text class="label" x="`, px(x+8), `" y="`, px(lineY), `">`)
		w.text(line)
		w.raw("</text>")
		lineY += lineH
	}
	if meta != "" {
		tx := x + 8
		metaY := lineY + 1
		if st != "" {
			w.mark(st, x+14, metaY-4)
			tx = x + 25
		}
		w.raw(`<text x="`, px(tx), `" y="`, px(metaY), `" font-size="`, num(metaSize), `" fill="`, inkMeta, `">`)
		w.text(fit(meta, metaSize, x+nodeW-8-tx, false))
		w.raw("</text>")
	}
	w.raw("</g>\n")
}

func (w *writer) edge(p *plan, e vedge, x func(int) float64, shift float64, prefix string) {
	a, b := &p.nodes[e.left], &p.nodes[e.right]
	cy := func(v *vnode) float64 { return v.y + v.height()/2 + shift }
	var d strings.Builder
	if e.same {
		// Two units or routines: swing out to the right of the column.
		xr := x(a.layer) + nodeW
		d.WriteString("M" + px(xr) + "," + px(cy(a)) + " C" + px(xr+bulge) + "," + px(cy(a)) + " " +
			px(xr+bulge) + "," + px(cy(b)) + " " + px(xr) + "," + px(cy(b)))
	} else {
		sx, sy := x(a.layer)+nodeW, cy(a)
		if e.reversed {
			// Apart from the edge the other way round in a cycle.
			sy += 7
		}
		d.WriteString("M" + px(sx) + "," + px(sy))
		curve := func(qx, qy float64) {
			mid := (sx + qx) / 2
			d.WriteString(" C" + px(mid) + "," + px(sy) + " " + px(mid) + "," + px(qy) + " " + px(qx) + "," + px(qy))
		}
		for _, lane := range e.via {
			v := &p.nodes[lane]
			curve(x(v.layer), cy(v))
			sx, sy = x(v.layer)+nodeW, cy(v)
			d.WriteString(" H" + px(sx))
		}
		qy := cy(b)
		if e.reversed {
			qy += 7
		}
		curve(x(b.layer), qy)
	}
	marker, class := prefix+"-arrow", "edge"
	if e.OnPath {
		marker, class = prefix+"-arrow-path", "edge onpath"
	}
	// The arrow points at the dependent: the way an outage spreads.
	end := "marker-end"
	if e.reversed {
		end = "marker-start"
	}
	w.raw(`<path class="`, class, `" d="`, d.String(), `" `, end, `="url(#`)
	w.text(marker)
	w.raw(`)"`)
	if !e.OnPath {
		// Colour and width come from the group; a hover title on a thin
		// line is out of reach anyway, and would weigh on the page.
		w.raw("/>\n")
		return
	}
	w.raw("><title>")
	from, to := p.nodes[e.right].node.Label, p.nodes[e.left].node.Label
	if e.reversed {
		from, to = to, from
	}
	w.text(from + " → " + e.Type + " → " + to)
	w.raw("</title></path>\n")
}
