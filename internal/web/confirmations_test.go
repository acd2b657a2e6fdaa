package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
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
			{"manager", rc + "/close", nil, "Roll call closed"},
			{"staff", mc, url.Values{"precedence": {"priority"}, "need": {"rest"}}, "Case updated"},
			{"manager", mc + "/close", nil, "Case closed"},
			{"manager", "/evac/plans", url.Values{"start": {"2021-04-01"}}, "Plan made and saved"},
			{"manager", fmt.Sprintf("/evac/plans/%d/departures/TRAIN-1/track", s.plan), url.Values{"person": {"RU-0001"}, "checkpoint": {"assembled"}}, "Checkpoint recorded"},
			{"manager", "/people/RU-0002/track", url.Values{"checkpoint": {"assembled"}}, "Recorded"},
			{"manager", "/missions/RU/status", url.Values{"status": {"reduced"}, "since": {"2021-03-01"}, "note": {"minimum staff"}}, "Status recorded"},
		} {
			check(t, a, post, get)
		}
	})
}
