// Package chart draws the re-entry backlog as small SVG charts, server-side:
// a line per system over time with a total, and a bar per system of what is
// done and what is left. Like package graphsvg it is pure (the same data
// gives the same bytes), uses presentation attributes only (a strict
// Content-Security-Policy allows it), prints on white, tells series apart by
// dash pattern and a label at the line's end as well as by colour, and has
// no words of its own: the caller passes them translated. Times are shown in
// Europe/Stockholm.
package chart

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyr/internal/continuity/graphsvg"
	"fyr/internal/tz"
)

// Point is a count from a moment on: the backlog is a step function.
type Point struct {
	At    time.Time
	Count int
}

// Series is one line, e.g. one system's backlog.
type Series struct {
	Name   string
	Points []Point // in time order
}

// Line is a line chart over time.
type Line struct {
	Title  string
	Desc   string // the summary a screen reader reads; Title when empty
	Series []Series
	// Total, when not empty, names a thick line summing every series.
	Total string
	// From and To bound the time axis; zero means the data's first point
	// and To the last one (give To = now to run the lines up to now).
	From, To time.Time
	// IDPrefix keeps ids apart when a page holds several charts.
	IDPrefix string
}

// Sizes in SVG user units.
const (
	width     = 480.0 // at 390 px a phone shows it at three quarters
	lineH     = 280.0
	plotLeft  = 44.0
	plotRight = 150.0 // room for the labels at the lines' ends
	plotTop   = 40.0
	plotBot   = 40.0
	fontSize  = 12.0
	titleSize = 15.0
	ink       = "#101828"
	inkMuted  = "#475467"
	inkGrid   = "#e4e7ec"
	inkAxis   = "#667085"
)

// palette: colours that stay apart on white and in print, each with its
// own dash pattern.
var palette = []struct{ colour, dash string }{
	{"#1f5fa8", ""}, {"#b54708", "7 3"}, {"#067647", "2 3"}, {"#6941c6", "9 3 2 3"},
	{"#c01048", "4 4"}, {"#0e7090", "12 4"}, {"#4d5761", "2 2 6 2"}, {"#854a0e", "1 3"},
}

