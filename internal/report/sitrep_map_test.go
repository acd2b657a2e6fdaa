package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/mapsvg"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/testkit"
)

// mapInput is the corps report with a map: Sinuiju closed, the Tumen
// bridge under quarantine, a plan with a train to Khasan, and a crossing
// the map does not know.
func mapInput(t testing.TB) Input {
	m, err := mapsvg.Build(mapsvg.Input{On: "2021-04-01", Plan: 2, ID: "sitrep-map",
		Restrictions: []outpost.Restriction{
			{ID: "R-12", Kind: "border_closure", Crossing: "SINUIJU", Starts: "2021-03-20"},
			{ID: "R-13", Kind: "quarantine", Starts: "2020-02-13", Days: 30},
		},
		Crossings: []string{"NAMPO-PORT"},
		Departures: []mapsvg.Departure{{ID: "TRAIN-20210405", Route: "Pyongyang - Tumangang - Khasan", Crossing: "TUMEN-BRIDGE",
			Departs: sampleInput().AsOf.AddDate(0, 0, 4), People: 40}},
	})
	if err != nil {
		t.Fatal(err)
	}
	in := sampleInput()
	in.Map = &m
	return in
}

func TestSitrepMapInEveryFormat(t *testing.T) {
	in := mapInput(t)
	var md bytes.Buffer
	if err := Markdown(&md, in); err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "map.md", md.String())
	for _, want := range []string{"## Map of the crossings", "| Sinuiju – Dandong (SINUIJU) | closed | R-12 |",
		"| Tumangang – Khasan (TUMEN-BRIDGE) | restricted | R-13 |", "| NAMPO-PORT, not on the map | restricted | R-13 |",
		"| TRAIN-20210405 | Pyongyang → TUMEN-BRIDGE (restricted) | 40 |"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	var html bytes.Buffer
	if err := HTML(&html, in); err != nil {
		t.Fatal(err)
	}
	h := html.String()
	i, j := strings.Index(h, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 500`), strings.LastIndex(h, "</svg>")
	if i < 0 || j < i {
		t.Fatalf("the HTML report has no map")
	}
	d := xml.NewDecoder(strings.NewReader(h[i : j+len("</svg>")]))
	for {
		if _, err := d.Token(); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("the HTML report's SVG: %v", err)
		}
	}
	article, err := HTMLArticle(in)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(article), "<svg") || !strings.Contains(string(article), `alt="Map of North Korea&#39;s border crossings on 2021-04-01, with the routes of plan 2.`) {
		t.Errorf("the article (for the strict page) wants the map as an image with its description as alt")
	}
	var pdf bytes.Buffer
	if err := PDF(&pdf, in); err != nil {
		t.Fatal(err)
	}
	if path := os.Getenv("OUTPOST_MAP_PDF"); path != "" {
		_ = os.WriteFile(path, pdf.Bytes(), 0o644) // to look at it
	}
	text := strings.Join(strings.Fields(pdfText(t, pdf.Bytes())), " ")
	for _, want := range []string{"Map of the crossings", "Tumangang – Khasan", "Sea of Japan (East Sea)", "100 km", "restricted",
		"Map of North Korea's border crossings on 2021-04-01, with the routes of plan 2", "Routes of plan 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
}

// TestReportsWithoutAMapHaveNoMapSection: a report gathered without the
// map (the map source is off) says nothing of one.
func TestReportsWithoutAMapHaveNoMapSection(t *testing.T) {
	var md bytes.Buffer
	if err := Markdown(&md, sampleInput()); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(md.String(), "Map of the crossings") {
		t.Errorf("a report without a map has a map section")
	}
}
