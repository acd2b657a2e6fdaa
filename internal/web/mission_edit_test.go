package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/storetest"
)

// The mission edit form has no status: a change of status is recorded
// with its date on the mission's page, and a status posted to the edit
// form anyway changes nothing, so saving the form keeps the history.
func TestMissionEditFormKeepsStatus(t *testing.T) {
	s := newSite(t)
	ctx := storetest.Ctx()
	s.checkPages(t, []pageCase{
		{who: "coordinator", path: "/missions/RU/edit", status: 200, want: []string{`value="Embassy of Russia"`}, dontWant: []string{`name="status"`}},
		{who: "coordinator", path: "/missions/new", status: 200, want: []string{`name="status"`}},
	})
	before, err := s.store.Mission(ctx, "RU")
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"name": {"Embassy of the Russian Federation"}, "country": {"RU"}, "kind": {string(before.Kind)},
		"min_staff": {"2"}, "status": {"closed"}}
	if p := s.submit("/missions/RU/edit", "coordinator", form); p.status != http.StatusSeeOther || !strings.HasSuffix(p.header.Get("Location"), "?done=saved") {
		t.Fatalf("saving RU: got %d %s", p.status, p.header.Get("Location"))
	}
	after, err := s.store.Mission(ctx, "RU")
	if err != nil || after.Name != "Embassy of the Russian Federation" || after.Status != before.Status {
		t.Errorf("RU after the form: %+v, %v; want the new name and status %s", after, err, before.Status)
	}
	if h, err := s.store.MissionHistory(ctx, "RU"); err != nil || len(h) != 1 || h[0].Status != before.Status {
		t.Errorf("RU history after the form: %+v, %v", h, err)
	}
}
