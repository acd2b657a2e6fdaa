// Command gen writes the Pyongyang 2020–21 demo scenario: missions.csv,
// mission_status.csv, people.csv, tracks.csv, departures.csv, restrictions.csv and the stock
// ledger (items.csv, stock.csv, usage.csv, see supply.go), in the import
// formats of INTERFACES.md.
//
// Run it from the module root:
//
//	go run ./scenarios/pyongyang-2021/gen
//
// It is deterministic (a fixed PCG seed): running it again rewrites the
// same bytes. Before writing, it replays the presence history with the
// census rules of INTERFACES.md, prints the figures for a few dates and
// refuses to write anything if a figure the scenario promises does not hold.
// The facts and the numbers the scenario chose are in ../README.md.
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The fixed seed of the generator's PCG source.
const (
	seed1 = 20210401
	seed2 = 290
)

// refDate is the date ages and postings are counted from (the scenario
// starts with everyone in the country on 1 February 2020).
const refDate = "2020-02-01"

// Departure ids.
const (
	depFlight   = "FLIGHT-20200309"
	depUK       = "ROAD-20200527"
	depConvoy   = "CONVOY-20200812"
	depDecember = "CONVOY-20201203"
	depTrolley  = "TROLLEY-20210225"
	depSinuiju  = "BUS-20210318"
	depTrain    = "TRAIN-20210702"
	depDandong  = "BUS-20210723"
	stays       = "" // cohort still in the country at the end of the scenario
)

// event is one tracking checkpoint of a departure.
type event struct {
	checkpoint, at, note string
}

// departure is a real (or, where the README says so, chosen) movement out
// of the country, with the checkpoints every passenger passes.
type departure struct {
	id, route, departs string
	seats              int
	crossing, eligible string
	events             []event
}

// departures lists the movements of the scenario in date order. Every
// checkpoint time lies between 09:00 and 18:00 +09:00 so that its date is
// the same in Pyongyang and in UTC.
func departures() []departure {
	road := func(day, id, what string) []event {
		return []event{
			{"assembled", day + "T09:00:00+09:00", id + ": " + what + ", assembled in the diplomatic quarter"},
			{"departed", day + "T09:30:00+09:00", id + ": left Pyongyang by road for Sinuiju"},
			{"crossed", day + "T14:30:00+09:00", id + ": crossed the Yalu bridge Sinuiju - Dandong"},
			{"arrived", day + "T15:30:00+09:00", id + ": arrived in Dandong"},
		}
	}
	return []departure{
		{
			id: depFlight, route: "Pyongyang Sunan - Vladivostok (Air Koryo special flight)",
			departs: "2020-03-09T08:40:00+09:00", seats: 100, crossing: "SUNAN",
			events: []event{
				{"departed", "2020-03-09T09:00:00+09:00", depFlight + ": Air Koryo special flight from Sunan (scheduled 08:40; logged 09:00)"},
				{"arrived", "2020-03-09T09:50:00+09:00", depFlight + ": landed in Vladivostok (10:50 local time)"},
			},
		},
		{
			id: depUK, route: "Pyongyang - Sinuiju (road) - Dandong",
			departs: "2020-05-27T09:30:00+09:00", seats: 10, crossing: "SINUIJU", eligible: "GB",
			events: road("2020-05-27", depUK, "British embassy closes"),
		},
		{
			id: depConvoy, route: "Pyongyang - Sinuiju (road convoy) - Dandong",
			departs: "2020-08-12T09:30:00+09:00", seats: 16, crossing: "SINUIJU", eligible: "CZ MN PL SE",
			events: road("2020-08-12", depConvoy, "convoy of the last EU diplomats"),
		},
		{
			id: depDecember, route: "Pyongyang - Sinuiju (road convoy) - Dandong",
			departs: "2020-12-03T09:30:00+09:00", seats: 20, crossing: "SINUIJU",
			events: road("2020-12-03", depDecember, "Brazilian, Venezuelan and Italian embassies and UN staff"),
		},
		{
			id: depTrolley, route: "Pyongyang - Tumangang (train, 32 h) - bus (2 h) - Tumen bridge on foot with a hand trolley - Khasan - Vladivostok",
			departs: "2021-02-25T09:30:00+09:00", seats: 8, crossing: "TUMEN-BRIDGE", eligible: "RU",
			events: []event{
				{"assembled", "2021-02-25T09:00:00+09:00", depTrolley + ": assembled at Pyongyang station"},
				{"departed", "2021-02-25T09:30:00+09:00", depTrolley + ": train Pyongyang - Tumangang (32 h), then bus (2 h)"},
				{"crossed", "2021-02-26T16:00:00+09:00", depTrolley + ": pushed the hand trolley over the Tumen rail bridge to Khasan"},
				{"arrived", "2021-02-26T17:30:00+09:00", depTrolley + ": Khasan station; bus to Vladivostok airport, Moscow the same day"},
			},
		},
		{
			id: depSinuiju, route: "Pyongyang - Sinuiju (road) - Dandong (transfer to a Chinese bus)",
			departs: "2021-03-18T09:30:00+09:00", seats: 40, crossing: "SINUIJU",
			events: road("2021-03-18", depSinuiju, "road convoy of 38 foreigners"),
		},
		{
			id: depTrain, route: "Pyongyang - Tumangang - Khasan (special train)",
			departs: "2021-07-02T10:00:00+09:00", seats: 120, crossing: "TUMEN-BRIDGE", eligible: "IN RU",
			events: []event{
				{"assembled", "2021-07-02T09:00:00+09:00", depTrain + ": assembled at Pyongyang station"},
				{"departed", "2021-07-02T10:00:00+09:00", depTrain + ": special train to Tumangang"},
				{"crossed", "2021-07-03T16:00:00+09:00", depTrain + ": crossed the Tumen rail bridge to Khasan"},
				{"arrived", "2021-07-03T17:00:00+09:00", depTrain + ": arrived in Khasan"},
			},
		},
		{
			id: depDandong, route: "Pyongyang - Sinuiju (road) - Dandong, then 14 days' quarantine in China",
			departs: "2021-07-23T09:30:00+09:00", seats: 60, crossing: "SINUIJU",
			events: road("2021-07-23", depDandong, "Indonesian embassy with Bulgarian, Indian and other staff"),
		},
	}
}