// LineSVG draws c.
func LineSVG(c Line) []byte {
	prefix := c.IDPrefix
	if prefix == "" {
		prefix = "chart"
	}
	series := c.Series
	if c.Total != "" && len(series) > 0 {
		series = append(append([]Series(nil), series...), total(c.Total, c.Series))
	}
	from, to := c.From, c.To
	maxCount := 0
	for _, s := range series {
		for _, p := range s.Points {
			if from.IsZero() || c.From.IsZero() && p.At.Before(from) {
				from = p.At
			}
			if to.IsZero() || c.To.IsZero() && p.At.After(to) {
				to = p.At
			}
			maxCount = max(maxCount, p.Count)
		}
	}
	if !to.After(from) {
		to = from.Add(time.Hour)
	}
	yStep := niceStep(maxCount)
	yMax := max(yStep, (maxCount+yStep-1)/yStep*yStep)

	pw, ph := width-plotLeft-plotRight, lineH-plotTop-plotBot
	xOf := func(t time.Time) float64 {
		return plotLeft + pw*float64(t.Sub(from))/float64(to.Sub(from))
	}
	yOf := func(n int) float64 { return plotTop + ph - ph*float64(max(n, 0))/float64(yMax) }

	var w writer
	w.open(prefix, c.Title, c.Desc, width, lineH)
	// Grid and the count axis.
	for n := 0; n <= yMax; n += yStep {
		y := yOf(n)
		w.raw(`<path d="M`, num(plotLeft), ",", num(y), " H", num(plotLeft+pw), `" stroke="`, inkGrid, `"/>`)
		w.raw(`<text x="`, num(plotLeft-6), `" y="`, num(y+4), `" font-size="`, num(fontSize-1), `" text-anchor="end" fill="`, inkMuted, `">`,
			strconv.Itoa(n), "</text>\n")
	}
	// The time axis, in Stockholm time.
	w.raw(`<path d="M`, num(plotLeft), ",", num(plotTop+ph), " H", num(plotLeft+pw), `" stroke="`, inkAxis, `"/>`, "\n")
	for _, tk := range timeTicks(from, to, int(pw/72)) {
		x := xOf(tk.at)
		w.raw(`<path d="M`, num(x), ",", num(plotTop+ph), " v5", `" stroke="`, inkAxis, `"/><text x="`, num(x), `" y="`,
			num(plotTop+ph+18), `" font-size="`, num(fontSize-1), `" text-anchor="middle" fill="`, inkMuted, `">`)
		w.text(tk.label)
		w.raw("</text>\n")
	}
	// The lines, as steps: a count holds until the next one.
	type end struct {
		y           float64
		label, full string
		style       int
	}
	var ends []end
	for i, s := range series {
		if len(s.Points) == 0 {
			continue
		}
		isTotal := c.Total != "" && i == len(series)-1
		st := palette[i%len(palette)]
		colour, dash, sw := st.colour, st.dash, "2"
		if isTotal {
			colour, dash, sw = ink, "", "3.5"
		}
		var d strings.Builder
		prevY := 0.0
		for j, p := range s.Points {
			t := clampTime(p.At, from, to)
			x, y := xOf(t), yOf(p.Count)
			if j == 0 {
				d.WriteString("M" + num(x) + "," + num(y))
			} else {
				d.WriteString(" H" + num(x) + " V" + num(y))
			}
			prevY = y
		}
		d.WriteString(" H" + num(plotLeft+pw))
		class := "series"
		if isTotal {
			class = "series total"
		}
		w.raw(`<path class="`, class, `" d="`, d.String(), `" fill="none" stroke="`, colour, `" stroke-width="`, sw, `"`)
		if dash != "" {
			w.raw(` stroke-dasharray="`, dash, `"`)
		}
		last := s.Points[len(s.Points)-1].Count
		w.raw("><title>")
		w.text(s.Name + ": " + strconv.Itoa(last))
		w.raw("</title></path>\n")
		style := i
		if isTotal {
			style = -1
		}
		ends = append(ends, end{prevY, fit(s.Name, fontSize, plotRight-60) + " " + strconv.Itoa(last), s.Name + ": " + strconv.Itoa(last), style})
	}
	// Labels at the lines' ends, moved apart so that none covers another.
	ys := make([]float64, len(ends))
	order := make([]int, len(ends))
	for i := range ends {
		order[i] = i
	}
	sortBy(order, func(i int) float64 { return ends[i].y })
	for k, i := range order {
		ys[i] = ends[i].y
		if k > 0 && ys[i] < ys[order[k-1]]+15 {
			ys[i] = ys[order[k-1]] + 15
		}
	}
	for i, e := range ends {
		x := plotLeft + pw + 8
		colour, dash, sw, weight := ink, "", "3.5", "700"
		if e.style >= 0 {
			st := palette[e.style%len(palette)]
			colour, dash, sw, weight = st.colour, st.dash, "2", "400"
		}
		w.raw(`<g class="end"><title>`)
		w.text(e.full)
		w.raw(`</title><path d="M`, num(x), ",", num(ys[i]), " h16", `" stroke="`, colour, `" stroke-width="`, sw, `"`)
		if dash != "" {
			w.raw(` stroke-dasharray="`, dash, `"`)
		}
		w.raw(`/><text x="`, num(x+20), `" y="`, num(ys[i]+4), `" font-size="`, num(fontSize), `" font-weight="`, weight, `" fill="`, ink, `">`)
		w.text(e.label)
		w.raw("</text></g>\n")
	}
	w.raw("</svg>\n")
	return w.Bytes()
}

// total sums the series: at every moment any series changes, the sum of
// each one's latest count.
func total(name string, series []Series) Series {
	var times []time.Time
	for _, s := range series {
		for _, p := range s.Points {
			times = append(times, p.At)
		}
	}
	sortBy(times, func(t time.Time) float64 { return float64(t.UnixNano()) })
	out := Series{Name: name}
	for i, t := range times {
		if i > 0 && t.Equal(times[i-1]) {
			continue
		}
		sum := 0
		for _, s := range series {
			n := 0
			for _, p := range s.Points {
				if !p.At.After(t) {
					n = p.Count
				}
			}
			sum += n
		}
		out.Points = append(out.Points, Point{t, sum})
	}
	return out
}

