package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// TestExitDocumentsJourney on both engines: staff record a refused
// permit, the person page shows it, a new plan leaves the household
// behind saying why, and the passport's expiry shows to the mission's
// staff only; another mission's person answers not found.
func TestExitDocumentsJourney(t *testing.T) {
	for engine, dsn := range testkit.DSNs() {
		t.Run(engine, func(t *testing.T) {
			s := newSiteOn(t, testkit.Open(t, store.Open, dsn(t)))
			form := url.Values{"permit_status": {"refused"}, "permit_authority": {"Ministry of Foreign Affairs"},
				"passport_expiry": {"2024-05-31"}, "sex": {"F"}}
			if r := s.submit("/people/RU-0001/documents", "staff", form); r.status != http.StatusSeeOther {
				t.Fatalf("save: got %d, want a redirect: %s", r.status, r.body)
			}
			staff := s.open("/people/RU-0001", "staff").body
			for _, want := range []string{"Exit documents", "Refused", "2024-05-31", "Ministry of Foreign Affairs"} {
				if !strings.Contains(staff, want) {
					t.Errorf("the staff's person page lacks %q", want)
				}
			}
			press := s.open("/people/RU-0001", "press").body
			if !strings.Contains(press, "Refused") || strings.Contains(press, "2024-05-31") {
				t.Errorf("press: want the permit shown and the passport's expiry hidden")
			}
			if r := s.open("/people/SE-0001/documents", "manager"); r.status != http.StatusNotFound {
				t.Errorf("another mission's person: got %d, want 404", r.status)
			}
			if r := s.submit("/people/RU-0001/documents", "press", form); r.status != http.StatusForbidden {
				t.Errorf("press saving: got %d, want 403", r.status)
			}
			// The same rules as the import: a located, named refusal.
			bad := url.Values{"permit_status": {"granted"}, "permit_from": {"2021-04-10"}, "permit_to": {"2021-04-01"}}
			if r := s.submit("/people/RU-0001/documents", "staff", bad); r.status != http.StatusBadRequest || !strings.Contains(r.body, "permit_to: is before permit_from 2021-04-10") {
				t.Errorf("permit_to before permit_from: got %d", r.status)
			}
			plan := s.submit("/evac/plans", "manager", url.Values{"start": {"2021-04-01"}})
			if plan.status != http.StatusSeeOther {
				t.Fatalf("plan: got %d", plan.status)
			}
			body := s.open(strings.SplitN(plan.header.Get("Location"), "?", 2)[0], "manager").body
			if !strings.Contains(body, "Left behind") || !strings.Contains(body, "exit permit refused") {
				t.Errorf("the plan page does not say who is left behind and why")
			}
			api := s.open("/api/v1/people/RU-0001", "press").body
			if !strings.Contains(api, `"permit_status": "refused"`) || strings.Contains(api, "passport_expiry") {
				t.Errorf("API for press: %s", api)
			}
			api = s.open("/api/v1/people/RU-0001", "staff").body
			if !strings.Contains(api, `"passport_expiry": "2024-05-31"`) {
				t.Errorf("API for staff: %s", api)
			}
		})
	}
}

// TestManifestPassportExpiryOnlyForOwnMission: over HTTP the manifest's
// passport expiry, like the passport, shows for the caller's own mission.
func TestManifestPassportExpiryOnlyForOwnMission(t *testing.T) {
	s := newSite(t)
	ctx := storetest.Ctx()
	for _, id := range sitePeople {
		if err := s.store.SetExitDocuments(ctx, outpost.ExitDocuments{Person: id, Sex: "M", PassportExpiry: outpost.Date("2030-01-0" + id[len(id)-1:]),
			PermitStatus: "granted", PermitNumber: "PN-" + id, PermitFrom: "2021-01-01", PermitTo: "2021-12-31"}); err != nil {
			t.Fatal(err)
		}
	}
	plan := s.submit("/evac/plans", "manager", url.Values{"start": {"2021-04-01"}})
	id := strings.TrimPrefix(strings.SplitN(plan.header.Get("Location"), "?", 2)[0], "/evac/plans/")
	csv := s.open(fmt.Sprintf("/api/v1/plans/%s/departures/TRAIN-1/manifest?format=csv", id), "manager").body
	if !strings.Contains(csv, "passport_expiry,permit_number,medical_needs") || !strings.Contains(csv, "PN-RU-0001") {
		t.Fatalf("manifest lacks the exit documents:\n%s", csv)
	}
	for _, line := range strings.Split(csv, "\n") {
		if strings.Contains(line, "2030-01-0") && !strings.HasPrefix(strings.SplitN(line, ",", 3)[1], "RU-") {
			t.Errorf("another mission's passport expiry shown: %s", line)
		}
	}
}