// restriction is one row of restrictions.csv.
type restriction struct {
	id, kind, crossing, starts, ends, days, note, source string
}

// restrictions lists the dated restrictions of SCENARIO.md. None is a
// border_closure: every crossing stayed open to the special, approved
// movements in departures.csv (see the README).
func restrictions() []restriction {
	return []restriction{
		{"R-20200122", "movement", "", "2020-01-22", "", "",
			"Foreign tourists banned from entering the country",
			"SCENARIO.md; Reuters via Myanmar ITV 2020-01-22 and SCMP 2020-01-22 (tour operators)"},
		{"R-20200128", "quarantine", "", "2020-01-28", "", "30",
			"One-month quarantine in designated facilities for foreigners arriving from China or Russia, diplomats included",
			"SCENARIO.md; KBS 2020-01-28 (Russian embassy, Facebook)"},
		{"R-20200131", "movement", "", "2020-01-31", "", "",
			"Scheduled air and rail links with China suspended; only special, approved movements cross",
			"SCENARIO.md; KBS 2020-03-04"},
		{"R-20200204", "lockdown", "", "2020-02-04", "2020-03-01", "",
			"No entry or exit for shopping, no new staff; foreigners confined to their buildings and the diplomatic quarter; each violation adds 15 days of quarantine",
			"SCENARIO.md; TASS 2020-02-04 (Russian embassy, Facebook); NK News 2020-02 (MFA letter)"},
		{"R-20200213", "quarantine", "", "2020-02-13", "", "30",
			"30-day quarantine at the border for arriving diplomats",
			"SCENARIO.md; NK News 2020-02 (Amb. Matsegora in TASS)"},
		{"R-20200302", "movement", "", "2020-03-02", "", "",
			"Quarantine of foreigners ended: a few approved shops and the diplomatic club reopened to those with a doctor's certificate",
			"SCENARIO.md; Yonhap 2020-03-04; KBS 2020-03-04"},
		{"R-20200901-T", "trade", "", "2020-09-01", "", "",
			"All imports banned; flour, sugar and cooking oil scarce at 3-4 times the old price; medicines short",
			"SCENARIO.md; UPI 2021-02-09 and KBS 2021-02-10 (Amb. Matsegora to Interfax)"},
		{"R-20200901-M", "movement", "", "2020-09-01", "", "",
			"No travel outside Pyongyang; children kept inside embassy compounds",
			"SCENARIO.md; UPI 2021-02-09 and KBS 2021-02-10 (Amb. Matsegora to Interfax)"},
	}
}

// cohort is a group of one mission's people who leave on the same
// departure (or stay).
type cohort struct {
	dep       string // departure id, or stays
	n         int    // people
	head      bool   // the first household is the head of mission's
	singles   bool   // everyone travels alone (UN and NGO staff, Indonesian staff)
	nationals int    // of n, private citizens registered with the mission, each alone
	essential bool   // the principals count toward min_staff
	trolley   bool   // the three Russian families of 25 Feb 2021 (fixed template)
}

// missionSpec is one mission and how its people leave.
type missionSpec struct {
	code, name, country, kind, status string
	minStaffCap                       int      // at most this many essential people must stay
	nats                              []string // nationalities of an organisation's staff, in turn
	cohorts                           []cohort
}

func grp(dep string, n int) cohort { return cohort{dep: dep, n: n} }

func withHead(k cohort) cohort { k.head = true; return k }

func core(k cohort) cohort { k.essential = true; return k }

