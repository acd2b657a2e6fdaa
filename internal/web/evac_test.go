package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/testkit"
)

func TestEvacuationPagesShowEachRoleItsPart(t *testing.T) {
	s := newSite(t)
	plan := fmt.Sprintf("/evac/plans/%d", s.plan)
	board := plan + "/departures/TRAIN-1"
	cases := []pageCase{
		{"manager", "/evac", 200, []string{"Make a plan", "TRAIN-1", "crossing closed: R-1", "Sinuiju closed", "Plan 1"}, nil},
		{"staff", "/evac", 200, []string{"TRAIN-1", "Plan 1"}, []string{"Make a plan"}},
		{"coordinator", "/evac", 200, []string{"TRAIN-1"}, []string{"Make a plan"}},
		{"press", "/evac/restrictions", 200, []string{"R-1", "In force", "Sinuiju closed"}, nil},
		{"manager", plan, 200, []string{marker("RU-0001"), marker("RU-0003"), "2 people of other missions", "Manifest (PDF)", "your mission, <strong>RU</strong>"}, nil},
		{"press", plan, 200, []string{marker("RU-0001"), "Tracking board"}, []string{"Manifest (PDF)"}},
		{"coordinator", plan, 200, []string{"5 people of other missions", "names stay with their missions"}, []string{"Manifest (PDF)", "Manifest (CSV)"}},
		{"admin", plan, 200, []string{marker("SE-0001"), marker("WFP-0001"), "Manifest (CSV)"}, []string{"other missions"}},
		{"manager", board, 200, []string{marker("RU-0002"), `id="count-total">5<`, "2 passengers of other missions", `name="checkpoint"`}, nil},
		{"press", board, 200, []string{marker("RU-0002")}, []string{`name="checkpoint"`}},
		{"coordinator", board, 200, []string{`id="count-total">5<`, "5 passengers of other missions"}, []string{`name="checkpoint"`}},
		{"manager", plan + "/departures/BUS-1", 404, []string{"Not found"}, nil},
		{"manager", "/evac/plans/9", 404, []string{"Not found"}, nil},
		{"", "/evac", 303, nil, nil},
	}
	s.checkPages(t, cases)
}

func TestMakingAPlanFromThePage(t *testing.T) {
	s := newSite(t)
	cases := []struct {
		who, start string
		status     int
		location   string
		want       string
	}{
		{"manager", "2021-04-01", 303, "/evac/plans/2?made=1", ""},
		{"manager", "2021-04-31", 400, "", "not a real calendar date"},
		{"staff", "2021-04-01", 403, "", "managers and the admin"},
	}
	for _, c := range cases {
		p := s.submit("/evac/plans", c.who, url.Values{"start": {c.start}})
		if p.status != c.status || p.header.Get("Location") != c.location || !strings.Contains(p.body, c.want) {
			t.Errorf("%s plans from %s: got %d to %q, want %d to %q with %q:\n%s", c.who, c.start, p.status, p.header.Get("Location"), c.status, c.location, c.want, p.body)
		}
	}
	if p := s.open("/evac/plans/2?made=1", "manager"); !strings.Contains(p.body, "Plan made and saved") {
		t.Errorf("the new plan's page has no confirmation")
	}
}

