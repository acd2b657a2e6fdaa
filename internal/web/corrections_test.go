package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// trackAt records a checkpoint straight in the store, or fails.
func (s *site) trackAt(person string, c outpost.Checkpoint, at time.Time) outpost.Event {
	s.t.Helper()
	ev, err := s.store.Track(storetest.Ctx(), outpost.Track{Person: person, Checkpoint: c, At: at})
	if err != nil {
		s.t.Fatal(err)
	}
	return ev
}

// A manager amends a wrong time on a person's page: the original shows
// struck through with the reason, the replacement names it, and the
// person's status follows; staff may not, and another mission's event
// is not found.
func TestCorrectingAnEventOnThePersonPage(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			s := newSiteOn(t, open(t))
			ev := s.trackAt("RU-0002", outpost.Departed, siteNow.Add(-2*time.Hour))
			path := fmt.Sprintf("/people/RU-0002/events/%d/amend", ev.ID)
			form := url.Values{"at": {"2021-04-01T11:30"}, "checkpoint": {"departed"}, "reason": {"scanned late"}}

			if r := s.submit(path, "staff", form); r.status != http.StatusForbidden {
				t.Errorf("staff amends: got %d, want 403", r.status)
			}
			if r := s.submit(path, "press", form); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
				t.Errorf("press amends: got %d, want refused", r.status)
			}
			if r := s.submit(path, "manager", url.Values{"at": {"2021-04-01T11:30"}, "checkpoint": {"departed"}}); r.status != http.StatusBadRequest || !strings.Contains(r.body, "reason") {
				t.Errorf("amend without a reason: got %d, want 400 naming the reason", r.status)
			}
			r := s.submit(path, "manager", form)
			if r.status != http.StatusSeeOther {
				t.Fatalf("manager amends: got %d\n%s", r.status, r.body)
			}
			page := s.open("/people/RU-0002", "manager").body
			for _, want := range []string{"<del>", "Amended", "scanned late", "corrects <a href=\"#event-" + fmt.Sprint(ev.ID)} {
				if !strings.Contains(page, want) {
					t.Errorf("person page after the amendment lacks %q", want)
				}
			}
			h, _ := s.store.History(storetest.Ctx(), "RU-0002")
			if len(h.Corrected) != 1 || h.Corrected[0].ID != ev.ID {
				t.Fatalf("history %+v", h)
			}
			last := h.Events[len(h.Events)-1]
			if !last.At.Equal(time.Date(2021, 4, 1, 11, 30, 0, 0, time.UTC)) || last.Amends != ev.ID {
				t.Errorf("replacement %+v, want 11:30 amending %d", last, ev.ID)
			}
			// Twice: the original is already corrected.
			if r := s.submit(path, "manager", form); r.status != http.StatusBadRequest || !strings.Contains(r.body, "already amended") {
				t.Errorf("amend the original again: got %d, want 400 saying it was already amended", r.status)
			}
			// Void the replacement: the person is back in the country.
			if r := s.submit(fmt.Sprintf("/people/RU-0002/events/%d/void", last.ID), "manager", url.Values{"reason": {"never left"}}); r.status != http.StatusSeeOther {
				t.Fatalf("void: got %d\n%s", r.status, r.body)
			}
			if p, _ := s.store.Person(storetest.Ctx(), "RU-0002"); p.Status != outpost.InCountry {
				t.Errorf("after the void: %s, want in_country", p.Status)
			}

			// Another mission's event: not found, on its page or through
			// one's own person's page; nothing changes.
			se := s.trackAt("SE-0001", outpost.Departed, siteNow.Add(-time.Hour))
			for _, p := range []string{fmt.Sprintf("/people/SE-0001/events/%d/void", se.ID), fmt.Sprintf("/people/RU-0002/events/%d/void", se.ID)} {
				if r := s.submit(p, "manager", url.Values{"reason": {"x"}}); r.status != http.StatusNotFound {
					t.Errorf("RU manager voids %s: got %d, want 404", p, r.status)
				}
			}
			if h, _ := s.store.History(storetest.Ctx(), "SE-0001"); len(h.Corrected) != 0 {
				t.Errorf("another mission's event was corrected: %+v", h.Corrected)
			}
			// The admin may.
			if r := s.submit(fmt.Sprintf("/people/SE-0001/events/%d/void", se.ID), "admin", url.Values{"reason": {"test"}}); r.status != http.StatusSeeOther {
				t.Errorf("admin voids: got %d", r.status)
			}
		})
	}
}

