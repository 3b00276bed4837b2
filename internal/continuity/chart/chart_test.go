package chart

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"
)

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

func (e elem) walk(f func(elem)) {
	f(e)
	for _, c := range e.Children {
		c.walk(f)
	}
}

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
		t.Fatal(err)
	}
	return root
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func backlog() Line {
	return Line{Title: "Efterregistrering", Desc: "Kvar: 9", Total: "Totalt", Series: []Series{
		{Name: "Journalsystem", Points: []Point{{at("2026-12-05T02:00:00Z"), 10}, {at("2026-12-05T06:00:00Z"), 4}}},
		{Name: "Labbsystem", Points: []Point{{at("2026-12-05T04:00:00Z"), 5}}},
	}, To: at("2026-12-05T08:00:00Z")}
}

func TestTotalSumsTheLatestCounts(t *testing.T) {
	got := total("Totalt", backlog().Series)
	want := []Point{{at("2026-12-05T02:00:00Z"), 10}, {at("2026-12-05T04:00:00Z"), 15}, {at("2026-12-05T06:00:00Z"), 9}}
	if len(got.Points) != len(want) {
		t.Fatalf("total = %v, want %v", got.Points, want)
	}
	for i := range want {
		if !got.Points[i].At.Equal(want[i].At) || got.Points[i].Count != want[i].Count {
			t.Errorf("total[%d] = %v, want %v", i, got.Points[i], want[i])
		}
	}
}

func TestLineChart(t *testing.T) {
	root := parse(t, LineSVG(backlog()))
	if root.attr("role") != "img" || root.attr("aria-labelledby") != "chart-title chart-desc" {
		t.Errorf("role %q, labelledby %q", root.attr("role"), root.attr("aria-labelledby"))
	}
	type style struct{ stroke, dash, width string }
	styles := map[style]string{}
	var ends, texts []string
	root.walk(func(e elem) {
		switch {
		case e.XMLName.Local == "path" && strings.HasPrefix(e.attr("class"), "series"):
			s := style{e.attr("stroke"), e.attr("stroke-dasharray"), e.attr("stroke-width")}
			if prev, dup := styles[s]; dup {
				t.Errorf("%q and %q drawn alike", prev, e.Text)
			}
			var title elem
			for _, c := range e.Children {
				title = c
			}
			styles[s] = title.Text
		case e.XMLName.Local == "g" && e.attr("class") == "end":
			for _, c := range e.Children {
				if c.XMLName.Local == "text" {
					ends = append(ends, c.Text)
				}
			}
		case e.XMLName.Local == "text":
			texts = append(texts, e.Text)
		}
	})
	if len(styles) != 3 {
		t.Errorf("series drawn: %v, want two systems and the total", styles)
	}
	want := []string{"Journalsystem 4", "Labbsystem 5", "Totalt 9"}
	for _, w := range want {
		found := false
		for _, e := range ends {
			found = found || e == w
		}
		if !found {
			t.Errorf("end labels %q lack %q", ends, w)
		}
	}
	// 02:00–08:00 UTC is 03:00–09:00 in Stockholm in December: ticks on
	// the even local hours (in UTC they would start at 02:00).
	joined := strings.Join(texts, "|")
	if !strings.Contains(joined, "|15|04:00|06:00|08:00|Journalsystem") {
		t.Errorf("time axis not in Stockholm time: %s", joined)
	}
}

func TestTicksInStockholmAcrossDST(t *testing.T) {
	// The night the clocks go forward: 02:00 does not exist.
	ticks := timeTicks(at("2026-03-28T23:00:00Z"), at("2026-03-29T04:00:00Z"), 6)
	var got []string
	for _, tk := range ticks {
		got = append(got, tk.label)
	}
	if strings.Join(got, " ") != "00:00 01:00 03:00 04:00 05:00 06:00" {
		t.Errorf("ticks = %q", got)
	}
	// Several days: the date where the day changes.
	ticks = timeTicks(at("2026-12-04T23:00:00Z"), at("2026-12-06T23:00:00Z"), 6)
	got = nil
	for _, tk := range ticks {
		got = append(got, tk.label)
	}
	if strings.Join(got, " ") != "5/12 00:00 12:00 6/12 00:00 12:00 7/12 00:00" {
		t.Errorf("ticks = %q", got)
	}
}

