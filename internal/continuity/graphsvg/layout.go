package graphsvg

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Sizes of the drawing, in SVG user units (CSS pixels at scale 1).
const (
	nodeW    = 160.0
	nodeH    = 40.0 // a box with a one-line label; two lines add lineH
	lineH    = 15.0
	gapX     = 44.0 // between columns: room for the frames and the curves
	gapY     = 12.0
	laneGap  = 6.0  // around a lane a long edge takes through a column
	headLine = 14.0 // a line of a frame's heading
	framePad = 8.0
	frameGap = 16.0
	margin   = 16.0
)

// vnode is a box, or a lane (dummy) that a long edge takes through a column.
type vnode struct {
	node       Node
	dummy      bool
	hidden     []string // labels of the units a "+ n" box stands for
	lines      []string // the label as drawn: one or two lines
	layer, pos int
	y          float64 // top
	group      string  // frame key in the consumers' column; "" draws no frame
	groupLabel string
}

func (v *vnode) height() float64 {
	if v.dummy {
		return 0
	}
	return nodeH + lineH*float64(max(len(v.lines), 1)-1)
}

// vedge is an edge placed: left is in an earlier column than right, or in
// the same one (same).
type vedge struct {
	Edge
	left, right int
	reversed    bool // the dependent is on the left: a cycle's back edge
	via         []int
	same        bool
}

type plan struct {
	nodes    []vnode
	edges    []vedge
	layers   [][]int
	consumer int // the column of units and routines, or -1
	groups   []frame
	bary     []float64           // scratch for the sweeps, by node
	heads    map[string][]string // frame key → its heading, one or two lines
}

// frame is a group of units (or the routines) in the consumers' column.
type frame struct {
	label      string
	head       []string // the heading as drawn
	count      int      // units it stands for, hidden ones included
	x, y, w, h float64
}

func isConsumer(k Kind) bool { return k == Unit || k == Routine }

const routinesKey = "\x00routines"

// layout places the graph: columns by dependency depth, rows by barycentre
// sweeps, then vertical positions as close to the neighbours as the
// separations allow.
func layout(g Graph, l Labels, o Options) *plan {
	p := &plan{consumer: -1}
	index := map[string]int{}
	moved := p.addNodes(g.Nodes, index, l, o.maxUnits())
	p.addEdges(g.Edges, index, moved)
	p.assignLayers()
	p.addLanes()
	p.order()
	p.placeY()
	return p
}

// addNodes keeps the first node of each ID and, per frame, the first max
// units; the others become one "+ n" box in the place of the first one left
// out. It returns where the left-out units' edges go.
func (p *plan) addNodes(nodes []Node, index map[string]int, l Labels, max int) map[string]string {
	seen := map[string]bool{}
	count := map[string]int{}
	moved := map[string]string{}
	more := map[string]int{} // frame key → index of its "+ n" box
	for _, n := range nodes {
		if seen[n.ID] {
			continue
		}
		seen[n.ID] = true
		v := vnode{node: n}
		switch {
		case n.Kind == Routine:
			v.group, v.groupLabel = routinesKey, l.Routines
		case n.Kind == Unit && n.Group != "":
			v.group, v.groupLabel = "g:"+n.Group, n.Group
		}
		if n.Kind == Unit {
			count[v.group]++
			if count[v.group] > max {
				m, ok := more[v.group]
				if !ok {
					m = len(p.nodes)
					more[v.group] = m
					id := "\x00more" + v.group
					index[id] = m
					p.nodes = append(p.nodes, vnode{node: Node{ID: id, Kind: Unit, Group: n.Group},
						group: v.group, groupLabel: v.groupLabel})
				}
				mv := &p.nodes[m]
				mv.hidden = append(mv.hidden, n.Label)
				mv.node.OnPath = mv.node.OnPath || n.OnPath
				moved[n.ID] = mv.node.ID
				continue
			}
		}
		index[n.ID] = len(p.nodes)
		p.nodes = append(p.nodes, v)
	}
	for _, m := range more {
		p.nodes[m].node.Label = l.More(len(p.nodes[m].hidden))
	}
	for i := range p.nodes {
		p.nodes[i].lines = wrap(p.nodes[i].node.Label, labelSize, nodeW-16, false)
	}
	p.frameHeads()
	return moved
}

