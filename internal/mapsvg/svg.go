package mapsvg

import (
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/project"

	"github.com/outpost-org/outpost/internal/outpost"
)

// Width is the width of the SVG's viewBox; its height follows from the
// region's shape. The SVG scales to the width of its container.
const Width = 500

// frame maps longitudes and latitudes to the viewBox: Web Mercator,
// north up, the region filling the width.
type frame struct {
	min    orb.Point // projected south-west corner
	scale  float64   // viewBox units per projected metre
	height float64
}

func newFrame() frame {
	b := project.Bound(Region, project.WGS84.ToMercator)
	s := Width / (b.Max[0] - b.Min[0])
	return frame{min: orb.Point{b.Min[0], b.Max[1]}, scale: s, height: math.Round((b.Max[1] - b.Min[1]) * s)}
}

// xy is a point of the viewBox, clamped into it.
func (f frame) xy(p orb.Point) (float64, float64) {
	m := project.Point(p, project.WGS84.ToMercator)
	x := (m[0] - f.min[0]) * f.scale
	y := (f.min[1] - m[1]) * f.scale
	return clamp(x, 0, Width), clamp(y, 0, f.height)
}

func clamp(v, lo, hi float64) float64 {
	if math.IsNaN(v) {
		return lo
	}
	return math.Max(lo, math.Min(hi, v))
}

