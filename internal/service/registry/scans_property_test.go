package registry_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

var (
	propNow  = time.Date(2021, 4, 1, 12, 0, 0, 0, time.UTC)
	propBase = time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)
)

// TestScanBatchesInAnyChunksRecordTheSame: a scanner's queue recorded in
// one upload, and the same queue split into any chunks sent in any order,
// some of them twice, record the same events: every good scan once, and
// nothing for a duplicate, an unknown person, another mission's person,
// a bad checkpoint or a scan out of order with the person's journey.
// The two uploads go to two copies of the same people (suffix A and B)
// in one database per engine.
func TestScanBatchesInAnyChunksRecordTheSame(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := storetest.Ctx()
			if _, err := db.ImportMissions(ctx, storetest.Batch(storetest.Missions()...)); err != nil {
				t.Fatal(err)
			}
			svc := registry.New(db, nil, func() time.Time { return propNow })
			staff := outpost.User{Name: "gate", Role: outpost.RoleStaff, Mission: "RU"}
			run := 0
			rapid.Check(t, func(rt *rapid.T) {
				run++
				prefix := fmt.Sprintf("P%d", run)
				id := func(mission string, k int, copy string) string {
					return fmt.Sprintf("%s-%s-%d%s", mission, prefix, k, copy)
				}
				minute := func(m int) string { return propBase.Add(time.Duration(m) * time.Minute).Format(time.RFC3339) }
				// The queue, written for copy "#": each person's id ends
				// in "#", replaced by A or B.
				var queue []registry.Scan
				var want []string // the events a good scan records, for copy "#"
				nPeople := rapid.IntRange(1, 4).Draw(rt, "people")
				for k := range nPeople {
					who := id("RU", k, "#")
					stages := rapid.SliceOfNDistinct(rapid.SampledFrom([]string{"assembled", "departed", "crossed", "arrived"}), 0, 4, rapid.ID).Draw(rt, "stages")
					slices.SortFunc(stages, func(a, b string) int {
						return outpost.Checkpoint(a).JourneyStage() - outpost.Checkpoint(b).JourneyStage()
					})
					if rapid.Bool().Draw(rt, "returns") {
						stages = append(stages, "returned")
					}
					m := rapid.IntRange(0, 100).Draw(rt, "start")
					for _, c := range stages {
						m += rapid.IntRange(1, 600).Draw(rt, "gap")
						queue = append(queue, registry.Scan{Person: who, Checkpoint: c, At: minute(m)})
						want = append(want, who+" "+c+" "+minute(m))
					}
				}
				// A person with a journey already recorded: departed at
				// minute 100, crossed at 200. Scans against it are out of
				// order, or a duplicate of what is recorded.
				seeded := id("RU", 99, "#")
				queue = append(queue,
					registry.Scan{Person: seeded, Checkpoint: "assembled", At: minute(rapid.IntRange(101, 400).Draw(rt, "late assembled"))},
					registry.Scan{Person: seeded, Checkpoint: "crossed", At: minute(rapid.IntRange(1, 99).Draw(rt, "early crossing"))},
					registry.Scan{Person: seeded, Checkpoint: "departed", At: minute(100)},
					registry.Scan{Person: "NOPE-" + prefix, Checkpoint: "departed", At: minute(5)},
					registry.Scan{Person: id("SE", 0, "#"), Checkpoint: "departed", At: minute(5)},
					registry.Scan{Person: id("RU", 0, "#"), Checkpoint: "boarded", At: minute(5)},
				)
				want = append(want, seeded+" departed "+minute(100), seeded+" crossed "+minute(200))
				// Repeats, then any order.
				for _, i := range rapid.SliceOfN(rapid.IntRange(0, len(queue)-1), 0, 5).Draw(rt, "repeats") {
					queue = append(queue, queue[i])
				}
				queue = rapid.Permutation(queue).Draw(rt, "order")

				var recs []outpost.PersonRecord
				for _, copy := range []string{"A", "B"} {
					for k := range nPeople {
						recs = append(recs, storetest.Person(id("RU", k, copy), "RU-H-"+prefix, "RU"))
					}
					recs = append(recs, storetest.Person(id("RU", 99, copy), "RU-H-"+prefix, "RU"), storetest.Person(id("SE", 0, copy), "SE-H-"+prefix, "SE"))
				}
				if _, err := db.ImportPeople(ctx, storetest.Batch(recs...)); err != nil {
					rt.Fatal(err)
				}
				for _, copy := range []string{"A", "B"} {
					for _, tr := range []outpost.Track{
						{Person: id("RU", 99, copy), Checkpoint: "departed", At: propBase.Add(100 * time.Minute)},
						{Person: id("RU", 99, copy), Checkpoint: "crossed", At: propBase.Add(200 * time.Minute)},
					} {
						if _, err := db.Track(ctx, tr); err != nil {
							rt.Fatal(err)
						}
					}
				}
				as := func(copy string, scans []registry.Scan) []registry.Scan {
					out := make([]registry.Scan, len(scans))
					for i, s := range scans {
						s.Person = strings.Replace(s.Person, "#", copy, 1)
						out[i] = s
					}
					return out
				}
				upload := func(scans []registry.Scan) registry.ScanReport {
					rep, err := svc.TrackScans(ctx, staff, registry.ScanBatch{Scans: scans})
					if err != nil {
						rt.Fatalf("upload: %v", err)
					}
					if rep.Recorded+rep.Duplicates+rep.Refused != len(scans) {
						rt.Fatalf("%d scans answered as %d recorded, %d duplicates, %d refused", len(scans), rep.Recorded, rep.Duplicates, rep.Refused)
					}
					return rep
				}
				one := upload(as("A", queue))

				// The same queue in chunks, in any order, some sent twice.
				cuts := rapid.SliceOfNDistinct(rapid.IntRange(1, max(1, len(queue)-1)), 0, 6, rapid.ID).Draw(rt, "cuts")
				slices.Sort(cuts)
				var chunks [][]registry.Scan
				from := 0
				for _, c := range append(cuts, len(queue)) {
					if c > from {
						chunks = append(chunks, queue[from:c])
						from = c
					}
				}
				for _, i := range rapid.SliceOfN(rapid.IntRange(0, len(chunks)-1), 0, 3).Draw(rt, "resent") {
					chunks = append(chunks, chunks[i])
				}
				chunks = rapid.Permutation(chunks).Draw(rt, "chunk order")
				recorded := 0
				for _, c := range chunks {
					recorded += upload(as("B", c)).Recorded
				}
				if recorded != one.Recorded {
					rt.Fatalf("in chunks %d scans recorded, in one upload %d", recorded, one.Recorded)
				}
				again := upload(as("A", queue))
				if again.Recorded != 0 || again.Duplicates != one.Recorded+one.Duplicates {
					rt.Errorf("the queue sent again: %+v, want %d duplicates and nothing recorded", again, one.Recorded+one.Duplicates)
				}

				events := func(copy string) []string {
					var out []string
					ids := []string{id("RU", 99, copy), id("SE", 0, copy)}
					for k := range nPeople {
						ids = append(ids, id("RU", k, copy))
					}
					for _, p := range ids {
						evs, err := db.Events(ctx, p)
						if err != nil {
							rt.Fatal(err)
						}
						for _, e := range evs {
							if e.Checkpoint != "" {
								out = append(out, strings.Replace(e.Person, copy, "#", 1)+" "+string(e.Checkpoint)+" "+e.At.UTC().Format(time.RFC3339))
							}
						}
					}
					slices.Sort(out)
					return out
				}
				slices.Sort(want)
				if a := events("A"); !slices.Equal(a, want) {
					rt.Fatalf("one upload recorded\n%v\nwant\n%v", a, want)
				}
				if b := events("B"); !slices.Equal(b, want) {
					rt.Fatalf("chunks recorded\n%v\nwant\n%v", b, want)
				}
			})
		})
	}
}