// frameHeads words the heading of each frame: its name and how many units
// (hidden ones included) or routines it holds, on one or two lines; the
// count is never cut.
func (p *plan) frameHeads() {
	count := map[string]int{}
	label := map[string]string{}
	for _, v := range p.nodes {
		if v.group != "" {
			count[v.group] += max(len(v.hidden), 1)
			label[v.group] = v.groupLabel
		}
	}
	p.heads = map[string][]string{}
	width := nodeW
	for g, n := range count {
		num := "(" + strconv.Itoa(n) + ")"
		lines := wrap(label[g], headSize, width, true)
		last := lines[len(lines)-1]
		switch {
		case TextWidth(last+" "+num, headSize, true) <= width:
			lines[len(lines)-1] = last + " " + num
		case len(lines) == 1:
			lines = append(lines, num)
		default:
			lines[1] = fit(strings.TrimSuffix(last, "…"), headSize, width-TextWidth(" "+num, headSize, true), true) + " " + num
		}
		p.heads[g] = lines
	}
}

// headH is the height of a frame's heading.
func (p *plan) headH(group string) float64 {
	if group == "" {
		return 0
	}
	return 10 + headLine*float64(len(p.heads[group]))
}

// addEdges keeps the edges between known nodes, one per pair (on a path if
// any of them is), and turns them so that the dependency is on the left.
func (p *plan) addEdges(edges []Edge, index map[string]int, moved map[string]string) {
	type pair struct{ from, to int }
	at := map[pair]int{}
	for _, e := range edges {
		if m, ok := moved[e.From]; ok {
			e.From = m
		}
		if m, ok := moved[e.To]; ok {
			e.To = m
		}
		f, okf := index[e.From]
		t, okt := index[e.To]
		if !okf || !okt || f == t {
			continue
		}
		if i, dup := at[pair{f, t}]; dup {
			p.edges[i].OnPath = p.edges[i].OnPath || e.OnPath
			continue
		}
		at[pair{f, t}] = len(p.edges)
		ve := vedge{Edge: e, left: t, right: f}
		// A component depending on a unit or routine: the consumer stays in
		// its column on the right.
		if isConsumer(p.nodes[t].node.Kind) && !isConsumer(p.nodes[f].node.Kind) {
			ve.left, ve.right, ve.reversed = f, t, true
		}
		p.edges = append(p.edges, ve)
	}
	p.breakCycles()
}

// breakCycles turns the edges against an order of the components found
// by the greedy heuristic of Eades, Lin and Smyth (sinks to the end,
// sources to the front, else the node with the most outgoing over incoming
// edges), so that the rest is acyclic with few edges turned. In DNS ↔ AD
// both DNS servers, on which most depends, come first. Turned edges are
// still drawn.
func (p *plan) breakCycles() {
	n := len(p.nodes)
	in, out := make([][]int, n), make([][]int, n)
	var comp []int
	for i, v := range p.nodes {
		if !isConsumer(v.node.Kind) {
			comp = append(comp, i)
		}
	}
	for i, e := range p.edges {
		if !isConsumer(p.nodes[e.left].node.Kind) && !isConsumer(p.nodes[e.right].node.Kind) {
			out[e.left] = append(out[e.left], i)
			in[e.right] = append(in[e.right], i)
		}
	}
	indeg, outdeg := make([]int, n), make([]int, n)
	for _, i := range comp {
		indeg[i], outdeg[i] = len(in[i]), len(out[i])
	}
	removed := make([]bool, n)
	left := len(comp)
	remove := func(i int) {
		removed[i] = true
		left--
		for _, ei := range out[i] {
			indeg[p.edges[ei].right]--
		}
		for _, ei := range in[i] {
			outdeg[p.edges[ei].left]--
		}
	}
	var front, back []int
	for left > 0 {
		for more := true; more; {
			more = false
			for _, i := range comp {
				if !removed[i] && outdeg[i] == 0 {
					remove(i)
					back = append(back, i)
					more = true
				}
			}
		}
		for more := true; more; {
			more = false
			for _, i := range comp {
				if !removed[i] && indeg[i] == 0 {
					remove(i)
					front = append(front, i)
					more = true
				}
			}
		}
		best := -1
		for _, i := range comp {
			if !removed[i] && (best == -1 || outdeg[i]-indeg[i] > outdeg[best]-indeg[best]) {
				best = i
			}
		}
		if best >= 0 {
			remove(best)
			front = append(front, best)
		}
	}
	pos := make([]int, n)
	for k, i := range front {
		pos[i] = k
	}
	for k, i := range back {
		pos[i] = len(comp) - 1 - k
	}
	for i := range p.edges {
		e := &p.edges[i]
		if !isConsumer(p.nodes[e.left].node.Kind) && !isConsumer(p.nodes[e.right].node.Kind) && pos[e.left] > pos[e.right] {
			e.left, e.right, e.reversed = e.right, e.left, !e.reversed
		}
	}
}

