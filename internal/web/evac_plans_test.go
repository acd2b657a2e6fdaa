package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// saveOtherPlan saves a second plan beside the fixture's: RU-H1 moved to
// BUS-1, SE-H1 still on TRAIN-1, RU-H2 and WFP-H1 left out.
func (s *site) saveOtherPlan(t *testing.T) int64 {
	t.Helper()
	doc, err := s.store.SavePlan(storetest.Ctx(), outpost.PlanDoc{Start: "2021-04-01", Score: 80, Bound: 100,
		Assignments: []outpost.PlanAssignment{
			{Departure: "BUS-1", Household: "RU-H1", People: []string{"RU-0001", "RU-0002"}},
			{Departure: "TRAIN-1", Household: "SE-H1", People: []string{"SE-0001"}},
		},
		Staying:            []outpost.PlanStaying{},
		Unassigned:         []outpost.PlanUnassigned{{Household: "RU-H2", Reason: "seats taken by higher priority"}, {Household: "WFP-H1", Reason: "seats taken by higher priority"}},
		ExcludedDepartures: []outpost.PlanExcluded{}})
	if err != nil {
		t.Fatal(err)
	}
	return doc.Plan
}

// summarySection cuts the plan page's summary section out of a page.
func summarySection(t *testing.T, body string) string {
	t.Helper()
	start := strings.Index(body, `<section class="panel plan-summary"`)
	end := strings.Index(body[max(start, 0):], "</section>")
	if start < 0 || end < 0 {
		t.Fatalf("the page has no summary:\n%s", body)
	}
	return body[start:start+end+len("</section>")] + "\n"
}

func TestPlanPageOpensWithItsSummary(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			s := newSiteOn(t, open(t))
			other := s.saveOtherPlan(t)
			first := s.open(fmt.Sprintf("/evac/plans/%d", s.plan), "admin")
			if first.status != http.StatusOK {
				t.Fatalf("plan page: got %d", first.status)
			}
			testkit.Golden(t, "plan-summary-best", summarySection(t, first.body))
			if strings.Contains(first.body, "compare-previous") {
				t.Errorf("the first plan offers a previous plan to compare with")
			}
			for who, golden := range map[string]string{"admin": "plan-summary-admin", "manager": "plan-summary-manager", "coordinator": "plan-summary-coordinator"} {
				p := s.open(fmt.Sprintf("/evac/plans/%d", other), who)
				if p.status != http.StatusOK {
					t.Fatalf("%s: plan page: got %d", who, p.status)
				}
				testkit.Golden(t, golden, summarySection(t, p.body))
				for _, w := range othersOf(who) {
					if strings.Contains(p.body, w) {
						t.Errorf("%s sees %q on the plan page", who, w)
					}
				}
			}
		})
	}
}

func TestComparingTwoPlans(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			s := newSiteOn(t, open(t))
			other := s.saveOtherPlan(t)
			ab := fmt.Sprintf("/evac/plans/compare?a=%d&b=%d", s.plan, other)
			ba := fmt.Sprintf("/evac/plans/compare?a=%d&b=%d", other, s.plan)
			cases := []pageCase{
				{"manager", ab, 200, []string{
					`<strong>RU-H1</strong> <span class="move">TRAIN-1 → BUS-1</span>`, marker("RU-0001"),
					`<strong>RU-H2</strong> <span class="move">TRAIN-1 →</span>`, marker("RU-0003"),
					"<tr><td>WFP</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">1</td></tr>",
					fmt.Sprintf("Plan %d places 2 people fewer than plan %d (3 against 5)", other, s.plan),
					fmt.Sprintf("plan %d is within 20 %% of the best possible", other),
				}, []string{"SE-H1"}},
				{"manager", ba, 200, []string{
					`<strong>RU-H1</strong> <span class="move">BUS-1 → TRAIN-1</span>`,
					`<strong>RU-H2</strong> <span class="move">→ TRAIN-1</span>`, "Newly placed",
					"<tr><td>WFP</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">0</td></tr>",
				}, []string{"No longer placed in"}},
				{"coordinator", ab, 200, []string{
					"<tr><td>RU</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">1</td></tr>",
					"names stay with their missions",
				}, []string{"RU-H1"}},
				{"admin", ab, 200, []string{marker("WFP-0001"), "WFP-H1", `<span class="change-down">-4</span>`, `<span class="change-up">+2</span>`}, []string{"SE-H1"}},
				{"press", ab, 200, []string{"RU-H1"}, nil},
				{"manager", fmt.Sprintf("/evac/plans/compare?a=%d&b=%d", s.plan, s.plan), 200, []string{"Both plans put every household on the same departure"}, nil},
				{"manager", fmt.Sprintf("/evac/plans/compare?a=%d&b=99", s.plan), 404, []string{"Not found"}, nil},
				{"manager", "/evac/plans/compare?a=x&b=1", 400, []string{"choose the first plan"}, nil},
				{"manager", "/evac/plans/compare?b=1", 400, []string{"choose the first plan"}, nil},
				{"", ab, 303, nil, nil},
			}
			s.checkPages(t, cases)
			// The plan page links to the comparison with the plan before it,
			// and the list of plans offers two to pick.
			if p := s.open(fmt.Sprintf("/evac/plans/%d", other), "staff"); !strings.Contains(p.body, strings.ReplaceAll(ab, "&", "&amp;")) {
				t.Errorf("the plan page does not link to %s", ab)
			}
			if p := s.open("/evac", "staff"); !strings.Contains(p.body, `action="/evac/plans/compare"`) || !strings.Contains(p.body, `<label for="compare-a">`) {
				t.Errorf("the list of plans offers no comparison")
			}
		})
	}
}

