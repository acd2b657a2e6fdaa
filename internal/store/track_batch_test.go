package store

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/storetest"
)

// TestBatchAuditsLast: a batch writes its audit entries after all its
// events, just before it commits (so a long batch takes its audit ids at
// its end), and writes the same entries as before: one per checkpoint,
// naming the person, their mission and the event. A trigger counts the
// audit entries each time an event is written.
func TestBatchAuditsLast(t *testing.T) {
	for name, open := range engines() {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := outpost.WithActor(storetest.Ctx(), "gate")
			if _, err := db.ImportMissions(ctx, storetest.Batch(storetest.Missions()...)); err != nil {
				t.Fatal(err)
			}
			var recs []outpost.PersonRecord
			for i := range 5 {
				recs = append(recs, storetest.Person(fmt.Sprintf("RU-A%d", i), "RU-H1", "RU"))
			}
			if _, err := db.ImportPeople(ctx, storetest.Batch(recs...)); err != nil {
				t.Fatal(err)
			}
			probe := []string{`CREATE TABLE probe (n BIGINT)`,
				`CREATE TRIGGER probe_ev AFTER INSERT ON status_events BEGIN INSERT INTO probe SELECT count(*) FROM audit; END`}
			if db.dialect == Postgres {
				probe = []string{`CREATE TABLE probe (n BIGINT)`,
					`CREATE FUNCTION probe_fn() RETURNS trigger AS $$ BEGIN INSERT INTO probe SELECT count(*) FROM audit; RETURN NEW; END $$ LANGUAGE plpgsql`,
					`CREATE TRIGGER probe_ev AFTER INSERT ON status_events FOR EACH ROW EXECUTE FUNCTION probe_fn()`}
			}
			for _, q := range probe {
				if _, err := db.write.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			var before int64
			if err := db.write.QueryRowContext(ctx, `SELECT count(*) FROM audit`).Scan(&before); err != nil {
				t.Fatal(err)
			}
			base := time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)
			var ts []outpost.Track
			for i := range 5 {
				ts = append(ts, outpost.Track{Person: fmt.Sprintf("RU-A%d", i), Checkpoint: outpost.Departed, At: base},
					outpost.Track{Person: fmt.Sprintf("RU-A%d", i), Checkpoint: outpost.Crossed, At: base.Add(time.Hour)})
			}
			res, err := db.TrackBatch(ctx, ts)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := db.write.QueryContext(ctx, `SELECT n FROM probe`)
			if err != nil {
				t.Fatal(err)
			}
			var seen []int64
			for rows.Next() {
				var n int64
				if err := rows.Scan(&n); err != nil {
					t.Fatal(err)
				}
				seen = append(seen, n)
			}
			rows.Close()
			if len(seen) != len(ts) {
				t.Fatalf("%d events written, want %d", len(seen), len(ts))
			}
			for _, n := range seen {
				if n != before {
					t.Fatalf("audit entries when events were written: %v, want %d each (none of the batch's yet)", seen, before)
				}
			}
			got, err := db.Audit(ctx, outpost.AuditFilter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, e := range got {
				if e.Action != "track" {
					continue
				}
				n++
				var ev outpost.Event
				if err := json.Unmarshal([]byte(e.After), &ev); err != nil {
					t.Fatalf("audit after %q: %v", e.After, err)
				}
				if e.Entity != "person" || e.Mission != "RU" || e.Actor != "gate" || ev.Person != e.EntityID || ev.ID == 0 {
					t.Fatalf("audit entry %+v", e)
				}
			}
			if n != len(res) {
				t.Fatalf("%d audit entries, want %d", n, len(res))
			}
		})
	}
}

// TestBatchWaitsForALockedPersonBoundedly, on PostgreSQL: a batch that
// finds a person's row locked by another transaction gives up after the
// lock timeout with a busy (unavailable) error instead of waiting for
// ever. (SQLite's writers take turns: the busy timeout bounds them.)
func TestBatchWaitsForALockedPersonBoundedly(t *testing.T) {
	open, ok := engines()["postgres"]
	if !ok {
		t.Skip("PostgreSQL only")
	}
	db := open(t)
	ctx := storetest.Ctx()
	if _, err := db.ImportMissions(ctx, storetest.Batch(storetest.Missions()...)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportPeople(ctx, storetest.Batch(storetest.Person("RU-K1", "RU-H1", "RU"))); err != nil {
		t.Fatal(err)
	}
	held, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Rollback()
	if _, err := held.ExecContext(ctx, `SELECT id FROM people WHERE id = 'RU-K1' FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	tctx, cancel := context.WithTimeout(ctx, time.Minute) // a hang guard
	defer cancel()
	_, err = db.TrackBatch(tctx, []outpost.Track{{Person: "RU-K1", Checkpoint: outpost.Departed, At: time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)}})
	if outpost.ErrorCode(err) != outpost.EUNAVAILABLE {
		t.Fatalf("error %v, want busy (unavailable)", err)
	}
}
