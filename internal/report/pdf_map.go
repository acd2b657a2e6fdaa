package report

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/outpost-org/outpost/internal/mapsvg"
)

// drawMap draws the evacuation map on the page with fpdf's paths, from
// the SVG mapsvg writes: the same drawing in every format. It reads the
// small part of SVG that mapsvg uses (rect, circle, line, path with M, L,
// Q and Z, text, the route's arrowhead marker) and nothing else.
func (p *pdfWriter) drawMap() error {
	svg, err := mapsvg.SVG(*p.in.Map)
	if err != nil {
		return err
	}
	f := p.f
	scale := pdfWidth / float64(mapsvg.Width)
	var vbH float64
	d := xml.NewDecoder(strings.NewReader(svg))
	var x0, y0 float64
	skip := 0 // depth inside <defs>
	var text *xml.StartElement
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("map pdf: %w", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			a := attrs(e)
			switch {
			case skip > 0 || e.Name.Local == "defs":
				skip++
				continue
			case e.Name.Local == "svg":
				fields := strings.Fields(a["viewBox"])
				if len(fields) != 4 {
					return fmt.Errorf("map pdf: viewBox %q", a["viewBox"])
				}
				vbH, _ = strconv.ParseFloat(fields[3], 64)
				h := vbH * scale
				p.room(h + 9)
				// No clipping path: mapsvg keeps every coordinate inside
				// its viewBox (a property its tests check), and fpdf's
				// clip would restore colours behind its back.
				x0, y0 = pdfMargin, f.GetY()+1
			case e.Name.Local == "text":
				t := e.Copy()
				text = &t
			default:
				p.mapShape(e.Name.Local, a, x0, y0, scale)
			}
		case xml.CharData:
			if text != nil && skip == 0 {
				p.mapText(attrs(*text), strings.TrimSpace(string(e)), x0, y0, scale)
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
			}
			if e.Name.Local == "text" {
				text = nil
			}
		}
	}
	f.SetAlpha(1, "Normal")
	f.SetDashPattern(nil, 0)
	f.SetTextRenderingMode(0)
	h := vbH * scale
	f.SetDrawColor(rgb(gridColor))
	f.SetLineWidth(0.2)
	f.Rect(x0, y0, pdfWidth, h, "D")
	f.SetY(y0 + h + 1)
	p.font("I", 8.5, mutedColor)
	f.CellFormat(pdfWidth, 4.5, mapsvg.Title(*p.in.Map)+". Outlines: Natural Earth (public domain).", "", 1, "L", false, 0, "")
	f.Ln(2)
	return nil
}

func attrs(e xml.StartElement) map[string]string {
	a := make(map[string]string, len(e.Attr))
	for _, x := range e.Attr {
		a[x.Name.Local] = x.Value
	}
	return a
}

func fnum(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

// hexColour reads "#rrggbb"; false for "none" or anything else.
func hexColour(s string) (r, g, b int, ok bool) {
	if len(s) != 7 || s[0] != '#' {
		return 0, 0, 0, false
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return 0, 0, 0, false
	}
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff), true
}

// paint sets the fill and stroke of an element and returns fpdf's style
// for them ("" when it draws nothing).
func (p *pdfWriter) paint(a map[string]string, scale float64, evenOdd bool) string {
	f := p.f
	style := ""
	if r, g, b, ok := hexColour(a["fill"]); ok {
		f.SetFillColor(r, g, b)
		style += "F"
	} else if _, set := a["fill"]; !set && a["stroke"] == "" {
		f.SetFillColor(0, 0, 0) // SVG's default fill
		style += "F"
	}
	if r, g, b, ok := hexColour(a["stroke"]); ok {
		f.SetDrawColor(r, g, b)
		w := 1.0
		if s, set := a["stroke-width"]; set {
			w = fnum(s)
		}
		f.SetLineWidth(w * scale)
		style = "D" + style
	}
	if dash := strings.Fields(a["stroke-dasharray"]); len(dash) > 0 {
		var v []float64
		for _, s := range dash {
			v = append(v, fnum(s)*scale)
		}
		f.SetDashPattern(v, 0)
	} else {
		f.SetDashPattern(nil, 0)
	}
	alpha := 1.0
	if s, set := a["fill-opacity"]; set {
		alpha = fnum(s)
	}
	f.SetAlpha(alpha, "Normal")
	if evenOdd && strings.Contains(style, "F") {
		style += "*"
	}
	return style
}

