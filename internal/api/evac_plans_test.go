package api_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/storetest"
)

func TestComparingPlansOverTheAPI(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		// Plan 2 moves RU-H1 to BUS-1 and leaves SE-H1 out.
		other, err := c.store.SavePlan(storetest.Ctx(), outpost.PlanDoc{Start: "2021-04-01", Score: 1, Bound: 2,
			Assignments: []outpost.PlanAssignment{
				{Departure: "BUS-1", Household: "RU-H1", People: []string{"RU-0001", "RU-0002"}},
				{Departure: "TRAIN-1", Household: "RU-H2", People: []string{"RU-0003"}},
				{Departure: "TRAIN-1", Household: "WFP-H1", People: []string{"WFP-0001"}},
			},
			Staying: []outpost.PlanStaying{}, Unassigned: []outpost.PlanUnassigned{{Household: "SE-H1", Reason: "seats taken by higher priority"}},
			ExcludedDepartures: []outpost.PlanExcluded{}})
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/api/v1/plans/compare?a=%d&b=%d", c.plan, other.Plan)
		cases := []struct {
			who            string
			moved, dropped []string
			others         []evacuation.MissionChanges
		}{
			{"admin", []string{"RU-H1"}, []string{"SE-H1"}, []evacuation.MissionChanges{}},
			{"manager", []string{"RU-H1"}, nil, []evacuation.MissionChanges{{Mission: "SE", Dropped: 1}}},
			{"se-manager", nil, []string{"SE-H1"}, []evacuation.MissionChanges{{Mission: "RU", Moved: 1}}},
			{"coordinator", nil, nil, []evacuation.MissionChanges{{Mission: "RU", Moved: 1}, {Mission: "SE", Dropped: 1}}},
		}
		households := func(list []evacuation.HouseholdMove) []string {
			var out []string
			for _, m := range list {
				out = append(out, m.Household)
			}
			return out
		}
		for _, tc := range cases {
			a := c.get(path, tc.who)
			cmp := decode[evacuation.Comparison](t, a)
			if !slices.Equal(households(cmp.Moved), tc.moved) || !slices.Equal(households(cmp.Dropped), tc.dropped) ||
				!slices.Equal(cmp.Others, tc.others) || cmp.A.People != 6 || cmp.B.People != 4 {
				t.Errorf("as %s: got moved %v dropped %v others %+v, people %d and %d", tc.who, households(cmp.Moved),
					households(cmp.Dropped), cmp.Others, cmp.A.People, cmp.B.People)
			}
			for _, id := range people {
				if !strings.Contains(strings.Join(append(tc.moved, tc.dropped...), " "), strings.SplitN(id, "-", 2)[0]) &&
					strings.Contains(a.body, familyName(id)) {
					t.Errorf("as %s: the comparison shows %s's name", tc.who, id)
				}
			}
		}
		for _, x := range []struct {
			path   string
			status int
			want   string
		}{
			{"/api/v1/plans/compare?a=1", http.StatusBadRequest, "b: choose the second plan"},
			{"/api/v1/plans/compare?a=one&b=1", http.StatusBadRequest, "a: choose the first plan"},
			{"/api/v1/plans/compare?a=1&b=99", http.StatusNotFound, "no plan 99"},
		} {
			if a := c.get(x.path, "manager"); a.status != x.status || !strings.Contains(a.body, x.want) {
				t.Errorf("GET %s: got %d %s, want %d with %q", x.path, a.status, a.body, x.status, x.want)
			}
		}
	})
}

func TestJointManifestOverTheAPI(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		path := fmt.Sprintf("/api/v1/plans/%d/departures/TRAIN-1/joint-manifest", c.plan)
		cases := []struct {
			who       string
			ids       []string // rows, in order
			passports []string
		}{
			{"coordinator", people, nil},
			{"admin", people, people},
			{"manager", []string{"RU-0001", "RU-0002", "RU-0003"}, []string{"RU-0001", "RU-0002", "RU-0003"}},
			{"se-manager", []string{"SE-0001", "SE-0002"}, []string{"SE-0001", "SE-0002"}},
		}
		for _, tc := range cases {
			a := c.get(path, tc.who)
			if a.status != http.StatusOK {
				t.Fatalf("as %s: got %d %s", tc.who, a.status, a.body)
			}
			rows, err := csv.NewReader(strings.NewReader(a.body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, row := range rows[1:] {
				id := row[2]
				ids = append(ids, id)
				wantPassport := ""
				if slices.Contains(tc.passports, id) {
					wantPassport = passport(id)
				}
				wantName := familyName(id)
				if tc.who == "coordinator" {
					wantName = "" // aggregates, never a person's record
				}
				if row[7] != wantPassport || row[3] != wantName || row[0] != strings.SplitN(id, "-", 2)[0] {
					t.Errorf("as %s: row %q: want mission, name %q and passport %q", tc.who, row, wantName, wantPassport)
				}
			}
			if !slices.Equal(ids, tc.ids) {
				t.Errorf("as %s: rows %v, want %v", tc.who, ids, tc.ids)
			}
		}
		for _, x := range []struct {
			who, path string
			status    int
		}{
			{"press", path, http.StatusForbidden},
			{"coordinator", path + "?format=doc", http.StatusBadRequest},
			{"coordinator", fmt.Sprintf("/api/v1/plans/%d/departures/BUS-1/joint-manifest", c.plan), http.StatusNotFound},
			{"coordinator", "/api/v1/plans/99/departures/TRAIN-1/joint-manifest", http.StatusNotFound},
		} {
			if a := c.get(x.path, x.who); a.status != x.status {
				t.Errorf("%s GET %s: got %d, want %d", x.who, x.path, a.status, x.status)
			}
		}
		if pdf := c.get(path+"?format=pdf", "coordinator"); pdf.status != http.StatusOK || !strings.HasPrefix(pdf.body, "%PDF-") {
			t.Errorf("pdf: got %d", pdf.status)
		}
	})
}
