package store

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/importer"
	"github.com/outpost-org/outpost/internal/synth"
)

// BenchmarkImportExitDocs imports 20,000 people with every exit-document
// column into SQLite: a first load, the same file again (nothing
// changes) and a file that moves everyone's quarantine (every person's
// documents change and are audited).
//
//	go test ./internal/store -run - -bench ImportExitDocs -benchtime 3x
func BenchmarkImportExitDocs(b *testing.B) {
	const n = 20_000
	var missions bytes.Buffer
	synth.WriteMissions(&missions, 10)
	file := func(quarantine string) []byte {
		var buf bytes.Buffer
		buf.WriteString("id,household,given_name,family_name,nationality,mission,category,sex,passport_expiry,permit_status,permit_number,permit_from,permit_to,permit_authority,quarantine_until,staying\n")
		for i := range n {
			fmt.Fprintf(&buf, "P-%06d,H-%06d,Anna,Ivanova,RU,M%03d,staff,F,2024-05-31,granted,KP-%d,2021-02-20,2021-03-20,MFA,%s,false\n",
				i, i/3, i%10, i, quarantine)
		}
		return buf.Bytes()
	}
	first, changed := file("2021-02-27"), file("2021-03-05")
	ctx := context.Background()
	load := func(b *testing.B, db *DB, data []byte) {
		kind := importer.People(func(string) bool { return true }, time.UTC, time.Now())
		pr, _ := importer.Open(kind, bytes.NewReader(data), importer.Options{File: "p.csv"})
		if _, err := db.ImportPeople(ctx, pr.Batch()); err != nil {
			b.Fatal(err)
		}
	}
	fresh := func(b *testing.B) *DB {
		db, err := Open(ctx, filepath.Join(b.TempDir(), "b.db"))
		if err != nil {
			b.Fatal(err)
		}
		rd, _ := importer.Open(importer.Missions(), bytes.NewReader(missions.Bytes()), importer.Options{File: "m.csv"})
		if _, err := db.ImportMissions(ctx, rd.Batch()); err != nil {
			b.Fatal(err)
		}
		return db
	}
	for _, c := range []struct {
		name        string
		before, run []byte
	}{{"first", nil, first}, {"same", first, first}, {"changed", first, changed}} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				db := fresh(b)
				if c.before != nil {
					load(b, db, c.before)
				}
				b.StartTimer()
				load(b, db, c.run)
				b.StopTimer()
				db.Close()
			}
			b.ReportMetric(n*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