// assignLayers puts the components in columns by longest path from what
// depends on nothing, moves each one but the failed roots as far right as
// its dependents allow (short edges: the functions end up next to the
// units), and the units and routines in one last column.
func (p *plan) assignLayers() {
	n := len(p.nodes)
	indeg := make([]int, n)
	var comp []int
	for i, v := range p.nodes {
		if !isConsumer(v.node.Kind) {
			comp = append(comp, i)
		}
	}
	right := make([][]int, n)
	for _, e := range p.edges {
		if isConsumer(p.nodes[e.left].node.Kind) || isConsumer(p.nodes[e.right].node.Kind) {
			continue
		}
		right[e.left] = append(right[e.left], e.right)
		indeg[e.right]++
	}
	// Kahn's order, in input order among the ready ones.
	var topo, ready []int
	for _, i := range comp {
		if indeg[i] == 0 {
			ready = append(ready, i)
		}
	}
	for len(ready) > 0 {
		i := ready[0]
		ready = ready[1:]
		topo = append(topo, i)
		for _, j := range right[i] {
			indeg[j]--
			if indeg[j] == 0 {
				ready = append(ready, j)
			}
		}
	}
	maxL := -1
	for _, i := range topo {
		for _, j := range right[i] {
			p.nodes[j].layer = max(p.nodes[j].layer, p.nodes[i].layer+1)
		}
		maxL = max(maxL, p.nodes[i].layer)
	}
	hasConsumer := len(comp) < n
	consumerLayer := maxL + 1
	// Dependents of a node that feeds only consumers sit in the last column
	// of components.
	feedsConsumer := make([]bool, n)
	for _, e := range p.edges {
		if isConsumer(p.nodes[e.right].node.Kind) && !isConsumer(p.nodes[e.left].node.Kind) {
			feedsConsumer[e.left] = true
		}
	}
	hasLeft := make([]bool, n)
	for _, i := range comp {
		for _, j := range right[i] {
			hasLeft[j] = true
		}
	}
	for k := len(topo) - 1; k >= 0; k-- {
		i := topo[k]
		v := &p.nodes[i]
		if v.node.Status == Down && !hasLeft[i] {
			continue // a failure at the root stays in the first column
		}
		target := -1
		for _, j := range right[i] {
			if target == -1 || p.nodes[j].layer-1 < target {
				target = p.nodes[j].layer - 1
			}
		}
		if feedsConsumer[i] && hasConsumer && (target == -1 || consumerLayer-1 < target) {
			target = consumerLayer - 1
		}
		if target > v.layer {
			v.layer = target
		}
	}
	if hasConsumer {
		p.consumer = consumerLayer
		for i := range p.nodes {
			if isConsumer(p.nodes[i].node.Kind) {
				p.nodes[i].layer = consumerLayer
			}
		}
	}
	count := 0
	for _, v := range p.nodes {
		count = max(count, v.layer+1)
	}
	p.layers = make([][]int, count)
	for i, v := range p.nodes {
		p.layers[v.layer] = append(p.layers[v.layer], i)
	}
}

// addLanes gives every edge longer than one column a lane through each
// column it crosses; edges from the same node share their lanes, so a
// function used by forty units takes one lane, not forty.
func (p *plan) addLanes() {
	type key struct{ from, layer int }
	lanes := map[key]int{}
	for ei := range p.edges {
		e := &p.edges[ei]
		a, b := p.nodes[e.left].layer, p.nodes[e.right].layer
		if a == b {
			e.same = true
			continue
		}
		for k := a + 1; k < b; k++ {
			d, ok := lanes[key{e.left, k}]
			if !ok {
				d = len(p.nodes)
				lanes[key{e.left, k}] = d
				p.nodes = append(p.nodes, vnode{dummy: true, layer: k})
				p.layers[k] = append(p.layers[k], d)
			}
			e.via = append(e.via, d)
		}
	}
	for _, layer := range p.layers {
		for pos, i := range layer {
			p.nodes[i].pos = pos
		}
	}
}