func clampTime(t, from, to time.Time) time.Time {
	if t.Before(from) {
		return from
	}
	if t.After(to) {
		return to
	}
	return t
}

// niceStep is a step of 1, 2 or 5 × 10^k giving at most five steps to max.
func niceStep(max int) int {
	if max <= 5 {
		return 1
	}
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if max <= 5*m*p {
				return m * p
			}
		}
	}
}

type tick struct {
	at    time.Time
	label string
}

// timeTicks puts at most most+1 ticks on whole local (Stockholm) times:
// minutes, hours or days, labelled "15:30", with the date "4/12" where the
// day changes.
func timeTicks(from, to time.Time, most int) []tick {
	steps := []time.Duration{5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour,
		2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour, 48 * time.Hour, 7 * 24 * time.Hour}
	span := to.Sub(from)
	step := steps[len(steps)-1]
	for _, s := range steps {
		if span/s <= time.Duration(max(most, 1)) {
			step = s
			break
		}
	}
	lf := from.In(tz.Stockholm)
	day := time.Date(lf.Year(), lf.Month(), lf.Day(), 0, 0, 0, 0, tz.Stockholm)
	multiDay := to.In(tz.Stockholm).YearDay() != lf.YearDay() || span > 24*time.Hour
	var out []tick
	prevDay := -1
	for k := 0; k < 10000; k++ {
		var t time.Time
		if step >= 24*time.Hour {
			t = time.Date(day.Year(), day.Month(), day.Day()+k*int(step/(24*time.Hour)), 0, 0, 0, 0, tz.Stockholm)
		} else {
			t = time.Date(day.Year(), day.Month(), day.Day(), 0, k*int(step/time.Minute), 0, 0, tz.Stockholm)
		}
		if t.After(to) {
			break
		}
		if t.Before(from) || len(out) > 0 && t.Equal(out[len(out)-1].at) {
			continue // before the start, or a wall time the clocks skip in spring
		}
		lt := t.In(tz.Stockholm)
		label := lt.Format("15:04")
		if step >= 24*time.Hour {
			label = lt.Format("2/1")
		} else if multiDay && lt.YearDay() != prevDay {
			label = lt.Format("2/1 15:04")
		}
		prevDay = lt.YearDay()
		out = append(out, tick{t, label})
	}
	return out
}

// Bar is one system's backlog: what is entered and what is left.
type Bar struct {
	Label      string
	Done, Left int
}

// Bars is a bar chart, one bar per system on a common scale.
type Bars struct {
	Title, Desc string
	Bars        []Bar
	// Done and Left are the words after the numbers: "klart", "kvar".
	Done, Left string
	IDPrefix   string
}