func alone(k cohort) cohort { k.singles = true; return k }

// missionSpecs is the corps of February 2020. Status and min_staff are as of
// April 2021. The sizes are the scenario's choice; the README explains them.
func missionSpecs() []missionSpec {
	const big = 1 << 30
	emb := func(code, name, status string, cap int, cohorts ...cohort) missionSpec {
		return missionSpec{code: code, name: name, country: code, kind: "embassy", status: status, minStaffCap: cap, cohorts: cohorts}
	}
	org := func(code, name, country, kind string, nats []string, cohorts ...cohort) missionSpec {
		for i := range cohorts {
			cohorts[i].singles = true
		}
		return missionSpec{code: code, name: name, country: country, kind: kind, status: "suspended", nats: nats, cohorts: cohorts}
	}
	ruTrain := grp(depTrain, 87)
	ruTrain.nationals = 4
	cnStay := withHead(core(grp(stays, 62)))
	cnStay.nationals = 12
	return []missionSpec{
		// Open, with an ambassador in April 2021.
		emb("RU", "Embassy of the Russian Federation", "open", big,
			grp(depFlight, 13), cohort{dep: depTrolley, n: 8, trolley: true}, ruTrain, withHead(core(grp(stays, 10)))),
		emb("CN", "Embassy of the People's Republic of China", "open", 20, cnStay),
		emb("CU", "Embassy of the Republic of Cuba", "open", big, grp(depDandong, 2), withHead(core(grp(stays, 7)))),
		emb("LA", "Embassy of the Lao People's Democratic Republic", "open", big, grp(depDandong, 3), withHead(core(grp(stays, 6)))),
		emb("IR", "Embassy of the Islamic Republic of Iran", "open", big, grp(depDandong, 2), withHead(core(grp(stays, 6)))),
		emb("SY", "Embassy of the Syrian Arab Republic", "reduced", big, grp(depDandong, 2), withHead(core(grp(stays, 4)))),
		emb("VN", "Embassy of the Socialist Republic of Viet Nam", "reduced", big,
			grp(depSinuiju, 11), grp(depDandong, 7), withHead(core(grp(stays, 4)))),
		emb("IN", "Embassy of India", "reduced", big,
			grp(depSinuiju, 6), withHead(grp(depTrain, 1)), core(grp(depDandong, 2))),
		emb("ID", "Embassy of the Republic of Indonesia", "reduced", 4, alone(withHead(core(grp(depDandong, 16))))),
		// Open, led by a chargé d'affaires in April 2021.
		emb("BG", "Embassy of the Republic of Bulgaria", "reduced", big, core(grp(depDandong, 4))),
		emb("KH", "Royal Embassy of Cambodia", "reduced", big, grp(depDandong, 3), core(grp(stays, 3))),
		emb("PS", "Embassy of the State of Palestine", "reduced", big, grp(depDandong, 2), core(grp(stays, 3))),
		emb("MN", "Embassy of Mongolia", "reduced", big,
			withHead(grp(depFlight, 4)), grp(depConvoy, 2), grp(depDandong, 4), core(grp(stays, 2))),
		emb("EG", "Embassy of the Arab Republic of Egypt", "reduced", big,
			withHead(grp(depFlight, 5)), grp(depDandong, 2), core(grp(stays, 2))),
		emb("RO", "Embassy of Romania", "reduced", big,
			withHead(grp(depFlight, 4)), grp(depDandong, 3), core(grp(stays, 2))),
		// Closed by April 2021 (the Russian embassy's list).
		emb("GB", "Embassy of the United Kingdom", "closed", 0, withHead(grp(depUK, 6))),
		emb("DE", "Embassy of the Federal Republic of Germany", "closed", 0, withHead(grp(depFlight, 7))),
		emb("SE", "Embassy of Sweden", "closed", 0, withHead(grp(depConvoy, 4))),
		emb("PL", "Embassy of the Republic of Poland", "closed", 0, grp(depFlight, 3), withHead(grp(depConvoy, 3))),
		emb("CZ", "Embassy of the Czech Republic", "closed", 0, grp(depConvoy, 3), grp(depSinuiju, 3)),
		emb("BR", "Embassy of Brazil", "closed", 0, withHead(grp(depDecember, 4))),
		emb("VE", "Embassy of the Bolivarian Republic of Venezuela", "closed", 0, withHead(grp(depDecember, 5))),
		emb("IT", "Embassy of Italy", "closed", 0, grp(depDecember, 2)),
		emb("NG", "Embassy of the Federal Republic of Nigeria", "closed", 0, withHead(grp(depSinuiju, 6))),
		emb("PK", "Embassy of the Islamic Republic of Pakistan", "closed", 0, withHead(grp(depSinuiju, 9))),
		{code: "CH-COOP", name: "Swiss Agency for Development and Cooperation, Pyongyang office", country: "CH",
			kind: "other", status: "closed", cohorts: []cohort{grp(depFlight, 3)}},
		{code: "FR-COOP", name: "French Office for Cooperation in Pyongyang", country: "FR",
			kind: "other", status: "closed", cohorts: []cohort{grp(depFlight, 3)}},
		// UN agencies and NGOs: international staff only, suspended.
		org("WFP", "World Food Programme", "", "un_agency", []string{"IT", "BD", "KE", "FR", "PH", "NL"},
			grp(depFlight, 4), grp(depSinuiju, 2)),
		org("UNICEF", "United Nations Children's Fund", "", "un_agency", []string{"BD", "ES", "KE", "FR"},
			grp(depFlight, 3), grp(depDecember, 1)),
		org("WHO", "World Health Organization", "", "un_agency", []string{"PH", "ES", "BD"},
			grp(depFlight, 2), grp(depDecember, 1)),
		org("UNDP", "United Nations Development Programme", "", "un_agency", []string{"NL", "KE", "IT"},
			grp(depFlight, 2), grp(depDecember, 1)),
		org("FAO", "Food and Agriculture Organization of the United Nations", "", "un_agency", []string{"IT", "PH"},
			grp(depFlight, 2)),
		org("CONCERN", "Concern Worldwide", "IE", "ngo", []string{"IE", "IE"}, grp(depFlight, 1), grp(depSinuiju, 1)),
		org("WHH", "Welthungerhilfe", "DE", "ngo", []string{"DE", "DE"}, grp(depFlight, 2)),
		org("PUI", "Première Urgence Internationale", "FR", "ngo", []string{"FR"}, grp(depFlight, 1)),
		org("HI", "Handicap International (Humanity & Inclusion)", "FR", "ngo", []string{"FR"}, grp(depFlight, 1)),
	}
}

