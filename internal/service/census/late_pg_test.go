package census

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/testkit"
)

// TestHeldTransactionCommittingAfterARebuildIsCounted, on PostgreSQL: a
// transaction that took its audit ids early (as a long batch did) stays
// open while more than 1,100 tracks commit and a full rebuild runs; once
// it commits, the census counts it. (SQLite's writers take turns: there
// no transaction commits below another's ids.)
func TestHeldTransactionCommittingAfterARebuildIsCounted(t *testing.T) {
	dsn, ok := testkit.DSNs()["postgres"]
	if !ok {
		t.Skip("set " + testkit.PostgresEnv + " to run on PostgreSQL")
	}
	addr := dsn(t)
	db := testkit.Open(t, store.Open, addr)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // a hang guard
	defer cancel()
	seedRU(ctx, t, db, 60)
	clock := time.Now()
	s := New(db, nil, nil)
	s.clock = func() time.Time { return clock }
	if _, err := s.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(3 * time.Second)
	if _, err := db.Track(ctx, outpost.Track{Person: "P59", Checkpoint: outpost.Assembled, At: testBase.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(3 * time.Second)

	// The held transaction: ten people leave, each audited at once.
	raw, err := sql.Open("pgx", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	held, err := raw.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Rollback()
	for i := range 10 {
		p := fmt.Sprintf("P%02d", i)
		if _, err := held.ExecContext(ctx, `INSERT INTO status_events (person_id, at, status, checkpoint, source, note) VALUES ($1, $2, $3, 'departed', 'track', '')`,
			p, testBase.Add(2*time.Hour).Unix(), string(outpost.Left)); err != nil {
			t.Fatal(err)
		}
		if _, err := held.ExecContext(ctx, `INSERT INTO audit (at, actor, action, entity, entity_id, mission, before, after) VALUES ($1, 'gate', 'track', 'person', $2, 'RU', '', '')`,
			testBase.Unix(), p); err != nil {
			t.Fatal(err)
		}
	}

	// Others commit meanwhile; the census follows.
	for k := range 1120 {
		if _, err := db.Track(ctx, outpost.Track{Person: fmt.Sprintf("P%02d", 10+k%50), Checkpoint: checkpoints[k%len(checkpoints)],
			At: testBase.Add(time.Duration(k) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
		if k%100 == 0 {
			if _, err := s.Snapshot(ctx); err != nil {
				t.Fatal(err)
			}
			clock = clock.Add(time.Second)
		}
	}
	rebuilt := 0
	s.Built = func(time.Duration, int) { rebuilt++ }
	if err := db.SetConfig(ctx, "timezone", "Asia/Kabul"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if rebuilt != 1 {
		t.Fatalf("%d rebuilds, want 1", rebuilt)
	}
	if err := held.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sameSnapshot(ctx, t, db, got)
}
