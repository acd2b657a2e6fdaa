package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// confirmation is the notice a page shows after a form's redirect.
var confirmation = regexp.MustCompile(`class="alert alert-ok[^"]*" role="status">[^<]*\S`)

// Every form that redirects to a page with a confirmation word gets that
// confirmation shown: the word the handler writes is one the page knows.
func TestEveryRedirectShowsItsConfirmation(t *testing.T) {
	type action struct {
		who, path string
		form      url.Values
		want      string
	}
	check := func(t *testing.T, a action, post func(path, who string, form url.Values) (int, string), get func(path, who string) string) string {
		t.Helper()
		status, loc := post(a.path, a.who, a.form)
		if status != http.StatusSeeOther {
			t.Fatalf("%s POST %s: got %d, want a redirect", a.who, a.path, status)
		}
		body := get(strings.SplitN(loc, "#", 2)[0], a.who)
		if m := confirmation.FindString(body); m == "" || !strings.Contains(body, a.want) {
			t.Errorf("%s POST %s redirected to %s, which shows no confirmation %q (found %q)", a.who, a.path, loc, a.want, m)
		}
		return loc
	}

	t.Run("press", func(t *testing.T) {
		p := newPress(t)
		post := func(path, who string, form url.Values) (int, string) {
			r := p.post(path, who, form)
			return r.status, r.header.Get("Location")
		}
		get := func(path, who string) string { return p.get(path, who).body }
		loc := check(t, action{"press", "/press", url.Values{"title": {"T"}, "body": {"B"}}, "Draft saved"}, post, get)
		st := strings.SplitN(loc, "?", 2)[0]
		for _, a := range []action{
			{"press", st, url.Values{"title": {"T2"}, "body": {"B2"}}, "Changes saved"},
			{"manager", st + "/approve", nil, "Approved"},
			{"press", st + "/publish", nil, "Published"},
			{"admin", "/users/staff/disable", nil, "Disabled staff"},
			{"admin", "/users/staff/enable", nil, "Enabled staff"},
		} {
			check(t, a, post, get)
		}
	})

	t.Run("evacuation and welfare", func(t *testing.T) {
		s := newSite(t)
		post := func(path, who string, form url.Values) (int, string) {
			if form == nil {
				form = url.Values{}
			}
			r := s.submit(path, who, form)
			return r.status, r.header.Get("Location")
		}
		get := func(path, who string) string { return s.open(path, who).body }
		rc := strings.SplitN(check(t, action{"manager", "/rollcalls", url.Values{"title": {"Noon"}}, "Roll call started"}, post, get), "?", 2)[0]
		mc := strings.SplitN(check(t, action{"staff", "/medical", url.Values{"person": {"RU-0003"}, "precedence": {"urgent"}, "need": {"surgery"}}, "Case opened"}, post, get), "?", 2)[0]
		for _, a := range []action{
			{"manager", rc + "/answers", url.Values{"person": {"RU-0001"}, "status": {"safe"}}, "Answer recorded"},
			{"manager", rc + "/close", url.Values{"confirm": {"yes"}}, "Roll call closed"},
			{"manager", rc + "/reopen", nil, "Roll call reopened"},
			{"staff", mc, url.Values{"precedence": {"priority"}, "need": {"rest"}}, "Case updated"},
			{"manager", mc + "/close", nil, "Case closed"},
			{"manager", "/evac/plans", url.Values{"start": {"2021-04-01"}}, "Plan made and saved"},
			{"manager", fmt.Sprintf("/evac/plans/%d/departures/TRAIN-1/track", s.plan), url.Values{"person": {"RU-0001"}, "checkpoint": {"assembled"}}, "Checkpoint recorded"},
			{"manager", "/people/RU-0002/track", url.Values{"checkpoint": {"assembled"}}, "Recorded"},
			{"manager", "/people/new", url.Values{"id": {"RU-0042"}, "household": {"RU-H4"}, "given_name": {"Olga"}, "family_name": {"Ivanova"},
				"nationality": {"RU"}, "mission": {"RU"}, "category": {"staff"}}, "Person added"},
			{"manager", "/people/RU-0042/edit", url.Values{"household": {"RU-H4"}, "given_name": {"Olga"}, "family_name": {"Smirnova"},
				"nationality": {"RU"}, "mission": {"RU"}, "category": {"staff"}}, "Changes saved"},
			{"manager", "/households/RU-H1/move", url.Values{"person": {"RU-0002"}, "household": {"RU-H2"}}, "Moved into this household"},
			{"manager", "/households/RU-H2/rename", url.Values{"household": {"RU-H5"}}, "Household renamed"},
			{"coordinator", "/missions/new", url.Values{"code": {"UA"}, "name": {"Embassy of Ukraine"}, "country": {"UA"}, "kind": {"embassy"}, "status": {"open"}}, "Mission added"},
			{"coordinator", "/evac/departures/new", url.Values{"id": {"BUS-7"}, "route": {"A - B"}, "departs": {"2021-04-09T08:00"}, "seats": {"20"}}, "Departure added"},
			{"coordinator", "/evac/restrictions/new", url.Values{"id": {"R-7"}, "kind": {"lockdown"}, "starts": {"2021-04-09"}}, "Restriction added"},
			{"staff", "/people/RU-0002/documents", url.Values{"permit_status": {"refused"}, "permit_authority": {"MFA"}}, "Exit documents saved"},
			{"manager", "/missions/RU/status", url.Values{"status": {"reduced"}, "since": {"2021-03-01"}, "note": {"minimum staff"}}, "Status recorded"},
		} {
			check(t, a, post, get)
		}
	})

	t.Run("corrections and bulk actions", func(t *testing.T) {
		s := newSite(t)
		post := func(path, who string, form url.Values) (int, string) {
			r := s.submit(path, who, form)
			return r.status, r.header.Get("Location")
		}
		get := func(path, who string) string { return s.open(path, who).body }
		ev := s.trackAt("RU-0002", outpost.Departed, siteNow.Add(-2*time.Hour))
		other := s.trackAt("RU-0003", outpost.Departed, siteNow.Add(-2*time.Hour))
		board := fmt.Sprintf("/evac/plans/%d/departures/TRAIN-1", s.plan)
		check(t, action{"manager", fmt.Sprintf("/people/RU-0002/events/%d/amend", ev.ID),
			url.Values{"at": {"2021-04-01T11:00"}, "checkpoint": {"departed"}, "reason": {"late"}}, "Correction saved"}, post, get)
		check(t, action{"manager", fmt.Sprintf("/people/RU-0003/events/%d/void", other.ID), url.Values{"reason": {"wrong"}}, "Event voided"}, post, get)
		loc := check(t, action{"staff", board + "/group", url.Values{"group": {"all"}, "checkpoint": {"assembled"}}, "Assembled recorded for 3 people of this departure"}, post, get)
		u, _ := url.Parse(loc)
		check(t, action{"staff", board + "/undo", url.Values{"action": {u.Query().Get("action")}}, "Undone: 3 events voided"}, post, get)
	})
}
