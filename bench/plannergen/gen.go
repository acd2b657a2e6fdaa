package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

var countries = []string{"RU", "CN", "DE", "GB", "SE", "CH", "FR", "PL", "BR", "MN", "ID", "VN",
	"LA", "CU", "EG", "IR", "IN", "PK", "NG", "BG", "CZ", "RO", "SY", "PS",
	"KH", "MY", "LY", "ET", "DZ", "TH", "US", "CA", "AU", "NL", "IT", "ES",
	"TR", "JP", "KR", "AF", "UZ", "TJ", "QA", "AE", "NO"}

// spec describes one generated instance's shape.
type spec struct {
	people, deps  int
	nats          int     // nationalities used
	seatRatio     float64 // total seats per person
	orgs          int     // international organisations (people of any nationality)
	restricted    float64 // share of departures with an eligible list
	eligMin       int     // nationalities on a restricted departure
	eligMax       int
	readyShare    float64 // share of households with a ready date
	readySpan     int     // ready dates fall in days 0..readySpan
	essential     float64 // share of adults who are essential
	minStaffShare float64 // a mission's min_staff is up to this share of its essentials
	mixed         float64 // share of households with a member of another nationality
	sizes         []int   // household sizes to draw from
	seatKinds     [][3]int
	closure       bool // close one crossing for three days
}

// genHard makes a CBC-sized instance harder than gen.py's: fewer seats
// than people, many departures open to a few nationalities only, more
// ready dates and larger minimum staff.
func genHard(seed uint64, people, deps int, seats float64) *instance {
	return generate(seed, spec{
		people: people, deps: deps, nats: 30, seatRatio: seats, orgs: 6,
		restricted: 0.6, eligMin: 3, eligMax: 10, readyShare: 0.35, readySpan: 20,
		essential: 0.4, minStaffShare: 0.6, mixed: 0.08,
		sizes:     []int{1, 1, 1, 2, 2, 3, 4, 5, 6},
		seatKinds: [][3]int{{40, 20, 60}, {25, 40, 120}, {25, 15, 40}, {10, 8, 8}},
		closure:   true,
	})
}

// genKabul makes an airlift-sized instance: 100,000 people in about
// 40,000 households, 600 departures over 30 days, many of them national
// flights for a few nationalities.
func genKabul(seed uint64, people, deps int, seats float64) *instance {
	return generate(seed, spec{
		people: people, deps: deps, nats: len(countries), seatRatio: seats, orgs: 10,
		restricted: 0.45, eligMin: 1, eligMax: 4, readyShare: 0.3, readySpan: 20,
		essential: 0.15, minStaffShare: 0.5, mixed: 0.05,
		sizes:     []int{1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6},
		seatKinds: [][3]int{{15, 300, 823}, {35, 150, 350}, {25, 60, 120}, {25, 30, 60}},
	})
}

