package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/testkit"
)

// pageStatus is the status badge at the head of a mission page.
var pageStatus = regexp.MustCompile(`<p><span class="badge badge-(\w+)">`)

// A mission page of a past date shows the status of then and the
// history; those allowed record a change with its date and note, others
// are refused, and a bad date is shown on the form.
func TestMissionStatusHistoryPages(t *testing.T) {
	for engine, open := range testkit.Stores(store.Open) {
		t.Run(engine, func(t *testing.T) {
			s := newSiteOn(t, open(t))
			statusOn := func(code, asOf string) string {
				t.Helper()
				p := s.open("/missions/"+code+"?as_of="+asOf, "coordinator")
				m := pageStatus.FindStringSubmatch(p.body)
				if p.status != http.StatusOK || m == nil {
					t.Fatalf("mission %s as of %s: %d, no status", code, asOf, p.status)
				}
				return m[1]
			}
			if got := statusOn("RU", "2021-03-15"); got != "open" {
				t.Fatalf("RU before any change: %s, want open", got)
			}
			form := url.Values{"status": {"reduced"}, "since": {"2021-03-01"}, "note": {"families left by train"}}
			if p := s.submit("/missions/RU/status", "manager", form); p.status != http.StatusSeeOther {
				t.Fatalf("manager records RU's status: %d, want 303", p.status)
			}
			for _, c := range []struct{ code, date, want string }{
				{"RU", "2021-02-28", "open"}, {"RU", "2021-03-01", "reduced"}, {"RU", "2021-03-31", "reduced"},
			} {
				if got := statusOn(c.code, c.date); got != c.want {
					t.Errorf("%s as of %s: %s, want %s", c.code, c.date, got, c.want)
				}
			}
			body := s.open("/missions/RU", "manager").body
			for _, want := range []string{"Status history", "Since 1 Mar 2021", "families left by train", "From the beginning", "recorded by manager", `action="/missions/RU/status"`} {
				if !strings.Contains(body, want) {
					t.Errorf("RU page lacks %q", want)
				}
			}
			if l := s.open("/missions?as_of=2021-02-01", "staff").body; !strings.Contains(l, "1 Feb 2021") {
				t.Errorf("missions list of a past date does not say which")
			}
			// Staff and press read the page without the form, and may not post.
			if strings.Contains(s.open("/missions/RU", "staff").body, `action="/missions/RU/status"`) {
				t.Error("staff sees the status form")
			}
			for _, who := range []string{"staff", "press"} {
				if p := s.submit("/missions/RU/status", who, url.Values{"status": {"closed"}, "since": {"2021-03-20"}}); p.status != http.StatusForbidden {
					t.Errorf("%s records a status: %d, want 403", who, p.status)
				}
			}
			// A manager of RU may not change SE; the coordinator may.
			if p := s.submit("/missions/SE/status", "manager", url.Values{"status": {"open"}, "since": {"2020-01-01"}}); p.status != http.StatusForbidden {
				t.Errorf("RU's manager records SE's status: %d, want 403", p.status)
			}
			if p := s.submit("/missions/SE/status", "coordinator", url.Values{"status": {"open"}, "since": {"2020-01-01"}}); p.status != http.StatusSeeOther {
				t.Errorf("coordinator records SE's status: %d, want 303", p.status)
			}
			if got := statusOn("SE", "2019-12-31"); got != "closed" {
				t.Errorf("SE before the coordinator's change: %s, want closed", got)
			}
			// Bad input: located on the form, nothing written.
			for _, c := range []struct{ since, status, want string }{
				{"2021-02-30", "closed", "not a real calendar date"},
				{"1850-01-01", "closed", "out of range"},
				{"2030-01-01", "closed", "more than a day in the future"},
				{"", "closed", "since: is required"},
				{"2021-03-20", "shut", "must be one of open, reduced, suspended, closed"},
				{"2021-03-20", "reduced", "is already reduced"},
			} {
				p := s.submit("/missions/RU/status", "manager", url.Values{"status": {c.status}, "since": {c.since}})
				if p.status != http.StatusBadRequest || !strings.Contains(p.body, c.want) || !strings.Contains(p.body, `role="alert"`) {
					t.Errorf("since %q status %q: %d, want 400 saying %q", c.since, c.status, p.status, c.want)
				}
			}
			if n := strings.Count(s.open("/missions/RU", "manager").body, `<span class="history-when">`); n != 2 {
				t.Errorf("RU history has %d entries after refused changes, want 2", n)
			}
			if p := s.submit("/missions/XX/status", "admin", url.Values{"status": {"open"}, "since": {"2021-01-01"}}); p.status != http.StatusNotFound {
				t.Errorf("unknown mission: %d, want 404", p.status)
			}
		})
	}
}
