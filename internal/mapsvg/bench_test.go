package mapsvg

import (
	"io"
	"testing"
)

// BenchmarkRender builds and draws the fixture's map, as a page does on
// every request.
func BenchmarkRender(b *testing.B) {
	in := fixture()
	b.ReportAllocs()
	for b.Loop() {
		m, err := Build(in)
		if err != nil {
			b.Fatal(err)
		}
		if err := Render(io.Discard, m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaselineEmbeddedSVG writes an SVG of the same size that is
// already drawn (the embedded outlines' bytes): the floor a cached map
// would cost.
func BenchmarkBaselineEmbeddedSVG(b *testing.B) {
	m, _ := Build(fixture())
	s, _ := SVG(m)
	buf := []byte(s)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := io.Discard.Write(append([]byte(nil), buf...)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFirstMap is what the first map after a start costs once:
// reading the embedded outlines and gazetteer and drawing the base layer
// that every later map reuses.
func BenchmarkFirstMap(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		g, err := parseData(placesCSV, regionJSON)
		if err != nil {
			b.Fatal(err)
		}
		_ = drawBase(g)
	}
}