// num writes a coordinate rounded to a tenth, so that output is stable.
func num(v float64) string {
	v = math.Round(v*10) / 10
	if v == 0 {
		v = 0 // no "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

var (
	baseOnce sync.Once
	base     string
	top      string // the legend, drawn over everything else
	fr       frame
)

// baseLayer is the part of every map that does not change: sea, land,
// graticule, country and sea names, cities, scale bar and north arrow.
// It is drawn once.
func baseLayer(g gazetteer) string {
	baseOnce.Do(func() {
		base = drawBase(g)
		top = legend(fr)
	})
	return base
}

// drawBase draws the base layer (and sets the frame it is drawn in).
func drawBase(g gazetteer) string {
	{
		fr = newFrame()
		var b strings.Builder
		fmt.Fprintf(&b, `<rect x="0" y="0" width="%d" height="%s" fill="#d4e4f1"/>`, Width, num(fr.height))
		for _, c := range g.land {
			fill, stroke, sw := "#e7e3d9", "#8c877b", "0.8"
			if c.code == "KP" {
				fill, stroke, sw = "#fffdf6", "#2f2f2f", "1.4"
			}
			fmt.Fprintf(&b, `<path d="%s" fill="%s" stroke="%s" stroke-width="%s" stroke-linejoin="round" fill-rule="evenodd"/>`,
				pathOf(fr, c.mp), fill, stroke, sw)
		}
		b.WriteString(graticule(fr))
		for _, l := range []struct {
			text string
			at   orb.Point
			sea  bool
		}{
			{"CHINA", orb.Point{124.9, 42.55}, false}, {"RUSSIA", orb.Point{131.2, 43.2}, false},
			{"SOUTH KOREA", orb.Point{128.3, 37.5}, false}, {"NORTH KOREA", orb.Point{126.9, 40.55}, false},
			{"Yellow Sea", orb.Point{124.25, 38.6}, true}, {"Sea of Japan (East Sea)", orb.Point{130.6, 39.6}, true},
		} {
			x, y := fr.xy(l.at)
			if l.sea {
				fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-size="13" font-style="italic" fill="#33536e">%s</text>`, num(x), num(y), esc(l.text))
			} else {
				fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-size="13" letter-spacing="2" fill="#5b574e">%s</text>`, num(x), num(y), esc(l.text))
			}
		}
		for _, p := range g.places {
			if p.Kind != "city" {
				continue
			}
			x, y := fr.xy(p.Point)
			r, weight := "3.5", "normal"
			if p.Code == "PYONGYANG" {
				r, weight = "5", "bold"
				fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="7.5" fill="none" stroke="#1f1f1f" stroke-width="1.2"/>`, num(x), num(y))
			}
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="%s" fill="#1f1f1f"/>`, num(x), num(y), r)
			b.WriteString(label(x, y, p.Label, 10, p.Name, weight, 14))
		}
		b.WriteString(scaleBar(fr))
		b.WriteString(northArrow(fr))
		return b.String()
	}
}

// pathOf is an SVG path of the outline, each ring closed.
func pathOf(f frame, mp orb.MultiPolygon) string {
	var b strings.Builder
	for _, p := range mp {
		for _, r := range p {
			for i, pt := range r {
				x, y := f.xy(pt)
				if i == 0 {
					b.WriteString("M")
				} else {
					b.WriteString("L")
				}
				b.WriteString(num(x) + " " + num(y))
			}
			b.WriteString("Z")
		}
	}
	return b.String()
}

// graticule draws every second meridian and parallel, labelled at the
// frame's edge, so the reader can place the map on the globe.
func graticule(f frame) string {
	var b strings.Builder
	for lon := 124.0; lon <= 132; lon += 2 {
		x1, y1 := f.xy(orb.Point{lon, Region.Max[1]})
		x2, y2 := f.xy(orb.Point{lon, Region.Min[1]})
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#7d93a8" stroke-width="0.5" stroke-dasharray="2 3"/>`, num(x1), num(y1), num(x2), num(y2))
		if x1+36 < Width { // a label that fits; the last meridian goes without
			fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="10" fill="#33536e">%d°E</text>`, num(x1+3), num(y1+11), int(lon))
		}
	}
	for lat := 38.0; lat <= 43; lat += 2 {
		x1, y1 := f.xy(orb.Point{Region.Min[0], lat})
		x2, y2 := f.xy(orb.Point{Region.Max[0], lat})
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#7d93a8" stroke-width="0.5" stroke-dasharray="2 3"/>`, num(x1), num(y1), num(x2), num(y2))
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="10" fill="#33536e">%d°N</text>`, num(x1+3), num(y1-3), int(lat))
	}
	return b.String()
}

// scaleBar draws 100 km at the latitude of the country's middle: Mercator
// stretches distances by latitude, so the bar says where it holds.
func scaleBar(f frame) string {
	const lat = 40.0
	// The longitude span that is 100 km along the parallel, measured on
	// the sphere, then projected.
	a := orb.Point{125, lat}
	km := geo.Distance(a, orb.Point{126, lat}) / 1000
	x1, _ := f.xy(a)
	x2, _ := f.xy(orb.Point{125 + 100/km, lat})
	w := x2 - x1
	x, y := 14.0, f.height-16
	return fmt.Sprintf(`<g><rect x="%s" y="%s" width="%s" height="30" fill="#ffffff" fill-opacity="0.85" rx="3"/>`, num(x-6), num(y-20), num(w+64)) +
		fmt.Sprintf(`<rect x="%s" y="%s" width="%s" height="5" fill="#1f1f1f"/><rect x="%s" y="%s" width="%s" height="5" fill="#ffffff" stroke="#1f1f1f" stroke-width="0.8"/>`,
			num(x), num(y), num(w/2), num(x+w/2), num(y), num(w/2)) +
		fmt.Sprintf(`<text x="%s" y="%s" font-size="11" fill="#1f1f1f">0</text><text x="%s" y="%s" font-size="11" fill="#1f1f1f" text-anchor="middle">100 km</text><text x="%s" y="%s" font-size="9" fill="#444">at 40°N</text></g>`,
			num(x-3), num(y-5), num(x+w), num(y-5), num(x+w+8), num(y+6))
}

// northArrow draws an arrow pointing up with an N: north is up.
func northArrow(f frame) string {
	x, y := 26.0, 44.0
	return fmt.Sprintf(`<g><circle cx="%s" cy="%s" r="17" fill="#ffffff" fill-opacity="0.85"/><path d="M%s %sL%s %sL%s %sL%s %sZ" fill="#1f1f1f"/><text x="%s" y="%s" font-size="12" font-weight="bold" text-anchor="middle" fill="#1f1f1f">N</text></g>`,
		num(x), num(y+2), num(x), num(y-13), num(x+7), num(y+10), num(x), num(y+5), num(x-7), num(y+10), num(x), num(y+28)) // the N under the arrow's foot
}

// label writes a name beside a symbol at (x, y), on side n, s, e or w,
// off by gap, with a white halo so it reads over lines and land.
func label(x, y float64, side string, gap float64, text, weight string, size int) string {
	anchor := "start"
	switch side {
	case "n":
		y -= gap
		anchor = "middle"
	case "s":
		y += gap + float64(size)*0.7
		anchor = "middle"
	case "w":
		x -= gap
		y += float64(size) * 0.35
		anchor = "end"
	default:
		x += gap
		y += float64(size) * 0.35
	}
	// Keep the whole text inside the frame, by an estimate of its width.
	w := 0.6 * float64(size) * float64(len([]rune(text)))
	switch anchor {
	case "start":
		x = clamp(x, 2, Width-2-w)
	case "end":
		x = clamp(x, 2+w, Width-2)
	default:
		x = clamp(x, 2+w/2, Width-2-w/2)
	}
	y = clamp(y, float64(size), fr.height-2)
	t := esc(text)
	return fmt.Sprintf(`<text x="%s" y="%s" text-anchor="%s" font-size="%d" font-weight="%s" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" fill="#ffffff" aria-hidden="true">%s</text>`,
		num(x), num(y), anchor, size, weight, t) +
		fmt.Sprintf(`<text x="%s" y="%s" text-anchor="%s" font-size="%d" font-weight="%s" fill="#1f1f1f">%s</text>`, num(x), num(y), anchor, size, weight, t)
}

// esc makes s safe as XML text or attribute: invalid UTF-8 and the
// characters XML 1.0 forbids (controls, U+FFFE, U+FFFF) become U+FFFD,
// then markup is escaped.
func esc(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return html.EscapeString(s)
}

// stateLook is how a state is drawn: a colour and a shape, so that the
// state never rests on colour alone, and a word written beside it.
var stateLook = map[State]struct{ colour, word string }{
	Open:       {"#146c2e", "open"},
	Restricted: {"#8a4b00", "restricted"},
	Closed:     {"#b3261e", "closed"},
}

// symbol draws a crossing's state: a circle with a tick when open, a
// triangle with "!" when restricted, a square with a cross when closed.
func symbol(x, y float64, s State) string {
	c := stateLook[s].colour
	switch s {
	case Closed:
		return fmt.Sprintf(`<rect x="%s" y="%s" width="16" height="16" fill="%s" stroke="#ffffff" stroke-width="1.5"/><path d="M%s %sL%s %sM%s %sL%s %s" stroke="#ffffff" stroke-width="2.2"/>`,
			num(x-8), num(y-8), c, num(x-4), num(y-4), num(x+4), num(y+4), num(x+4), num(y-4), num(x-4), num(y+4))
	case Restricted:
		return fmt.Sprintf(`<path d="M%s %sL%s %sL%s %sZ" fill="%s" stroke="#ffffff" stroke-width="1.5"/><path d="M%s %sL%s %s" stroke="#ffffff" stroke-width="2.2"/><circle cx="%s" cy="%s" r="1.3" fill="#ffffff"/>`,
			num(x), num(y-10), num(x+10), num(y+8), num(x-10), num(y+8), c, num(x), num(y-4), num(x), num(y+2), num(x), num(y+5))
	default:
		return fmt.Sprintf(`<circle cx="%s" cy="%s" r="8.5" fill="%s" stroke="#ffffff" stroke-width="1.5"/><path d="M%s %sL%s %sL%s %s" fill="none" stroke="#ffffff" stroke-width="2.2"/>`,
			num(x), num(y), c, num(x-4), num(y), num(x-1), num(y+3.5), num(x+4.5), num(y-3.5))
	}
}

// Render writes the map as an SVG element that scales to its
// container's width, with a title and a description for screen readers.
// Output depends only on m: numbers are rounded, lists are in m's order.
func Render(w io.Writer, m Map) error {
	g, err := data()
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, svg(g, m))
	return err
}