// BarsSVG draws b: a solid part for what is done, an outlined part for
// what is left, and the numbers in words beside each bar.
func BarsSVG(b Bars) []byte {
	prefix := b.IDPrefix
	if prefix == "" {
		prefix = "bars"
	}
	const (
		labelW = 140.0
		textW  = 130.0
		rowH   = 30.0
		barH   = 16.0
		top    = 58.0
	)
	height := top + rowH*float64(len(b.Bars)) + 12
	scale := 0
	for _, r := range b.Bars {
		scale = max(scale, max(r.Done, 0)+max(r.Left, 0))
	}
	barW := width - 16 - labelW - textW
	var w writer
	w.open(prefix, b.Title, b.Desc, width, height)
	// Legend.
	w.raw(`<g class="legend"><rect x="16" y="34" width="16" height="12" fill="#1f5fa8"/><text x="38" y="44" font-size="`, num(fontSize), `" fill="`, ink, `">`)
	w.text(b.Done)
	lx := 38 + textWidth(b.Done, fontSize) + 18
	w.raw(`</text><rect x="`, num(lx), `" y="34" width="16" height="12" fill="#ffffff" stroke="#1f5fa8" stroke-width="1.5" stroke-dasharray="3 2"/><text x="`,
		num(lx+22), `" y="44" font-size="`, num(fontSize), `" fill="`, ink, `">`)
	w.text(b.Left)
	w.raw("</text></g>\n")
	for i, r := range b.Bars {
		done, left := max(r.Done, 0), max(r.Left, 0)
		y := top + float64(i)*rowH
		w.raw(`<g class="bar"><title>`)
		w.text(r.Label + ": " + strconv.Itoa(done) + " " + b.Done + ", " + strconv.Itoa(left) + " " + b.Left)
		w.raw(`</title><text x="16" y="`, num(y+barH-3), `" font-size="`, num(fontSize), `" fill="`, ink, `">`)
		w.text(fit(r.Label, fontSize, labelW-12))
		w.raw("</text>")
		x0 := 16 + labelW
		dw, lw := 0.0, 0.0
		if scale > 0 {
			dw = barW * float64(done) / float64(scale)
			lw = barW * float64(left) / float64(scale)
		}
		if dw > 0 {
			w.raw(`<rect class="done" x="`, num(x0), `" y="`, num(y), `" width="`, num(dw), `" height="`, num(barH), `" fill="#1f5fa8"/>`)
		}
		if lw > 0 {
			w.raw(`<rect class="left" x="`, num(x0+dw), `" y="`, num(y+0.75), `" width="`, num(math.Max(lw-0.75, 0.5)), `" height="`,
				num(barH-1.5), `" fill="#ffffff" stroke="#1f5fa8" stroke-width="1.5" stroke-dasharray="3 2"/>`)
		}
		w.raw(`<text x="`, num(x0+dw+lw+8), `" y="`, num(y+barH-3), `" font-size="`, num(fontSize), `" fill="`, ink, `">`)
		w.text(strconv.Itoa(done) + " " + b.Done + " · " + strconv.Itoa(left) + " " + b.Left)
		w.raw("</text></g>\n")
	}
	w.raw("</svg>\n")
	return w.Bytes()
}

type writer struct{ bytes.Buffer }

func (w *writer) text(s string) { _ = xml.EscapeText(&w.Buffer, []byte(s)) }

func (w *writer) raw(parts ...string) {
	for _, p := range parts {
		w.WriteString(p)
	}
}

// open writes the <svg> element with its title and description for screen
// readers, and the visible title.
func (w *writer) open(prefix, title, desc string, wd, ht float64) {
	if desc == "" {
		desc = title
	}
	w.raw(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="`)
	w.text(prefix + "-title " + prefix + "-desc")
	w.raw(`" viewBox="0 0 `, num(wd), " ", num(ht), `" width="`, num(wd), `" height="`, num(ht),
		`" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif">`, "\n", `<title id="`)
	w.text(prefix + "-title")
	w.raw(`">`)
	w.text(title)
	w.raw(`</title><desc id="`)
	w.text(prefix + "-desc")
	w.raw(`">`)
	w.text(desc)
	w.raw("</desc>\n", `<text x="16" y="22" font-size="`, num(titleSize), `" font-weight="700" fill="`, ink, `">`)
	w.text(fit(title, titleSize, wd-32))
	w.raw("</text>\n")
}

func num(f float64) string {
	s := strings.TrimSuffix(strconv.FormatFloat(f, 'f', 1, 64), ".0")
	if s == "-0" {
		return "0"
	}
	return s
}

// textWidth is graphsvg's estimate, so both drawings reserve the same room.
func textWidth(s string, size float64) float64 { return graphsvg.TextWidth(s, size, false) }

func fit(s string, size, width float64) string {
	s = strings.Join(strings.Fields(s), " ")
	if textWidth(s, size) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 {
		r = r[:len(r)-1]
		if t := strings.TrimRight(string(r), " ") + "…"; textWidth(t, size) <= width {
			return t
		}
	}
	return "…"
}

// sortBy sorts s stably by key.
func sortBy[T any](s []T, key func(T) float64) {
	slices.SortStableFunc(s, func(a, b T) int { return cmp.Compare(key(a), key(b)) })
}
