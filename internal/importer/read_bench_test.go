package importer

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// peopleFile returns n people as a CSV file with the separator sep.
func peopleFile(n int, sep string) []byte {
	var b bytes.Buffer
	b.WriteString(strings.ReplaceAll("id,household,given_name,family_name,nationality,mission,category,birth_date,essential,medical,status,since,ready,passport\n", ",", sep))
	for i := range n {
		fmt.Fprintf(&b, strings.ReplaceAll("RU-%07d,RU-H%06d,Анна,Петрова,RU,RU,dependent,1980-01-31,false,1,in_country,2020-02-01,,P%07d\n", ",", sep), i, i/3, i)
	}
	return b.Bytes()
}

// BenchmarkReadPeopleCSV reads 100,000 people (about 10 MB) through the
// importer, without a store: the cost the file's variants add to parsing.
func BenchmarkReadPeopleCSV(b *testing.B) {
	const n = 100_000
	kind := People(func(string) bool { return true }, time.UTC, time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC))
	for _, v := range []struct {
		name string
		file []byte
	}{
		{"comma", peopleFile(n, ",")},
		{"semicolon", peopleFile(n, ";")},
		{"utf16", utf16Text(string(peopleFile(n, "\t")), false, true)},
	} {
		b.Run(v.name, func(b *testing.B) {
			b.SetBytes(int64(len(v.file)))
			for b.Loop() {
				rd, err := Open(kind, bytes.NewReader(v.file), Options{File: "p.csv"})
				if err != nil {
					b.Fatal(err)
				}
				rows := 0
				for range rd.Batch().Rows {
					rows++
				}
				if rows != n || rd.Err() != nil {
					b.Fatalf("%d rows, %v", rows, rd.Err())
				}
			}
		})
	}
}