// SVG is Render into a string.
func SVG(m Map) (string, error) {
	g, err := data()
	if err != nil {
		return "", err
	}
	return svg(g, m), nil
}

func svg(g gazetteer, m Map) string {
	bl := baseLayer(g)
	id := cleanID(m.ID)
	var b strings.Builder
	b.Grow(len(bl) + len(top) + 8192)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %s" width="100%%" role="img" aria-labelledby="%s-title %s-desc" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" class="outpost-map">`,
		Width, num(fr.height), id, id)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, esc(Title(m)), id, esc(Description(m)))
	fmt.Fprintf(&b, `<defs><marker id="%s-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerUnits="userSpaceOnUse" markerWidth="13" markerHeight="13" orient="auto-start-reverse"><path d="M0 0L10 5L0 10Z" fill="#0b3d91"/></marker></defs>`, id)
	b.WriteString(bl)
	b.WriteString(routes(g, m, id))
	for _, c := range m.Crossings {
		p, ok := g.byCode[c.Code]
		if !c.OnMap || !ok {
			continue
		}
		x, y := fr.xy(p.Point)
		fmt.Fprintf(&b, `<g class="crossing crossing-%s">`, c.State)
		b.WriteString(symbol(x, y, c.State))
		// The name, then the state in words under it.
		ny, sy := y, y+15
		if p.Label == "n" {
			ny, sy = y-15, y
		}
		b.WriteString(label(x, ny, p.Label, 13, p.Name, "bold", 13))
		b.WriteString(label(x, sy, p.Label, 13, stateLook[c.State].word, "normal", 12))
		b.WriteString(`</g>`)
	}
	b.WriteString(top)
	b.WriteString(`</svg>`)
	return b.String()
}