// End labels of lines ending at the same count do not cover each other.
func TestEndLabelsApart(t *testing.T) {
	var series []Series
	for i := range 6 {
		series = append(series, Series{Name: "System " + strconv.Itoa(i), Points: []Point{{at("2026-12-05T02:00:00Z"), 3}}})
	}
	root := parse(t, LineSVG(Line{Title: "t", Series: series, Total: "Totalt", To: at("2026-12-05T03:00:00Z")}))
	var ys []float64
	root.walk(func(e elem) {
		if e.XMLName.Local == "g" && e.attr("class") == "end" {
			for _, c := range e.Children {
				if c.XMLName.Local == "text" {
					y, _ := strconv.ParseFloat(c.attr("y"), 64)
					ys = append(ys, y)
				}
			}
		}
	})
	if len(ys) != 7 {
		t.Fatalf("%d end labels, want 7", len(ys))
	}
	for i := range ys {
		for j := i + 1; j < len(ys); j++ {
			if d := ys[i] - ys[j]; d > -14 && d < 14 {
				t.Errorf("end labels %d and %d only %.1f apart", i, j, d)
			}
		}
	}
}

func TestBars(t *testing.T) {
	out := BarsSVG(Bars{Title: "Per system", Done: "klart", Left: "kvar", Bars: []Bar{
		{Label: "Journalsystem", Done: 120, Left: 30}, {Label: "Labbsystem", Done: 0, Left: 75}, {Label: "<b>&", Done: -3, Left: 0},
	}})
	root := parse(t, out)
	widths := map[string][]float64{}
	var texts []string
	root.walk(func(e elem) {
		if e.XMLName.Local == "rect" && (e.attr("class") == "done" || e.attr("class") == "left") {
			w, _ := strconv.ParseFloat(e.attr("width"), 64)
			widths[e.attr("class")] = append(widths[e.attr("class")], w)
		}
		if e.XMLName.Local == "text" {
			texts = append(texts, e.Text)
		}
	})
	if len(widths["done"]) != 1 || len(widths["left"]) != 2 {
		t.Fatalf("bars: %v", widths)
	}
	// 120 done of the largest total 150: four fifths of the bar; 75 left: half.
	full := widths["done"][0] / 0.8
	if d := widths["left"][1] - full/2; d < -1 || d > 1 {
		t.Errorf("left of the second bar %.1f, want half of %.1f", widths["left"][1], full)
	}
	joined := strings.Join(texts, "|")
	for _, w := range []string{"120 klart · 30 kvar", "0 klart · 75 kvar", "0 klart · 0 kvar", "<b>&"} {
		if !strings.Contains(joined, w) {
			t.Errorf("texts %q lack %q", joined, w)
		}
	}
	if bytes.Contains(out, []byte("<b>")) {
		t.Error("label not escaped")
	}
}

func TestDeterministicAndEmpty(t *testing.T) {
	a, b := LineSVG(backlog()), LineSVG(backlog())
	if !bytes.Equal(a, b) {
		t.Error("same data, different bytes")
	}
	parse(t, LineSVG(Line{Title: "tom"}))
	parse(t, BarsSVG(Bars{Title: "tom"}))
}

func FuzzLine(f *testing.F) {
	f.Add("x<y", int64(0), 5, int64(3600), -2)
	f.Fuzz(func(t *testing.T, name string, t0 int64, n int, dt int64, m int) {
		base := time.Unix(1764900000, 0)
		s := []Series{{Name: name, Points: []Point{{base.Add(time.Duration(t0%1e6) * time.Second), n % 100000},
			{base.Add(time.Duration((t0+dt)%1e7) * time.Second), m % 100000}}}}
		parse(t, LineSVG(Line{Title: name, Series: s, Total: name}))
		parse(t, BarsSVG(Bars{Title: name, Bars: []Bar{{Label: name, Done: n, Left: m}}, Done: name, Left: name}))
	})
}

// A long system name is cut at the line's end; its title keeps it whole.
func TestLongNameKeepsItsTitle(t *testing.T) {
	long := "Beställningssystem för förbrukningsmaterial (Medilager)"
	root := parse(t, LineSVG(Line{Title: "t", Series: []Series{{Name: long, Points: []Point{{at("2026-12-05T02:00:00Z"), 7}}}}}))
	found := false
	root.walk(func(e elem) {
		if e.XMLName.Local != "g" || e.attr("class") != "end" {
			return
		}
		for _, c := range e.Children {
			switch c.XMLName.Local {
			case "title":
				found = c.Text == long+": 7"
			case "text":
				if !strings.HasSuffix(c.Text, "… 7") {
					t.Errorf("end label %q, want it cut with an ellipsis", c.Text)
				}
			}
		}
	})
	if !found {
		t.Error("no title with the whole name")
	}
}