func generate(seed uint64, sp spec) *instance {
	rnd := rand.New(rand.NewPCG(seed, 0x5eed+uint64(sp.people)))
	in := &instance{}
	nats := countries[:min(sp.nats, len(countries))]
	// Missions: an embassy per nationality and some organisations, with
	// Zipf-like sizes.
	type mission struct {
		code, country string
		share         float64
	}
	var ms []mission
	for i, c := range nats {
		ms = append(ms, mission{c, c, 1 / math.Pow(float64(i+1), 0.9)})
	}
	for i := 0; i < sp.orgs; i++ {
		ms = append(ms, mission{fmt.Sprintf("ORG%d", i+1), "", 0.3 / float64(i+1)})
	}
	rnd.Shuffle(len(ms), func(a, b int) { ms[a].share, ms[b].share = ms[b].share, ms[a].share })
	total := 0.0
	for _, m := range ms {
		total += m.share
	}
	pid := 0
	essentials := map[string]int{}
	for _, m := range ms {
		n := max(3, int(float64(sp.people)*m.share/total))
		for hh, made := 0, 0; made < n; hh++ {
			size := min(n-made, sp.sizes[rnd.IntN(len(sp.sizes))])
			hid := fmt.Sprintf("%s-H%05d", m.code, hh+1)
			ready := ""
			if rnd.Float64() < sp.readyShare {
				ready = start.AddDate(0, 0, rnd.IntN(sp.readySpan+1)).Format("2006-01-02")
			}
			nat := m.country
			if nat == "" {
				nat = nats[rnd.IntN(len(nats))]
			}
			mixed := rnd.Float64() < sp.mixed
			for k := 0; k < size; k++ {
				pid++
				pn := nat
				if mixed && k == size-1 {
					pn = nats[rnd.IntN(len(nats))]
				}
				child := k > 0 && rnd.Float64() < 0.45
				age := 19 + rnd.IntN(50)
				if child {
					age = rnd.IntN(17)
				}
				bd := start.AddDate(-age, 0, -rnd.IntN(300)).Format("2006-01-02")
				if rnd.Float64() < 0.1 {
					bd = ""
				}
				ess := !child && rnd.Float64() < sp.essential
				if ess {
					essentials[m.code]++
				}
				med := 0
				switch r := rnd.Float64(); {
				case r < 0.03:
					med = 3
				case r < 0.10:
					med = 2
				case r < 0.22:
					med = 1
				}
				in.people = append(in.people, map[string]string{
					"id": fmt.Sprintf("%s-%06d", m.code, pid), "household": hid,
					"given_name": "A", "family_name": "B", "nationality": pn, "mission": m.code,
					"category":   map[bool]string{true: "dependent", false: "staff"}[child],
					"birth_date": bd, "essential": strconv.FormatBool(ess), "medical": strconv.Itoa(med),
					"status": "in_country", "since": "2021-01-01", "ready": ready, "passport": "",
				})
				made++
			}
		}
	}
	for _, m := range ms {
		e := essentials[m.code]
		minStaff := 0
		if e > 0 {
			minStaff = rnd.IntN(int(float64(e)*sp.minStaffShare) + 2)
		}
		in.missions = append(in.missions, map[string]string{"code": m.code, "name": m.code,
			"country": m.country, "kind": "embassy", "status": "open", "min_staff": strconv.Itoa(minStaff)})
	}
	// Departures: seat counts drawn by kind, then scaled to the seat ratio.
	kinds := []string{"FLIGHT", "CHARTER", "MIL", "BUS"}
	raw := make([]float64, sp.deps)
	kind := make([]int, sp.deps)
	sum := 0.0
	for i := range raw {
		r := rnd.IntN(100)
		for k, sk := range sp.seatKinds {
			if r < sk[0] {
				kind[i] = k
				raw[i] = float64(sk[1] + rnd.IntN(sk[2]-sk[1]+1))
				break
			}
			r -= sk[0]
		}
		if raw[i] == 0 {
			raw[i] = float64(sp.seatKinds[0][1])
		}
		sum += raw[i]
	}
	scale := sp.seatRatio * float64(len(in.people)) / sum
	for i := range raw {
		day := start.AddDate(0, 0, rnd.IntN(30))
		elig := ""
		if rnd.Float64() < sp.restricted {
			k := sp.eligMin + rnd.IntN(sp.eligMax-sp.eligMin+1)
			set := map[string]bool{}
			for len(set) < k {
				// Popular nationalities get more national departures.
				set[nats[min(rnd.IntN(len(nats)), rnd.IntN(len(nats)))]] = true
			}
			var list []string
			for n := range set {
				list = append(list, n)
			}
			slices.Sort(list)
			elig = strings.Join(list, " ")
		}
		in.departures = append(in.departures, map[string]string{
			"id": fmt.Sprintf("%s-%04d", kinds[kind[i]], i), "route": "generated",
			"departs":  fmt.Sprintf("%sT%02d:00:00Z", day.Format("2006-01-02"), 6+rnd.IntN(15)),
			"seats":    strconv.Itoa(max(1, int(raw[i]*scale+0.5))),
			"crossing": []string{"AIRPORT", "NORTH", "SOUTH"}[rnd.IntN(3)], "eligible": elig,
		})
	}
	if !sp.closure {
		return in
	}
	in.restrictions = []map[string]string{{"id": "R-1", "kind": "border_closure", "crossing": "NORTH",
		"starts": "2021-03-05", "ends": "2021-03-07", "note": "generated", "source": "plannergen"}}
	return in
}
