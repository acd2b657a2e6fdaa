package web_test

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/testkit"
)

// TestTheMapOnEvacuationPages: the overview, a plan's page and the
// situation report show the map with its table, to each role the counts
// the plan's page shows it, on both engines.
func TestTheMapOnEvacuationPages(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			s := newSiteOn(t, open(t))
			plan := fmt.Sprintf("/evac/plans/%d", s.plan)
			// The site: SINUIJU closed by R-1 since March, TRAIN-1 over
			// TUMEN (a code the map does not know) with all 5 people, 3
			// of them of RU.
			closedSinuiju := `Sinuiju – Dandong<br><span class="muted small">SINUIJU</span></th>
            <td><span class="map-state map-state-closed"><span aria-hidden="true">■</span> closed</span></td>
            <td><span class="nowrap">R-1</span></td>`
			cases := []pageCase{
				{"manager", "/evac", 200, []string{`role="img"`, "<title id=\"evac-map-title\">", closedSinuiju, "Not on the map", "TUMEN — ",
					"Routes of plan 1", `<th scope="col" class="num">Of RU</th>`, `<td class="num">5</td><td class="num">3</td>`}, nil},
				{"coordinator", "/evac", 200, []string{closedSinuiju, "Routes of plan 1", `<td class="num">5</td></tr>`}, []string{"Of RU"}},
				{"press", "/evac", 200, []string{closedSinuiju}, nil},
				{"manager", "/evac?map_on=2021-02-01", 200, []string{"Crossings on 2021-02-01", "no plan drawn", "map-state-open"}, []string{"map-state-closed", "Routes of plan"}},
				{"manager", "/evac?map_on=2021-04-01&map_plan=none", 200, []string{"no plan drawn", closedSinuiju}, []string{"Routes of plan"}},
				{"manager", "/evac?map_on=1+April", 400, []string{"map_on"}, nil},
				{"manager", "/evac?map_on=9999-12-31", 400, []string{"map_on", "out of range"}, nil},
				{"manager", "/evac?map_plan=x", 400, []string{"map_plan"}, nil},
				{"manager", "/evac?map_plan=99999999999999999999", 400, []string{"map_plan"}, nil},
				{"manager", "/evac?map_plan=9", 404, nil, nil},
				{"manager", plan, 200, []string{"<title id=\"plan-map-title\">", "Crossings on 2021-04-01", "Routes of plan 1", `<td class="num">5</td><td class="num">3</td>`}, nil},
				{"admin", plan, 200, []string{"Routes of plan 1", `<td class="num">5</td></tr>`}, []string{"Of RU"}},
				{"manager", plan + "?map_on=2021-02-01", 200, []string{"Crossings on 2021-02-01", "Routes of plan 1"}, []string{"map-state-closed"}},
				{"manager", "/sitrep?date=2021-04-01", 200, []string{`<h2 id="sr-map-title">Map of the crossings</h2>`,
					`alt="Map of North Korea&#39;s border crossings on 2021-04-01, with the routes of plan 1. Crossings: `,
					"<td>Sinuiju – Dandong (SINUIJU)</td><td>closed</td><td>R-1</td>", "Routes of plan 1"}, []string{"<svg"}},
			}
			s.checkPages(t, cases)
			for _, who := range []string{"manager", "coordinator", "admin"} {
				for _, target := range []string{"/evac", plan} {
					body := s.open(target, who).body
					i, j := strings.Index(body, "<svg "), strings.Index(body, "</svg>")
					if i < 0 || j < i {
						t.Errorf("%s %s: no SVG", who, target)
						continue
					}
					if err := wellFormedXML(body[i : j+len("</svg>")]); err != nil {
						t.Errorf("%s %s: %v", who, target, err)
					}
				}
			}
		})
	}
}

func wellFormedXML(s string) error {
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
