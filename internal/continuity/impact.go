package continuity

import (
	"slices"
	"strings"
)

// Status is how a component is running; Worse orders them.
type Status string

const (
	Up       Status = "up"
	Degraded Status = "degraded"
	Down     Status = "down"
)

// Statuses lists the statuses, best first.
var Statuses = []Status{Up, Degraded, Down}

var ranks = []Status{Up, Degraded, Down}

func rank(s Status) uint8 {
	switch s {
	case Down:
		return 2
	case Degraded:
		return 1
	}
	return 0
}

// Graph is a registry compiled for the impact computation: nodes are the
// components and the units that depend on them, each node's dependencies in
// groups, and for each node the groups that have it as a member. It is
// immutable: one per version of the registry, shared by every computation.
type Graph struct {
	ids    []string
	index  map[string]int32
	nComp  int
	names  []string
	kinds  []Kind
	groups [][]group   // a node's groups of dependencies
	users  [][]userRef // the groups a node is a member of
	rts    []Routine
}

type group struct {
	mode    Mode
	members []int32
}

// userRef names one group of a dependent node.
type userRef struct{ node, group int32 }

// Compile builds the graph of a registry snapshot. Dependencies on
// anything that is not a component are left out (the commands refuse
// them); a dependent that is not a component is a unit.
func Compile(s Snapshot) *Graph {
	g := &Graph{index: make(map[string]int32, len(s.Components)), nComp: len(s.Components)}
	add := func(id, name string, kind Kind) int32 {
		i := int32(len(g.ids))
		g.ids, g.names, g.kinds = append(g.ids, id), append(g.names, name), append(g.kinds, kind)
		g.index[id] = i
		return i
	}
	for _, c := range s.Components {
		add(c.ID, c.Name, c.Kind)
	}
	isComp := func(id string) bool { i, ok := g.index[id]; return ok && int(i) < g.nComp }
	type gkey struct {
		node int32
		name string
	}
	named := map[gkey]int32{}
	g.groups = make([][]group, len(g.ids))
	for _, d := range s.Dependencies {
		who, on := d.edge(isComp)
		to, ok := g.index[on]
		if !ok || int(to) >= g.nComp {
			continue
		}
		from, ok := g.index[who]
		if !ok {
			from = add(who, "", "")
			g.groups = append(g.groups, nil)
		}
		mode := d.Mode
		if mode == "" {
			mode = All
		}
		if d.Group == "" {
			g.groups[from] = append(g.groups[from], group{mode: mode, members: []int32{to}})
			continue
		}
		k := gkey{from, d.Group}
		gi, ok := named[k]
		if !ok {
			gi = int32(len(g.groups[from]))
			named[k] = gi
			g.groups[from] = append(g.groups[from], group{mode: mode})
		}
		g.groups[from][gi].members = append(g.groups[from][gi].members, to)
	}
	g.users = make([][]userRef, len(g.ids))
	for n, gs := range g.groups {
		for gi, gr := range gs {
			for _, m := range gr.members {
				g.users[m] = append(g.users[m], userRef{int32(n), int32(gi)})
			}
		}
	}
	for _, rt := range s.Routines {
		g.rts = append(g.rts, cloneRoutine(rt))
	}
	return g
}

// Affected is a component or unit the statuses reach: its status and the
// shortest path of ids from it to a component recorded down or degraded
// that explains it (for a recorded one, the path is itself alone).
type Affected struct {
	ID     string   `json:"id"`
	Status Status   `json:"status"`
	Path   []string `json:"path"`
}

// RoutineCheck is the routine-dependency check of one routine needed now:
// a routine is needed when a component it stands in for (For) is affected.
// Works is false when a component it needs is down; BrokenBy is then the
// recorded component that explains it and Path runs from the routine
// through the component it needs to BrokenBy. When nothing it needs is
// down but something is degraded, the routine works at risk: Works is
// true, AtRisk names the degraded component and Path explains it.
type RoutineCheck struct {
	ID       string   `json:"id"`
	Works    bool     `json:"works"`
	NeededBy []string `json:"needed_for"` // the affected components it stands in for
	BrokenBy string   `json:"broken_by,omitempty"`
	AtRisk   string   `json:"at_risk_by,omitempty"`
	Path     []string `json:"path,omitempty"`
}

// Impact is everything a set of statuses affects, worst first.
type Impact struct {
	Components []Affected     `json:"components"`
	Units      []Affected     `json:"units"`
	Routines   []RoutineCheck `json:"routines"`
}

