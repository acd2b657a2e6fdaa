package mapsvg

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/testkit"
)

func TestGoldenSVG(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Input
	}{
		{"fixture", fixture()},
		{"no-plan", Input{On: "2020-03-09", ID: "overview"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Build(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			s, err := SVG(m)
			if err != nil {
				t.Fatal(err)
			}
			checkSVG(t, s)
			testkit.Golden(t, tc.name+".svg", s)
		})
	}
}

func TestStateOf(t *testing.T) {
	r := func(id, kind, crossing string, starts, ends outpost.Date) outpost.Restriction {
		return outpost.Restriction{ID: id, Kind: kind, Crossing: crossing, Starts: starts, Ends: ends}
	}
	for _, tc := range []struct {
		name    string
		rs      []outpost.Restriction
		state   State
		because []string
	}{
		{"nothing", nil, Open, nil},
		{"closure of this crossing", []outpost.Restriction{r("R-2", "border_closure", "SINUIJU", "2021-01-01", "")}, Closed, []string{"R-2"}},
		{"closure of every crossing", []outpost.Restriction{r("R-2", "border_closure", "", "2021-01-01", "")}, Closed, []string{"R-2"}},
		{"closure of another crossing", []outpost.Restriction{r("R-2", "border_closure", "SUNAN", "2021-01-01", "")}, Open, nil},
		{"closure ended the day before", []outpost.Restriction{r("R-2", "border_closure", "SINUIJU", "2021-01-01", "2021-03-17")}, Open, nil},
		{"closure ends that day", []outpost.Restriction{r("R-2", "border_closure", "SINUIJU", "2021-01-01", "2021-03-18")}, Closed, []string{"R-2"}},
		{"closure from the day after", []outpost.Restriction{r("R-2", "border_closure", "SINUIJU", "2021-03-19", "")}, Open, nil},
		{"quarantine here", []outpost.Restriction{r("R-3", "quarantine", "SINUIJU", "2021-01-01", "")}, Restricted, []string{"R-3"}},
		{"quarantine everywhere", []outpost.Restriction{r("R-3", "quarantine", "", "2021-01-01", "")}, Restricted, []string{"R-3"}},
		{"movement rule here", []outpost.Restriction{r("R-4", "movement", "SINUIJU", "2021-01-01", "")}, Restricted, []string{"R-4"}},
		{"country-wide movement rule", []outpost.Restriction{r("R-4", "movement", "", "2021-01-01", "")}, Open, nil},
		{"lockdown and trade", []outpost.Restriction{r("R-5", "lockdown", "SINUIJU", "2021-01-01", ""), r("R-6", "trade", "", "2021-01-01", "")}, Open, nil},
		{"closed wins over restricted, ids sorted", []outpost.Restriction{
			r("R-9", "quarantine", "SINUIJU", "2021-01-01", ""), r("R-8", "border_closure", "", "2021-01-01", ""),
			r("R-7", "border_closure", "SINUIJU", "2021-01-01", "")}, Closed, []string{"R-7", "R-8"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, because := StateOf("SINUIJU", "2021-03-18", tc.rs)
			if st != tc.state || !slices.Equal(because, tc.because) {
				t.Errorf("StateOf = %s %v, want %s %v", st, because, tc.state, tc.because)
			}
		})
	}
}

