package api_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/api"
	"github.com/outpost-org/outpost/internal/report"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/storetest"
)

func TestDeparturesAndRestrictions(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		for _, who := range []string{"admin", "coordinator", "manager", "staff", "press"} {
			deps := decode[api.DepartureList](t, c.get("/api/v1/departures", who)).Departures
			if len(deps) != 2 || deps[0].ID != "TRAIN-1" || deps[0].Closed != "" || deps[1].Closed != "crossing closed: R-1" || deps[0].Past {
				t.Errorf("as %s: departures: got %+v, want TRAIN-1 open and BUS-1 closed by R-1", who, deps)
			}
		}
		cases := []struct {
			query   string
			on      string
			ids     []string
			inForce []bool
		}{
			{"", "2021-04-01", []string{"R-2", "R-1"}, []bool{false, true}},
			{"?on=2020-06-01", "2020-06-01", []string{"R-2"}, []bool{true}},
			{"?on=2019-01-01", "2019-01-01", nil, nil},
		}
		for _, tc := range cases {
			got := decode[evacuation.RestrictionList](t, c.get("/api/v1/restrictions"+tc.query, "press"))
			var ids []string
			var in []bool
			for _, r := range got.Restrictions {
				ids, in = append(ids, r.ID), append(in, r.InForce)
			}
			if string(got.On) != tc.on || !slices.Equal(ids, tc.ids) || !slices.Equal(in, tc.inForce) {
				t.Errorf("restrictions%s: got on %s, %v %v; want on %s, %v %v", tc.query, got.On, ids, in, tc.on, tc.ids, tc.inForce)
			}
		}
		if a := c.get("/api/v1/restrictions?on=2021-02-30", "admin"); a.status != http.StatusBadRequest || !strings.Contains(a.body, "on \\\"2021-02-30\\\"") {
			t.Errorf("a bad date: got %d %s", a.status, a.body)
		}
		if a := c.get("/api/v1/departures", ""); a.status != http.StatusUnauthorized {
			t.Errorf("no token: got %d, want 401", a.status)
		}
	})
}

// named lists the ids of the people a plan view names.
func named(v evacuation.PlanView) []string {
	var out []string
	for _, d := range v.Departures {
		for _, h := range d.Named {
			for _, p := range h.People {
				out = append(out, p.ID)
			}
		}
	}
	return out
}

func TestPlansShowEachMissionItsOwnHouseholds(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		cases := []struct {
			who    string
			named  []string
			hidden int
		}{
			{"admin", []string{"RU-0001", "RU-0002", "RU-0003", "SE-0001", "SE-0002", "WFP-0001"}, 0},
			{"manager", []string{"RU-0001", "RU-0002", "RU-0003"}, 3},
			{"staff", []string{"RU-0001", "RU-0002", "RU-0003"}, 3},
			{"press", []string{"RU-0001", "RU-0002", "RU-0003"}, 3},
			{"se-manager", []string{"SE-0001", "SE-0002"}, 4},
			{"coordinator", nil, 6},
		}
		for _, tc := range cases {
			a := c.get(fmt.Sprintf("/api/v1/plans/%d", c.plan), tc.who)
			v := decode[evacuation.PlanView](t, a)
			got := named(v)
			slices.Sort(got)
			if !slices.Equal(got, tc.named) {
				t.Errorf("as %s: named %v, want %v", tc.who, got, tc.named)
			}
			if len(v.Departures) != 1 || v.Departures[0].Hidden != tc.hidden || v.Departures[0].People != 6 {
				t.Errorf("as %s: departures %+v, want TRAIN-1 with 6 people, %d hidden", tc.who, v.Departures, tc.hidden)
			}
			for _, id := range people {
				if !slices.Contains(tc.named, id) && (strings.Contains(a.body, familyName(id)) || strings.Contains(a.body, passport(id))) {
					t.Errorf("as %s: the plan shows %s's name or passport", tc.who, id)
				}
			}
		}
		if a := c.get("/api/v1/plans/999", "manager"); a.status != http.StatusNotFound {
			t.Errorf("a missing plan: got %d, want 404", a.status)
		}
		if a := c.get("/api/v1/plans/x", "manager"); a.status != http.StatusNotFound {
			t.Errorf("a bad plan id: got %d, want 404", a.status)
		}
		list := decode[api.PlanList](t, c.get("/api/v1/plans", "coordinator"))
		if len(list.Plans) != 1 || list.Plans[0].People != 6 {
			t.Errorf("plans: got %+v", list.Plans)
		}
	})
}

