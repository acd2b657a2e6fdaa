package census

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/testkit"
	"pgregory.net/rapid"
)

// TestAppliedSnapshotEqualsRebuilt is the census's central property: after
// any sequence of writes (people registered and changed by imports,
// tracking events of every checkpoint at any date, out of order too,
// events amended and voided, bulk actions recorded and undone, missions
// and the time zone changed), the snapshot the service brought
// up to date by applying the changes equals one built afresh from the
// database: the census at every moment an event happened and around it,
// the daily headcount, the missions and the rest of what it serves.
func TestAppliedSnapshotEqualsRebuilt(t *testing.T) {
	for engine, open := range testkit.Stores(store.Open) {
		t.Run(engine, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			var ms []outpost.Mission
			for _, c := range testCodes {
				ms = append(ms, outpost.Mission{Code: c, Name: c, Status: outpost.MissionOpen})
			}
			if _, err := db.ImportMissions(ctx, outpost.Batch[outpost.Mission]{Rows: slices.Values(ms), Err: func() error { return nil }}); err != nil {
				t.Fatal(err)
			}
			applied := 0
			rapid.Check(t, func(rt *rapid.T) {
				// Each case starts where the last one left the database:
				// the property holds from any state.
				s := New(db, nil, nil)
				s.Applied = func(time.Duration, int) { applied++ }
				if _, err := s.Snapshot(ctx); err != nil {
					rt.Fatalf("first snapshot: %v", err)
				}
				for step := range rapid.IntRange(1, 12).Draw(rt, "writes") {
					write(ctx, rt, db)
					if rapid.IntRange(0, 2).Draw(rt, "look") > 0 || step == 0 {
						// Checked at every look, not only at the end: a
						// failure names the write that caused it.
						g, err := s.Snapshot(ctx)
						if err != nil {
							rt.Fatalf("snapshot: %v", err)
						}
						sameSnapshot(ctx, rt, db, g)
					}
				}
				got, err := s.Snapshot(ctx)
				if err != nil {
					rt.Fatalf("snapshot: %v", err)
				}
				sameSnapshot(ctx, rt, db, got)
			})
			if applied == 0 {
				t.Fatal("no change was applied: every update was a full rebuild")
			}
			if corrections.Load() == 0 {
				t.Fatal("no correction or bulk action was written")
			}
		})
	}
}

var (
	testCodes   = []string{"RU", "CN", "WFP", "SE"}
	testNats    = []string{"RU", "CN", "FR", "KP"}
	testCats    = []outpost.Category{outpost.HeadOfMission, outpost.Staff, outpost.Dependent, outpost.Diplomat}
	checkpoints = []outpost.Checkpoint{outpost.Assembled, outpost.Departed, outpost.Crossed, outpost.Arrived, outpost.Returned}
	statuses    = []outpost.Status{outpost.InCountry, outpost.InTransit, outpost.Left}
	testBase    = time.Date(2021, 8, 15, 9, 0, 0, 0, time.UTC)
)

// corrections counts the corrections and bulk actions write made.
var corrections atomic.Int64

