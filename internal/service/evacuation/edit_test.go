package evacuation_test

import (
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/importer"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// Departures and restrictions by form: the import's checks and words, the
// coordinator's (and the admin's) only, nothing written when refused.
func TestSaveDepartureAndRestriction(t *testing.T) {
	now := time.Date(2021, 4, 1, 12, 0, 0, 0, time.UTC)
	coord := outpost.User{Name: "coord", Role: outpost.RoleCoordinator}
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := storetest.Ctx()
			testkit.SeedEvacuation(t, db, testkit.Departures(), testkit.Restrictions())
			svc := evacuation.New(db, func() time.Time { return now }, nil)
			dep := map[string]string{"id": "BUS-9", "route": "Pyongyang - Sinuiju", "departs": "2021-04-05T08:00", "seats": "0", "eligible": "RU Mongolia"}
			for _, u := range []outpost.User{{Name: "m", Role: outpost.RoleManager, Mission: "RU"}, {Name: "s", Role: outpost.RoleStaff, Mission: "RU"}} {
				if _, err := svc.SaveDeparture(ctx, u, "", dep); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
					t.Errorf("%s adds a departure: got %v, want forbidden", u.Role, err)
				}
			}
			_, err := svc.SaveDeparture(ctx, coord, "", dep)
			f := importer.Fields(err)
			if !strings.Contains(f["seats"], `(got "0")`) || !strings.Contains(f["eligible"], `is not an ISO 3166-1 alpha-2 country code`) {
				t.Errorf("bad departure: got %v", f)
			}
			if list, _ := db.Departures(ctx); len(list) != 2 {
				t.Errorf("departures after a refused form: got %d, want 2", len(list))
			}
			dep["seats"], dep["eligible"] = "30", "RU MN"
			d, err := svc.SaveDeparture(ctx, coord, "", dep)
			if err != nil {
				t.Fatal(err)
			}
			if d.Seats != 30 || !d.Departs.Equal(time.Date(2021, 4, 5, 8, 0, 0, 0, time.UTC)) || strings.Join(d.Eligible, " ") != "RU MN" {
				t.Errorf("saved: got %+v", d)
			}
			if _, err := svc.SaveDeparture(ctx, coord, "", dep); importer.Fields(err)["id"] == "" {
				t.Errorf("BUS-9 again as new: got %v, want id already used", err)
			}
			dep["seats"] = "25"
			if d, err := svc.SaveDeparture(ctx, coord, "BUS-9", dep); err != nil || d.Seats != 25 {
				t.Errorf("edit BUS-9: got %+v, %v", d, err)
			}

			x := map[string]string{"id": "R-2", "kind": "quarantine", "starts": "2021-04-10", "ends": "2021-04-01"}
			_, err = svc.SaveRestriction(ctx, coord, "", x)
			if got := importer.Fields(err)["ends"]; got != `is before starts (2021-04-10) (got "2021-04-01")` {
				t.Errorf("ends before starts: got %q", got)
			}
			x["ends"], x["days"] = "", "14"
			if _, err := svc.SaveRestriction(ctx, coord, "", x); err != nil {
				t.Fatal(err)
			}
			r, err := svc.Restriction(ctx, coord, "R-2")
			if err != nil || r.Days != 14 {
				t.Errorf("R-2: got %+v, %v", r, err)
			}
			if _, err := svc.SaveRestriction(ctx, coord, "R-404", x); outpost.ErrorCode(err) != outpost.ENOTFOUND {
				t.Errorf("edit of a restriction that does not exist: got %v, want not found", err)
			}
		})
	}
}