func (p *pdfWriter) mapShape(name string, a map[string]string, x0, y0, scale float64) {
	f := p.f
	X := func(v float64) float64 { return x0 + v*scale }
	Y := func(v float64) float64 { return y0 + v*scale }
	switch name {
	case "rect":
		if style := p.paint(a, scale, false); style != "" {
			x, y, w, h := X(fnum(a["x"])), Y(fnum(a["y"])), fnum(a["width"])*scale, fnum(a["height"])*scale
			if rx := fnum(a["rx"]) * scale; rx > 0 {
				f.RoundedRect(x, y, w, h, math.Min(rx, math.Min(w, h)/2), "1234", style)
			} else {
				f.Rect(x, y, w, h, style)
			}
		}
	case "circle":
		if style := p.paint(a, scale, false); style != "" {
			f.Circle(X(fnum(a["cx"])), Y(fnum(a["cy"])), fnum(a["r"])*scale, style)
		}
	case "line":
		if style := p.paint(a, scale, false); strings.Contains(style, "D") {
			f.Line(X(fnum(a["x1"])), Y(fnum(a["y1"])), X(fnum(a["x2"])), Y(fnum(a["y2"])))
		}
	case "path":
		style := p.paint(a, scale, a["fill-rule"] == "evenodd")
		if style == "" {
			return
		}
		// Only fill a closed outline: an open route is stroked alone.
		if !strings.Contains(a["d"], "Z") {
			style = strings.ReplaceAll(strings.ReplaceAll(style, "F", ""), "*", "")
		}
		var last, prev [2]float64
		tokens := pathTokens(a["d"])
		for i := 0; i < len(tokens); {
			cmd := tokens[i]
			i++
			arg := func() float64 {
				if i >= len(tokens) {
					return 0
				}
				v := fnum(tokens[i])
				i++
				return v
			}
			switch cmd {
			case "M":
				x, y := arg(), arg()
				f.MoveTo(X(x), Y(y))
				prev, last = [2]float64{x, y}, [2]float64{x, y}
			case "L":
				x, y := arg(), arg()
				f.LineTo(X(x), Y(y))
				prev, last = last, [2]float64{x, y}
			case "Q":
				cx, cy, x, y := arg(), arg(), arg(), arg()
				f.CurveTo(X(cx), Y(cy), X(x), Y(y))
				prev, last = [2]float64{cx, cy}, [2]float64{x, y}
			case "Z":
				f.ClosePath()
			}
		}
		f.DrawPath(style)
		if strings.HasPrefix(a["marker-end"], "url(") {
			p.arrowHead(prev, last, X, Y)
		}
	}
}

// arrowHead draws the route's arrow at its end, pointing from prev.
func (p *pdfWriter) arrowHead(prev, end [2]float64, X, Y func(float64) float64) {
	dx, dy := end[0]-prev[0], end[1]-prev[1]
	l := math.Hypot(dx, dy)
	if l == 0 {
		return
	}
	ux, uy := dx/l, dy/l
	const size = 9.0
	tip := [2]float64{end[0] + ux*size*0.3, end[1] + uy*size*0.3}
	base := [2]float64{tip[0] - ux*size, tip[1] - uy*size}
	f := p.f
	f.SetAlpha(1, "Normal")
	f.SetDashPattern(nil, 0)
	f.SetFillColor(0x0b, 0x3d, 0x91)
	f.MoveTo(X(tip[0]), Y(tip[1]))
	f.LineTo(X(base[0]-uy*size/2), Y(base[1]+ux*size/2))
	f.LineTo(X(base[0]+uy*size/2), Y(base[1]-ux*size/2))
	f.ClosePath()
	f.DrawPath("F")
}

// pathTokens splits a path's data into commands and numbers.
func pathTokens(d string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range d {
		switch {
		case r == 'M' || r == 'L' || r == 'Q' || r == 'Z':
			flush()
			out = append(out, string(r))
		case r == ' ' || r == ',':
			flush()
		case r == '-' && b.Len() > 0:
			flush()
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	flush()
	return out
}

func (p *pdfWriter) mapText(a map[string]string, s string, x0, y0, scale float64) {
	if s == "" {
		return
	}
	f := p.f
	style := ""
	if a["font-weight"] == "bold" {
		style = "B"
	} else if a["font-style"] == "italic" {
		style = "I"
	}
	size := fnum(a["font-size"])
	if size == 0 {
		size = 12
	}
	f.SetFont("sans", style, size*scale*72/25.4)
	r, g, b, ok := hexColour(a["fill"])
	if !ok {
		r, g, b = 0, 0, 0
	}
	f.SetTextColor(r, g, b)
	f.SetAlpha(1, "Normal")
	mode := 0
	if sr, sg, sb, ok := hexColour(a["stroke"]); ok {
		// A halo: the text drawn thick in the stroke's colour behind
		// the text itself.
		f.SetDrawColor(sr, sg, sb)
		f.SetLineWidth(fnum(a["stroke-width"]) * scale)
		mode = 2
	}
	f.SetTextRenderingMode(mode)
	x := x0 + fnum(a["x"])*scale
	w := f.GetStringWidth(s)
	switch a["text-anchor"] {
	case "middle":
		x -= w / 2
	case "end":
		x -= w
	}
	f.Text(x, y0+fnum(a["y"])*scale, s)
	f.SetTextRenderingMode(0)
}
