// Package graphsvg draws the graph around a failure — the down components,
// what depends on them, the affected functions, units (framed per hospital)
// and backup routines — as a self-contained SVG, server-side and without a
// graph library. It is pure: the same graph gives the same bytes.
//
// The drawing reads on a phone, on a screen and on A4: it scales to its
// container through its viewBox, uses presentation attributes only (no
// <style>, so a strict Content-Security-Policy allows it), has no dark
// background, and never tells a state by colour alone: down, degraded and
// broken carry a shape and a word, explaining paths are thicker. It has no
// words of its own beyond defaults: the caller passes translated Labels.
//
// The <svg> carries its natural size (about 200 px per column, 12 px text).
// What reads best, measured in Chromium with the demo's DNS failure (six
// columns, 101 boxes): on a screen, `max-width:100%; height:auto`; on a
// phone, the natural size in a box that scrolls sideways (scaled to 390 px
// the text would be 4 px); on paper, A4 landscape (A4 portrait scales it to
// about 0.6).
package graphsvg

import "fmt"

// Kind is what a node stands for.
type Kind string

// The kinds of node: the registry's component kinds plus units and routines.
const (
	System         Kind = "system"
	Infrastructure Kind = "infrastructure"
	Supplier       Kind = "supplier"
	Function       Kind = "function"
	Unit           Kind = "unit"
	Routine        Kind = "routine"
)

// Status is a node's state; empty means not known or not relevant.
type Status string

// The statuses a node can show.
const (
	Down     Status = "down"
	Degraded Status = "degraded"
	Up       Status = "up"
)

// Node is one box of the drawing.
type Node struct {
	ID     string
	Label  string // shown ellipsized; the full text is in the box's <title>
	Kind   Kind
	Status Status
	Group  string // units: the heading of the frame they are drawn in (their hospital)
	OnPath bool   // on an explaining path: drawn with a thick border
	Broken bool   // a routine that will not work
}

// Edge says that From depends on To (the registry's direction: "Cosmic
// runs_on dc-1"). It is drawn as an arrow from To to From: the way an
// outage spreads.
type Edge struct {
	From, To string
	Type     string // shown in the arrow's <title>
	OnPath   bool   // part of an explaining path: drawn thick and marked
}

// Graph is what to draw. Nodes keep their first occurrence per ID; edges
// naming an unknown node or a node itself are left out.
type Graph struct {
	Title string
	Desc  string // the summary a screen reader reads; Title when empty
	Nodes []Node
	Edges []Edge
}

// Labels are the words of the drawing in the reader's language.
type Labels struct {
	Down, Degraded, Up string // status words in the boxes and the legend
	Broken             string // a routine that will not work
	Kinds              map[Kind]string
	Path               string // legend: an explaining path
	Affects            string // legend: what an arrow means
	Routines           string // heading of the routines' frame
	// More labels the box standing for units left out of a big frame:
	// "+ 42 enheter".
	More func(hidden int) string
}

// Options tune the drawing.
type Options struct {
	// MaxUnitsPerGroup is how many units a frame shows before the rest
	// become one "+ n" box: 0 means 12, a negative number never collapses.
	MaxUnitsPerGroup int
	// IDPrefix keeps the ids inside the SVG apart when a page holds several
	// drawings; "graph" when empty.
	IDPrefix string
}

// English defaults, so that a caller that forgets a word gets a word.
func (l Labels) withDefaults() Labels {
	def := func(s *string, d string) {
		if *s == "" {
			*s = d
		}
	}
	def(&l.Down, "DOWN")
	def(&l.Degraded, "DEGRADED")
	def(&l.Up, "UP")
	def(&l.Broken, "WILL NOT WORK")
	def(&l.Path, "Explaining path")
	def(&l.Affects, "affects")
	def(&l.Routines, "Backup routines")
	if l.More == nil {
		l.More = func(n int) string { return fmt.Sprintf("+ %d", n) }
	}
	kinds := map[Kind]string{System: "System", Infrastructure: "Infrastructure", Supplier: "Supplier",
		Function: "Function", Unit: "Unit", Routine: "Routine"}
	for k, v := range l.Kinds {
		if v != "" {
			kinds[k] = v
		}
	}
	l.Kinds = kinds
	return l
}

func (o Options) maxUnits() int {
	switch {
	case o.MaxUnitsPerGroup == 0:
		return 12
	case o.MaxUnitsPerGroup < 0:
		return int(^uint(0) >> 1)
	}
	return o.MaxUnitsPerGroup
}
