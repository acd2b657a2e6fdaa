package census

import (
	"testing"
	"time"

	count "github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
)

// Events stored before the date window existed (dated 0001 and 9999)
// keep the daily series within the window instead of spanning 3.6 million
// days on every rebuild.
func TestStoredEventsOutOfTheWindowKeepTheSeriesBounded(t *testing.T) {
	days := newDayCounter(time.UTC)
	days.add(outpost.Presence{Person: "a", Mission: "M", Category: outpost.Staff, History: []outpost.StatusAt{
		{At: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), Status: outpost.InCountry},
		{At: time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC).Unix(), Status: outpost.Left},
		{At: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC).Unix(), Status: outpost.InCountry},
	}}, 1)
	s := days.series()
	if n := outpost.LastDate.Day() - outpost.FirstDate.Day() + 1; len(s) != n {
		t.Fatalf("the series holds %d days, want the window's %d", len(s), n)
	}
	if s[0].Date != string(outpost.FirstDate) || s[0].InCountry != 1 || s[len(s)-1].Date != string(outpost.LastDate) || s[len(s)-1].InCountry != 1 {
		t.Errorf("first %+v, last %+v", s[0], s[len(s)-1])
	}
}

// Headcount answers at most MaxRangeDays+1 days for any two strings, and
// each day it answers follows the one before.
func FuzzHeadcount(f *testing.F) {
	for _, seed := range [][2]string{{"9999-12-31", "9999-12-31"}, {"0001-01-01", "9999-12-31"}, {"2021-01-01", "2021-01-31"},
		{"10000-01-01", "9999-12-31"}, {"2100-12-31", "2100-12-31"}, {"", ""}, {"2021-02-30", "2021-03-01"}} {
		f.Add(seed[0], seed[1])
	}
	snap := &Snapshot{Pop: count.New(nil), Loc: time.UTC, Days: []count.DayCount{{Date: "2021-01-01", InCountry: 3}, {Date: "2021-01-02", InCountry: 2}}}
	f.Fuzz(func(t *testing.T, first, last string) {
		got := snap.Headcount(outpost.Date(first), outpost.Date(last))
		if len(got) > outpost.MaxRangeDays+1 {
			t.Fatalf("%q to %q: %d days", first, last, len(got))
		}
		for i := 1; i < len(got); i++ {
			if outpost.Date(got[i].Date).Day() != outpost.Date(got[i-1].Date).Day()+1 {
				t.Fatalf("%q to %q: %s follows %s", first, last, got[i].Date, got[i-1].Date)
			}
		}
	})
}
