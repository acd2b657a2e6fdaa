package evacuation

import (
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
)

// TestLeftBehindHidesPassportExpiry: the plan's reason for a person left
// behind names the passport's expiry date only to readers who may read
// the mission's passports, as the person's record does; the press learn
// that the passport is the reason, not its date.
func TestLeftBehindHidesPassportExpiry(t *testing.T) {
	doc, deps, people := samplePlan()
	doc.LeftBehind = []outpost.PlanLeftBehind{
		{Person: "RU-1", Household: "RU-H1", Reason: "passport_expired", Text: "passport expires 24 Feb"},
		{Person: "RU-2", Household: "RU-H1", Reason: "exit_permit_expired", Text: "exit permit expires 20 Feb; passport expires 1 Mar 2022; in quarantine until 3 Mar"},
		{Person: "RU-3", Household: "RU-H2", Reason: "in_quarantine", Text: "in quarantine until 3 Mar"},
	}
	texts := func(u outpost.User) map[string]string {
		out := map[string]string{}
		for _, x := range NewView(doc, deps, people, u).LeftBehind {
			out[x.ID] = x.Text
		}
		return out
	}
	for _, u := range []outpost.User{ruStaff, ruManager, admin} {
		got := texts(u)
		for _, x := range doc.LeftBehind {
			if got[x.Person] != x.Text {
				t.Errorf("%s: %s's reason %q, want %q", u.Role, x.Person, got[x.Person], x.Text)
			}
		}
	}
	got := texts(ruPress)
	want := map[string]string{
		"RU-1": "passport not valid on the departure day",
		"RU-2": "exit permit expires 20 Feb; passport not valid on the departure day; in quarantine until 3 Mar",
		"RU-3": "in quarantine until 3 Mar",
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("press: %s's reason %q, want %q", id, got[id], w)
		}
		if strings.Contains(got[id], "passport expires") {
			t.Errorf("press: %s's reason %q names the passport's expiry", id, got[id])
		}
	}
}