// segments are the unique links between neighbouring columns.
func (p *plan) segments() (left, right [][]int) {
	left = make([][]int, len(p.nodes))
	right = make([][]int, len(p.nodes))
	type pair struct{ a, b int }
	seen := map[pair]bool{}
	link := func(a, b int) {
		if seen[pair{a, b}] {
			return
		}
		seen[pair{a, b}] = true
		right[a] = append(right[a], b)
		left[b] = append(left[b], a)
	}
	for _, e := range p.edges {
		if e.same {
			continue
		}
		prev := e.left
		for _, d := range e.via {
			link(prev, d)
			prev = d
		}
		link(prev, e.right)
	}
	return left, right
}

// order reduces crossings with barycentre sweeps, right then left, keeping
// the best order seen; in the consumers' column the frames stay whole.
func (p *plan) order() {
	left, right := p.segments()
	if p.consumer >= 0 {
		// Frames whole from the start, in the order they first appear.
		first := map[string]int{}
		layer := p.layers[p.consumer]
		for pos, i := range layer {
			if _, ok := first[p.nodes[i].group]; !ok {
				first[p.nodes[i].group] = pos
			}
		}
		slices.SortStableFunc(layer, func(a, b int) int {
			return cmp.Compare(first[p.nodes[a].group], first[p.nodes[b].group])
		})
		for pos, i := range layer {
			p.nodes[i].pos = pos
		}
	}
	best := p.crossings(right)
	bestOrder := p.snapshot()
	for range 8 {
		for k := 1; k < len(p.layers); k++ {
			p.sortLayer(k, left)
		}
		for k := len(p.layers) - 2; k >= 0; k-- {
			p.sortLayer(k, right)
		}
		if c := p.crossings(right); c < best {
			best, bestOrder = c, p.snapshot()
		}
		if best == 0 {
			break
		}
	}
	p.layers = bestOrder
	for _, layer := range p.layers {
		for pos, i := range layer {
			p.nodes[i].pos = pos
		}
	}
}

func (p *plan) snapshot() [][]int {
	out := make([][]int, len(p.layers))
	for k, l := range p.layers {
		out[k] = slices.Clone(l)
	}
	return out
}

func (p *plan) sortLayer(k int, nbrs [][]int) {
	layer := p.layers[k]
	if len(p.bary) != len(p.nodes) {
		p.bary = make([]float64, len(p.nodes))
	}
	bary := p.bary
	for _, i := range layer {
		if len(nbrs[i]) == 0 {
			bary[i] = float64(p.nodes[i].pos)
			continue
		}
		sum := 0.0
		for _, j := range nbrs[i] {
			sum += float64(p.nodes[j].pos)
		}
		// Scale to this column's positions so that nodes without neighbours
		// keep their place among the others.
		bary[i] = sum / float64(len(nbrs[i]))
	}
	groupRank := map[string]float64{}
	if k == p.consumer {
		sum, n := map[string]float64{}, map[string]int{}
		for _, i := range layer {
			sum[p.nodes[i].group] += bary[i]
			n[p.nodes[i].group]++
		}
		for g := range sum {
			groupRank[g] = sum[g] / float64(n[g])
		}
	}
	slices.SortStableFunc(layer, func(a, b int) int {
		va, vb := &p.nodes[a], &p.nodes[b]
		if k == p.consumer && va.group != vb.group {
			if c := cmp.Compare(groupRank[va.group], groupRank[vb.group]); c != 0 {
				return c
			}
			return cmp.Compare(va.group, vb.group)
		}
		// The "+ n" box closes its frame.
		if c := cmp.Compare(len(va.hidden), len(vb.hidden)); va.hidden == nil != (vb.hidden == nil) {
			return c
		}
		return cmp.Compare(bary[a], bary[b])
	})
	for pos, i := range layer {
		p.nodes[i].pos = pos
	}
}

