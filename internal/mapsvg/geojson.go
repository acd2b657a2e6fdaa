package mapsvg

import "github.com/paulmach/orb"

// FeatureCollection is the GeoJSON (RFC 7946) the outlines are stored
// in: one Feature per country, each a MultiPolygon. It is read with
// encoding/json rather than orb/geojson, which would bring a BSON
// library into the binary for nothing.
type FeatureCollection struct {
	Type     string    `json:"type"`
	Features []Feature `json:"features"`
}

// Feature is one country's outline.
type Feature struct {
	Type       string     `json:"type"`
	Properties Properties `json:"properties"`
	Geometry   Geometry   `json:"geometry"`
}

// Properties name a country: Code its ISO 3166 alpha-2 code.
type Properties struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Geometry is a MultiPolygon: polygons of rings of [longitude, latitude].
type Geometry struct {
	Type        string           `json:"type"`
	Coordinates [][][][2]float64 `json:"coordinates"`
}

// NewFeature is the feature of a country's outline.
func NewFeature(code, name string, mp orb.MultiPolygon) Feature {
	f := Feature{Type: "Feature", Properties: Properties{Code: code, Name: name}, Geometry: Geometry{Type: "MultiPolygon"}}
	for _, p := range mp {
		var poly [][][2]float64
		for _, r := range p {
			ring := make([][2]float64, len(r))
			for i, pt := range r {
				ring[i] = [2]float64{pt[0], pt[1]}
			}
			poly = append(poly, ring)
		}
		f.Geometry.Coordinates = append(f.Geometry.Coordinates, poly)
	}
	return f
}

// MultiPolygon is the feature's outline as orb geometry.
func (f Feature) MultiPolygon() orb.MultiPolygon {
	mp := make(orb.MultiPolygon, 0, len(f.Geometry.Coordinates))
	for _, p := range f.Geometry.Coordinates {
		poly := make(orb.Polygon, 0, len(p))
		for _, r := range p {
			ring := make(orb.Ring, len(r))
			for i, pt := range r {
				ring[i] = orb.Point{pt[0], pt[1]}
			}
			poly = append(poly, ring)
		}
		mp = append(mp, poly)
	}
	return mp
}
