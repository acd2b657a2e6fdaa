// Command gen cuts the map's outlines down to the region Outpost draws:
// it reads the Natural Earth countries of the world-atlas npm package
// (TopoJSON), keeps North Korea and its neighbours, clips them to the
// region, simplifies and rounds them with github.com/paulmach/orb, and
// writes a small GeoJSON file that internal/mapsvg embeds. See
// internal/mapsvg/data/README.md for the command that runs it.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/simplify"

	"github.com/outpost-org/outpost/internal/mapsvg"
)

// topology is the part of a TopoJSON file the generator reads.
type topology struct {
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]float64 `json:"arcs"`
	Objects struct {
		Countries struct {
			Geometries []struct {
				Type       string            `json:"type"`
				ID         string            `json:"id"`
				Properties map[string]string `json:"properties"`
				Arcs       json.RawMessage   `json:"arcs"`
			} `json:"geometries"`
		} `json:"countries"`
	} `json:"objects"`
}

// keep maps the ISO 3166 numeric ids of the countries drawn to their
// alpha-2 codes.
var keep = map[string]string{"408": "KP", "410": "KR", "156": "CN", "643": "RU"}

func main() {
	in := flag.String("in", "countries-10m.json", "world-atlas countries TopoJSON")
	out := flag.String("out", "internal/mapsvg/data/region.geojson", "GeoJSON to write")
	tolerance := flag.Float64("tolerance", 0.008, "Douglas-Peucker tolerance in degrees")
	flag.Parse()
	if err := run(*in, *out, *tolerance); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(in, out string, tolerance float64) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return fmt.Errorf("read topology: %w", err)
	}
	var t topology
	if err := json.Unmarshal(raw, &t); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	arcs := decodeArcs(t)
	// Clip a little outside the drawn region so that no outline ends on
	// the frame's edge inside the picture.
	b := mapsvg.Region
	b = orb.Bound{Min: orb.Point{b.Min[0] - 0.2, b.Min[1] - 0.2}, Max: orb.Point{b.Max[0] + 0.2, b.Max[1] + 0.2}}
	fc := mapsvg.FeatureCollection{Type: "FeatureCollection"}
	for _, g := range t.Objects.Countries.Geometries {
		code, ok := keep[g.ID]
		if !ok {
			continue
		}
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return fmt.Errorf("%s: arcs of %s: %w", in, g.ID, err)
			}
			polys = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return fmt.Errorf("%s: arcs of %s: %w", in, g.ID, err)
			}
		default:
			return fmt.Errorf("%s: country %s is a %s, want a polygon", in, g.ID, g.Type)
		}
		var mp orb.MultiPolygon
		for _, p := range polys {
			var poly orb.Polygon
			for _, ring := range p {
				poly = append(poly, ringOf(arcs, ring))
			}
			mp = append(mp, poly)
		}
		mp = clip.MultiPolygon(b, mp)
		mp = simplify.DouglasPeucker(tolerance).MultiPolygon(mp)
		var kept orb.MultiPolygon
		for _, p := range mp {
			if len(p) > 0 && len(p[0]) >= 4 {
				kept = append(kept, p)
			}
		}
		if len(kept) == 0 {
			continue
		}
		orb.Round(kept, 1000)
		fc.Features = append(fc.Features, mapsvg.NewFeature(code, g.Properties["name"], kept))
	}
	// Features in a fixed order, the country itself last so it is drawn
	// on top of its neighbours' edges.
	order := map[string]int{"CN": 0, "RU": 1, "KR": 2, "KP": 3}
	slices.SortStableFunc(fc.Features, func(a, b mapsvg.Feature) int { return order[a.Properties.Code] - order[b.Properties.Code] })
	data, err := json.Marshal(fc)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	if err := os.WriteFile(out, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	fmt.Printf("%s: %d countries, %d bytes\n", out, len(fc.Features), len(data)+1)
	return nil
}

// decodeArcs turns the quantized, delta-encoded arcs into longitudes and
// latitudes.
func decodeArcs(t topology) [][]orb.Point {
	out := make([][]orb.Point, len(t.Arcs))
	for i, a := range t.Arcs {
		x, y := 0.0, 0.0
		pts := make([]orb.Point, len(a))
		for j, d := range a {
			x += d[0]
			y += d[1]
			pts[j] = orb.Point{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
		}
		out[i] = pts
	}
	return out
}

// ringOf joins a ring's arcs; a negative index ~i is arc i reversed, and
// each arc after the first starts where the previous one ended.
func ringOf(arcs [][]orb.Point, idx []int) orb.Ring {
	var r orb.Ring
	for k, i := range idx {
		var pts []orb.Point
		if i >= 0 {
			pts = arcs[i]
		} else {
			a := arcs[^i]
			pts = make([]orb.Point, len(a))
			for j := range a {
				pts[j] = a[len(a)-1-j]
			}
		}
		if k > 0 && len(pts) > 0 {
			pts = pts[1:]
		}
		r = append(r, pts...)
	}
	return r
}
