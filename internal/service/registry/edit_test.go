package registry_test

import (
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/importer"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

var (
	consul = outpost.User{Name: "consul", Role: outpost.RoleManager, Mission: "RU"}
	clerk  = outpost.User{Name: "clerk", Role: outpost.RoleStaff, Mission: "RU"}
	coord  = outpost.User{Name: "coord", Role: outpost.RoleCoordinator}
	admin  = outpost.User{Name: "root", Role: outpost.RoleAdmin}
)

func newPerson() map[string]string {
	return map[string]string{"id": "RU-0100", "household": "RU-H9", "given_name": "Olga", "family_name": "Ivanova",
		"nationality": "RU", "mission": "RU", "category": "staff", "birth_date": "1980-05-02", "essential": "false", "medical": "0"}
}

// editFixture is a store per engine with the missions and people of
// storetest.Seed, and the registry over it.
func editFixture(t *testing.T, run func(t *testing.T, db *store.DB, svc *registry.Service)) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			storetest.Seed(t, db)
			run(t, db, registry.New(db, nil, func() time.Time { return propNow }))
		})
	}
}

// countPeople counts the people of the store.
func countPeople(t *testing.T, db *store.DB) int {
	t.Helper()
	n, err := db.CountPeople(storetest.Ctx(), outpost.PeopleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A form's problems are the import's, field by field and in its words,
// and a refused form writes nothing.
func TestSavePersonRefusesAsImportDoes(t *testing.T) {
	editFixture(t, func(t *testing.T, db *store.DB, svc *registry.Service) {
		ctx := storetest.Ctx()
		before := countPeople(t, db)
		for _, c := range []struct {
			name, field, value, want string
		}{
			{"impossible date", "birth_date", "31/02/2021", `not a date, want YYYY-MM-DD (got "31/02/2021")`},
			{"unknown category", "category", "spy", `must be one of head_of_mission, diplomat, staff, dependent, national, org_staff (got "spy")`},
			{"medical out of range", "medical", "7", `(got "7")`},
			{"missing name", "given_name", "", "is required"},
			{"bad nationality", "nationality", "Russia", `(got "Russia")`},
			{"id taken", "id", "RU-0002", `is already used: choose another id (got "RU-0002")`},
			{"another mission", "mission", "SE", `must be your mission, RU (got "SE")`},
		} {
			t.Run(c.name, func(t *testing.T) {
				v := newPerson()
				v[c.field] = c.value
				_, err := svc.SavePerson(ctx, consul, "", v)
				fields := importer.Fields(err)
				if fields == nil {
					t.Fatalf("got %v, want a problem on %s", err, c.field)
				}
				if !strings.Contains(fields[c.field], c.want) {
					t.Errorf("%s: got %q, want it to say %q", c.field, fields[c.field], c.want)
				}
				if outpost.ErrorCode(err) != outpost.EINVALID {
					t.Errorf("code: got %s, want EINVALID", outpost.ErrorCode(err))
				}
			})
		}
		// The message names the field with the import's wording.
		v := newPerson()
		v["birth_date"] = "31/02/2021"
		_, err := svc.SavePerson(ctx, consul, "", v)
		if want := `birth_date: not a date, want YYYY-MM-DD (got "31/02/2021")`; !strings.Contains(outpost.ErrorMessage(err), want) {
			t.Errorf("message: got %q, want %q in it", outpost.ErrorMessage(err), want)
		}
		if got := countPeople(t, db); got != before {
			t.Errorf("people after refused forms: got %d, want %d", got, before)
		}
	})
}

// A manager adds and edits their mission's people; the write is audited
// and the edit changes nothing else (no status event).
func TestSavePersonAddsAndEdits(t *testing.T) {
	editFixture(t, func(t *testing.T, db *store.DB, svc *registry.Service) {
		ctx := storetest.Ctx()
		p, err := svc.SavePerson(ctx, consul, "", newPerson())
		if err != nil {
			t.Fatal(err)
		}
		if p.ID != "RU-0100" || p.Household != "RU-H9" || p.BirthDate != "1980-05-02" || p.Status != outpost.InCountry {
			t.Errorf("added: got %+v", p)
		}
		v := registry.PersonValues(p)
		v["family_name"], v["medical"], v["id"] = "Smirnova", "2", "RU-9999"
		q, err := svc.SavePerson(ctx, consul, "RU-0100", v)
		if err != nil {
			t.Fatal(err)
		}
		if q.ID != "RU-0100" || q.FamilyName != "Smirnova" || q.Medical != 2 {
			t.Errorf("edited: got %+v, want RU-0100 Smirnova medical 2", q)
		}
		evs, err := db.Events(ctx, "RU-0100")
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 {
			t.Errorf("events after an edit: got %d, want the registration only", len(evs))
		}
		audit, err := db.Audit(ctx, outpost.AuditFilter{Entity: "people", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(audit) < 2 || audit[0].Actor != "consul" || audit[1].Actor != "consul" {
			t.Errorf("audit: got %+v, want two entries by consul", audit)
		}
	})
}

// Rights: another mission's person is not found to a manager; staff,
// press and the coordinator edit nobody; missions are the coordinator's.
func TestSavePersonRights(t *testing.T) {
	editFixture(t, func(t *testing.T, db *store.DB, svc *registry.Service) {
		ctx := storetest.Ctx()
		se, err := db.Person(ctx, "SE-0001")
		if err != nil {
			t.Fatal(err)
		}
		v := registry.PersonValues(se)
		v["family_name"] = "Changed"
		if _, err := svc.SavePerson(ctx, consul, "SE-0001", v); outpost.ErrorCode(err) != outpost.ENOTFOUND {
			t.Errorf("manager of RU edits SE-0001: got %v, want not found", err)
		}
		for _, u := range []outpost.User{clerk, coord, {Name: "p", Role: outpost.RolePress, Mission: "RU"}} {
			if _, err := svc.SavePerson(ctx, u, "", newPerson()); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
				t.Errorf("%s adds a person: got %v, want forbidden", u.Role, err)
			}
		}
		if _, err := svc.SavePerson(ctx, admin, "SE-0001", v); err != nil {
			t.Errorf("admin edits SE-0001: %v", err)
		}
		m := map[string]string{"code": "UA", "name": "Embassy of Ukraine", "country": "UA", "kind": "embassy", "status": "open", "min_staff": "x"}
		if _, err := svc.SaveMission(ctx, consul, "", m); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
			t.Errorf("manager adds a mission: got %v, want forbidden", err)
		}
		_, err = svc.SaveMission(ctx, coord, "", m)
		if got := importer.Fields(err)["min_staff"]; !strings.Contains(got, `(got "x")`) {
			t.Errorf("min_staff x: got %q (%v)", got, err)
		}
		m["min_staff"] = "1"
		if _, err := svc.SaveMission(ctx, coord, "", m); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SaveMission(ctx, coord, "", m); importer.Fields(err)["code"] == "" {
			t.Errorf("a second UA: got %v, want code already used", err)
		}
		m["name"] = "Embassy of Ukraine in Pyongyang"
		got, err := svc.SaveMission(ctx, coord, "UA", m)
		if err != nil || got.Name != m["name"] || got.Status != outpost.MissionOpen {
			t.Errorf("edit UA: got %+v, %v", got, err)
		}
	})
}

// A household is moved into and renamed whole; a rename into another
// household's name, which would merge them, is refused.
func TestHouseholdMoveAndRename(t *testing.T) {
	editFixture(t, func(t *testing.T, db *store.DB, svc *registry.Service) {
		ctx := storetest.Ctx()
		h, err := svc.Household(ctx, consul, "RU-H1")
		if err != nil || len(h.Members) != 2 || !h.Editable {
			t.Fatalf("RU-H1: got %+v, %v; want 2 editable members", h, err)
		}
		if _, err := svc.Household(ctx, consul, "SE-H1"); outpost.ErrorCode(err) != outpost.ENOTFOUND {
			t.Errorf("manager of RU reads SE-H1: got %v, want not found", err)
		}
		if _, err := svc.MoveToHousehold(ctx, consul, "RU-0002", "RU H3"); importer.Fields(err)["household"] == "" {
			t.Errorf("move into a bad value: got %v, want a household problem", err)
		}
		if _, err := svc.MoveToHousehold(ctx, consul, "RU-0002", "RU-H2"); err != nil {
			t.Fatal(err)
		}
		if h, _ := svc.Household(ctx, consul, "RU-H2"); len(h.Members) != 2 {
			t.Errorf("RU-H2 after the move: got %d members, want 2", len(h.Members))
		}
		if _, err := svc.RenameHousehold(ctx, consul, "RU-H2", "RU-H1"); importer.Fields(err)["household"] == "" {
			t.Errorf("rename RU-H2 to RU-H1, which RU-0001 still has: got %v, want refused", err)
		}
		if _, err := svc.RenameHousehold(ctx, consul, "RU-H2", "RU-FAM7"); err != nil {
			t.Fatal(err)
		}
		h, err = svc.Household(ctx, consul, "RU-FAM7")
		if err != nil || len(h.Members) != 2 {
			t.Errorf("RU-FAM7: got %+v, %v", h, err)
		}
		if _, err := svc.MoveToHousehold(ctx, consul, "SE-0001", "RU-FAM7"); outpost.ErrorCode(err) != outpost.ENOTFOUND {
			t.Errorf("manager of RU moves SE-0001: got %v, want not found", err)
		}
	})
}

// Editing a mission keeps its dated status history: the form does not
// change the status (a change has a date and is recorded on the
// mission's page), and a form that asks to is refused, writing nothing.
// SetMissionStatus works on a service without a census.
func TestSaveMissionKeepsStatusHistory(t *testing.T) {
	editFixture(t, func(t *testing.T, db *store.DB, svc *registry.Service) {
		ctx := storetest.Ctx()
		if _, err := svc.SetMissionStatus(ctx, coord, "RU", registry.StatusChangeRequest{Status: "reduced", Since: "2021-03-01", Note: "staff leave"}); err != nil {
			t.Fatal(err)
		}
		history := func() []outpost.MissionStatusChange {
			h, err := svc.MissionHistory(ctx, coord, "RU")
			if err != nil {
				t.Fatal(err)
			}
			return h
		}
		want := history()
		if len(want) != 2 || want[1].Note != "staff leave" {
			t.Fatalf("RU history: %+v, want the change of 1 March", want)
		}
		cur, err := db.Mission(ctx, "RU")
		if err != nil {
			t.Fatal(err)
		}
		v := registry.MissionValues(cur)
		v["status"] = "closed"
		_, err = svc.SaveMission(ctx, coord, "RU", v)
		if got := importer.Fields(err)["status"]; !strings.Contains(got, "mission's page") {
			t.Errorf("edit RU to closed: got %v, want a problem on status", err)
		}
		delete(v, "status")
		v["name"] = "Embassy of the Russian Federation"
		got, err := svc.SaveMission(ctx, coord, "RU", v)
		if err != nil || got.Status != outpost.MissionReduced || got.Name != v["name"] {
			t.Errorf("edit RU without status: got %+v, %v; want reduced and the new name", got, err)
		}
		h := history()
		if len(h) != len(want) {
			t.Fatalf("RU history after edits: %+v, want %+v", h, want)
		}
		for i := range h {
			if h[i] != want[i] {
				t.Errorf("RU history entry %d: %+v, want %+v", i, h[i], want[i])
			}
		}
	})
}
