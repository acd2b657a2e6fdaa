package evacuation_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// countingStore counts the saved plans read.
type countingStore struct {
	*store.DB
	plans atomic.Int64
}

func (c *countingStore) Plan(ctx context.Context, id int64) (outpost.PlanDoc, error) {
	c.plans.Add(1)
	return c.DB.Plan(ctx, id)
}

// The next departures after a moment, with their board's counts at that
// moment from the newest plan that carries them; a departure no plan
// carries has no board; the plan is read once, not on every call.
func TestNextDepartures(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			db := &countingStore{DB: open(t)}
			ctx := storetest.Ctx()
			testkit.SeedPeople(t, db, []string{"RU-0001", "RU-0002", "RU-0003", "SE-0001"}, nil)
			testkit.SeedEvacuation(t, db, testkit.Departures(), testkit.Restrictions())
			svc := evacuation.New(db, nil, nil)
			doc, err := svc.Make(ctx, outpost.Operator("tester"), "2021-04-01")
			if err != nil {
				t.Fatal(err)
			}
			at := time.Date(2021, 4, 1, 12, 0, 0, 0, time.UTC)
			for _, tr := range []outpost.Track{
				{Person: "RU-0001", Checkpoint: outpost.Assembled, At: at.Add(-2 * time.Hour)},
				{Person: "RU-0002", Checkpoint: outpost.Assembled, At: at.Add(time.Hour)}, // after the moment: not yet
			} {
				if _, err := db.Track(ctx, tr); err != nil {
					t.Fatal(err)
				}
			}
			coordinator := outpost.User{Name: "c", Role: outpost.RoleCoordinator}
			for range 2 {
				next, err := svc.NextDepartures(ctx, coordinator, at, 5)
				if err != nil {
					t.Fatal(err)
				}
				if len(next) != 2 || next[0].ID != "TRAIN-1" || next[1].ID != "BUS-1" {
					t.Fatalf("got %+v, want TRAIN-1 then BUS-1", next)
				}
				train, bus := next[0], next[1]
				if train.Plan != doc.Plan || train.Board.Total != 4 || train.Board.Counts["assembled"] != 1 || len(train.Board.People) != 0 {
					t.Errorf("TRAIN-1: plan %d, %d passengers, counts %v, %d rows; want plan %d, 4, 1 assembled, no rows",
						train.Plan, train.Board.Total, train.Board.Counts, len(train.Board.People), doc.Plan)
				}
				if bus.Plan != 0 || bus.Closed == "" {
					t.Errorf("BUS-1: plan %d, closed %q; want no plan, closed", bus.Plan, bus.Closed)
				}
			}
			if n := db.plans.Load(); n != 1 {
				t.Errorf("the plan was read %d times, want once", n)
			}
			if next, err := svc.NextDepartures(ctx, coordinator, time.Date(2021, 4, 3, 10, 0, 0, 0, time.UTC), 5); err != nil || len(next) != 0 {
				t.Errorf("after the last departure: %v, %v", next, err)
			}
			if _, err := svc.NextDepartures(ctx, outpost.User{Name: "x"}, at, 5); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
				t.Errorf("a user without a role: got %v", err)
			}
		})
	}
}