// routeKey groups departures that share a start and a crossing: one line
// on the map, the sum of their people.
type routeKey struct{ from, crossing string }

func routes(g gazetteer, m Map, id string) string {
	var order []routeKey
	sum := map[routeKey][2]int{}
	state := map[routeKey]State{}
	for _, r := range m.Routes {
		if !r.OnMap {
			continue
		}
		k := routeKey{r.From, r.Crossing}
		if _, ok := sum[k]; !ok {
			order = append(order, k)
		}
		s := sum[k]
		sum[k] = [2]int{s[0] + r.People, s[1] + r.Own}
		state[k] = r.State
	}
	byName := map[string]Place{}
	for _, p := range g.places {
		if p.Kind == "city" {
			byName[p.Name] = p
		}
	}
	seen := map[string]int{}
	var b strings.Builder
	for _, k := range order {
		from, to := byName[k.from], g.byCode[k.crossing]
		x1, y1 := fr.xy(from.Point)
		x2, y2 := fr.xy(to.Point)
		// A gentle bend, so that lines to the same crossing and the coast
		// stay apart; the control point stays inside the frame.
		mx, my := (x1+x2)/2, (y1+y2)/2
		dx, dy := x2-x1, y2-y1
		cx, cy := clamp(mx-dy*0.15, 0, Width), clamp(my+dx*0.15, 0, fr.height)
		// Stop short of the crossing's symbol.
		if l := math.Hypot(x2-cx, y2-cy); l > 14 {
			x2, y2 = x2-(x2-cx)*12/l, y2-(y2-cy)*12/l
		}
		n := sum[k]
		width := 2.5 + math.Min(5.5, math.Sqrt(float64(n[0]))/2)
		dash := ""
		if state[k] == Closed {
			dash = ` stroke-dasharray="6 4"`
		}
		fmt.Fprintf(&b, `<path d="M%s %sQ%s %s %s %s" fill="none" stroke="#ffffff" stroke-width="%s" stroke-linecap="round"/>`,
			num(x1), num(y1), num(cx), num(cy), num(x2), num(y2), num(width+3))
		fmt.Fprintf(&b, `<path d="M%s %sQ%s %s %s %s" fill="none" stroke="#0b3d91" stroke-width="%s" stroke-linecap="round"%s marker-end="url(#%s-arrow)"/>`,
			num(x1), num(y1), num(cx), num(cy), num(x2), num(y2), num(width), dash, id)
		// The count on the curve, at its middle for the first route to a
		// crossing and a little earlier for each other one, so that
		// counts of routes to one crossing do not cover each other.
		t := 0.5 - 0.14*float64(seen[k.crossing]%3)
		seen[k.crossing]++
		lx := (1-t)*(1-t)*x1 + 2*(1-t)*t*cx + t*t*x2
		ly := (1-t)*(1-t)*y1 + 2*(1-t)*t*cy + t*t*y2
		if math.Hypot(dx, dy) < 60 {
			// Too short to carry its count: write it beside, north-east.
			lx, ly = math.Max(x1, x2)+40, math.Min(y1, y2)-8
		}
		text := strconv.Itoa(n[0])
		if m.Mission != "" {
			mission := []rune(m.Mission)
			if len(mission) > 12 {
				mission = append(mission[:11], '…')
			}
			text += fmt.Sprintf(" (%s %d)", string(mission), n[1])
		}
		w := 8 + 7.2*float64(len([]rune(text)))
		lx, ly = clamp(lx, w/2, Width-w/2), clamp(ly, 10, fr.height-10)
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="20" rx="10" fill="#ffffff" stroke="#0b3d91" stroke-width="1.5"/><text x="%s" y="%s" text-anchor="middle" font-size="13" font-weight="bold" fill="#0b3d91">%s</text>`,
			num(lx-w/2), num(ly-10), num(w), num(lx), num(ly+4.5), esc(text))
	}
	return b.String()
}

// legend explains the symbols, in the open sea to the south-east.
func legend(f frame) string {
	x, y := float64(Width)-150, f.height-118
	var b strings.Builder
	fmt.Fprintf(&b, `<g><rect x="%s" y="%s" width="144" height="112" rx="4" fill="#ffffff" fill-opacity="0.92" stroke="#8c877b" stroke-width="0.8"/>`, num(x), num(y))
	fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="12" font-weight="bold" fill="#1f1f1f">Crossings</text>`, num(x+8), num(y+16))
	for i, s := range []State{Open, Restricted, Closed} {
		sy := y + 34 + float64(i)*20
		b.WriteString(symbol(x+18, sy, s))
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="12" fill="#1f1f1f">%s</text>`, num(x+34), num(sy+4), stateLook[s].word)
	}
	ly := y + 98
	fmt.Fprintf(&b, `<path d="M%s %sL%s %s" stroke="#0b3d91" stroke-width="4" stroke-linecap="round"/>`, num(x+8), num(ly), num(x+28), num(ly))
	fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="12" fill="#1f1f1f">route, people</text></g>`, num(x+34), num(ly+4))
	return b.String()
}

