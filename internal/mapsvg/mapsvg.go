// Package mapsvg draws the evacuation map on the server: the country's
// outline with its neighbours' edges, the main cities, the border
// crossings with their state on a day (open, restricted, closed) and the
// routes of a plan's departures with the number of people on each, as an
// SVG that needs no tile server, no request to anywhere and no script —
// a sealed country will offer none of those.
//
// It is pure: Build turns restrictions and departures (which the
// evacuation service reads for the caller) into the map's facts, and
// Render draws them. The outlines (Natural Earth, public domain, cut to
// the region by ./gen, see data/README.md) and a small gazetteer of
// places and crossings are embedded in the binary. Geometry — projection,
// bounds, clipping, simplification, distances — is
// github.com/paulmach/orb's.
//
// A crossing's state on a day:
//   - closed: a border_closure is in force that names the crossing, or
//     names none (it closes every crossing), as internal/evac decides
//     for the planner;
//   - restricted: not closed, and a quarantine or movement restriction is
//     in force that names the crossing, or a quarantine that names none
//     (a country-wide quarantine holds whoever crosses); lockdown and
//     trade restrictions and country-wide movement rules say nothing
//     about a crossing;
//   - open: otherwise.
package mapsvg

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"github.com/outpost-org/outpost/internal/outpost"
)

// Region is the part of the world drawn, in degrees: North Korea with the
// edges of China, Russia (to Vladivostok) and South Korea (to Seoul).
var Region = orb.Bound{Min: orb.Point{123.5, 37.3}, Max: orb.Point{132.2, 43.4}}

//go:embed data/region.geojson
var regionJSON []byte

//go:embed data/places.csv
var placesCSV []byte

// RegionGeoJSON is the embedded outlines as stored, for a baseline.
func RegionGeoJSON() []byte { return regionJSON }

// State is a crossing's state on a day.
type State string

// The states of a crossing.
const (
	Open       State = "open"
	Restricted State = "restricted"
	Closed     State = "closed"
)

// Place is an entry of the gazetteer: a city or a border crossing.
type Place struct {
	Code    string
	Kind    string // "city" or "crossing"
	Name    string
	Country string
	Point   orb.Point // longitude, latitude
	// Label is the side of the symbol its name is written on: n, s, e, w.
	Label   string
	Aliases []string
}

// Departure is one departure of a plan as the map shows it.
type Departure struct {
	ID       string
	Route    string
	Crossing string
	Departs  time.Time
	// People counts everyone the plan puts on it; Own those of the
	// reader's mission (see Input.Mission).
	People int
	Own    int
}

// Input is what a map shows.
type Input struct {
	// On is the day the crossings' states are for.
	On outpost.Date
	// Plan is the plan whose departures are drawn, 0 for none.
	Plan         int64
	Restrictions []outpost.Restriction
	Departures   []Departure
	// Crossings are more crossing codes to list (every departure's
	// crossing, known or not), besides the gazetteer's.
	Crossings []string
	// Mission, when set, is the reader's mission: routes show how many
	// of its people travel on them too.
	Mission string
	// ID prefixes the ids inside the SVG, so that two maps can share a
	// page ("map" when empty; letters, digits and "-" only).
	ID string
}

// CrossingFact is a crossing's line in the map's table.
type CrossingFact struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	State State  `json:"state"`
	// Because lists the restrictions that make the state, by id.
	Because []string `json:"because,omitempty"`
	// OnMap is false for a code the gazetteer does not know: it is listed
	// under the map, not drawn.
	OnMap bool `json:"on_map"`
}

// RouteFact is a departure's line in the map's table.
type RouteFact struct {
	Departure string `json:"departure"`
	// From is the city it starts from, as the gazetteer names it.
	From     string `json:"from"`
	Crossing string `json:"crossing,omitempty"`
	// State is the state of its crossing on the map's day.
	State   State     `json:"state,omitempty"`
	Departs time.Time `json:"departs"`
	People  int       `json:"people"`
	Own     int       `json:"own,omitempty"`
	// OnMap is false when the departure has no crossing or one the
	// gazetteer does not know.
	OnMap bool `json:"on_map"`
}

// Map is the map's facts: what the SVG draws and the table beside it
// says.
type Map struct {
	On        outpost.Date   `json:"on"`
	Plan      int64          `json:"plan,omitempty"`
	Mission   string         `json:"mission,omitempty"`
	ID        string         `json:"-"`
	Crossings []CrossingFact `json:"crossings"`
	Routes    []RouteFact    `json:"routes"`
	// People counts everyone on the routes; Own the reader's mission's.
	People int `json:"people"`
	Own    int `json:"own,omitempty"`
}

// NotOnMap lists the crossings the map cannot draw.
func (m Map) NotOnMap() []CrossingFact {
	var out []CrossingFact
	for _, c := range m.Crossings {
		if !c.OnMap {
			out = append(out, c)
		}
	}
	return out
}

type gazetteer struct {
	places []Place
	byCode map[string]Place
	land   []country
}

type country struct {
	code string
	mp   orb.MultiPolygon
}

var (
	loadOnce sync.Once
	loaded   gazetteer
	loadErr  error
)

// data returns the embedded gazetteer and outlines, read once.
func data() (gazetteer, error) {
	loadOnce.Do(func() { loaded, loadErr = parseData(placesCSV, regionJSON) })
	return loaded, loadErr
}

