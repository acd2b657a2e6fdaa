package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
)

// Chart is a line chart of a daily series, laid out in Go and drawn by the
// "chart" template as inline SVG (no script; styled by the stylesheet).
type Chart struct {
	Title, Desc   string
	Width, Height int
	// Plot is the drawing area inside the axes.
	Left, Top, Right, Bottom float64
	Line, Area               string
	XTicks, YTicks           []Tick
	// Marker, when set, draws a vertical line at the moment asked about.
	Marker *Tick
	// Last is the final point, labelled with its value.
	Last Tick
	// Rows are the values on the first of each month, for the table that
	// gives the chart's content in words.
	Rows []census.DayCount
}

// Tick is a labelled position on an axis.
type Tick struct {
	X, Y  float64
	Label string
	// Minor ticks are left out on narrow screens.
	Minor bool
	// End puts the label before the position rather than after it.
	End bool
}

// HeadcountChart lays out the daily series days (consecutive dates).
// marker is the date to mark, "" for none.
func HeadcountChart(days []census.DayCount, marker string) Chart {
	c := Chart{Width: 960, Height: 320, Left: 72, Top: 24, Right: 936, Bottom: 280}
	if len(days) == 0 {
		return c
	}
	peak := 0
	for _, d := range days {
		peak = max(peak, d.InCountry)
	}
	yMax, yStep := niceScale(peak)
	x := func(i int) float64 {
		if len(days) == 1 {
			return c.Left
		}
		return c.Left + (c.Right-c.Left)*float64(i)/float64(len(days)-1)
	}
	y := func(v int) float64 { return c.Bottom - (c.Bottom-c.Top)*float64(v)/float64(yMax) }
	// At most about one point per horizontal pixel.
	step := max(1, len(days)/int(c.Right-c.Left))
	var line strings.Builder
	for i := 0; i < len(days); i += step {
		if i+step >= len(days) {
			i = len(days) - 1
		}
		cmd := "L"
		if i == 0 {
			cmd = "M"
		}
		fmt.Fprintf(&line, "%s%s %s ", cmd, num(x(i)), num(y(days[i].InCountry)))
	}
	c.Line = strings.TrimSpace(line.String())
	c.Area = c.Line + fmt.Sprintf(" L%s %s L%s %s Z", num(c.Right), num(c.Bottom), num(c.Left), num(c.Bottom))
	for v := 0; v <= yMax; v += yStep {
		c.YTicks = append(c.YTicks, Tick{Y: y(v), Label: compact(v)})
	}
	first, _ := time.Parse(time.DateOnly, days[0].Date)
	last, _ := time.Parse(time.DateOnly, days[len(days)-1].Date)
	months := int(last.Sub(first).Hours()/24/30) + 1
	every := 1
	for _, e := range []int{1, 2, 3, 6, 12, 24, 60} {
		every = e
		if months/e <= 8 {
			break
		}
	}
	for i, d := range days {
		t, _ := time.Parse(time.DateOnly, d.Date)
		if t.Day() != 1 {
			continue
		}
		c.Rows = append(c.Rows, d)
		if (int(t.Month())-1)%every != 0 {
			continue
		}
		lbl := t.Format("Jan")
		if t.Month() == time.January || len(c.XTicks) == 0 {
			lbl = t.Format("Jan 2006")
		}
		c.XTicks = append(c.XTicks, Tick{X: x(i), Label: lbl, Minor: len(c.XTicks)%2 == 1})
	}
	for i, d := range days {
		if d.Date == marker {
			c.Marker = &Tick{X: x(i), Label: "as of " + d.Date, End: x(i) > (c.Left+c.Right)/2}
		}
	}
	end := days[len(days)-1]
	c.Last = Tick{X: x(len(days) - 1), Y: y(end.InCountry), Label: outpost.Thousands(end.InCountry)}
	c.Title = "People in the country, " + days[0].Date + " to " + end.Date
	c.Desc = fmt.Sprintf("From %s on %s to %s on %s, with a peak of %s.",
		outpost.Thousands(days[0].InCountry), days[0].Date, outpost.Thousands(end.InCountry), end.Date, outpost.Thousands(peak))
	return c
}

// niceScale returns an axis maximum of at least v and a step of 1, 2 or
// 5 times a power of ten giving four to eight ticks.
func niceScale(v int) (top, step int) {
	if v <= 0 {
		return 10, 2
	}
	raw := float64(v) / 5
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			step = int(m * p)
			break
		}
	}
	step = max(step, 1)
	top = (v + step - 1) / step * step
	if top == v {
		top += step
	}
	return top, step
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// compact writes an axis number briefly: 950, 12k, 1.5M.
func compact(v int) string {
	switch {
	case v >= 1_000_000:
		return strings.TrimSuffix(strconv.FormatFloat(float64(v)/1e6, 'f', 1, 64), ".0") + "M"
	case v >= 10_000:
		return strconv.Itoa(v/1000) + "k"
	}
	return outpost.Thousands(v)
}