func TestBuildFacts(t *testing.T) {
	m, err := Build(fixture())
	if err != nil {
		t.Fatal(err)
	}
	type line struct {
		Code  string
		State State
		OnMap bool
	}
	var got []line
	for _, c := range m.Crossings {
		got = append(got, line{c.Code, c.State, c.OnMap})
	}
	want := []line{{"NAMPO-PORT", Open, false}, {"SINUIJU", Open, true}, {"SUNAN", Closed, true}, {"TUMEN-BRIDGE", Restricted, true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("crossings (-want +got):\n%s", diff)
	}
	var routes []string
	for _, r := range m.Routes {
		routes = append(routes, fmt.Sprintf("%s %s→%s %s %d/%d %v", r.Departure, r.From, r.Crossing, r.State, r.People, r.Own, r.OnMap))
	}
	wantRoutes := []string{
		"TRAIN-0225 Pyongyang→TUMEN-BRIDGE restricted 8/0 true",
		"BUS-0318 Pyongyang→SINUIJU open 38/4 true",
		"BUS-0401 Wonsan→TUMEN-BRIDGE restricted 12/2 true",
		"FLIGHT-0402 Pyongyang→SUNAN closed 90/0 true",
		"SHIP-0403 Nampo→NAMPO-PORT open 5/0 false",
		"CAR-0404 Pyongyang→  2/0 false", // no crossing, no state
	}
	if diff := cmp.Diff(wantRoutes, routes); diff != "" {
		t.Errorf("routes, by departure time, the empty one left out (-want +got):\n%s", diff)
	}
	if m.People != 155 || m.Own != 6 {
		t.Errorf("totals = %d/%d, want 155/6", m.People, m.Own)
	}
	if n := m.NotOnMap(); len(n) != 1 || n[0].Code != "NAMPO-PORT" {
		t.Errorf("NotOnMap = %v, want NAMPO-PORT alone", n)
	}
	d := Description(m)
	for _, s := range []string{"Sunan airport (SUNAN) closed by R-1", "NAMPO-PORT (NAMPO-PORT) open, not on the map", "BUS-0318 from Pyongyang via SINUIJU, 38 people"} {
		if !strings.Contains(d, s) {
			t.Errorf("description lacks %q:\n%s", s, d)
		}
	}
}

func TestEmbeddedData(t *testing.T) {
	g, err := data()
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range g.land {
		codes = append(codes, c.code)
	}
	if !slices.Equal(codes, []string{"CN", "RU", "KR", "KP"}) {
		t.Errorf("countries = %v, want CN RU KR KP, the country drawn last", codes)
	}
	for _, code := range []string{"TUMEN-BRIDGE", "SINUIJU", "SUNAN"} {
		if p, ok := g.byCode[code]; !ok || p.Kind != "crossing" {
			t.Errorf("the scenario's crossing %s is not in the gazetteer", code)
		}
	}
	if n := len(RegionGeoJSON()); n > 64<<10 {
		t.Errorf("outlines are %d bytes: keep them small", n)
	}
}

// checkSVG fails unless s is well-formed XML whose every coordinate is
// inside the viewBox.
func checkSVG(t testing.TB, s string) {
	t.Helper()
	if err := wellFormed(s); err != nil {
		t.Fatal(err)
	}
}

var numRE = regexp.MustCompile(`-?[0-9]+(\.[0-9]+)?`)

func wellFormed(s string) error {
	d := xml.NewDecoder(strings.NewReader(s))
	var w, h float64
	depth, marker := 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("not well-formed XML: %w", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			depth++
			attr := map[string]string{}
			for _, a := range e.Attr {
				attr[a.Name.Local] = a.Value
			}
			if e.Name.Local == "svg" {
				f := strings.Fields(attr["viewBox"])
				if len(f) != 4 || f[0] != "0" || f[1] != "0" {
					return fmt.Errorf("viewBox %q", attr["viewBox"])
				}
				w, _ = strconv.ParseFloat(f[2], 64)
				h, _ = strconv.ParseFloat(f[3], 64)
				if attr["role"] != "img" {
					return errors.New("no role=img")
				}
				continue
			}
			if e.Name.Local == "marker" {
				marker = depth
			}
			if marker > 0 {
				continue // a marker has its own viewBox
			}
			in := func(name string, v, hi float64) error {
				if math.IsNaN(v) || v < 0 || v > hi {
					return fmt.Errorf("<%s %s=%v> outside the viewBox 0 0 %v %v", e.Name.Local, name, v, w, h)
				}
				return nil
			}
			for name, v := range attr {
				f, err := strconv.ParseFloat(v, 64)
				var hi float64
				switch name {
				case "x", "x1", "x2", "cx":
					hi = w
				case "y", "y1", "y2", "cy":
					hi = h
				case "d":
					nums := numRE.FindAllString(v, -1)
					if len(nums)%2 != 0 {
						return fmt.Errorf("path %q: odd count of numbers", v)
					}
					for i, n := range nums {
						f, _ := strconv.ParseFloat(n, 64)
						lim := w
						if i%2 == 1 {
							lim = h
						}
						if err := in("d", f, lim); err != nil {
							return err
						}
					}
					continue
				default:
					continue
				}
				if err != nil {
					return fmt.Errorf("<%s %s=%q>: %v", e.Name.Local, name, v, err)
				}
				if err := in(name, f, hi); err != nil {
					return err
				}
			}
			if e.Name.Local == "rect" {
				x, _ := strconv.ParseFloat(attr["x"], 64)
				rw, _ := strconv.ParseFloat(attr["width"], 64)
				if err := in("x+width", x+rw, w); err != nil {
					return err
				}
			}
		case xml.EndElement:
			if depth == marker {
				marker = 0
			}
			depth--
		}
	}
	if w == 0 || h == 0 {
		return errors.New("no svg element with a viewBox")
	}
	return nil
}

