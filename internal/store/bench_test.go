package store

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/importer"
	"github.com/outpost-org/outpost/internal/synth"
)

// BenchmarkImportPeople imports 100,000 generated people into a fresh
// SQLite file per iteration: CSV parsing, validation and the write.
func BenchmarkImportPeople(b *testing.B) {
	var missions, people bytes.Buffer
	synth.WriteMissions(&missions, 120)
	synth.WritePeople(&people, 100_000, 120, "P", 1)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := Open(ctx, filepath.Join(b.TempDir(), "b.db"))
		if err != nil {
			b.Fatal(err)
		}
		rd, _ := importer.Open(importer.Missions(), bytes.NewReader(missions.Bytes()), importer.Options{File: "m.csv"})
		if _, err := db.ImportMissions(ctx, rd.Batch()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		kind := importer.People(func(string) bool { return true }, time.UTC, time.Now())
		pr, _ := importer.Open(kind, bytes.NewReader(people.Bytes()), importer.Options{File: "p.csv"})
		if _, err := db.ImportPeople(ctx, pr.Batch()); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
	}
	b.ReportMetric(100_000*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