// TestScanBatchSentTwiceAtOnceRecordsOnce: a scanner that times out and
// sends its queue again while the first upload is still being written
// records each scan once.
func TestScanBatchSentTwiceAtOnceRecordsOnce(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := storetest.Ctx()
			var ids []string
			for k := range 20 {
				ids = append(ids, fmt.Sprintf("RU-%04d", k))
			}
			testkit.SeedPeople(t, db, ids, nil)
			svc := registry.New(db, nil, func() time.Time { return propNow })
			admin := outpost.Operator("gate")
			var scans []registry.Scan
			for i, p := range ids {
				for j, c := range []string{"assembled", "departed", "crossed"} {
					scans = append(scans, registry.Scan{Person: p, Checkpoint: c, At: propBase.Add(time.Duration(i+j*60) * time.Minute).Format(time.RFC3339)})
				}
			}
			slices.Reverse(scans[len(scans)/2:])
			const uploads = 4
			reps := make(chan registry.ScanReport, uploads)
			errs := make(chan error, uploads)
			for range uploads {
				go func() {
					rep, err := svc.TrackScans(ctx, admin, registry.ScanBatch{Scans: scans})
					reps <- rep
					errs <- err
				}()
			}
			recorded := 0
			for range uploads {
				if err := <-errs; err != nil {
					t.Fatal(err)
				}
				rep := <-reps
				recorded += rep.Recorded
				if rep.Refused != 0 {
					t.Errorf("refused: %+v", rep.Refusals)
				}
			}
			if recorded != len(scans) {
				t.Errorf("%d uploads at once recorded %d scans, want each of %d once", uploads, recorded, len(scans))
			}
			for _, p := range ids {
				evs, err := db.Events(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				if len(evs) != 4 {
					t.Errorf("%s has %d events, want the import and 3 checkpoints", p, len(evs))
				}
			}
		})
	}
}

