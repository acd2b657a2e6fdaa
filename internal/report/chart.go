package report

import (
	"bytes"
	"fmt"
	"image/color"
	"regexp"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// chart is a chart of the report, drawn on demand as SVG (for HTML) or
// PNG (for PDF) from the same plot.
type chart struct {
	// Title is the caption; Desc says in words what the chart shows, for
	// those who cannot see it.
	Title, Desc string
	W, H        vg.Length
	plot        func() (*plot.Plot, error)
}

// Colours of the charts, shared with the HTML stylesheet and the PDF.
var (
	inkColor   = color.RGBA{0x1b, 0x2a, 0x3a, 0xff}
	mutedColor = color.RGBA{0x5b, 0x67, 0x73, 0xff}
	gridColor  = color.RGBA{0xdd, 0xe2, 0xe7, 0xff}
	lineColor  = color.RGBA{0x1f, 0x4e, 0x79, 0xff}
	fillColor  = color.NRGBA{0x1f, 0x4e, 0x79, 0x24}
	warnColor  = color.RGBA{0xb4, 0x23, 0x18, 0xff}
	okColor    = color.RGBA{0x7a, 0x93, 0xab, 0xff}
)

var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// newPlot returns a plot with the report's fonts and colours.
func newPlot() *plot.Plot {
	p := plot.New()
	for _, st := range []*font.Font{&p.Title.TextStyle.Font, &p.X.Label.TextStyle.Font, &p.Y.Label.TextStyle.Font,
		&p.X.Tick.Label.Font, &p.Y.Tick.Label.Font, &p.Legend.TextStyle.Font} {
		size := st.Size
		*st = font.From(sans, size)
	}
	p.X.Tick.Label.Font.Size, p.Y.Tick.Label.Font.Size = 9, 9
	p.X.Tick.Label.Color, p.Y.Tick.Label.Color = mutedColor, mutedColor
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.LineStyle.Color = gridColor
		a.Tick.LineStyle.Color = gridColor
		a.Padding = 0
	}
	return p
}

// headcountChart draws the people in the country at the end of each day;
// nil when there are fewer than two days.
func headcountChart(series []Day) *chart {
	if len(series) < 2 {
		return nil
	}
	first, last := series[0], series[len(series)-1]
	desc := fmt.Sprintf("People in the country at the end of each day from %s (%s) to %s (%s).",
		shortDateYear(first.Date), thousands(first.InCountry), shortDateYear(last.Date), thousands(last.InCountry))
	return &chart{
		Title: "People in the country at the end of each day", Desc: desc,
		W: 17 * vg.Centimeter, H: 6.5 * vg.Centimeter,
		plot: func() (*plot.Plot, error) {
			p := newPlot()
			pts := make(plotter.XYs, len(series))
			top := 0
			for i, d := range series {
				pts[i] = plotter.XY{X: float64(parseDate(d.Date).Unix()), Y: float64(d.InCountry)}
				top = max(top, d.InCountry)
			}
			line, err := plotter.NewLine(pts)
			if err != nil {
				return nil, err
			}
			line.Color, line.Width, line.FillColor = lineColor, vg.Points(1.6), fillColor
			grid := plotter.NewGrid()
			grid.Vertical.Color = nil
			grid.Horizontal.Color, grid.Horizontal.Width = gridColor, vg.Points(0.5)
			end, err := plotter.NewLabels(plotter.XYLabels{XYs: pts[len(pts)-1:], Labels: []string{thousands(last.InCountry)}})
			if err != nil {
				return nil, err
			}
			for i := range end.TextStyle {
				end.TextStyle[i].Font = font.From(sans, 9)
				end.TextStyle[i].Color = lineColor
				end.TextStyle[i].XAlign, end.TextStyle[i].YAlign = draw.XRight, draw.YBottom
			}
			end.Offset = vg.Point{X: -3, Y: 5}
			p.Add(grid, line, end)
			p.Y.Min, p.Y.Max = 0, niceCeil(float64(top)*1.12)
			p.X.Min, p.X.Max = pts[0].X, pts[len(pts)-1].X
			p.X.Tick.Marker = monthTicks{}
			p.Y.Tick.Marker = countTicks{}
			return p, nil
		},
	}
}

