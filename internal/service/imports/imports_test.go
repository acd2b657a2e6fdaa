package imports_test

import (
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/imports"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

var (
	now   = time.Date(2021, 4, 1, 12, 0, 0, 0, time.UTC)
	coord = outpost.User{Name: "coord", Role: outpost.RoleCoordinator}
	admin = outpost.User{Name: "root", Role: outpost.RoleAdmin}
	clerk = outpost.User{Name: "clerk", Role: outpost.RoleStaff, Mission: "RU"}
)

func engines(t *testing.T, run func(t *testing.T, db *store.DB, svc *imports.Service)) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			storetest.Seed(t, db)
			testkit.SeedEvacuation(t, db, testkit.Departures(), testkit.Restrictions())
			run(t, db, imports.New(db, func() time.Time { return now }))
		})
	}
}

// The preview of each keyed kind counts what its commit changes, and
// the commit writes it.
func TestPreviewAndCommitOfEachKind(t *testing.T) {
	engines(t, func(t *testing.T, db *store.DB, svc *imports.Service) {
		ctx := storetest.Ctx()
		for _, c := range []struct {
			who                 outpost.User
			kind, file          string
			new, upd, unchanged int
			change              string
		}{
			{coord, "missions", "code,name,country,kind,status,min_staff\nRU,Embassy of Russia,RU,embassy,reduced,2\nSE,Embassy of Sweden,SE,embassy,closed,0\nUA,Embassy of Ukraine,UA,embassy,open,1\n",
				1, 1, 1, "status open→reduced"},
			{coord, "departures", "id,route,departs,seats,crossing\nTRAIN-1,Pyongyang - Khasan,2021-04-02T09:00,12,TUMEN\nBUS-2,Pyongyang - Dandong,2021-04-06T09:00,30,\n",
				1, 1, 0, "seats 10→12"},
			{coord, "restrictions", "id,kind,crossing,starts,note\nR-1,border_closure,SINUIJU,2021-03-01,Sinuiju closed\n", 0, 0, 1, ""},
			{admin, "items", "code,name,kind,unit,daily_per_person\nRICE,Rice,food,kg,0.4\n", 1, 0, 0, "name →Rice"},
		} {
			p, err := svc.Upload(ctx, c.who, c.kind, c.kind+".csv", []byte(c.file))
			if err != nil {
				t.Fatalf("%s: %v", c.kind, err)
			}
			if p.New != c.new || p.Updated != c.upd || p.Unchanged != c.unchanged {
				t.Errorf("%s: got %d new, %d updated, %d unchanged; want %d, %d, %d", c.kind, p.New, p.Updated, p.Unchanged, c.new, c.upd, c.unchanged)
			}
			var changes []string
			for _, r := range p.Rows {
				for _, ch := range r.Changes {
					changes = append(changes, ch.Column+" "+ch.Old+"→"+ch.New)
				}
			}
			if c.change != "" && !strings.Contains(strings.Join(changes, "; "), c.change) {
				t.Errorf("%s: changes %v lack %q", c.kind, changes, c.change)
			}
			if _, _, err := svc.Commit(ctx, c.who, p.Draft); err != nil {
				t.Fatalf("%s commit: %v", c.kind, err)
			}
			again, err := svc.Upload(ctx, c.who, c.kind, c.kind+".csv", []byte(c.file))
			if err != nil || again.New != 0 || again.Updated != 0 {
				t.Errorf("%s after its commit: got %+v, %v; want every row unchanged", c.kind, again, err)
			}
		}
		if m, _ := db.Mission(ctx, "RU"); m.Status != outpost.MissionReduced {
			t.Errorf("RU after the missions import: %s", m.Status)
		}
	})
}

// A staff user's stock file may hold their mission's rows only, and
// usage beyond the stock is refused at the commit, located on its row.
func TestLedgerImportsAreLocated(t *testing.T) {
	engines(t, func(t *testing.T, db *store.DB, svc *imports.Service) {
		ctx := storetest.Ctx()
		items, _ := svc.Upload(ctx, admin, "items", "items.csv", []byte("code,name,kind,unit\nRICE,Rice,food,kg\n"))
		if _, _, err := svc.Commit(ctx, admin, items.Draft); err != nil {
			t.Fatal(err)
		}
		_, err := svc.Upload(ctx, clerk, "stock", "stock.csv", []byte("mission,item,lot,quantity,received\nRU,RICE,L1,100,2021-03-01\nSE,RICE,L1,50,2021-03-01\n"))
		if d, _ := imports.Problems(err); len(d) != 1 || d[0] != `stock.csv:3: mission: is not your mission: you may import the rows of RU only (got "SE")` {
			t.Errorf("stock of SE by RU staff: got %v", d)
		}
		p, err := svc.Upload(ctx, clerk, "stock", "stock.csv", []byte("mission,item,lot,quantity,received\nRU,RICE,L1,100,2021-03-01\n"))
		if err != nil || p.New != 1 {
			t.Fatalf("RU stock: %+v, %v", p, err)
		}
		if _, _, err := svc.Commit(ctx, clerk, p.Draft); err != nil {
			t.Fatal(err)
		}
		p, err = svc.Upload(ctx, clerk, "usage", "usage.csv", []byte("mission,item,quantity,date\nRU,RICE,30,2021-03-02\nRU,RICE,90,2021-03-03\n"))
		if err != nil || p.New != 2 {
			t.Fatalf("usage: %+v, %v", p, err)
		}
		_, _, err = svc.Commit(ctx, clerk, p.Draft)
		d, _ := imports.Problems(err)
		if len(d) != 1 || !strings.HasPrefix(d[0], "usage.csv:3: quantity: ") {
			t.Errorf("usage beyond stock: got %v (%v)", d, err)
		}
	})
}

// The store keeps a user's newest drafts only, drops expired ones, and
// a draft is its owner's.
func TestDraftsAreBounded(t *testing.T) {
	engines(t, func(t *testing.T, db *store.DB, svc *imports.Service) {
		ctx := storetest.Ctx()
		file := []byte("code,name,kind,status\nRU,Embassy of Russia,embassy,open\n")
		var ids []int64
		for range imports.DraftsPerUser + 2 {
			p, err := svc.Upload(ctx, coord, "missions", "m.csv", file)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, p.Draft)
		}
		for i, id := range ids {
			_, err := svc.Preview(ctx, coord, id)
			kept := i >= len(ids)-imports.DraftsPerUser
			if kept != (err == nil) {
				t.Errorf("draft %d of %d: kept %v, got %v", i+1, len(ids), kept, err)
			}
		}
		last := ids[len(ids)-1]
		if _, err := svc.Preview(ctx, admin, last); outpost.ErrorCode(err) != outpost.ENOTFOUND {
			t.Errorf("the admin previews the coordinator's draft: got %v, want not found", err)
		}
		if err := svc.Cancel(ctx, admin, last); outpost.ErrorCode(err) != outpost.ENOTFOUND {
			t.Errorf("the admin cancels the coordinator's draft: got %v, want not found", err)
		}
		// Saving a draft much later removes the expired ones of everyone.
		late := imports.New(db, func() time.Time { return now.Add(2 * time.Hour) })
		if _, err := late.Upload(ctx, admin, "missions", "m.csv", file); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportDraft(ctx, last); outpost.ErrorCode(err) != outpost.ENOTFOUND {
			t.Errorf("an expired draft is still stored: %v", err)
		}
	})
}
