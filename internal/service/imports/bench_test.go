package imports_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/importer"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/imports"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// staffFile is a people file of n rows of RU, half of them people the
// store already holds (every other one with a changed name).
func staffFile(n int) []byte {
	var b bytes.Buffer
	b.WriteString("id,household,given_name,family_name,nationality,mission,category\n")
	for i := range n {
		fam := "Petrova"
		if i%4 == 0 {
			fam = "Changed"
		}
		fmt.Fprintf(&b, "RU-B%05d,RU-HB%04d,Anna,%s,RU,RU,staff\n", i, i/3, fam)
	}
	return b.Bytes()
}

// BenchmarkUploadPeople measures what the browser's upload adds to an
// import: reading the file (the baseline, as `outpost import` reads it),
// then comparing each row with the database and keeping the draft.
func BenchmarkUploadPeople(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		db := testkit.Open(b, store.Open, testkit.SQLiteDSN(b))
		ctx := storetest.Ctx()
		if _, err := db.ImportMissions(ctx, storetest.Batch(storetest.Missions()...)); err != nil {
			b.Fatal(err)
		}
		var existing []outpost.PersonRecord
		for i := 0; i < n; i += 2 {
			existing = append(existing, storetest.Person(fmt.Sprintf("RU-B%05d", i), fmt.Sprintf("RU-HB%04d", i/3), "RU"))
		}
		if _, err := db.ImportPeople(ctx, storetest.Batch(existing...)); err != nil {
			b.Fatal(err)
		}
		data := staffFile(n)
		svc := imports.New(db, func() time.Time { return now })
		kind := importer.People(func(string) bool { return true }, time.UTC, now)
		b.Run(fmt.Sprintf("read-only-baseline/%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := importer.ReadAll(kind, bytes.NewReader(data), importer.Options{File: "s.csv"}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("upload-preview/%d", n), func(b *testing.B) {
			for b.Loop() {
				p, err := svc.Upload(ctx, admin, "people", "s.csv", data)
				if err != nil {
					b.Fatal(err)
				}
				if p.New != n/2 {
					b.Fatalf("new: got %d, want %d", p.New, n/2)
				}
			}
		})
	}
}