// person is one row of people.csv plus what the generator needs to know.
type person struct {
	id, household, given, family, nat, mission, category, birth string
	essential                                                   bool
	medical                                                     int
	since, passport                                             string
	female                                                      bool
	dep                                                         string
	fam1                                                        string // first family name (Spanish naming)
}

// gen holds the state of one run; it lives on main's stack.
type gen struct {
	rng       *rand.Rand
	ref       time.Time
	people    []person
	passports map[string]bool
	used      map[string]bool // given+family per mission
}

func (g *gen) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *gen) between(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }

// birth returns a birth date for someone age whole years old on refDate.
func (g *gen) birth(age int) time.Time {
	return g.ref.AddDate(-age, 0, -g.rng.IntN(365))
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

func (g *gen) passport(nat string) string {
	prefix := passportPrefix(nat)
	for {
		p := fmt.Sprintf("%s%07d", prefix, g.rng.IntN(10_000_000))
		if !g.passports[p] {
			g.passports[p] = true
			return p
		}
	}
}

// adult makes a named adult of nationality nat.
func (g *gen) adult(mission, nat string, female bool) person {
	nb := names(nat)
	p := person{nat: nat, mission: mission, female: female}
	for try := 0; ; try++ {
		if female {
			p.given = g.pick(nb.female)
		} else {
			p.given = g.pick(nb.male)
		}
		switch nb.style {
		case styleSpanish:
			p.fam1 = g.pick(nb.family)
			second := g.pick(nb.family)
			for second == p.fam1 {
				second = g.pick(nb.family)
			}
			p.family = p.fam1 + " " + second
		case styleMongol:
			p.family = g.pick(nb.male)
		default:
			p.family = g.pick(nb.family)
		}
		if nb.style == styleSlavic && female {
			p.family = femaleSurname(nat, p.family)
		}
		if !g.used[mission+"|"+p.given+"|"+p.family] || try > 20 {
			break
		}
	}
	g.used[mission+"|"+p.given+"|"+p.family] = true
	return p
}

// spouseOf names the spouse of principal.
func (g *gen) spouseOf(pr person) person {
	nb := names(pr.nat)
	s := g.adult(pr.mission, pr.nat, !pr.female)
	if nb.style == styleShared || nb.style == styleSlavic {
		if s.female {
			s.family = femaleSurname(pr.nat, maleSurname(pr))
		} else {
			s.family = maleSurname(pr)
		}
	}
	return s
}

// maleSurname is the masculine form of a Slavic principal's surname (the
// name as stored for everyone else).
func maleSurname(p person) string {
	if names(p.nat).style != styleSlavic || !p.female {
		return p.family
	}
	return masculine(p.nat, p.family)
}

// child names a child of the couple (father may be the principal or the
// spouse; mother may be empty for a parent travelling alone).
func (g *gen) child(parent, other *person, female bool) person {
	nb := names(parent.nat)
	k := person{nat: parent.nat, mission: parent.mission, female: female}
	father, mother := parent, other
	if parent.female {
		father, mother = other, parent
	}
	for try := 0; ; try++ {
		if female {
			k.given = g.pick(nb.female)
		} else {
			k.given = g.pick(nb.male)
		}
		switch {
		case father == nil:
			k.family = maleSurname(*mother)
		case nb.style == styleSpanish:
			m1 := ""
			if mother != nil {
				m1 = mother.fam1
			}
			k.fam1 = father.fam1
			k.family = strings.TrimSpace(father.fam1 + " " + m1)
		case nb.style == styleMongol:
			k.family = father.given
		default:
			k.family = maleSurname(*father)
		}
		if nb.style == styleSlavic && female {
			k.family = femaleSurname(k.nat, k.family)
		}
		if k.given != parent.given && (other == nil || k.given != other.given) || try > 20 {
			break
		}
	}
	return k
}

// household builds one household of size people whose first member is a
// principal of category cat; arrival is the date the household came.
func (g *gen) household(ms missionSpec, k cohort, hid, cat string, size int) []person {
	nat := ms.country
	if len(ms.nats) > 0 {
		nat = ms.nats[g.countMission(ms.code)%len(ms.nats)]
	}
	femaleP := g.rng.Float64() < 0.3
	if cat == "head_of_mission" {
		femaleP = g.rng.Float64() < 0.15
	}
	pr := g.adult(ms.code, nat, femaleP)
	pr.category = cat
	var age int
	switch cat {
	case "head_of_mission":
		age = g.between(50, 63)
	case "national":
		age = g.between(20, 45)
	case "org_staff":
		age = g.between(29, 58)
	default:
		age = g.between(26, 58)
	}
	pr.birth = day(g.birth(age))
	pr.essential = cat == "head_of_mission" || (k.essential && cat != "national")
	members := []person{pr}
	if size >= 2 {
		sp := g.spouseOf(pr)
		sp.category = "dependent"
		sage := max(24, age+g.between(-5, 3))
		sp.birth = day(g.birth(sage))
		members = append(members, sp)
		motherAge := age
		if sp.female {
			motherAge = sage
		}
		// Children: mothers between 21 and 44 at birth, siblings at least
		// two years apart (or twins); older parents have grown-up children.
		lo, hi := max(0, motherAge-44), min(17, motherAge-21)
		if lo > hi {
			lo, hi = 18, max(18, min(25, motherAge-21))
		}
		var ages []int
		for i := 2; i < size; i++ {
			ch := g.child(&members[0], &members[1], g.rng.Float64() < 0.5)
			ch.category = "dependent"
			cage, ok := 0, false
			for range 30 {
				cage = g.between(lo, hi)
				if !slices.ContainsFunc(ages, func(a int) bool { return a-cage < 2 && cage-a < 2 }) {
					ok = true
					break
				}
			}
			if ok {
				ch.birth = day(g.birth(cage))
				ages = append(ages, cage)
			} else {
				ch.birth = members[len(members)-1].birth // a twin of the last child
			}
			members = append(members, ch)
		}
	}
	// A posting of up to four and a half years before the borders closed.
	arrival := g.ref.AddDate(0, 0, -g.between(12, 1640))
	for i := range members {
		m := &members[i]
		m.household = hid
		m.dep = k.dep
		m.since = day(arrival)
		if m.birth > m.since {
			m.since = m.birth // born in the country
		}
	}
	return members
}

func (g *gen) countMission(code string) int {
	n := 0
	for i := range g.people {
		if g.people[i].mission == code {
			n++
		}
	}
	return n
}

// trolleyFamilies is the fixed group of 25 February 2021: eight people in
// three families, one man among the adults, the youngest a girl of three.
func (g *gen) trolleyFamilies(hh func() string) []person {
	set := func(p person, cat, birth, hid string) person {
		p.category, p.birth, p.household, p.dep, p.since = cat, birth, hid, depTrolley, "2018-08-20"
		return p
	}
	// A third secretary, his wife and their daughter of three.
	h := hh()
	man := set(g.adult("RU", "RU", false), "diplomat", "1987-06-11", h)
	wife := set(g.spouseOf(man), "dependent", "1989-03-02", h)
	girl := set(g.child(&man, &wife, true), "dependent", "2017-10-14", h)
	// A member of staff with her daughter and son.
	h = hh()
	mother := set(g.adult("RU", "RU", true), "staff", "1982-09-23", h)
	d := set(g.child(&mother, nil, true), "dependent", "2008-05-17", h)
	s := set(g.child(&mother, nil, false), "dependent", "2012-01-30", h)
	// A diplomat with her son.
	h = hh()
	dip := set(g.adult("RU", "RU", true), "diplomat", "1985-12-04", h)
	son := set(g.child(&dip, nil, false), "dependent", "2014-08-09", h)
	return []person{man, wife, girl, mother, d, s, dip, son}
}

func pickSize(rng *rand.Rand, remaining int) int {
	sizes := []int{1, 1, 1, 2, 2, 3, 3, 4, 4, 5}
	return min(remaining, sizes[rng.IntN(len(sizes))])
}

// build generates every person of every mission.
func (g *gen) build(specs []missionSpec) error {
	for _, ms := range specs {
		pid, hno := 0, 0
		hh := func() string { hno++; return fmt.Sprintf("%s-H%02d", ms.code, hno) }
		start := len(g.people)
		for _, k := range ms.cohorts {
			if k.trolley {
				g.people = append(g.people, g.trolleyFamilies(hh)...)
				continue
			}
			left := k.n - k.nationals
			for first := true; left > 0; first = false {
				cat, size := principalCategory(ms.kind, g.rng), 1
				switch {
				case first && k.head:
					cat = "head_of_mission"
					if !k.singles {
						size = min(left, []int{1, 2, 2, 2, 3}[g.rng.IntN(5)])
					}
				case !k.singles:
					size = pickSize(g.rng, left)
				}
				g.people = append(g.people, g.household(ms, k, hh(), cat, size)...)
				left -= size
			}
			for range k.nationals {
				g.people = append(g.people, g.household(ms, k, hh(), "national", 1)...)
			}
		}
		for i := start; i < len(g.people); i++ {
			pid++
			p := &g.people[i]
			p.id = fmt.Sprintf("%s-%04d", ms.code, pid)
			p.passport = g.passport(p.nat)
		}
		if hno > 99 {
			return fmt.Errorf("%s: %d households do not fit the H%%02d form", ms.code, hno)
		}
	}
	g.medical()
	return nil
}

// medical gives a few people chronic or acute needs.
func (g *gen) medical() {
	for i := range g.people {
		r := g.rng.Float64()
		switch {
		case r < 0.004:
			g.people[i].medical = 3
		case r < 0.02:
			g.people[i].medical = 2
		case r < 0.07:
			g.people[i].medical = 1
		}
	}
}

func principalCategory(kind string, rng *rand.Rand) string {
	switch kind {
	case "un_agency", "ngo":
		return "org_staff"
	case "other":
		return "staff"
	}
	if rng.Float64() < 0.55 {
		return "diplomat"
	}
	return "staff"
}

// statusSince is the day each mission took its April 2021 status
// (missions.csv's status_since; before it a mission was open). Closed and
// suspended missions: the day their last people left, except the Czech
// embassy, which SCENARIO.md reports closed in August 2020 (its last 3
// registered people leave on 18 March 2021). Reduced missions: the day of
// their first departure (the 9 March flight for Mongolia, Egypt and
// Romania, whose ambassadors were on it; 18 March 2021 for Viet Nam and
// India), and for the five with no departure before April 2021 the
// scenario's choice, 1 September 2020, when all imports were banned.
// Open missions hold their status from the beginning.
var statusSince = map[string]string{
	"GB": "2020-05-27", "DE": "2020-03-09", "CH-COOP": "2020-03-09", "FR-COOP": "2020-03-09",
	"SE": "2020-08-12", "PL": "2020-08-12", "CZ": "2020-08-12",
	"BR": "2020-12-03", "VE": "2020-12-03", "IT": "2020-12-03",
	"NG": "2021-03-18", "PK": "2021-03-18",
	"WFP": "2021-03-18", "CONCERN": "2021-03-18", "UNICEF": "2020-12-03", "WHO": "2020-12-03", "UNDP": "2020-12-03",
	"FAO": "2020-03-09", "WHH": "2020-03-09", "PUI": "2020-03-09", "HI": "2020-03-09",
	"MN": "2020-03-09", "EG": "2020-03-09", "RO": "2020-03-09", "VN": "2021-03-18", "IN": "2021-03-18",
	"SY": "2020-09-01", "ID": "2020-09-01", "BG": "2020-09-01", "KH": "2020-09-01", "PS": "2020-09-01",
}

// charges are the 4 chargés d'affaires of 1 April 2021 (SCENARIO.md: 9
// ambassadors and 4 chargés): the senior diplomat left in each of the
// Bulgarian, Cambodian and Palestinian embassies, which had no
// ambassador in Pyongyang, and in the Mongolian embassy, whose ambassador
// left on the 9 March 2020 flight. The data has no rank: they are
// category diplomat; the README names them.
var charges = []string{"BG-0001", "KH-0004", "MN-0007", "PS-0003"}

// laterStatus is mission_status.csv: the changes after April 2021, which
// `outpost demo` records as `outpost missions status` does. The last
// Indonesian, Bulgarian and Indian staff leave on 23 July 2021.
var laterStatus = [][]string{
	{"BG", "closed", "2021-07-23", "The last four staff left by road to Dandong with the Indonesian embassy."},
	{"ID", "closed", "2021-07-23", "The ambassador and 15 staff left by road to Dandong; 14 days' quarantine in China."},
	{"IN", "closed", "2021-07-23", "The last two staff left by road to Dandong; the ambassador had left by train on 2 July."},
}

// minStaff is the number of essential people the mission keeps: those of
// its last group, capped by the spec; 0 for closed and suspended missions.
func minStaff(ms missionSpec, people []person) int {
	if ms.status == "closed" || ms.status == "suspended" {
		return 0
	}
	last := ms.cohorts[len(ms.cohorts)-1].dep
	n := 0
	for _, p := range people {
		if p.mission == ms.code && p.dep == last && p.essential {
			n++
		}
	}
	return min(n, ms.minStaffCap)
}

// track is one row of tracks.csv.
type track struct{ person, checkpoint, at, note string }

func tracks(people []person, deps []departure) []track {
	var out []track
	for _, d := range deps {
		for _, e := range d.events {
			for _, p := range people {
				if p.dep == d.id {
					out = append(out, track{p.id, e.checkpoint, e.at, e.note})
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b track) int { return strings.Compare(a.at, b.at) })
	return out
}

// census replays the history to the end of date (YYYY-MM-DD, compared with
// the date part of each event, all of which are in +09:00 and inside the
// day) as INTERFACES.md defines it.
type census struct {
	inCountry, inTransit, left, heads int
	status                            map[string]string
}

func replay(people []person, tr []track, date string) census {
	st := map[string]string{}
	for _, p := range people {
		if p.since <= date {
			st[p.id] = "in_country"
		}
	}
	to := map[string]string{"departed": "in_transit", "crossed": "left", "arrived": "left", "returned": "in_country"}
	for _, t := range tr {
		if s, ok := to[t.checkpoint]; ok && t.at[:10] <= date {
			if _, known := st[t.person]; known {
				st[t.person] = s
			}
		}
	}
	c := census{status: st}
	for _, p := range people {
		switch st[p.id] {
		case "in_country":
			c.inCountry++
			if p.category == "head_of_mission" {
				c.heads++
			}
		case "in_transit":
			c.inTransit++
		case "left":
			c.left++
		}
	}
	return c
}

// check verifies the figures the scenario promises and prints a summary.
func check(specs []missionSpec, people []person, tr []track) error {
	var errs []error
	fail := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	fmt.Printf("%-10s %10s %10s %6s %6s\n", "date", "in_country", "in_transit", "left", "heads")
	for _, d := range []string{"2020-02-15", "2020-03-10", "2020-09-01", "2021-02-25", "2021-02-26", "2021-03-19", "2021-04-01", "2021-08-01"} {
		c := replay(people, tr, d)
		fmt.Printf("%-10s %10d %10d %6d %6d\n", d, c.inCountry, c.inTransit, c.left, c.heads)
	}
	if c := replay(people, tr, "2020-02-15"); c.inCountry < 370 || c.inCountry > 395 || c.inTransit+c.left > 0 {
		fail("2020-02-15: %d in the country, want about 380 and nobody gone", c.inCountry)
	}
	apr := replay(people, tr, "2021-04-01")
	if apr.inCountry >= 290 || apr.inTransit != 0 || apr.heads != 9 {
		fail("2021-04-01: %d in the country, %d in transit, %d heads; want < 290, 0, 9", apr.inCountry, apr.inTransit, apr.heads)
	}
	mar := replay(people, tr, "2021-03-18")
	kind := map[string]string{}
	for _, ms := range specs {
		kind[ms.code] = ms.kind
	}
	for _, p := range people {
		if k := kind[p.mission]; (k == "un_agency" || k == "ngo") && mar.status[p.id] == "in_country" {
			fail("%s (%s) is still in the country at the end of 2021-03-18", p.id, p.mission)
		}
	}
	for _, ms := range specs {
		if ms.status != "closed" {
			continue
		}
		for _, p := range people {
			if p.mission == ms.code && apr.status[p.id] == "in_country" {
				fail("%s of closed mission %s is in the country on 2021-04-01", p.id, ms.code)
			}
		}
	}
	closed := 0
	for _, ms := range specs {
		if ms.status == "closed" {
			closed++
		}
	}
	if closed != 12 {
		fail("%d closed missions, want 12", closed)
	}
	// The 4 chargés d'affaires of 1 April 2021: diplomats in the country
	// that day, of missions whose head of mission is not.
	headIn := map[string]bool{}
	byID := map[string]person{}
	for _, p := range people {
		byID[p.id] = p
		if p.category == "head_of_mission" && apr.status[p.id] == "in_country" {
			headIn[p.mission] = true
		}
	}
	for _, id := range charges {
		p, ok := byID[id]
		if !ok || p.category != "diplomat" || apr.status[id] != "in_country" || headIn[p.mission] {
			fail("chargé d'affaires %s is not a diplomat in the country on 2021-04-01 of a mission without its head", id)
		}
	}
	if len(charges) != 4 {
		fail("%d chargés d'affaires, want 4", len(charges))
	}
	hhDep := map[string]string{}
	for _, p := range people {
		if d, ok := hhDep[p.household]; ok && d != p.dep {
			fail("household %s is split between %q and %q", p.household, d, p.dep)
		}
		hhDep[p.household] = p.dep
	}
	count := map[string]int{}
	for _, p := range people {
		count[p.dep]++
	}
	if count[depTrolley] != 8 || count[depSinuiju] != 38 {
		fail("trolley %d (want 8), Sinuiju 2021-03-18 %d (want 38)", count[depTrolley], count[depSinuiju])
	}
	youngest := ""
	var girl bool
	men := 0
	for _, p := range people {
		if p.dep != depTrolley {
			continue
		}
		if p.birth > youngest {
			youngest, girl = p.birth, p.female
		}
		if !p.female && p.birth < "2003-02-25" {
			men++
		}
	}
	if youngest < "2017-02-26" || youngest > "2018-02-25" || !girl || men != 1 {
		fail("trolley group: youngest born %s (girl %v), %d men; want a girl of 3 and one man", youngest, girl, men)
	}
	for _, d := range departures() {
		n := count[d.id]
		if n > d.seats {
			fail("%s carries %d on %d seats", d.id, n, d.seats)
		}
		fmt.Printf("%-17s %3d people\n", d.id, n)
	}
	return errors.Join(errs...)
}

func write(path string, header []string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	if err := w.Write(header); err != nil {
		f.Close()
		return err
	}
	if err := w.WriteAll(rows); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// outDir is the scenario folder: the parent of this file's folder when the
// source is at hand, otherwise scenarios/pyongyang-2021 under the working
// directory (the module root).
func outDir() string {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		dir := filepath.Dir(filepath.Dir(file))
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return dir
		}
	}
	return filepath.Join("scenarios", "pyongyang-2021")
}

func run() error {
	out := flag.String("out", outDir(), "folder to write the CSV files into")
	flag.Parse()
	ref, err := time.Parse(time.DateOnly, refDate)
	if err != nil {
		return err
	}
	g := &gen{
		rng:       rand.New(rand.NewPCG(seed1, seed2)),
		ref:       ref,
		passports: map[string]bool{},
		used:      map[string]bool{},
	}
	specs := missionSpecs()
	if err := g.build(specs); err != nil {
		return err
	}
	deps := departures()
	tr := tracks(g.people, deps)
	if err := check(specs, g.people, tr); err != nil {
		return fmt.Errorf("the scenario does not hold, nothing written:\n%w", err)
	}
	sup, err := buildSupply(g.people, tr)
	if err == nil {
		err = checkSupply(sup, g.people, tr)
	}
	if err != nil {
		return fmt.Errorf("the scenario does not hold, nothing written:\n%w", err)
	}

	var rows [][]string
	for _, ms := range specs {
		rows = append(rows, []string{ms.code, ms.name, ms.country, ms.kind, ms.status, strconv.Itoa(minStaff(ms, g.people)), statusSince[ms.code]})
	}
	if err := write(filepath.Join(*out, "missions.csv"), []string{"code", "name", "country", "kind", "status", "min_staff", "status_since"}, rows); err != nil {
		return err
	}
	if err := write(filepath.Join(*out, "mission_status.csv"), []string{"mission", "status", "since", "note"}, laterStatus); err != nil {
		return err
	}
	rows = rows[:0]
	docs := exitDocs(g.people, tr)
	for _, p := range g.people {
		rows = append(rows, append([]string{p.id, p.household, p.given, p.family, p.nat, p.mission, p.category, p.birth,
			strconv.FormatBool(p.essential), strconv.Itoa(p.medical), "in_country", p.since, "", p.passport}, docs[p.id]...))
	}
	if err := write(filepath.Join(*out, "people.csv"), append([]string{"id", "household", "given_name", "family_name", "nationality",
		"mission", "category", "birth_date", "essential", "medical", "status", "since", "ready", "passport"}, exitDocHeader...), rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, t := range tr {
		rows = append(rows, []string{t.person, t.checkpoint, t.at, t.note})
	}
	if err := write(filepath.Join(*out, "tracks.csv"), []string{"person", "checkpoint", "at", "note"}, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, d := range deps {
		rows = append(rows, []string{d.id, d.route, d.departs, strconv.Itoa(d.seats), d.crossing, d.eligible})
	}
	if err := write(filepath.Join(*out, "departures.csv"), []string{"id", "route", "departs", "seats", "crossing", "eligible"}, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, r := range restrictions() {
		rows = append(rows, []string{r.id, r.kind, r.crossing, r.starts, r.ends, r.days, r.note, r.source})
	}
	if err := write(filepath.Join(*out, "restrictions.csv"), []string{"id", "kind", "crossing", "starts", "ends", "days", "note", "source"}, rows); err != nil {
		return err
	}
	if err := writeSupply(*out, sup); err != nil {
		return err
	}
	fmt.Printf("wrote %d missions, %d people, %d tracking events, %d supply ledgers to %s\n", len(specs), len(g.people), len(tr), len(sup.ledger), *out)
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
