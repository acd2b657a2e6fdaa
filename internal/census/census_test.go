package census

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"pgregory.net/rapid"
)

var statuses = []outpost.Status{outpost.InCountry, outpost.InTransit, outpost.Left}

func TestAtCountsLatestEventAtOrBefore(t *testing.T) {
	ms := []outpost.Mission{{Code: "RU", Status: "open"}, {Code: "SE", Status: "closed"}}
	p := New(ms)
	p.Add(outpost.Presence{Person: "a", Mission: "RU", Nationality: "RU", Category: outpost.HeadOfMission,
		History: []outpost.StatusAt{{At: 100, Status: outpost.InCountry}, {At: 200, Status: outpost.InTransit}, {At: 300, Status: outpost.Left}}})
	p.Add(outpost.Presence{Person: "b", Mission: "SE", Nationality: "SE", Category: outpost.Staff,
		History: []outpost.StatusAt{{At: 150, Status: outpost.InCountry}}})
	cases := []struct {
		at              int64
		in, transit, lf int
		heads           int
	}{
		{99, 0, 0, 0, 0},
		{100, 1, 0, 0, 1}, // an event exactly at the moment counts
		{199, 2, 0, 0, 1},
		{200, 1, 1, 0, 0},
		{1000, 1, 0, 1, 0},
	}
	for _, c := range cases {
		got := p.At(time.Unix(c.at, 0).UTC())
		if got.InCountry != c.in || got.InTransit != c.transit || got.Left != c.lf || got.HeadsOfMissionInCountry != c.heads {
			t.Errorf("at %d: got %d/%d/%d heads %d, want %d/%d/%d heads %d", c.at,
				got.InCountry, got.InTransit, got.Left, got.HeadsOfMissionInCountry, c.in, c.transit, c.lf, c.heads)
		}
	}
	got := p.At(time.Unix(150, 0).UTC())
	if got.Missions["open"] != 1 || got.Missions["closed"] != 1 || got.Missions["reduced"] != 0 {
		t.Errorf("missions: got %v", got.Missions)
	}
	if len(got.ByMission) != 2 || got.ByMission[0].Code != "RU" || !got.ByMission[0].HeadOfMissionInCountry {
		t.Errorf("by mission: got %+v", got.ByMission)
	}
	if len(got.ByNationality) != 2 || got.ByNationality[0].Nationality != "RU" || len(got.ByCategory) != 2 {
		t.Errorf("breakdowns: got %+v %+v", got.ByNationality, got.ByCategory)
	}
}

// naive is the definition of INTERFACES.md written the plain way.
func naive(people []outpost.Presence, at int64) map[outpost.Status]int {
	out := map[outpost.Status]int{}
	for _, p := range people {
		var st outpost.Status
		for _, e := range p.History {
			if e.At <= at {
				st = e.Status
			}
		}
		if st != "" {
			out[st]++
		}
	}
	return out
}

func TestAtMatchesDefinition(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		missions := []string{"RU", "CN", "WFP"}
		var ms []outpost.Mission
		for _, m := range missions {
			ms = append(ms, outpost.Mission{Code: m, Status: "open"})
		}
		n := rapid.IntRange(0, 40).Draw(t, "people")
		var people []outpost.Presence
		p := New(ms)
		for i := 0; i < n; i++ {
			k := rapid.IntRange(0, 5).Draw(t, "events")
			var h []outpost.StatusAt
			at := int64(0)
			for j := 0; j < k; j++ {
				at += int64(rapid.IntRange(0, 10).Draw(t, "gap")) // equal times allowed: the later one wins
				h = append(h, outpost.StatusAt{At: at, Status: rapid.SampledFrom(statuses).Draw(t, "status")})
			}
			pr := outpost.Presence{Person: fmt.Sprint(i), Mission: rapid.SampledFrom(missions).Draw(t, "mission"),
				Nationality: rapid.SampledFrom([]string{"RU", "CN", "IT"}).Draw(t, "nat"),
				Category:    rapid.SampledFrom([]outpost.Category{outpost.Staff, outpost.HeadOfMission}).Draw(t, "cat"), History: h}
			people = append(people, pr)
			p.Add(pr)
		}
		at := int64(rapid.IntRange(-1, 60).Draw(t, "at"))
		got := p.At(time.Unix(at, 0))
		want := naive(people, at)
		if got.InCountry != want[outpost.InCountry] || got.InTransit != want[outpost.InTransit] || got.Left != want[outpost.Left] {
			t.Fatalf("got %d/%d/%d, want %v", got.InCountry, got.InTransit, got.Left, want)
		}
		sum := 0
		for _, m := range got.ByMission {
			sum += m.InCountry
		}
		natSum, catSum := 0, 0
		for _, x := range got.ByNationality {
			natSum += x.InCountry
		}
		for _, x := range got.ByCategory {
			catSum += x.InCountry
		}
		if sum != got.InCountry || natSum != got.InCountry || catSum != got.InCountry {
			t.Fatalf("breakdowns do not add up: missions %d, nationalities %d, categories %d, total %d", sum, natSum, catSum, got.InCountry)
		}
	})
}