// TestCheckpointsAtOnceAreEachCommittedAsAlone: checkpoints recorded one
// by one from many requests at once (written together, in one
// transaction per actor) each get their own answer: the event as Track
// records it, or their own refusal; the audit log names who recorded
// each.
func TestCheckpointsAtOnceAreEachCommittedAsAlone(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := storetest.Ctx()
			var ids []string
			for k := range 30 {
				ids = append(ids, fmt.Sprintf("RU-%04d", k))
			}
			testkit.SeedPeople(t, db, ids, nil)
			svc := registry.New(db, nil, func() time.Time { return propNow })
			type answer struct {
				i   int
				ev  outpost.Event
				err error
			}
			answers := make(chan answer, 2*len(ids))
			for i, p := range ids {
				for _, early := range []bool{false, true} {
					go func() {
						u := outpost.User{Name: fmt.Sprintf("gate%d", i%3), Role: outpost.RoleStaff, Mission: "RU"}
						at := "2021-04-01T08:00:00Z"
						if early {
							at = "2019-04-01T08:00:00Z" // before the registration
						}
						cp := "departed"
						if i%2 == 0 {
							cp = "assembled"
						}
						ev, err := svc.Track(ctx, u, p, registry.TrackRequest{Checkpoint: cp, At: at})
						j := i
						if early {
							j = -1 - i
						}
						answers <- answer{j, ev, err}
					}()
				}
			}
			for range 2 * len(ids) {
				a := <-answers
				if a.i < 0 {
					if outpost.ErrorCode(a.err) != outpost.EINVALID || !strings.Contains(outpost.ErrorMessage(a.err), "before the person was registered") {
						t.Errorf("%s early: got %v, want its own refusal", ids[-1-a.i], a.err)
					}
					continue
				}
				want := outpost.Status("in_transit")
				if a.i%2 == 0 {
					want = "in_country"
				}
				if a.err != nil || a.ev.ID == 0 || a.ev.Person != ids[a.i] || a.ev.Status != want || a.ev.Source != "track" {
					t.Errorf("%s: got %+v %v", ids[a.i], a.ev, a.err)
				}
			}
			entries, err := db.Audit(ctx, outpost.AuditFilter{Entity: "person", Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, e := range entries {
				if e.Action != "track" {
					continue
				}
				n++
				var k int
				fmt.Sscanf(e.EntityID, "RU-%d", &k)
				if e.Actor != fmt.Sprintf("gate%d", k%3) {
					t.Errorf("%s recorded by %q, want gate%d", e.EntityID, e.Actor, k%3)
				}
			}
			if n != len(ids) {
				t.Errorf("%d checkpoints in the audit log, want %d", n, len(ids))
			}
		})
	}
}
