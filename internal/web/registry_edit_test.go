package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/storetest"
)

// A refused person form shows each problem beside its field in the
// import's words, keeps what was typed, and writes nothing.
func TestPersonFormShowsProblemsBesideFields(t *testing.T) {
	s := newSite(t)
	form := url.Values{"id": {"RU-0042"}, "household": {"RU-H4"}, "given_name": {"Olga"}, "family_name": {"Ivanova"},
		"nationality": {"RU"}, "mission": {"RU"}, "category": {"staff"}, "birth_date": {"31/02/2021"}, "passport": {"75 1234567"}}
	p := s.submit("/people/new", "manager", form)
	if p.status != http.StatusBadRequest {
		t.Fatalf("bad date: got %d, want 400", p.status)
	}
	for _, want := range []string{
		`<p class="field-error" id="f-birth_date-error">birth_date: not a date, want YYYY-MM-DD (got &quot;31/02/2021&quot;)</p>`,
		`id="f-birth_date" name="birth_date" type="text" value="31/02/2021"`,
		`aria-invalid="true"`,
		`value="Ivanova"`, `value="75 1234567"`,
		"Nothing was saved: 1 problem below.",
	} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the refused form lacks %q", want)
		}
	}
	if _, err := s.store.Person(storetest.Ctx(), "RU-0042"); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("RU-0042 after a refused form: got %v, want not found", err)
	}
	form.Set("birth_date", "1984-02-29")
	if p := s.submit("/people/new", "manager", form); p.status != http.StatusSeeOther || p.header.Get("Location") != "/people/RU-0042/edit?done=added" {
		t.Fatalf("corrected form: got %d %s", p.status, p.header.Get("Location"))
	}
	if got, err := s.store.Person(storetest.Ctx(), "RU-0042"); err != nil || got.BirthDate != "1984-02-29" || got.Passport != "75 1234567" {
		t.Errorf("RU-0042: got %+v, %v", got, err)
	}
}

// The forms answer as the rights say: another mission's person is not
// found, roles that may not edit are refused, and the links to the forms
// show only to those who may use them.
func TestRecordFormsRights(t *testing.T) {
	s := newSite(t)
	s.checkPages(t, []pageCase{
		{who: "manager", path: "/people/new", status: 200, want: []string{`name="mission" type="text" value="RU" readonly`}},
		{who: "manager", path: "/people/RU-0002/edit", status: 200, want: []string{`value="FamRU0002"`}},
		{who: "manager", path: "/people/SE-0001/edit", status: 404},
		{who: "staff", path: "/people/RU-0002/edit", status: 404},
		{who: "staff", path: "/people/new", status: 403},
		{who: "coordinator", path: "/people/new", status: 403},
		{who: "manager", path: "/missions/new", status: 403},
		{who: "coordinator", path: "/missions/RU/edit", status: 200, want: []string{`value="Embassy of Russia"`}},
		{who: "coordinator", path: "/evac/departures/TRAIN-1/edit", status: 200, want: []string{`value="2021-04-02T09:00"`}},
		{who: "manager", path: "/evac/departures/new", status: 403},
		{who: "coordinator", path: "/evac/restrictions/R-1/edit", status: 200, want: []string{`value="SINUIJU"`}},
		{who: "manager", path: "/households/RU-H1", status: 200, want: []string{"FamRU0001", "FamRU0002", "Rename the household"}},
		{who: "staff", path: "/households/RU-H1", status: 200, want: []string{"FamRU0001"}, dontWant: []string{"Rename the household"}},
		{who: "manager", path: "/households/SE-H1", status: 404},
		{who: "manager", path: "/people", status: 200, want: []string{`href="/people/new"`, `href="/import?kind=people"`}},
		{who: "staff", path: "/people", status: 200, dontWant: []string{`href="/people/new"`, `href="/import`}},
		{who: "manager", path: "/people/RU-0002", status: 200, want: []string{`href="/people/RU-0002/edit"`, `href="/households/RU-H1"`}},
		{who: "coordinator", path: "/missions", status: 200, want: []string{`href="/missions/new"`}},
		{who: "coordinator", path: "/evac", status: 200, want: []string{`href="/evac/departures/new"`, `href="/evac/departures/TRAIN-1/edit"`}},
		{who: "manager", path: "/evac", status: 200, dontWant: []string{`href="/evac/departures/new"`}},
		{who: "manager", path: "/import", status: 200, want: []string{`<option value="people" selected>`, `<option value="stock"`}, dontWant: []string{`<option value="missions"`}},
		{who: "press", path: "/import", status: 403},
	})
	// A manager's POST for another mission's person is not found and
	// changes nothing.
	form := url.Values{"household": {"SE-H1"}, "given_name": {"X"}, "family_name": {"Y"}, "nationality": {"SE"}, "mission": {"RU"}, "category": {"staff"}}
	if p := s.submit("/people/SE-0001/edit", "manager", form); p.status != http.StatusNotFound {
		t.Errorf("manager edits SE-0001: got %d, want 404", p.status)
	}
	if p, _ := s.store.Person(storetest.Ctx(), "SE-0001"); p.Mission != "SE" {
		t.Errorf("SE-0001 moved to %s", p.Mission)
	}
}