// million builds a population of a million people with one to three events
// each, like a large evacuation.
func million(b *testing.B) *Population {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	var ms []outpost.Mission
	for i := 0; i < 120; i++ {
		ms = append(ms, outpost.Mission{Code: fmt.Sprintf("M%03d", i), Status: "open"})
	}
	nats := []string{"RU", "CN", "DE", "GB", "US", "IN", "PK", "AF", "SE", "FR"}
	cats := []outpost.Category{outpost.Staff, outpost.Dependent, outpost.National, outpost.Diplomat}
	p := New(ms)
	base := time.Date(2021, 8, 1, 0, 0, 0, 0, time.UTC).Unix()
	for i := 0; i < 1_000_000; i++ {
		h := []outpost.StatusAt{{At: base - int64(rng.IntN(86400*365)), Status: outpost.InCountry}}
		if rng.IntN(2) == 0 {
			t := base + int64(rng.IntN(86400*17))
			h = append(h, outpost.StatusAt{At: t, Status: outpost.InTransit}, outpost.StatusAt{At: t + 3600*6, Status: outpost.Left})
		}
		p.Add(outpost.Presence{Person: fmt.Sprint(i), Mission: ms[rng.IntN(len(ms))].Code, Nationality: nats[rng.IntN(len(nats))],
			Category: cats[rng.IntN(len(cats))], History: h})
	}
	return p
}

func BenchmarkCensusMillion(b *testing.B) {
	p := million(b)
	now := time.Date(2021, 9, 1, 0, 0, 0, 0, time.UTC)
	past := time.Date(2021, 8, 10, 0, 0, 0, 0, time.UTC)
	b.Run("live", func(b *testing.B) {
		for b.Loop() {
			p.At(now)
		}
	})
	b.Run("as-of", func(b *testing.B) {
		for b.Loop() {
			p.At(past)
		}
	})
}

func TestSeriesMatchesAt(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := New(nil)
		loc, _ := time.LoadLocation("Asia/Pyongyang")
		first := outpost.Date("2021-03-01")
		base := first.Start(loc).Unix()
		n := rapid.IntRange(0, 20).Draw(t, "people")
		for i := 0; i < n; i++ {
			var h []outpost.StatusAt
			at := base - 86400
			for j := rapid.IntRange(0, 4).Draw(t, "events"); j > 0; j-- {
				at += int64(rapid.IntRange(0, 3*86400).Draw(t, "gap"))
				h = append(h, outpost.StatusAt{At: at, Status: rapid.SampledFrom(statuses).Draw(t, "status")})
			}
			p.Add(outpost.Presence{Person: fmt.Sprint(i), Mission: "RU", Nationality: "RU",
				Category: rapid.SampledFrom([]outpost.Category{outpost.Staff, outpost.HeadOfMission}).Draw(t, "cat"), History: h})
		}
		series := p.Series(first, first.AddDays(10), loc)
		if len(series) != 11 {
			t.Fatalf("got %d days, want 11", len(series))
		}
		for _, d := range series {
			c := p.At(outpost.Date(d.Date).End(loc))
			if d.InCountry != c.InCountry || d.HeadsOfMission != c.HeadsOfMissionInCountry {
				t.Fatalf("%s: series %d/%d, census %d/%d", d.Date, d.InCountry, d.HeadsOfMission, c.InCountry, c.HeadsOfMissionInCountry)
			}
		}
	})
}
