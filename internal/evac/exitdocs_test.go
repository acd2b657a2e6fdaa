package evac

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestLeftBehindReasons plans one departure on 1 March for one-person
// households, each kept by one rule, and reads the reason in words.
func TestLeftBehindReasons(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return time.Date(2021, m, d, 0, 0, 0, 0, time.UTC) }
	granted := func(from, to time.Time) Documents {
		return Documents{Permit: "granted", PermitFrom: from, PermitTo: to, Passport: true}
	}
	cases := []struct {
		name     string
		docs     Documents
		required bool
		code     string
		text     string
	}{
		{"staying", Documents{Staying: true}, false, LeftStaying, "staying by choice"},
		{"refused", Documents{Permit: "refused"}, false, LeftPermitRefused, "exit permit refused"},
		{"requested", Documents{Permit: "requested"}, false, LeftPermitRequested, "exit permit requested, not granted"},
		{"no permit required", Documents{Passport: true}, true, LeftNoPermit, "no exit permit"},
		{"no passport required", Documents{Permit: "granted", PermitFrom: day(2, 1), PermitTo: day(3, 31)}, true, LeftNoPassport, "no passport recorded"},
		{"permit expired", granted(day(2, 1), day(2, 24)), false, LeftPermitExpired, "exit permit expires 24 Feb"},
		{"permit not yet", granted(day(3, 5), day(3, 30)), false, LeftPermitNotYet, "exit permit valid from 5 Mar"},
		{"passport", Documents{PassportExpiry: day(2, 27)}, false, LeftPassportExpired, "passport expires 27 Feb"},
		{"quarantine", Documents{QuarantineUntil: day(3, 12)}, false, LeftQuarantine, "in quarantine until 12 Mar"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := Input{Start: day(2, 25), PermitsRequired: c.required,
				People: []Person{
					{ID: "P1", Household: "H1", Nationality: "RU", Mission: "RU", Docs: c.docs},
					{ID: "P2", Household: "H1", Nationality: "RU", Mission: "RU", Docs: granted(day(2, 1), day(3, 31))},
					{ID: "Q1", Household: "H2", Nationality: "RU", Mission: "RU", Docs: granted(day(2, 1), day(3, 31))},
				},
				Departures: []Departure{{ID: "BUS", Date: day(3, 1), Seats: 10}}}
			p := solveChecked(t, in, Options{})
			want := []LeftBehind{
				{Person: "P1", Household: "H1", Reason: c.code, Text: c.text},
				{Person: "P2", Household: "H1", Reason: LeftHouseholdMember, Text: "travels with household H1, and P1 cannot leave"},
			}
			if diff := cmp.Diff(want, p.LeftBehind); diff != "" {
				t.Errorf("left behind (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]Unassigned{{Household: "H1", Reason: ReasonExitDocuments}}, p.Unassigned); diff != "" {
				t.Errorf("unassigned (-want +got):\n%s", diff)
			}
			if len(p.Assignments) != 1 || p.Assignments[0].Household != "H2" {
				t.Errorf("assignments %+v, want H2 alone on BUS", p.Assignments)
			}
		})
	}
}

// TestDocumentsPickTheDay: a passport expiring before the later train
// puts the household on the earlier bus although the train would score
// the same; a quarantine does the opposite.
func TestDocumentsPickTheDay(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2021, 3, d, 0, 0, 0, 0, time.UTC) }
	in := Input{Start: day(1),
		People: []Person{
			{ID: "A", Household: "A", Nationality: "RU", Docs: Documents{PassportExpiry: day(3)}},
			{ID: "B", Household: "B", Nationality: "RU", Docs: Documents{QuarantineUntil: day(3)}},
		},
		Departures: []Departure{{ID: "BUS", Date: day(2), Seats: 1}, {ID: "TRAIN", Date: day(6), Seats: 1}}}
	p := solveChecked(t, in, Options{})
	want := []Assignment{{Departure: "BUS", Household: "A", People: []string{"A"}}, {Departure: "TRAIN", Household: "B", People: []string{"B"}}}
	if diff := cmp.Diff(want, p.Assignments); diff != "" {
		t.Errorf("assignments (-want +got):\n%s", diff)
	}
}