// Impact computes what statuses (component id → status) affect. Status
// only gets worse along the graph: a dependent of an all group is down when
// a member is down, degraded when one is degraded; of an any group, down
// only when every member is down and degraded when some are down or
// degraded. Each node's status only rises, at most twice, so the worklist
// ends on cycles. Unknown ids in statuses are ignored.
func (g *Graph) Impact(statuses map[string]Status) Impact {
	n := len(g.ids)
	st := make([]uint8, n)
	given := make([]uint8, n) // as recorded
	var work []int32
	for id, s := range statuses {
		i, ok := g.index[id]
		if !ok || int(i) >= g.nComp || rank(s) == 0 {
			continue
		}
		st[i], given[i] = rank(s), rank(s)
		work = append(work, i)
	}
	slices.Sort(work) // ties between paths go to the root first in the registry, not to map order
	roots := slices.Clone(work)
	for len(work) > 0 {
		m := work[len(work)-1]
		work = work[:len(work)-1]
		for _, u := range g.users[m] {
			if v := g.groupStatus(st, g.groups[u.node][u.group]); v > st[u.node] {
				st[u.node] = v
				work = append(work, u.node)
			}
		}
	}
	// The explaining paths: breadth first from the recorded components
	// along the users, so each node's parent is one step nearer a root. A
	// down node's path keeps to down nodes and ends at a recorded down one
	// (a down dependent always has a down member); a degraded node's may
	// end at either.
	downNext, downDist := g.bfs(st, given, roots, 2)
	anyNext, anyDist := g.bfs(st, given, roots, 1)
	// Every path is cut from one backing array: thousands of affected
	// items cost one allocation, not one each.
	total := 0
	for i := range n {
		switch st[i] {
		case 2:
			total += int(downDist[i]) + 1
		case 1:
			total += int(anyDist[i]) + 1
		}
	}
	backing := make([]string, 0, total)
	path := func(i int32) []string {
		next := anyNext
		if st[i] == 2 {
			next = downNext
		}
		start := len(backing)
		backing = append(backing, g.ids[i])
		for next[i] != i && next[i] >= 0 {
			i = next[i]
			backing = append(backing, g.ids[i])
		}
		return backing[start:len(backing):len(backing)]
	}
	// Worst first, then the shortest path, then by id: the nodes are
	// sorted as int32s (cheap to move, no write barriers), then laid out.
	length := func(i int32) int32 {
		if st[i] == 2 {
			return downDist[i]
		}
		return anyDist[i]
	}
	var hit []int32
	for i := range n {
		if st[i] > 0 {
			hit = append(hit, int32(i))
		}
	}
	slices.SortFunc(hit, func(a, b int32) int {
		if st[a] != st[b] {
			return int(st[b]) - int(st[a])
		}
		if la, lb := length(a), length(b); la != lb {
			return int(la - lb)
		}
		return strings.Compare(g.ids[a], g.ids[b])
	})
	imp := Impact{Components: make([]Affected, 0, len(hit)), Units: []Affected{}, Routines: []RoutineCheck{}}
	for _, i := range hit {
		a := Affected{ID: g.ids[i], Status: ranks[st[i]], Path: path(i)}
		if int(i) < g.nComp {
			imp.Components = append(imp.Components, a)
		} else {
			imp.Units = append(imp.Units, a)
		}
	}
	for _, rt := range g.rts {
		var needed []string
		for _, id := range rt.For {
			if i, ok := g.index[id]; ok && st[i] > 0 {
				needed = append(needed, id)
			}
		}
		if len(needed) == 0 {
			continue
		}
		c := RoutineCheck{ID: rt.ID, Works: true, NeededBy: needed}
		var worst uint8
		for _, id := range rt.Needs {
			i, ok := g.index[id]
			if !ok || st[i] == 0 || st[i] < worst {
				continue
			}
			p := append([]string{rt.ID}, path(i)...)
			if st[i] > worst || len(p) < len(c.Path) {
				worst, c.Path = st[i], p
			}
		}
		switch worst {
		case 2:
			c.Works, c.BrokenBy = false, c.Path[len(c.Path)-1]
		case 1:
			c.AtRisk = c.Path[len(c.Path)-1]
		}
		imp.Routines = append(imp.Routines, c)
	}
	slices.SortStableFunc(imp.Routines, func(a, b RoutineCheck) int {
		ra, rb := routineRank(a), routineRank(b)
		if ra != rb {
			return rb - ra
		}
		return strings.Compare(a.ID, b.ID)
	})
	return imp
}

func routineRank(c RoutineCheck) int {
	switch {
	case !c.Works:
		return 2
	case c.AtRisk != "":
		return 1
	}
	return 0
}

// groupStatus is what one group of dependencies makes of its dependent.
func (g *Graph) groupStatus(st []uint8, gr group) uint8 {
	if gr.mode == Any {
		var worst, best uint8 = 0, 2
		for _, m := range gr.members {
			worst, best = max(worst, st[m]), min(best, st[m])
		}
		if best == 2 {
			return 2
		}
		return min(worst, 1)
	}
	var worst uint8
	for _, m := range gr.members {
		worst = max(worst, st[m])
	}
	return worst
}

// bfs returns, for every node at least min bad that a root (recorded at
// least min bad) reaches through such nodes, the next node on a shortest
// path to a root (a root's is itself). Nodes not reached point at -1.
func (g *Graph) bfs(st, given []uint8, roots []int32, min uint8) (next, dist []int32) {
	next, dist = make([]int32, len(st)), make([]int32, len(st))
	for i := range next {
		next[i] = -1
	}
	var queue []int32
	for _, r := range roots {
		if given[r] >= min && next[r] < 0 {
			next[r] = r
			queue = append(queue, r)
		}
	}
	for len(queue) > 0 {
		m := queue[0]
		queue = queue[1:]
		for _, u := range g.users[m] {
			if st[u.node] >= min && next[u.node] < 0 {
				next[u.node], dist[u.node] = m, dist[m]+1
				queue = append(queue, u.node)
			}
		}
	}
	return next, dist
}

// Name returns the name of a component ("" for a unit: the directory
// knows it).
func (g *Graph) Name(id string) string {
	if i, ok := g.index[id]; ok {
		return g.names[i]
	}
	return ""
}

// Kind returns the kind of a component ("" for a unit).
func (g *Graph) Kind(id string) Kind {
	if i, ok := g.index[id]; ok {
		return g.kinds[i]
	}
	return ""
}