// Title is the map's title, its SVG <title>.
func Title(m Map) string {
	t := "Map of North Korea's border crossings on " + string(m.On)
	if m.Plan > 0 {
		t += fmt.Sprintf(", with the routes of plan %d", m.Plan)
	}
	return t
}

// Description says in words what the map shows, its SVG <desc>: every
// crossing's state and every route's count.
func Description(m Map) string {
	var parts []string
	for _, c := range m.Crossings {
		s := fmt.Sprintf("%s (%s) %s", c.Name, c.Code, c.State)
		if len(c.Because) > 0 {
			s += " by " + strings.Join(c.Because, ", ")
		}
		if !c.OnMap {
			s += ", not on the map"
		}
		parts = append(parts, s)
	}
	d := "Crossings: " + strings.Join(parts, "; ") + "."
	if m.Plan > 0 {
		if len(m.Routes) == 0 {
			d += fmt.Sprintf(" Plan %d puts nobody on a departure.", m.Plan)
		} else {
			var rs []string
			for _, r := range m.Routes {
				c := r.Crossing
				if c == "" {
					c = "no crossing"
				}
				rs = append(rs, fmt.Sprintf("%s from %s via %s, %d %s", r.Departure, r.From, c, r.People, outpost.Plural(r.People, "person", "people")))
			}
			d += fmt.Sprintf(" Routes of plan %d: %s.", m.Plan, strings.Join(rs, "; "))
		}
	}
	return d
}