// supplyChart draws the items with the fewest days of supply (at most
// ten, out of stock left out) against the shortage threshold; nil when
// none is left to draw.
func supplyChart(rows []Stock, threshold int) *chart {
	used, out := drawable(rows)
	if len(used) == 0 {
		return nil
	}
	title := "Items with the fewest days of supply"
	if out > 0 {
		title += fmt.Sprintf(" (not drawn: %d out of stock)", out)
	}
	sortByDays(used)
	used = used[:min(10, len(used))]
	var parts []string
	for _, r := range used {
		parts = append(parts, fmt.Sprintf("%s %s %s", r.Mission, itemName(r), daysText(r.DaysOfSupply)))
	}
	return &chart{
		Title: title,
		Desc:  fmt.Sprintf("Days of supply, fewest first, against the shortage line at %d days: %s.", threshold, strings.Join(parts, "; ")),
		W:     17 * vg.Centimeter, H: vg.Length(2.2+0.62*float64(len(used))) * vg.Centimeter,
		plot: func() (*plot.Plot, error) { return supplyPlot(used, threshold) },
	}
}

// drawable returns the rows that have a bar to draw and how many are out
// of stock: out of stock has no bar; the tables list those rows.
func drawable(rows []Stock) (used []Stock, out int) {
	for _, r := range rows {
		switch {
		case r.DaysOfSupply == nil:
		case *r.DaysOfSupply == 0:
			out++
		default:
			used = append(used, r)
		}
	}
	return used, out
}

// supplyPlot draws the bars of used, the fewest days on top, with their
// figures and the dashed shortage line.
func supplyPlot(used []Stock, threshold int) (*plot.Plot, error) {
	p := newPlot()
	n := len(used)
	longest := 0
	for _, r := range used {
		longest = max(longest, *r.DaysOfSupply)
	}
	// Very long supplies would squash the short ones that matter:
	// bars past the axis's end are cut there, their label says
	// the whole figure.
	axisEnd := float64(max(threshold*2, min(longest, threshold*6), 10))
	labels := make([]string, n)
	var pts plotter.XYs
	var texts []string
	for i, r := range used {
		y := n - 1 - i // the fewest on top
		labels[y] = r.Mission + " · " + itemName(r)
		v := min(float64(*r.DaysOfSupply), axisEnd)
		c := okColor
		if r.Shortage {
			c = warnColor
		}
		bar, err := plotter.NewBarChart(plotter.Values{v}, vg.Points(11))
		if err != nil {
			return nil, err
		}
		bar.Horizontal, bar.XMin, bar.Color = true, float64(y), c
		bar.LineStyle.Width = 0
		p.Add(bar)
		pts = append(pts, plotter.XY{X: v, Y: float64(y)})
		texts = append(texts, daysText(r.DaysOfSupply))
	}
	lab, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: texts})
	if err != nil {
		return nil, err
	}
	for i := range lab.TextStyle {
		lab.TextStyle[i].Font = font.From(sans, 8.5)
		lab.TextStyle[i].Color = inkColor
		lab.TextStyle[i].YAlign = draw.YCenter
	}
	lab.Offset = vg.Point{X: 4}
	limit, err := plotter.NewLine(plotter.XYs{{X: float64(threshold), Y: -0.6}, {X: float64(threshold), Y: float64(n) - 0.4}})
	if err != nil {
		return nil, err
	}
	limit.Color, limit.Width, limit.Dashes = warnColor, vg.Points(1), []vg.Length{vg.Points(3), vg.Points(2)}
	grid := plotter.NewGrid()
	grid.Horizontal.Color = nil
	grid.Vertical.Color, grid.Vertical.Width = gridColor, vg.Points(0.5)
	p.Add(grid, limit, lab)
	p.NominalY(labels...)
	p.Y.Tick.Label.Color = inkColor
	p.Y.LineStyle.Width = 0
	p.X.Min, p.X.Max = 0, axisEnd*1.18
	p.X.Label.Text = fmt.Sprintf("days of supply (dashed line: shortage below %d days)", threshold)
	p.X.Label.TextStyle.Font.Size = 8.5
	p.X.Label.TextStyle.Color = mutedColor
	p.X.Tick.Marker = countTicks{}
	return p, nil
}