// A household is marked departed on the board in one action, which its
// confirmation undoes once; an event amended meanwhile is left and named.
func TestBulkActionOnTheBoardIsUndoable(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			s := newSiteOn(t, open(t))
			board := fmt.Sprintf("/evac/plans/%d/departures/TRAIN-1", s.plan)
			if r := s.submit(board+"/group", "press", url.Values{"group": {"RU-H1"}, "checkpoint": {"departed"}}); r.status != http.StatusForbidden {
				t.Errorf("press marks a household: got %d, want 403", r.status)
			}
			// SE-H1 is not a household the RU manager may record.
			if r := s.submit(board+"/group", "manager", url.Values{"group": {"SE-H1"}, "checkpoint": {"departed"}}); r.status != http.StatusBadRequest {
				t.Errorf("RU manager marks SE's household: got %d, want 400", r.status)
			}
			r := s.submit(board+"/group", "manager", url.Values{"group": {"RU-H1"}, "checkpoint": {"departed"}})
			if r.status != http.StatusSeeOther {
				t.Fatalf("mark RU-H1 departed: got %d\n%s", r.status, r.body)
			}
			loc := r.header.Get("Location")
			page := s.open(strings.SplitN(loc, "#", 2)[0], "manager").body
			if !strings.Contains(page, "Departed recorded for 2 people of household RU-H1") || !strings.Contains(page, `id="count-departed">2<`) {
				t.Fatalf("board after the action lacks the confirmation or the count:\n%s", page)
			}
			u, _ := url.Parse(loc)
			action := u.Query().Get("action")
			for _, p := range []string{"RU-0001", "RU-0002"} {
				if got, _ := s.store.Person(storetest.Ctx(), p); got.Status != outpost.InTransit {
					t.Errorf("%s: %s, want in_transit", p, got.Status)
				}
			}
			if p, _ := s.store.Person(storetest.Ctx(), "SE-0001"); p.Status != outpost.InCountry {
				t.Errorf("SE-0001 was marked too")
			}
			// RU-0001's event is amended before the undo.
			evs, _ := s.store.Events(storetest.Ctx(), "RU-0001")
			if _, err := s.store.AmendEvent(storetest.Ctx(), outpost.Amendment{Event: evs[len(evs)-1].ID, At: siteNow.Add(-time.Hour), Reason: "earlier"}); err != nil {
				t.Fatal(err)
			}
			if r := s.submit(board+"/undo", "staff", url.Values{"action": {"999999"}}); r.status != http.StatusNotFound {
				t.Errorf("undo of no action: got %d, want 404", r.status)
			}
			r = s.submit(board+"/undo", "staff", url.Values{"action": {action}})
			if r.status != http.StatusSeeOther {
				t.Fatalf("undo: got %d\n%s", r.status, r.body)
			}
			page = s.open(strings.SplitN(r.header.Get("Location"), "#", 2)[0], "staff").body
			if !strings.Contains(page, "Undone: 1 event voided") || !strings.Contains(page, "Not undone, corrected since: <a href=\"/people/RU-0001#timeline\">RU-0001</a>") {
				t.Errorf("board after the undo lacks what was and was not undone:\n%s", page)
			}
			if p, _ := s.store.Person(storetest.Ctx(), "RU-0002"); p.Status != outpost.InCountry {
				t.Errorf("RU-0002 after the undo: %s, want in_country", p.Status)
			}
			if r := s.submit(board+"/undo", "manager", url.Values{"action": {action}}); r.status != http.StatusConflict || !strings.Contains(r.body, "already undone") {
				t.Errorf("undo twice: got %d, want 409 saying so", r.status)
			}
		})
	}
}

