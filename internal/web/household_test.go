package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// A household shared with another mission's people: RU's manager sees
// why it cannot be renamed instead of the form, and a rename posted
// anyway is refused without naming the other members; the admin renames
// all of it.
func TestMixedHouseholdIsRenamedWholeOrNotAtAll(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			s := newSiteOn(t, open(t))
			if r := s.submit("/households/SE-H1/move", "admin", url.Values{"person": {"SE-0001"}, "household": {"RU-H1"}}); r.status != http.StatusSeeOther {
				t.Fatalf("admin moves SE-0001 into RU-H1: got %d\n%s", r.status, r.body)
			}
			page := s.open("/households/RU-H1", "manager").body
			if !strings.Contains(page, `id="rename-refused"`) || strings.Contains(page, `action="/households/RU-H1/rename"`) || strings.Contains(page, "SE-0001") {
				t.Errorf("RU manager's page of a mixed household: want the reason instead of the rename form, and no SE person")
			}
			r := s.submit("/households/RU-H1/rename", "manager", url.Values{"household": {"RU-FAM9"}})
			if r.status != http.StatusForbidden || !strings.Contains(r.body, "people of another mission") || strings.Contains(r.body, "SE-0001") {
				t.Errorf("RU manager renames a mixed household: got %d, want 403 saying why, naming nobody\n%s", r.status, r.body)
			}
			for _, id := range []string{"RU-0001", "RU-0002", "SE-0001"} {
				if p, _ := s.store.Person(storetest.Ctx(), id); p.Household != "RU-H1" {
					t.Errorf("%s after a refused rename: %q, want RU-H1", id, p.Household)
				}
			}
			if page := s.open("/households/RU-H1", "admin").body; !strings.Contains(page, `action="/households/RU-H1/rename"`) {
				t.Errorf("the admin's page lacks the rename form")
			}
			if r := s.submit("/households/RU-H1/rename", "admin", url.Values{"household": {"RU-FAM9"}}); r.status != http.StatusSeeOther {
				t.Fatalf("admin renames: got %d\n%s", r.status, r.body)
			}
			for _, id := range []string{"RU-0001", "RU-0002", "SE-0001"} {
				if p, _ := s.store.Person(storetest.Ctx(), id); p.Household != "RU-FAM9" {
					t.Errorf("%s after the admin's rename: %q, want RU-FAM9", id, p.Household)
				}
			}
		})
	}
}