func TestMakingAPlan(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		cases := []struct {
			who, body string
			status    int
			want      string
		}{
			{"manager", `{"start": "2021-04-01"}`, http.StatusCreated, `"named": "mission"`},
			{"admin", `{"start": "2021-04-02"}`, http.StatusCreated, `"named": "all"`},
			{"staff", `{"start": "2021-04-01"}`, http.StatusForbidden, "managers and the admin"},
			{"coordinator", `{"start": "2021-04-01"}`, http.StatusForbidden, "may not make plans"},
			{"manager", `{"start": "1 April"}`, http.StatusBadRequest, `start \"1 April\"`},
			{"manager", `{"begin": "2021-04-01"}`, http.StatusBadRequest, "not valid JSON"},
		}
		for _, tc := range cases {
			a := c.do("POST", "/api/v1/plans", tc.who, tc.body)
			if a.status != tc.status || !strings.Contains(a.body, tc.want) {
				t.Errorf("%s posts %s: got %d %s, want %d with %q", tc.who, tc.body, a.status, a.body, tc.status, tc.want)
			}
		}
		plans := decode[api.PlanList](t, c.get("/api/v1/plans", "admin")).Plans
		if len(plans) != 3 || plans[1].CreatedBy != "manager" {
			t.Errorf("saved plans: got %+v, want the two new ones, by their makers", plans)
		}
	})
}

func TestManifestPassportsOnlyForTheCallersMission(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		path := fmt.Sprintf("/api/v1/plans/%d/departures/TRAIN-1/manifest", c.plan)
		cases := []struct {
			who       string
			passports []string // people whose passport is filled
			names     []string // people whose name is given
		}{
			{"admin", people, people},
			{"manager", []string{"RU-0001", "RU-0002", "RU-0003"}, []string{"RU-0001", "RU-0002", "RU-0003"}},
			{"staff", []string{"RU-0001", "RU-0002", "RU-0003"}, []string{"RU-0001", "RU-0002", "RU-0003"}},
			{"se-manager", []string{"SE-0001", "SE-0002"}, []string{"SE-0001", "SE-0002"}},
		}
		for _, tc := range cases {
			a := c.get(path, tc.who)
			if a.status != http.StatusOK || a.header.Get("Content-Type") != "text/csv; charset=utf-8" {
				t.Fatalf("as %s: got %d %s", tc.who, a.status, a.body)
			}
			rows, err := csv.NewReader(strings.NewReader(a.body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(rows[0], report.ManifestHeader) || len(rows) != 1+len(people) {
				t.Fatalf("as %s: got %d rows, want a header and one per passenger:\n%s", tc.who, len(rows), a.body)
			}
			for _, row := range rows[1:] {
				id := row[1]
				wantPassport, wantName := "", ""
				if slices.Contains(tc.passports, id) {
					wantPassport = passport(id)
				}
				if slices.Contains(tc.names, id) {
					wantName = familyName(id)
				}
				if row[6] != wantPassport || row[2] != wantName {
					t.Errorf("as %s: %s: got passport %q and name %q, want %q and %q", tc.who, id, row[6], row[2], wantPassport, wantName)
				}
			}
		}
		pdf := c.get(path+"?format=pdf", "manager")
		if pdf.status != http.StatusOK || pdf.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.body, "%PDF-") ||
			!strings.Contains(pdf.header.Get("Content-Disposition"), "manifest-1-TRAIN-1.pdf") {
			t.Errorf("pdf: got %d %q %q", pdf.status, pdf.header.Get("Content-Type"), pdf.header.Get("Content-Disposition"))
		}
		for _, x := range []struct {
			who, path string
			status    int
		}{
			{"press", path, http.StatusForbidden},
			{"coordinator", path, http.StatusForbidden},
			{"manager", path + "?format=doc", http.StatusBadRequest},
			{"manager", fmt.Sprintf("/api/v1/plans/%d/departures/BUS-1/manifest", c.plan), http.StatusNotFound},
			{"manager", fmt.Sprintf("/api/v1/plans/%d/departures/NOPE/manifest", c.plan), http.StatusNotFound},
		} {
			if a := c.get(x.path, x.who); a.status != x.status {
				t.Errorf("%s GET %s: got %d, want %d", x.who, x.path, a.status, x.status)
			}
		}
	})
}