// A checkpoint that cannot follow the status is recorded and listed for
// review, on the person's page and the mission's list; another mission's
// reviewer does not see it.
func TestOutOfOrderCheckpointsAreListedForReview(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			s := newSiteOn(t, open(t))
			r := s.submit("/people/RU-0003/track", "staff", url.Values{"checkpoint": {"crossed"}, "at": {"2021-04-01T10:00"}})
			if r.status != http.StatusSeeOther {
				t.Fatalf("track crossed: got %d\n%s", r.status, r.body)
			}
			if page := s.open("/people/RU-0003", "staff").body; !strings.Contains(page, "Needs review") || !strings.Contains(page, "crossed while in the country") {
				t.Errorf("person page does not flag the crossing")
			}
			if page := s.open("/review", "manager").body; !strings.Contains(page, `href="/people/RU-0003#event-`) {
				t.Errorf("review list lacks RU-0003:\n%s", page)
			}
			if page := s.open("/review?mission=RU", "admin").body; !strings.Contains(page, "RU-0003") {
				t.Errorf("admin's review list of RU lacks RU-0003")
			}
			if page := s.open("/review?mission=SE", "admin").body; strings.Contains(page, "RU-0003") {
				t.Errorf("SE's review list shows RU-0003")
			}
			if r := s.open("/review", "coordinator"); r.status != http.StatusForbidden {
				t.Errorf("coordinator's review list: got %d, want 403", r.status)
			}
		})
	}
}

// A departure-wide action the admin recorded covers two missions'
// people: RU's staff undo their own part only, the confirmation counts
// the other mission's events without naming anyone, and the rest stays
// undoable (here by the admin).
func TestUndoOfAnotherMissionsPartIsCountedNotNamed(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			s := newSiteOn(t, open(t))
			board := fmt.Sprintf("/evac/plans/%d/departures/TRAIN-1", s.plan)
			r := s.submit(board+"/group", "admin", url.Values{"group": {"all"}, "checkpoint": {"departed"}})
			if r.status != http.StatusSeeOther {
				t.Fatalf("admin marks everyone departed: got %d\n%s", r.status, r.body)
			}
			u, _ := url.Parse(r.header.Get("Location"))
			action := u.Query().Get("action")
			moved, err := s.store.People(storetest.Ctx(), outpost.PeopleFilter{Status: outpost.InTransit})
			if err != nil {
				t.Fatal(err)
			}
			ru, others := 0, 0
			for _, p := range moved {
				if p.Mission == "RU" {
					ru++
				} else {
					others++
				}
			}
			if p, _ := s.store.Person(storetest.Ctx(), "SE-0001"); p.Status != outpost.InTransit || ru == 0 {
				t.Fatalf("SE-0001 (%s) and RU's people (%d) not in the action", p.Status, ru)
			}
			r = s.submit(board+"/undo", "staff", url.Values{"action": {action}})
			if r.status != http.StatusSeeOther {
				t.Fatalf("RU staff undo: got %d\n%s", r.status, r.body)
			}
			loc := r.header.Get("Location")
			if strings.Contains(loc, "SE-") {
				t.Errorf("undo redirect names another mission's person: %s", loc)
			}
			page := s.open(strings.SplitN(loc, "#", 2)[0], "staff").body
			i := strings.Index(page, `role="status">Undone:`)
			if i < 0 {
				t.Fatalf("no undo confirmation:\n%s", page)
			}
			alert := page[i : i+strings.Index(page[i:], "</p>")]
			want := fmt.Sprintf("Undone: %d events voided", ru)
			wantOthers := fmt.Sprintf("%d events of other missions' people stay", others)
			if others == 1 {
				wantOthers = "1 event of other missions' people stays"
			}
			if !strings.Contains(alert, want) || !strings.Contains(alert, wantOthers) || strings.Contains(alert, "SE-") {
				t.Errorf("confirmation %q, want %q and %q, no SE person", alert, want, wantOthers)
			}
			if p, _ := s.store.Person(storetest.Ctx(), "SE-0001"); p.Status != outpost.InTransit {
				t.Errorf("SE-0001 after RU's undo: %s, want in_transit", p.Status)
			}
			// The rest can still be undone, by whoever may correct it.
			r = s.submit(board+"/undo", "admin", url.Values{"action": {action}})
			if r.status != http.StatusSeeOther {
				t.Fatalf("admin undoes the rest: got %d\n%s", r.status, r.body)
			}
			if p, _ := s.store.Person(storetest.Ctx(), "SE-0001"); p.Status != outpost.InCountry {
				t.Errorf("SE-0001 after the admin's undo: %s, want in_country", p.Status)
			}
			if r := s.submit(board+"/undo", "staff", url.Values{"action": {action}}); r.status != http.StatusConflict || !strings.Contains(r.body, "already undone") {
				t.Errorf("undo of an undone action: got %d, want 409", r.status)
			}
		})
	}
}