// monthTicks marks the first of each month on an axis of Unix times,
// labelling one month in every few so that the labels do not crowd.
type monthTicks struct{}

// Ticks implements plot.Ticker.
func (monthTicks) Ticks(lo, hi float64) []plot.Tick {
	t0, t1 := time.Unix(int64(lo), 0).UTC(), time.Unix(int64(hi), 0).UTC()
	months := (t1.Year()-t0.Year())*12 + int(t1.Month()-t0.Month()) + 1
	every := 1
	for _, e := range []int{1, 2, 3, 6, 12} {
		every = e
		if months/e <= 8 {
			break
		}
	}
	var out []plot.Tick
	m := time.Date(t0.Year(), t0.Month(), 1, 0, 0, 0, 0, time.UTC)
	for ; !m.After(t1); m = m.AddDate(0, 1, 0) {
		if m.Before(t0) {
			continue
		}
		tk := plot.Tick{Value: float64(m.Unix())}
		if (int(m.Month())-1)%every == 0 {
			tk.Label = m.Format("Jan 2006")
		}
		out = append(out, tk)
	}
	return out
}

// countTicks labels whole numbers with thousands separators.
type countTicks struct{}

// Ticks implements plot.Ticker.
func (countTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = thousands(int(ticks[i].Value))
		}
	}
	return ticks
}

// niceCeil rounds x up to a round number: 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8
// times a power of ten.
func niceCeil(x float64) float64 {
	if x <= 10 {
		return 10
	}
	p := 1.0
	for p*10 <= x {
		p *= 10
	}
	for _, m := range []float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

var (
	svgProlog = regexp.MustCompile(`(?s)^<\?xml[^>]*>\s*<!--.*?-->\s*`)
	svgSize   = regexp.MustCompile(`^<svg width="[^"]*" height="[^"]*"`)
)

// SVG draws the chart as an SVG element to put inline in HTML: no XML
// prolog, no fixed size (it scales with the page), a title for screen
// readers, and fonts that fall back to the metric-compatible Arial.
func (c *chart) SVG() ([]byte, error) {
	p, err := c.plot()
	if err != nil {
		return nil, err
	}
	cv := vgsvg.New(c.W, c.H)
	p.Draw(draw.New(cv))
	var b bytes.Buffer
	if _, err := cv.WriteTo(&b); err != nil {
		return nil, err
	}
	s := svgProlog.ReplaceAllString(b.String(), "")
	s = svgSize.ReplaceAllString(s, `<svg role="img" aria-label="`+htmlAttr(c.Desc)+`"`)
	s = strings.ReplaceAll(s, "font-family:Liberation Sans;", "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")
	return []byte(strings.TrimSpace(s)), nil
}

// PNG draws the chart as a PNG image at dpi dots per inch.
func (c *chart) PNG(dpi int) ([]byte, error) {
	p, err := c.plot()
	if err != nil {
		return nil, err
	}
	cv := vgimg.NewWith(vgimg.UseWH(c.W, c.H), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	p.Draw(draw.New(cv))
	var b bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: cv}).WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func htmlAttr(s string) string {
	return strings.NewReplacer(`&`, "&amp;", `"`, "&#34;", `<`, "&lt;", `>`, "&gt;", `'`, "&#39;").Replace(s)
}
