package registry_test

import (
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
)

// TestEditsKeepExitDocuments: the person form, a move to another
// household and a household's rename do not show the exit documents, so
// they leave them as recorded (they once cleared them, and the planner
// then placed a person with a refused permit).
func TestEditsKeepExitDocuments(t *testing.T) {
	editFixture(t, func(t *testing.T, db *store.DB, svc *registry.Service) {
		ctx := storetest.Ctx()
		docs := outpost.ExitDocuments{Person: "RU-0001", Sex: "F", PassportExpiry: "2024-05-31",
			PermitStatus: outpost.PermitRefused, PermitAuthority: "MFA", QuarantineUntil: "2021-04-10", Staying: true}
		if err := db.SetExitDocuments(ctx, docs); err != nil {
			t.Fatal(err)
		}
		check := func(after string) {
			t.Helper()
			got, err := db.ExitDocuments(ctx, "RU-0001")
			if err != nil || got != docs {
				t.Errorf("after %s: documents %+v, %v; want %+v", after, got, err, docs)
			}
		}
		p, err := svc.Editable(ctx, consul, "RU-0001")
		if err != nil {
			t.Fatal(err)
		}
		v := registry.PersonValues(p)
		v["given_name"] = "Anna-Maria"
		if _, err := svc.SavePerson(ctx, consul, "RU-0001", v); err != nil {
			t.Fatal(err)
		}
		check("an edit of the record")
		if _, err := svc.MoveToHousehold(ctx, consul, "RU-0001", "RU-H77"); err != nil {
			t.Fatal(err)
		}
		check("a move to another household")
		if _, err := svc.RenameHousehold(ctx, consul, "RU-H77", "RU-H78"); err != nil {
			t.Fatal(err)
		}
		check("a household's rename")
	})
}
