package report

import (
	"fmt"
	"strings"

	"github.com/outpost-org/outpost/internal/mapsvg"
)

// mapSection is the evacuation map with the same facts as tables: the
// crossings' states and the plan's routes, so that the Markdown report
// (which has no picture) and a reader who cannot see it miss nothing.
func mapSection(m *mapsvg.Map) section {
	s := section{ID: "map", Title: "Map of the crossings"}
	s.Blocks = append(s.Blocks, block{Kind: bMap})
	t := newTable(col("Crossing", 0.42), col("State", 0.2), col("Because of", 0.38))
	for _, c := range m.Crossings {
		name := c.Name
		if name != c.Code {
			name += " (" + c.Code + ")"
		}
		if !c.OnMap {
			name += ", not on the map"
		}
		t.row(txt(name), txt(string(c.State)), txt(strings.Join(c.Because, ", ")))
	}
	s.table(t)
	if m.Plan == 0 {
		s.note("No plan had begun by this day: no route is drawn.")
		return s
	}
	if len(m.Routes) == 0 {
		s.note(fmt.Sprintf("Plan %d puts nobody on a departure.", m.Plan))
		return s
	}
	s.heading(fmt.Sprintf("Routes of plan %d", m.Plan))
	var rt *table
	if m.Mission != "" {
		rt = newTable(col("Departure", 0.24), col("From → crossing", 0.46), ncol("People", 0.15), ncol("Of "+m.Mission, 0.15))
	} else {
		rt = newTable(col("Departure", 0.28), col("From → crossing", 0.54), ncol("People", 0.18))
	}
	for _, r := range m.Routes {
		via := r.Crossing
		if via == "" {
			via = "no crossing"
		} else {
			via += " (" + string(r.State) + ")"
		}
		if !r.OnMap {
			via += ", not on the map"
		}
		cells := []cell{txt(r.Departure), txt(r.From + " → " + via), num(r.People)}
		if m.Mission != "" {
			cells = append(cells, num(r.Own))
		}
		rt.row(cells...)
	}
	s.table(rt)
	return s
}