// crossings counts the crossing links between neighbouring columns
// (inversions, with a Fenwick tree).
func (p *plan) crossings(right [][]int) int {
	total := 0
	for k := 0; k+1 < len(p.layers); k++ {
		type seg struct{ a, b int }
		var segs []seg
		for _, i := range p.layers[k] {
			for _, j := range right[i] {
				segs = append(segs, seg{p.nodes[i].pos, p.nodes[j].pos})
			}
		}
		slices.SortFunc(segs, func(x, y seg) int {
			if c := cmp.Compare(x.a, y.a); c != 0 {
				return c
			}
			return cmp.Compare(x.b, y.b)
		})
		size := len(p.layers[k+1]) + 1
		tree := make([]int, size+1)
		seenCount := 0
		for _, s := range segs {
			// links already seen that end below this one's end cross it
			le := 0
			for i := s.b + 1; i > 0; i -= i & -i {
				le += tree[i]
			}
			total += seenCount - le
			for i := s.b + 1; i <= size; i += i & -i {
				tree[i]++
			}
			seenCount++
		}
	}
	return total
}

// sep is the least distance from the top of the node at pos to the top of
// the next one in column k.
func (p *plan) sep(k, pos int) float64 {
	a, b := &p.nodes[p.layers[k][pos]], &p.nodes[p.layers[k][pos+1]]
	gap := gapY
	if a.dummy || b.dummy {
		gap = laneGap
	}
	if k == p.consumer && a.group != b.group {
		gap = frameGap
		if a.group != "" {
			gap += framePad
		}
		if b.group != "" {
			gap += p.headH(b.group)
		}
	}
	return a.height() + gap
}

// placeY sets the tops: each column stacked, then moved towards the mean of
// its neighbours, as close as the separations allow (isotonic regression).
func (p *plan) placeY() {
	left, right := p.segments()
	seps := make([][]float64, len(p.layers))
	for k, layer := range p.layers {
		seps[k] = make([]float64, max(len(layer)-1, 0))
		y := 0.0
		for pos, i := range layer {
			p.nodes[i].y = y
			if pos < len(layer)-1 {
				seps[k][pos] = p.sep(k, pos)
				y += seps[k][pos]
			}
		}
	}
	centre := func(i int) float64 { return p.nodes[i].y + p.nodes[i].height()/2 }
	pull := func(k int, nbrs [][]int) {
		layer := p.layers[k]
		want := make([]float64, len(layer))
		for pos, i := range layer {
			v := &p.nodes[i]
			if len(nbrs[i]) == 0 {
				want[pos] = v.y
				continue
			}
			sum := 0.0
			for _, j := range nbrs[i] {
				sum += centre(j)
			}
			want[pos] = sum/float64(len(nbrs[i])) - v.height()/2
		}
		for pos, y := range isotonic(want, seps[k]) {
			p.nodes[layer[pos]].y = y
		}
	}
	for range 6 {
		for k := 1; k < len(p.layers); k++ {
			pull(k, left)
		}
		for k := len(p.layers) - 2; k >= 0; k-- {
			pull(k, right)
		}
	}
	// Every column starts at the top: on a phone the first screen shows
	// where the failure starts, not the white space above a centred column.
	for _, layer := range p.layers {
		if len(layer) == 0 {
			continue
		}
		top := p.nodes[layer[0]].y
		for _, i := range layer {
			p.nodes[i].y -= top
		}
	}
}

// isotonic returns the ys closest (least squares) to want with
// y[i+1] ≥ y[i] + sep[i]: pool adjacent violators.
func isotonic(want, sep []float64) []float64 {
	n := len(want)
	off := make([]float64, n)
	for i := 1; i < n; i++ {
		off[i] = off[i-1] + sep[i-1]
	}
	type block struct {
		sum          float64
		start, count int
	}
	var bs []block
	for i := range n {
		bs = append(bs, block{want[i] - off[i], i, 1})
		for len(bs) > 1 {
			a, b := bs[len(bs)-2], bs[len(bs)-1]
			if a.sum/float64(a.count) <= b.sum/float64(b.count) {
				break
			}
			bs = bs[:len(bs)-1]
			bs[len(bs)-1] = block{a.sum + b.sum, a.start, a.count + b.count}
		}
	}
	y := make([]float64, n)
	for _, b := range bs {
		v := b.sum / float64(b.count)
		for i := b.start; i < b.start+b.count; i++ {
			y[i] = v + off[i]
		}
	}
	return y
}