func TestJointManifestShowsEachReaderTheirPart(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			s := newSiteOn(t, open(t))
			base := fmt.Sprintf("/evac/plans/%d/departures/TRAIN-1/joint-manifest", s.plan)
			cases := []struct {
				who       string
				status    int
				rows      []string // the CSV's rows after the header: mission,person
				passports []string
				noneOf    []string
			}{
				{"coordinator", 200, []string{"RU,RU-0001", "RU,RU-0002", "RU,RU-0003", "SE,SE-0001", "WFP,WFP-0001"}, nil,
					[]string{"PRU-0001", "PSE-0001", "PWFP-0001"}},
				{"admin", 200, []string{"RU,RU-0001", "RU,RU-0002", "RU,RU-0003", "SE,SE-0001", "WFP,WFP-0001"}, []string{"PRU-0001", "PSE-0001", "PWFP-0001"}, nil},
				{"manager", 200, []string{"RU,RU-0001", "RU,RU-0002", "RU,RU-0003"}, []string{"PRU-0001"}, []string{marker("SE-0001"), "SE-0001", "WFP-0001"}},
				{"staff", 200, []string{"RU,RU-0001", "RU,RU-0002", "RU,RU-0003"}, []string{"PRU-0003"}, []string{"SE-0001"}},
				{"press", 403, nil, nil, []string{"RU-0001"}},
			}
			for _, c := range cases {
				p := s.open(base+".csv", c.who)
				if p.status != c.status {
					t.Errorf("%s: got %d, want %d\n%s", c.who, p.status, c.status, p.body)
					continue
				}
				if c.status != 200 {
					continue
				}
				lines := strings.Split(strings.TrimSpace(p.body), "\n")
				if lines[0] != "mission,household,person,family_name,given_name,nationality,birth_date,passport,medical,sex,passport_expiry,permit_number,medical_needs" {
					t.Errorf("%s: header %q", c.who, lines[0])
				}
				var rows []string
				for _, l := range lines[1:] {
					f := strings.Split(l, ",")
					rows = append(rows, f[0]+","+f[2])
				}
				if strings.Join(rows, " ") != strings.Join(c.rows, " ") {
					t.Errorf("%s: rows %v, want %v", c.who, rows, c.rows)
				}
				if c.who == "coordinator" && (strings.Contains(p.body, marker("SE-0001")) || !strings.Contains(p.body, "SE-0001")) {
					t.Errorf("the coordinator's joint manifest: want SE-0001's row without a name:\n%s", p.body)
				}
				for _, w := range c.passports {
					if !strings.Contains(p.body, w) {
						t.Errorf("%s: the manifest lacks passport %s", c.who, w)
					}
				}
				for _, w := range c.noneOf {
					if strings.Contains(p.body, w) {
						t.Errorf("%s: the manifest shows %s:\n%s", c.who, w, p.body)
					}
				}
			}
			if p := s.open(base+".pdf", "coordinator"); p.status != 200 || !strings.HasPrefix(p.body, "%PDF-") ||
				!strings.Contains(p.header.Get("Content-Disposition"), "joint-manifest-") {
				t.Errorf("coordinator's PDF: got %d %q", p.status, p.header.Get("Content-Disposition"))
			}
			if p := s.open(fmt.Sprintf("/evac/plans/%d/departures/BUS-1/joint-manifest.csv", s.plan), "coordinator"); p.status != 404 {
				t.Errorf("a departure the plan does not use: got %d, want 404", p.status)
			}
			if p := s.open(fmt.Sprintf("/evac/plans/%d", s.plan), "coordinator"); !strings.Contains(p.body, "Joint manifest (PDF)") {
				t.Errorf("the coordinator's plan page has no joint manifest")
			}
			if p := s.open(fmt.Sprintf("/evac/plans/%d", s.plan), "manager"); strings.Contains(p.body, "Joint manifest") {
				t.Errorf("a mission's manager is offered the joint manifest")
			}
		})
	}
}