// write makes one random write of a kind that may change the census.
func write(ctx context.Context, t *rapid.T, db *store.DB) {
	when := func(label string) time.Time {
		// Minutes to weeks apart, before and after the others: tracking
		// arrives out of order.
		return testBase.Add(time.Duration(rapid.IntRange(-30*24*60, 30*24*60).Draw(t, label)) * time.Minute)
	}
	person := func() string { return fmt.Sprintf("P%02d", rapid.IntRange(0, 15).Draw(t, "person")) }
	var err error
	// event is one recorded event, live or corrected, of the people.
	event := func() int64 {
		var ids []int64
		for i := range 16 {
			h, err := db.History(ctx, fmt.Sprintf("P%02d", i))
			if err != nil {
				continue
			}
			for _, e := range h.Events {
				if e.ID > 0 {
					ids = append(ids, e.ID)
				}
			}
			for _, e := range h.Corrected {
				ids = append(ids, e.ID)
			}
		}
		if len(ids) == 0 {
			return 1
		}
		slices.Sort(ids)
		return rapid.SampledFrom(ids).Draw(t, "event")
	}
	kind := rapid.IntRange(0, 14).Draw(t, "kind")
	switch kind {
	case 10: // a correction of the time, the checkpoint or both
		a := outpost.Amendment{Event: event(), Reason: "wrong"}
		if rapid.Bool().Draw(t, "new time") {
			a.At = when("amended at")
		}
		if a.At.IsZero() || rapid.Bool().Draw(t, "new checkpoint") {
			a.Checkpoint = rapid.SampledFrom(checkpoints).Draw(t, "amended checkpoint")
		}
		_, err = db.AmendEvent(ctx, a)
	case 11: // a void
		_, err = db.VoidEvent(ctx, event(), "wrong", nil)
	case 12: // a bulk action of a few people
		var ts []outpost.Track
		at, c := when("bulk at"), rapid.SampledFrom(checkpoints).Draw(t, "bulk checkpoint")
		for range rapid.IntRange(1, 4).Draw(t, "bulk people") {
			ts = append(ts, outpost.Track{Person: person(), Checkpoint: c, At: at})
		}
		_, _, err = db.TrackAction(ctx, outpost.TrackAction{Checkpoint: c, What: "household"}, ts)
	case 13: // an undo of a bulk action, once
		_, err = db.UndoAction(ctx, int64(rapid.IntRange(1, 20).Draw(t, "action")), nil)
	case 0, 1, 2, 3, 4: // tracking: the most common write
		_, err = db.Track(ctx, outpost.Track{Person: person(), Checkpoint: rapid.SampledFrom(checkpoints).Draw(t, "checkpoint"), At: when("at")})
	case 5, 6: // registration or a change of mission, nationality, category, status
		var rs []outpost.PersonRecord
		ids := map[string]bool{}
		for range rapid.IntRange(1, 3).Draw(t, "rows") {
			id := person()
			if ids[id] {
				// One row per person in a file: PostgreSQL's import
				// refuses a second (another matter than the census's).
				continue
			}
			ids[id] = true
			r := outpost.PersonRecord{Person: outpost.Person{ID: id, GivenName: "A", FamilyName: "B",
				Mission: rapid.SampledFrom(testCodes).Draw(t, "mission"), Nationality: rapid.SampledFrom(testNats).Draw(t, "nat"),
				Category: rapid.SampledFrom(testCats).Draw(t, "category"), Status: rapid.SampledFrom(statuses).Draw(t, "status")},
				SinceGiven: rapid.Bool().Draw(t, "since given")}
			r.Since = when("since")
			if !r.SinceGiven {
				r.Since = testBase
			}
			rs = append(rs, r)
		}
		_, err = db.ImportPeople(ctx, outpost.Batch[outpost.PersonRecord]{Rows: slices.Values(rs), Err: func() error { return nil }})
	case 7, 8: // missions: a new one, a new name or status
		ms := []outpost.Mission{{Code: rapid.SampledFrom(append([]string{"UN", "ICRC"}, testCodes...)).Draw(t, "code"), Name: rapid.SampledFrom([]string{"Embassy", "Office"}).Draw(t, "name"),
			Status: rapid.SampledFrom([]outpost.MissionStatus{outpost.MissionOpen, "reduced", "closed"}).Draw(t, "mission status")}}
		if rapid.Bool().Draw(t, "status since") {
			ms[0].StatusSince = when("status since").Truncate(24 * time.Hour)
		}
		_, err = db.ImportMissions(ctx, outpost.Batch[outpost.Mission]{Rows: slices.Values(ms), Err: func() error { return nil }})
	case 14: // a mission's status changes at a date
		_, err = db.SetMissionStatus(ctx, outpost.MissionStatusChange{Mission: rapid.SampledFrom(testCodes).Draw(t, "mission"),
			Status: rapid.SampledFrom([]outpost.MissionStatus{outpost.MissionOpen, "reduced", "suspended", "closed"}).Draw(t, "status"),
			Since:  when("since"), Note: "test"})
	case 9: // settings: the time zone moves the days; another setting changes nothing
		key := rapid.SampledFrom([]string{"timezone", "post_name"}).Draw(t, "key")
		err = db.SetConfig(ctx, key, rapid.SampledFrom([]string{"UTC", "Asia/Kabul", "Asia/Pyongyang"}).Draw(t, "zone"))
	}
	if kind >= 10 && kind <= 13 && err == nil {
		corrections.Add(1)
	}
	var oe *outpost.Error
	if err != nil && !(errors.As(err, &oe) && (oe.Code == outpost.EINVALID || oe.Code == outpost.ENOTFOUND || oe.Code == outpost.ECONFLICT)) {
		t.Fatalf("write: %v", err)
	}
}