func parseData(places, region []byte) (gazetteer, error) {
	g := gazetteer{byCode: map[string]Place{}}
	rows, err := csv.NewReader(bytes.NewReader(places)).ReadAll()
	if err != nil {
		return g, fmt.Errorf("read places: %w", err)
	}
	for i, r := range rows[1:] {
		if len(r) != 8 {
			return g, fmt.Errorf("places.csv:%d: want 8 columns (got %d)", i+2, len(r))
		}
		lat, err1 := strconv.ParseFloat(r[4], 64)
		lon, err2 := strconv.ParseFloat(r[5], 64)
		if err1 != nil || err2 != nil || !Region.Contains(orb.Point{lon, lat}) {
			return g, fmt.Errorf("places.csv:%d: lat, lon: not a point of the region (got %q, %q)", i+2, r[4], r[5])
		}
		p := Place{Code: r[0], Kind: r[1], Name: r[2], Country: r[3], Point: orb.Point{lon, lat}, Label: r[6], Aliases: strings.Fields(r[7])}
		g.places = append(g.places, p)
		g.byCode[p.Code] = p
	}
	var fc FeatureCollection
	if err := json.Unmarshal(region, &fc); err != nil {
		return g, fmt.Errorf("read outlines: %w", err)
	}
	for _, f := range fc.Features {
		if f.Geometry.Type != "MultiPolygon" {
			return g, fmt.Errorf("read outlines: %s is a %s, want a MultiPolygon", f.Properties.Code, f.Geometry.Type)
		}
		g.land = append(g.land, country{code: f.Properties.Code, mp: f.MultiPolygon()})
	}
	return g, nil
}

// Places is the embedded gazetteer, cities then crossings, as stored.
func Places() ([]Place, error) {
	g, err := data()
	return slices.Clone(g.places), err
}

// Build works out the map's facts: every crossing's state on in.On and
// the route of each departure with people on it, by departure time.
func Build(in Input) (Map, error) {
	g, err := data()
	if err != nil {
		return Map{}, err
	}
	m := Map{On: in.On, Plan: in.Plan, Mission: in.Mission, ID: cleanID(in.ID)}
	codes := map[string]bool{}
	for _, p := range g.places {
		if p.Kind == "crossing" {
			codes[p.Code] = true
		}
	}
	for _, c := range in.Crossings {
		if c != "" {
			codes[c] = true
		}
	}
	for _, d := range in.Departures {
		if d.Crossing != "" {
			codes[d.Crossing] = true
		}
	}
	for _, r := range in.Restrictions {
		if r.Crossing != "" {
			codes[r.Crossing] = true
		}
	}
	for _, code := range slices.Sorted(mapsKeys(codes)) {
		st, because := StateOf(code, in.On, in.Restrictions)
		p, ok := g.byCode[code]
		name := code
		if ok && p.Kind == "crossing" {
			name = p.Name
		}
		m.Crossings = append(m.Crossings, CrossingFact{Code: code, Name: name, State: st, Because: because, OnMap: ok && p.Kind == "crossing"})
	}
	state := map[string]CrossingFact{}
	for _, c := range m.Crossings {
		state[c.Code] = c
	}
	for _, d := range in.Departures {
		if d.People <= 0 {
			continue
		}
		from := g.origin(d.Route)
		c := state[d.Crossing]
		m.Routes = append(m.Routes, RouteFact{Departure: d.ID, From: from.Name, Crossing: d.Crossing, State: c.State,
			Departs: d.Departs, People: d.People, Own: d.Own, OnMap: c.OnMap})
		m.People += d.People
		m.Own += d.Own
	}
	slices.SortStableFunc(m.Routes, func(a, b RouteFact) int {
		if c := a.Departs.Compare(b.Departs); c != 0 {
			return c
		}
		return strings.Compare(a.Departure, b.Departure)
	})
	return m, nil
}

// StateOf is a crossing's state on day, with the ids of the restrictions
// that make it so (see the package comment).
func StateOf(crossing string, day outpost.Date, rs []outpost.Restriction) (State, []string) {
	var closed, restricted []string
	for _, r := range rs {
		if !r.InForce(day) {
			continue
		}
		here := r.Crossing == crossing
		everywhere := r.Crossing == ""
		switch {
		case r.Kind == "border_closure" && (here || everywhere):
			closed = append(closed, r.ID)
		case r.Kind == "quarantine" && (here || everywhere), r.Kind == "movement" && here:
			restricted = append(restricted, r.ID)
		}
	}
	slices.Sort(closed)
	slices.Sort(restricted)
	switch {
	case len(closed) > 0:
		return Closed, closed
	case len(restricted) > 0:
		return Restricted, restricted
	}
	return Open, nil
}

// origin is the city a route starts from: the first city of the
// gazetteer named in the route's first leg; the capital, where the
// missions are, when it names none.
func (g gazetteer) origin(route string) Place {
	first := strings.ToLower(route)
	for _, sep := range []string{" - ", " – ", "→", ","} {
		if i := strings.Index(first, sep); i >= 0 {
			first = first[:i]
		}
	}
	best, at := Place{}, -1
	for _, p := range g.places {
		if p.Kind != "city" || p.Country != "KP" {
			continue
		}
		for _, a := range p.Aliases {
			if i := strings.Index(first, a); i >= 0 && (at < 0 || i < at) {
				best, at = p, i
			}
		}
	}
	if at < 0 {
		return g.byCode["PYONGYANG"]
	}
	return best
}

func mapsKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// cleanID keeps the letters, digits and "-" of id, "map" when none.
func cleanID(id string) string {
	var b strings.Builder
	for _, r := range id {
		if r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
		if b.Len() >= 32 {
			break
		}
	}
	if b.Len() == 0 {
		return "map"
	}
	return b.String()
}
