package registry_test

import (
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
)

// A household shared by two missions' people is renamed whole or not at
// all: RU's manager, who sees and edits only RU's members, is refused
// without the other members being named, and nothing is written; the
// admin renames every member, of both missions.
func TestRenameOfAMixedHouseholdTakesItWhole(t *testing.T) {
	editFixture(t, func(t *testing.T, db *store.DB, svc *registry.Service) {
		ctx := storetest.Ctx()
		if _, err := svc.MoveToHousehold(ctx, admin, "SE-0001", "RU-H1"); err != nil {
			t.Fatal(err)
		}
		h, err := svc.Household(ctx, consul, "RU-H1")
		if err != nil || len(h.Members) != 2 || !h.Editable || h.Renamable {
			t.Fatalf("RU-H1 for RU's manager: %+v, %v; want 2 editable members, not renamable", h, err)
		}
		_, err = svc.RenameHousehold(ctx, consul, "RU-H1", "RU-FAM9")
		if outpost.ErrorCode(err) != outpost.EFORBIDDEN || !strings.Contains(err.Error(), "another mission") || strings.Contains(err.Error(), "SE-") {
			t.Errorf("RU's manager renames a mixed household: %v, want refused, naming nobody of the other mission", err)
		}
		for _, id := range []string{"RU-0001", "RU-0002", "SE-0001"} {
			if p, _ := db.Person(ctx, id); p.Household != "RU-H1" {
				t.Errorf("%s after a refused rename: household %q, want RU-H1", id, p.Household)
			}
		}
		if h, _ := svc.Household(ctx, admin, "RU-H1"); len(h.Members) != 3 || !h.Renamable {
			t.Errorf("RU-H1 for the admin: %+v, want 3 members, renamable", h)
		}
		if _, err := svc.RenameHousehold(ctx, admin, "RU-H1", "RU-FAM9"); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"RU-0001", "RU-0002", "SE-0001"} {
			if p, _ := db.Person(ctx, id); p.Household != "RU-FAM9" {
				t.Errorf("%s after the admin's rename: household %q, want RU-FAM9", id, p.Household)
			}
		}
	})
}
