package census

import (
	"math/rand/v2"
	"testing"
	"time"

	count "github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
)

// TestDailyHeadcountMatchesTheCensus checks the one-pass daily headcount
// against a census at the end of every day, on random histories.
func TestDailyHeadcountMatchesTheCensus(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Pyongyang")
	if err != nil {
		t.Skip("no time zone data")
	}
	rng := rand.New(rand.NewPCG(7, 11))
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, loc)
	statuses := []outpost.Status{outpost.InCountry, outpost.InTransit, outpost.Left}
	pop := count.New(nil)
	days := newDayCounter(loc)
	for i := range 300 {
		p := outpost.Presence{Person: string(rune('a' + i%26)), Mission: "M", Nationality: "RU", Category: outpost.Staff}
		if i%10 == 0 {
			p.Category = outpost.HeadOfMission
		}
		at := start.Add(time.Duration(rng.IntN(40*24)) * time.Hour)
		for range 1 + rng.IntN(4) {
			p.History = append(p.History, outpost.StatusAt{At: at.Unix(), Status: statuses[rng.IntN(3)]})
			at = at.Add(time.Duration(rng.IntN(20*24*60)) * time.Minute)
		}
		pop.Add(p)
		days.add(p, 1)
	}
	snap := &Snapshot{Pop: pop, Loc: loc, Days: days.series()}
	first := outpost.DateOf(start).AddDays(-2)
	got := snap.Headcount(first, first.AddDays(120))
	if len(got) != 121 {
		t.Fatalf("got %d days, want 121", len(got))
	}
	for _, d := range got {
		c := pop.At(outpost.Date(d.Date).End(loc))
		if d.InCountry != c.InCountry || d.HeadsOfMission != c.HeadsOfMissionInCountry {
			t.Errorf("%s: got %d in, %d heads; the census says %d, %d", d.Date, d.InCountry, d.HeadsOfMission, c.InCountry, c.HeadsOfMissionInCountry)
		}
	}
}