// sameSnapshot fails t unless got serves what a snapshot built afresh
// from db serves.
func sameSnapshot(ctx context.Context, t interface{ Fatalf(string, ...any) }, db *store.DB, got *Snapshot) {
	v, err := db.LastAuditID(ctx)
	if err != nil {
		t.Fatalf("last audit id: %v", err)
	}
	want, err := BuildSnapshot(ctx, db, v)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if got.Version != want.Version {
		t.Fatalf("version %d, want %d", got.Version, want.Version)
	}
	if !reflect.DeepEqual(got.Missions, want.Missions) {
		t.Fatalf("missions %+v, want %+v", got.Missions, want.Missions)
	}
	if got.Loc.String() != want.Loc.String() || got.LastEvent != want.LastEvent || got.Pop.Len() != want.Pop.Len() {
		t.Fatalf("zone %s, last event %d, %d people; want %s, %d, %d", got.Loc, got.LastEvent, got.Pop.Len(), want.Loc, want.LastEvent, want.Pop.Len())
	}
	if !reflect.DeepEqual(got.Days, want.Days) {
		t.Fatalf("days %+v, want %+v", got.Days, want.Days)
	}
	// Every moment something happened, a second before, and a moment
	// after the last.
	moments := []int64{testBase.Unix(), want.LastEvent + 3600}
	if err := db.Presence(ctx, func(p outpost.Presence) error {
		for _, e := range p.History {
			moments = append(moments, e.At-1, e.At)
		}
		return nil
	}); err != nil {
		t.Fatalf("presence: %v", err)
	}
	hist, err := db.MissionHistory(ctx, "")
	if err != nil {
		t.Fatalf("mission history: %v", err)
	}
	for _, c := range hist {
		if !c.Since.IsZero() {
			moments = append(moments, c.Since.Unix()-1, c.Since.Unix())
		}
	}
	for _, at := range moments {
		tm := time.Unix(at, 0).UTC()
		if g, w := got.Census(tm), want.Census(tm); !reflect.DeepEqual(g, w) {
			t.Fatalf("census at %s:\n got %+v\nwant %+v", tm.Format(time.RFC3339), g, w)
		}
	}
	first, last := outpost.DateOf(testBase).AddDays(-40), outpost.DateOf(testBase).AddDays(40)
	if g, w := got.Headcount(first, last), want.Headcount(first, last); !reflect.DeepEqual(g, w) {
		t.Fatalf("headcount %+v, want %+v", g, w)
	}
	if g, w := got.Pop.Series(first, last, got.Loc), want.Pop.Series(first, last, want.Loc); !reflect.DeepEqual(g, w) {
		t.Fatalf("series %+v, want %+v", g, w)
	}
}

// TestConcurrentWritesAreAllCounted writes from several connections at
// once while the census follows: on PostgreSQL a transaction may commit
// after one that took a later audit id, and the census must still count
// it (it looks again for the ids it skipped).
func TestConcurrentWritesAreAllCounted(t *testing.T) {
	for engine, dsn := range testkit.DSNs() {
		t.Run(engine, func(t *testing.T) {
			addr := dsn(t)
			db := testkit.Open(t, store.Open, addr)
			ctx := context.Background()
			seedRU(ctx, t, db, 40)
			s := New(db, nil, nil)
			if _, err := s.Snapshot(ctx); err != nil {
				t.Fatal(err)
			}
			// Writers on connections of their own, as other servers are.
			const writers, each = 4, 60
			errs := make(chan error, writers)
			done := make(chan struct{})
			for w := range writers {
				wdb := testkit.Open(t, store.Open, addr)
				go func() {
					for i := range each {
						k := w*each + i
						_, err := wdb.Track(ctx, outpost.Track{Person: fmt.Sprintf("P%02d", k%40), Checkpoint: checkpoints[k%len(checkpoints)],
							At: testBase.Add(time.Duration(k*37%1000) * time.Minute)})
						if err != nil {
							errs <- err
							return
						}
					}
					errs <- nil
				}()
			}
			go func() {
				defer close(done)
				for range writers {
					if err := <-errs; err != nil {
						t.Errorf("track: %v", err)
					}
				}
			}()
			// The census follows while they write.
		follow:
			for {
				if _, err := s.Snapshot(ctx); err != nil {
					t.Fatal(err)
				}
				select {
				case <-done:
					break follow
				default:
				}
			}
			got, err := s.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			sameSnapshot(ctx, t, db, got)
		})
	}
}

// seedRU imports mission RU and n of its people, P00…, in the country
// since testBase.
func seedRU(ctx context.Context, t *testing.T, db *store.DB, n int) {
	t.Helper()
	ms := []outpost.Mission{{Code: "RU", Name: "RU", Status: outpost.MissionOpen}}
	if _, err := db.ImportMissions(ctx, outpost.Batch[outpost.Mission]{Rows: slices.Values(ms), Err: func() error { return nil }}); err != nil {
		t.Fatal(err)
	}
	var rs []outpost.PersonRecord
	for i := range n {
		rs = append(rs, outpost.PersonRecord{Person: outpost.Person{ID: fmt.Sprintf("P%02d", i), GivenName: "A", FamilyName: "B",
			Mission: "RU", Nationality: "RU", Category: outpost.Staff, Status: outpost.InCountry, Since: testBase}, SinceGiven: true})
	}
	if _, err := db.ImportPeople(ctx, outpost.Batch[outpost.PersonRecord]{Rows: slices.Values(rs), Err: func() error { return nil }}); err != nil {
		t.Fatal(err)
	}
}