func TestTrackingFromTheBoard(t *testing.T) {
	s := newSite(t)
	board := fmt.Sprintf("/evac/plans/%d/departures/TRAIN-1", s.plan)
	cases := []struct {
		who, person, checkpoint string
		status                  int
	}{
		{"manager", "RU-0001", "assembled", 303},
		{"staff", "RU-0002", "assembled", 303},
		{"staff", "RU-0002", "departed", 303},
		{"manager", "SE-0001", "assembled", 404},
		{"manager", "RU-0003", "boarded", 400},
		{"press", "RU-0003", "assembled", 403},
		{"coordinator", "RU-0003", "assembled", 404},
	}
	for _, c := range cases {
		p := s.submit(board+"/track", c.who, url.Values{"person": {c.person}, "checkpoint": {c.checkpoint}})
		if p.status != c.status {
			t.Errorf("%s records %s for %s: got %d, want %d", c.who, c.checkpoint, c.person, p.status, c.status)
		}
		if c.status == 303 && !strings.HasPrefix(p.header.Get("Location"), board+"?tracked="+c.person) {
			t.Errorf("%s records for %s: redirected to %q", c.who, c.person, p.header.Get("Location"))
		}
	}
	for id, want := range map[string]int{"RU-0001": 2, "RU-0002": 3, "RU-0003": 1, "SE-0001": 1} {
		evs, err := s.store.Events(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != want {
			t.Errorf("%s: got %d events, want %d", id, len(evs), want)
		}
	}
	p := s.open(board+"?tracked=RU-0002", "manager")
	for _, w := range []string{"Checkpoint recorded for RU-0002", `id="count-assembled">1<`, `id="count-departed">1<`, `id="count-manifested">3<`} {
		if !strings.Contains(p.body, w) {
			t.Errorf("the board lacks %q", w)
		}
	}
}

func TestManifestDownloadsFromTheWeb(t *testing.T) {
	s := newSite(t)
	base := fmt.Sprintf("/evac/plans/%d/departures/TRAIN-1/manifest", s.plan)
	csv := s.open(base+".csv", "manager")
	if csv.status != http.StatusOK || !strings.Contains(csv.body, "RU-0001,"+marker("RU-0001")) || !strings.Contains(csv.body, "PRU-0001") {
		t.Errorf("manager's CSV: got %d\n%s", csv.status, csv.body)
	}
	if strings.Contains(csv.body, "PSE-0001") || strings.Contains(csv.body, marker("SE-0001")) {
		t.Errorf("manager's CSV shows another mission's passenger:\n%s", csv.body)
	}
	pdf := s.open(base+".pdf", "staff")
	if pdf.status != http.StatusOK || !strings.HasPrefix(pdf.body, "%PDF-") {
		t.Errorf("staff's PDF: got %d", pdf.status)
	}
	if p := s.open(base+".csv", "press"); p.status != http.StatusForbidden || !strings.Contains(p.body, "Not allowed") {
		t.Errorf("press: got %d, want the 403 page", p.status)
	}
}

func TestRestrictionsOnADay(t *testing.T) {
	s := newSite(t)
	cases := []struct {
		query string
		want  string
	}{
		{"", "1 of 1 in force on <strong>today</strong>"},
		{"?on=2021-02-01", "0 of 1 in force on <strong>2021-02-01</strong>"},
	}
	for _, c := range cases {
		p := s.open("/evac/restrictions"+c.query, "staff")
		if !strings.Contains(p.body, c.want) {
			t.Errorf("restrictions%s: the page lacks %q", c.query, c.want)
		}
	}
	if p := s.open("/evac/restrictions?on=someday", "staff"); p.status != http.StatusBadRequest {
		t.Errorf("a bad day: got %d, want 400", p.status)
	}
}

// A checkpoint recorded on the board of a plan made for tomorrow shows on
// that board and on today's plan's board of the same departure: one
// departure has one board, whatever plan is open.
func TestBoardIsTheSameWhicheverPlanIsOpen(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			s := newSiteOn(t, open(t))
			made := s.submit("/evac/plans", "manager", url.Values{"start": {"2021-04-02"}})
			if made.status != http.StatusSeeOther {
				t.Fatalf("plan for tomorrow: got %d\n%s", made.status, made.body)
			}
			tomorrow := strings.TrimSuffix(made.header.Get("Location"), "?made=1")
			board := tomorrow + "/departures/TRAIN-1"
			p := s.submit(board+"/track", "manager", url.Values{"person": {"RU-0001"}, "checkpoint": {"assembled"}})
			if p.status != http.StatusSeeOther {
				t.Fatalf("track on tomorrow's board: got %d\n%s", p.status, p.body)
			}
			for _, b := range []string{board, fmt.Sprintf("/evac/plans/%d/departures/TRAIN-1", s.plan)} {
				got := s.open(b, "manager")
				if !strings.Contains(got.body, `id="count-assembled">1<`) {
					t.Errorf("%s does not count RU-0001 assembled", b)
				}
			}
		})
	}
}

// Making a plan from a day after the last departure shows the form again
// with the reason, and saves nothing.
func TestMakingAPlanWithNoDepartureIsRefused(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			s := newSiteOn(t, open(t))
			p := s.submit("/evac/plans", "manager", url.Values{"start": {"2021-05-01"}})
			if p.status != http.StatusBadRequest || !strings.Contains(p.body, "nothing to plan") || !strings.Contains(p.body, "no departure on or after that day") {
				t.Errorf("got %d, want 400 with the reason:\n%s", p.status, p.body)
			}
			plans, err := s.store.Plans(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if len(plans) != 1 {
				t.Errorf("got %d plans, want the fixture's one alone", len(plans))
			}
		})
	}
}
