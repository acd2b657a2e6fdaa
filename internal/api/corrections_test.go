package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
)

// Amend and void over the API: a manager of the person's mission with a
// reason; staff are refused, another mission's event is not found, the
// person's answer lists the corrected event, and an out-of-order
// checkpoint comes back flagged and listed for review.
func TestCorrectingEventsOverTheAPI(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		a := c.do("POST", "/api/v1/people/RU-0002/track", "staff", `{"checkpoint":"crossed","at":"2021-04-01T10:00:00Z"}`)
		if a.status != http.StatusCreated {
			t.Fatalf("track: %d %s", a.status, a.body)
		}
		ev := decode[outpost.Event](t, a)
		if ev.Flag == "" {
			t.Errorf("crossed while in the country: no flag in %s", a.body)
		}
		if got := decode[struct{ Events []outpost.Event }](t, c.do("GET", "/api/v1/events/flagged", "manager", "")); len(got.Events) != 1 || got.Events[0].ID != ev.ID {
			t.Errorf("flagged: %+v, want event %d", got, ev.ID)
		}
		amend := fmt.Sprintf("/api/v1/events/%d/amend", ev.ID)
		body := `{"checkpoint":"departed","reason":"it was the departure"}`
		if a := c.do("POST", amend, "staff", body); a.status != http.StatusForbidden {
			t.Errorf("staff amends: %d, want 403", a.status)
		}
		if a := c.do("POST", amend, "manager", `{"checkpoint":"departed"}`); a.status != http.StatusBadRequest || !strings.Contains(a.body, "reason") {
			t.Errorf("amend without a reason: %d %s, want 400 naming reason", a.status, a.body)
		}
		a = c.do("POST", amend, "manager", body)
		if a.status != http.StatusCreated {
			t.Fatalf("amend: %d %s", a.status, a.body)
		}
		rep := decode[outpost.Event](t, a)
		if rep.Amends != ev.ID || rep.Checkpoint != outpost.Departed || rep.Status != outpost.InTransit || rep.Flag != "" {
			t.Errorf("replacement %+v", rep)
		}
		d := decode[registry.PersonDetail](t, c.do("GET", "/api/v1/people/RU-0002", "manager", ""))
		if len(d.Corrected) != 1 || d.Corrected[0].ID != ev.ID || d.Corrected[0].ReplacedBy != rep.ID || d.Person.Status != outpost.InTransit {
			t.Errorf("person after the amendment: %+v", d)
		}
		if a := c.do("POST", amend, "manager", body); a.status != http.StatusConflict {
			t.Errorf("amend again: %d, want 409", a.status)
		}
		// Another mission's event answers as one that does not exist.
		se := decode[outpost.Event](t, c.do("POST", "/api/v1/people/SE-0001/track", "admin", `{"checkpoint":"departed","at":"2021-04-01T10:00:00Z"}`))
		other := c.do("POST", fmt.Sprintf("/api/v1/events/%d/void", se.ID), "manager", `{"reason":"x"}`)
		none := c.do("POST", "/api/v1/events/99999999/void", "manager", `{"reason":"x"}`)
		if other.status != http.StatusNotFound || none.status != http.StatusNotFound {
			t.Errorf("void of another mission's event %d, of none %d: want 404 both", other.status, none.status)
		}
		if a := c.do("POST", fmt.Sprintf("/api/v1/events/%d/void", rep.ID), "manager", `{"reason":"never left"}`); a.status != http.StatusOK {
			t.Errorf("void: %d %s", a.status, a.body)
		}
		// A group and its undo.
		a = c.do("POST", "/api/v1/track/group", "staff", `{"what":"household RU-H1","people":["RU-0001","RU-0002"],"checkpoint":"assembled"}`)
		if a.status != http.StatusCreated {
			t.Fatalf("group: %d %s", a.status, a.body)
		}
		g := decode[registry.BulkResult](t, a)
		if g.Recorded != 2 || g.Action.ID == 0 {
			t.Fatalf("group: %+v", g)
		}
		if a := c.do("POST", "/api/v1/track/group", "staff", `{"people":["RU-0001","SE-0001"],"checkpoint":"assembled"}`); a.status != http.StatusNotFound {
			t.Errorf("group with another mission's person: %d, want 404", a.status)
		}
		undo := fmt.Sprintf("/api/v1/track/actions/%d/undo", g.Action.ID)
		if a := c.do("POST", undo, "press", ""); a.status != http.StatusNotFound {
			t.Errorf("press undoes: %d, want 404", a.status)
		}
		u := decode[outpost.Undo](t, c.do("POST", undo, "staff", ""))
		if len(u.Voided) != 2 {
			t.Errorf("undo: %+v", u)
		}
		if a := c.do("POST", undo, "staff", ""); a.status != http.StatusConflict {
			t.Errorf("undo again: %d, want 409", a.status)
		}
	})
}

// An action covering two missions' people: RU's staff undo their part,
// the answer counts the other mission's event without showing it, and
// the admin can still undo that part.
func TestUndoOverTheAPIKeepsToTheCallersMissions(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		a := c.do("POST", "/api/v1/track/group", "admin", `{"what":"departure BUS-1","people":["RU-0001","SE-0001"],"checkpoint":"assembled"}`)
		if a.status != http.StatusCreated {
			t.Fatalf("group: %d %s", a.status, a.body)
		}
		g := decode[registry.BulkResult](t, a)
		undo := fmt.Sprintf("/api/v1/track/actions/%d/undo", g.Action.ID)
		a = c.do("POST", undo, "staff", "")
		if a.status != http.StatusOK {
			t.Fatalf("RU staff undo: %d %s", a.status, a.body)
		}
		if strings.Contains(a.body, "SE-0001") {
			t.Errorf("RU staff's undo shows another mission's person: %s", a.body)
		}
		u := decode[outpost.Undo](t, a)
		if len(u.Voided) != 1 || u.Voided[0].Person != "RU-0001" || len(u.Skipped) != 0 || u.Others != 1 || u.Action.UndoneAt != nil {
			t.Errorf("RU staff's undo: %s, want RU-0001 voided, others 1, the action not undone", a.body)
		}
		if a := c.do("POST", undo, "staff", ""); a.status != http.StatusConflict || strings.Contains(a.body, "SE-0001") {
			t.Errorf("RU staff undo again: %d %s, want 409 naming nobody", a.status, a.body)
		}
		a = c.do("POST", undo, "admin", "")
		if a.status != http.StatusOK {
			t.Fatalf("admin undoes the rest: %d %s", a.status, a.body)
		}
		u = decode[outpost.Undo](t, a)
		if len(u.Voided) != 1 || u.Voided[0].Person != "SE-0001" || u.Others != 0 || u.Action.UndoneAt == nil {
			t.Errorf("admin's undo: %s, want SE-0001 voided and the action undone", a.body)
		}
	})
}
