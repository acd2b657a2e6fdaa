package registry_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// movingStore moves a person to another mission just before a batch is
// written: after the caller's rights were checked, as an import running
// at the same time does.
type movingStore struct {
	*store.DB
	move outpost.PersonRecord
}

func (m *movingStore) TrackBatch(ctx context.Context, ts []outpost.Track) ([]outpost.TrackResult, error) {
	if _, err := m.DB.ImportPeople(ctx, storetest.Batch(m.move)); err != nil {
		return nil, err
	}
	return m.DB.TrackBatch(ctx, ts)
}

func (m *movingStore) TrackMany(ctx context.Context, ts []outpost.Track) ([]outpost.TrackResult, error) {
	if _, err := m.DB.ImportPeople(ctx, storetest.Batch(m.move)); err != nil {
		return nil, err
	}
	return m.DB.TrackMany(ctx, ts)
}

// TestCheckpointOfAPersonMovedMeanwhileIsRefused: the same for one
// checkpoint recorded on its own (group commit): not found.
func TestCheckpointOfAPersonMovedMeanwhileIsRefused(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			db, ctx := seeded(t, open, storetest.Person("RU-M1", "RU-H1", "RU"))
			svc := registry.New(&movingStore{DB: db, move: storetest.Person("RU-M1", "SE-H1", "SE")}, nil, func() time.Time { return propNow })
			staff := outpost.User{Name: "gate", Role: outpost.RoleStaff, Mission: "RU"}
			_, err := svc.Record(ctx, staff, outpost.Track{Person: "RU-M1", Checkpoint: outpost.Departed, At: propBase})
			if outpost.ErrorCode(err) != outpost.ENOTFOUND {
				t.Fatalf("error %v, want not found", err)
			}
			noCheckpoint(t, db, "RU-M1")
		})
	}
}

// TestScanOfAPersonMovedMeanwhileIsRefused: a person moved to another
// mission between the check of the caller's rights and the write is not
// tracked by a caller of the old mission: unknown_person, nothing
// written.
func TestScanOfAPersonMovedMeanwhileIsRefused(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			db, ctx := seeded(t, open, storetest.Person("RU-M1", "RU-H1", "RU"), storetest.Person("RU-M2", "RU-H1", "RU"))
			moved := storetest.Person("RU-M1", "SE-H1", "SE")
			svc := registry.New(&movingStore{DB: db, move: moved}, nil, func() time.Time { return propNow })
			staff := outpost.User{Name: "gate", Role: outpost.RoleStaff, Mission: "RU"}
			rep, err := svc.TrackScans(ctx, staff, registry.ScanBatch{Scans: []registry.Scan{
				{Person: "RU-M1", Checkpoint: "departed", At: propBase.Format(time.RFC3339)},
				{Person: "RU-M2", Checkpoint: "departed", At: propBase.Format(time.RFC3339)},
			}})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Recorded != 1 || rep.Refused != 1 || rep.Refusals[0].Index != 0 || rep.Refusals[0].Kind != outpost.RefusedPerson {
				t.Fatalf("report %+v, want the moved person refused as unknown_person and the other recorded", rep)
			}
			noCheckpoint(t, db, "RU-M1")
		})
	}
}

// TestScansPerPersonAreBounded: past MaxScansPerPerson scans of one
// person, a batch refuses the rest as too_many_for_person and records the
// others.
func TestScansPerPersonAreBounded(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			db, ctx := seeded(t, open, storetest.Person("RU-B1", "RU-H1", "RU"), storetest.Person("RU-B2", "RU-H1", "RU"))
			svc := registry.New(db, nil, func() time.Time { return propNow })
			var scans []registry.Scan
			for i := range registry.MaxScansPerPerson + 5 {
				scans = append(scans, registry.Scan{Person: "RU-B1", Checkpoint: "assembled", At: propBase.Add(time.Duration(i) * time.Minute).Format(time.RFC3339), ScanID: fmt.Sprint(i)})
			}
			scans = append(scans, registry.Scan{Person: "RU-B2", Checkpoint: "assembled", At: propBase.Format(time.RFC3339)})
			rep, err := svc.TrackScans(ctx, outpost.User{Name: "admin", Role: outpost.RoleAdmin}, registry.ScanBatch{Scans: scans})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Recorded != registry.MaxScansPerPerson+1 || rep.Refused != 5 {
				t.Fatalf("%d recorded, %d refused; want %d and 5", rep.Recorded, rep.Refused, registry.MaxScansPerPerson+1)
			}
			for k, r := range rep.Refusals {
				if r.Kind != outpost.RefusedTooMany || r.Index != registry.MaxScansPerPerson+k {
					t.Fatalf("refusal %+v, want too_many_for_person at index %d", r, registry.MaxScansPerPerson+k)
				}
			}
		})
	}
}

// seeded opens a store with the test missions and these people.
func seeded(t *testing.T, open func(testing.TB) *store.DB, people ...outpost.PersonRecord) (*store.DB, context.Context) {
	t.Helper()
	db := open(t)
	ctx := storetest.Ctx()
	if _, err := db.ImportMissions(ctx, storetest.Batch(storetest.Missions()...)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportPeople(ctx, storetest.Batch(people...)); err != nil {
		t.Fatal(err)
	}
	return db, ctx
}

// noCheckpoint fails the test if a checkpoint was recorded for person.
func noCheckpoint(t *testing.T, db *store.DB, person string) {
	t.Helper()
	evs, err := db.Events(storetest.Ctx(), person)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Checkpoint != "" {
			t.Fatalf("a checkpoint was recorded for the moved person: %+v", e)
		}
	}
}
