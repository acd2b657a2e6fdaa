package census

import (
	"fmt"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"pgregory.net/rapid"
)

// For any missions' status histories, the census at any moment shows each
// mission with the status of its latest change at or before it, counts
// the missions by those statuses, and a census after LastEvent is the
// latest one.
func TestCensusShowsMissionsAsTheyWere(t *testing.T) {
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	rapid.Check(t, func(rt *rapid.T) {
		var ms []outpost.Mission
		var hist []outpost.MissionStatusChange
		byCode := map[string][]outpost.MissionStatusChange{}
		for i := range rapid.IntRange(1, 5).Draw(rt, "missions") {
			code := fmt.Sprintf("M%d", i)
			now := outpost.MissionStatus(rapid.SampledFrom(outpost.MissionStatuses).Draw(rt, "now"))
			ms = append(ms, outpost.Mission{Code: code, Name: code, Status: now})
			if !rapid.Bool().Draw(rt, "has history") {
				continue // a store without history: today's status always
			}
			h := []outpost.MissionStatusChange{{Mission: code, Status: outpost.MissionStatus(rapid.SampledFrom(outpost.MissionStatuses).Draw(rt, "first"))}}
			day := 0
			for range rapid.IntRange(0, 4).Draw(rt, "changes") {
				day += rapid.IntRange(1, 400).Draw(rt, "days")
				h = append(h, outpost.MissionStatusChange{Mission: code, Since: base.AddDate(0, 0, day),
					Status: outpost.MissionStatus(rapid.SampledFrom(outpost.MissionStatuses).Draw(rt, "status"))})
			}
			hist = append(hist, h...)
			byCode[code] = h
		}
		pop := New(ms)
		pop.Add(outpost.Presence{Person: "P1", Mission: "M0", Nationality: "RU", Category: outpost.Staff,
			History: []outpost.StatusAt{{At: base.Unix(), Status: outpost.InCountry}}})
		pop.Seal()
		pop = pop.WithMissionHistory(hist)
		for range 10 {
			at := base.Add(time.Duration(rapid.IntRange(-100, 2000).Draw(rt, "at")) * 24 * time.Hour)
			c := pop.At(at)
			if at.Unix() >= pop.LastEvent() {
				if l := pop.Latest(at); fmt.Sprint(l.ByMission) != fmt.Sprint(c.ByMission) {
					rt.Fatalf("after the last event: At %v, Latest %v", c.ByMission, l.ByMission)
				}
			}
			counts := map[string]int{}
			for i, m := range c.ByMission {
				want := string(ms[i].Status)
				if h, ok := byCode[m.Code]; ok {
					want = string(outpost.MissionStatusAt(h, at))
				}
				if m.Status != want {
					rt.Fatalf("%s at %s: %q, want %q", m.Code, at.Format(time.DateOnly), m.Status, want)
				}
				counts[m.Status]++
			}
			for _, st := range outpost.MissionStatuses {
				if c.Missions[st] != counts[st] {
					rt.Fatalf("at %s: %d missions %s, want %d", at.Format(time.DateOnly), c.Missions[st], st, counts[st])
				}
			}
		}
	})
}