func TestBoardCountsEveryoneAndListsOwnPeople(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		track := func(who, person, checkpoint, at string) {
			t.Helper()
			a := c.do("POST", "/api/v1/people/"+person+"/track", who, fmt.Sprintf(`{"checkpoint": %q, "at": %q}`, checkpoint, at))
			if a.status != http.StatusCreated {
				t.Fatalf("track %s: got %d %s", person, a.status, a.body)
			}
		}
		track("manager", "RU-0001", "assembled", "2021-04-01T08:00")
		track("se-manager", "SE-0001", "assembled", "2021-04-01T08:30")
		path := fmt.Sprintf("/api/v1/plans/%d/departures/TRAIN-1/board", c.plan)
		cases := []struct {
			who    string
			rows   []string
			hidden int
		}{
			{"admin", people, 0},
			{"staff", []string{"RU-0001", "RU-0002", "RU-0003"}, 3},
			{"coordinator", nil, 6},
		}
		for _, tc := range cases {
			b := decode[evacuation.Board](t, c.get(path, tc.who))
			var rows []string
			for _, r := range b.People {
				rows = append(rows, r.Person)
			}
			if !slices.Equal(rows, tc.rows) || b.Hidden != tc.hidden {
				t.Errorf("as %s: rows %v (%d hidden), want %v (%d)", tc.who, rows, b.Hidden, tc.rows, tc.hidden)
			}
			if b.Total != 6 || b.Counts["assembled"] != 2 || b.Counts["manifested"] != 4 || b.Counts["unaccounted"] != 0 {
				t.Errorf("as %s: counts %v of %d, want 2 assembled and 4 waiting of 6", tc.who, b.Counts, b.Total)
			}
		}
		if a := c.get(fmt.Sprintf("/api/v1/plans/%d/departures/BUS-1/board", c.plan), "admin"); a.status != http.StatusNotFound {
			t.Errorf("a departure the plan does not use: got %d, want 404", a.status)
		}
	})
}

// A checkpoint is the person's, not the plan's: a plan made for tomorrow
// and one made today show the same board for the departure they share.
func TestBoardIsTheSameWhicheverPlanIsOpen(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		a := c.do("POST", "/api/v1/plans", "manager", `{"start": "2021-04-02"}`)
		if a.status != http.StatusCreated {
			t.Fatalf("plan for tomorrow: got %d %s", a.status, a.body)
		}
		tomorrow := decode[evacuation.PlanView](t, a).Plan
		if a := c.do("POST", "/api/v1/people/RU-0001/track", "manager", `{"checkpoint": "assembled"}`); a.status != http.StatusCreated {
			t.Fatalf("track RU-0001: got %d %s", a.status, a.body)
		}
		for _, plan := range []int64{c.plan, tomorrow} {
			b := decode[evacuation.Board](t, c.get(fmt.Sprintf("/api/v1/plans/%d/departures/TRAIN-1/board", plan), "admin"))
			if b.Counts["assembled"] != 1 {
				t.Errorf("plan %d: counts %v, want RU-0001 assembled", plan, b.Counts)
			}
			for _, r := range b.People {
				if r.Person == "RU-0001" && r.Checkpoint != "assembled" {
					t.Errorf("plan %d: RU-0001 at %q, want assembled", plan, r.Checkpoint)
				}
			}
		}
	})
}

// A plan with no seat to fill is refused, and nothing is saved: after the
// last departure, or when the only one left has its crossing closed.
func TestPlanWithNoDepartureIsRefused(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		before, err := c.store.Plans(storetest.Ctx())
		if err != nil {
			t.Fatal(err)
		}
		for start, want := range map[string]string{
			"2021-05-01": "no departure on or after that day",
			"2021-04-03": "BUS-1 (crossing closed: R-1)",
		} {
			a := c.do("POST", "/api/v1/plans", "manager", fmt.Sprintf(`{"start": %q}`, start))
			if a.status != http.StatusBadRequest || !strings.Contains(a.body, "nothing to plan") || !strings.Contains(a.body, want) || !strings.Contains(a.body, "start") {
				t.Errorf("plan from %s: got %d %s, want 400 saying %q", start, a.status, a.body, want)
			}
		}
		after, err := c.store.Plans(storetest.Ctx())
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before) {
			t.Errorf("refused plans saved: %d plans, want %d", len(after), len(before))
		}
	})
}
