package web_test

import (
	"html"
	"net/url"
	"strings"
	"testing"
)

// Web forms refuse what the domain's bounds refuse, showing the problem
// on the form, and record nothing.
func TestFormsApplyTheBounds(t *testing.T) {
	s := newStockSite(t)
	person := func(field, value string) url.Values {
		v := url.Values{"id": {"RU-0077"}, "household": {"RU-H7"}, "given_name": {"Olga"}, "family_name": {"Ivanova"},
			"nationality": {"RU"}, "mission": {"RU"}, "category": {"staff"}}
		v.Set(field, value)
		return v
	}
	for _, c := range []struct {
		target string
		form   url.Values
		want   string
	}{
		{"/supply/receipts", url.Values{"mission": {"RU"}, "item": {"FLOUR"}, "lot": {"L9"}, "quantity": {"1e308"}, "date": {"2021-03-01"}}, "must be at most 1000000000"},
		{"/supply/receipts", url.Values{"mission": {"RU"}, "item": {"FLOUR"}, "lot": {"L9"}, "quantity": {"Inf"}, "date": {"2021-03-01"}}, "quantity"},
		{"/supply/receipts", url.Values{"mission": {"RU"}, "item": {"FLOUR"}, "lot": {"RU/../../x"}, "quantity": {"1"}, "date": {"2021-03-01"}}, "must be 1 to 64 letters"},
		{"/supply/receipts", url.Values{"mission": {"RU"}, "item": {"FLOUR"}, "lot": {"L9"}, "quantity": {"1"}, "date": {"9999-12-31"}}, "out of range"},
		{"/supply/issues", url.Values{"mission": {"RU"}, "item": {"FLOUR"}, "quantity": {"1"}, "date": {"2021-03-01"}, "note": {"a\x00b"}}, "holds a NUL"},
		{"/people/RU-0002/track", url.Values{"checkpoint": {"departed"}, "at": {"9999-12-31"}}, "out of range"},
		{"/people/RU-0002/track", url.Values{"checkpoint": {"departed"}, "at": {"0001-01-01T00:00"}}, "out of range"},
		{"/people/RU-0002/track", url.Values{"checkpoint": {"departed"}, "at": {"2021-03-09"}}, "more than a day in the future"},
		{"/people/new", person("given_name", "a\x00b"), "given_name: holds a NUL"},
		{"/people/new", person("family_name", strings.Repeat("x", 300)), "family_name: "},
		{"/people/new", person("birth_date", "9999-12-31"), "birth_date: out of range"},
		{"/missions/new", url.Values{"code": {"UA"}, "name": {"U"}, "kind": {"embassy"}, "status": {"open"}, "min_staff": {"99999999999"}}, "min_staff: "},
		{"/evac/departures/new", url.Values{"id": {"B-1"}, "route": {"r"}, "departs": {"2021-04-02T09:00"}, "seats": {"1e9"}}, "seats: "},
	} {
		p := s.send("POST", c.target, "admin", c.form)
		if p.status != 400 || !strings.Contains(html.UnescapeString(p.body), c.want) {
			t.Errorf("POST %s %v: got %d, want 400 with %q", c.target, c.form, p.status, c.want)
		}
	}
	evs, err := s.store.Events(t.Context(), "RU-0002")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Source == "track" {
			t.Errorf("a refused checkpoint was recorded: %+v", e)
		}
	}
}
