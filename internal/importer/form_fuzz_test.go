package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/outpost-org/outpost/internal/outpost"
)

// FuzzForm: a record typed into a form is refused exactly when the same
// row in a file is, on the same columns, so that a form and an import
// never disagree.
func FuzzForm(f *testing.F) {
	for _, s := range [][6]string{
		{"RU-0001", "RU-H1", "Olga", "RU", "staff", "1980-05-02"},
		{"RU-0001", "RU-H1", "Olga", "RU", "staff", "31/02/2021"},
		{"RU 1", "", "", "Russia", "spy", "2099-01-01"},
		{"RU-0001", "RU-H1", "Ol\x00ga", "ru", "", "1980-02-30"},
		{"RU-0001", "RU-H1", "  Olga  ", "RU", "diplomat", "\xff"},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4], s[5])
	}
	now := time.Date(2021, 4, 1, 12, 0, 0, 0, time.UTC)
	kind := People(func(m string) bool { return m == "RU" }, time.UTC, now)
	f.Fuzz(func(t *testing.T, id, household, given, nationality, category, birth string) {
		values := map[string]string{"id": id, "household": household, "given_name": given, "family_name": "Ivanova",
			"nationality": nationality, "mission": "RU", "category": category, "birth_date": birth}
		for _, v := range values {
			// A CSV cell cannot hold what a form can: a bare CR is read
			// as a line end, invalid UTF-8 is refused for the whole row.
			if strings.ContainsAny(v, "\r") || !utf8.ValidString(v) {
				return
			}
		}
		_, problems := Form(kind, values)
		var formCols []string
		for _, p := range problems {
			formCols = append(formCols, p.Field)
			if !strings.HasPrefix(FieldDetail(p), p.Field+": ") {
				t.Fatalf("detail %q does not start with its field", FieldDetail(p))
			}
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Write(kind.Columns)
		row := make([]string, len(kind.Columns))
		for i, c := range kind.Columns {
			row[i] = values[c]
		}
		w.Write(row)
		w.Flush()
		if bytes.HasPrefix(buf.Bytes(), []byte("\xef\xbb\xbf")) {
			return
		}
		_, _, err := ReadAll(kind, bytes.NewReader(buf.Bytes()), Options{File: "f.csv"})
		var fileCols []string
		var e *outpost.Error
		if errors.As(err, &e) {
			for _, d := range e.Details {
				rest, ok := strings.CutPrefix(d, "f.csv:2: ")
				if !ok {
					// A problem of the file as a whole (a row read as
					// more lines): not a form's concern.
					return
				}
				col, _, _ := strings.Cut(rest, ": ")
				fileCols = append(fileCols, col)
			}
		} else if err != nil {
			t.Fatal(err)
		}
		slices.Sort(formCols)
		slices.Sort(fileCols)
		if !slices.Equal(slices.Compact(formCols), slices.Compact(fileCols)) {
			t.Fatalf("form problems on %v, file problems on %v\nform: %v\nfile: %v", formCols, fileCols, problems, err)
		}
	})
}