// TestAnyInputDrawsInsideTheFrame: whatever the restrictions and the
// plan, the SVG is well-formed XML with every coordinate in the viewBox.
func TestAnyInputDrawsInsideTheFrame(t *testing.T) {
	codes := []string{"SINUIJU", "SUNAN", "TUMEN-BRIDGE", "", "X<&\">", "NAMPO-PORT"}
	rapid.Check(t, func(t *rapid.T) {
		day := func(label string) outpost.Date {
			return outpost.Date(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rapid.IntRange(0, 700).Draw(t, label)).Format(time.DateOnly))
		}
		in := Input{On: day("on"), Plan: rapid.Int64Range(0, 99).Draw(t, "plan"), Mission: rapid.String().Draw(t, "mission"), ID: rapid.String().Draw(t, "id")}
		for i := range rapid.IntRange(0, 8).Draw(t, "restrictions") {
			in.Restrictions = append(in.Restrictions, outpost.Restriction{ID: fmt.Sprintf("R-%d", i),
				Kind:     rapid.SampledFrom(outpost.RestrictionKinds).Draw(t, "kind"),
				Crossing: rapid.SampledFrom(codes).Draw(t, "rcrossing"), Starts: day("starts")})
		}
		for i := range rapid.IntRange(0, 12).Draw(t, "departures") {
			in.Departures = append(in.Departures, Departure{ID: fmt.Sprintf("D-%d", i), Route: rapid.String().Draw(t, "route"),
				Crossing: rapid.OneOf(rapid.SampledFrom(codes), rapid.String()).Draw(t, "crossing"),
				People:   rapid.IntRange(0, 100000).Draw(t, "people"), Own: rapid.IntRange(0, 100).Draw(t, "own")})
		}
		wellFormedMap(t, in)
	})
}

// wellFormedMap builds and draws the map of in, and fails t unless that
// works and the SVG is well-formed (the SVG's start with the failure).
func wellFormedMap(t interface {
	Helper()
	Fatal(...any)
	Fatalf(string, ...any)
}, in Input) {
	t.Helper()
	m, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	s, err := SVG(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := wellFormed(s); err != nil {
		t.Fatalf("%v\n%.300s", err, s)
	}
}

// FuzzRoute feeds the route text (read for the city of departure), the
// crossing code and the reader's mission into a map.
func FuzzRoute(f *testing.F) {
	for _, seed := range []struct{ route, crossing, mission string }{
		{"Pyongyang - Sinuiju (road) - Dandong", "SINUIJU", "RU"},
		{"Wonsan port - Hamhung - Tumangang", "TUMEN-BRIDGE", ""},
		{"", "", ""},
		{" - ", "<x>", "&amp;"},
		{"nampo,pyongyang", "SUNAN", "\xff\xfe"},
		{"→→", "]]>", strings.Repeat("M", 200)},
	} {
		f.Add(seed.route, seed.crossing, seed.mission, 12)
	}
	f.Fuzz(func(t *testing.T, route, crossing, mission string, people int) {
		wellFormedMap(t, Input{On: "2021-03-18", Plan: 1, Mission: mission, ID: mission,
			Restrictions: []outpost.Restriction{{ID: "R-1", Kind: "border_closure", Crossing: crossing, Starts: "2021-01-01"}},
			Departures:   []Departure{{ID: "D-1", Route: route, Crossing: crossing, People: people, Own: 1}}})
	})
}
