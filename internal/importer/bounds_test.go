package importer

import (
	"strings"
	"testing"
	"time"
)

// Every bound of the domain is applied to every file, each refusal located
// as FILE:LINE: COLUMN: what was wrong (got "X"), and nothing is yielded.
func TestBoundsAreLocated(t *testing.T) {
	now := time.Date(2021, 1, 5, 10, 0, 0, 0, time.UTC)
	known := func(c string) bool { return c == "RU" || c == "FLOUR" }
	people := People(known, time.UTC, now)
	const head = "id,household,given_name,family_name,nationality,mission,category,birth_date,since,ready,passport\n"
	huge := strings.Repeat("A", 100<<20)
	cases := []struct {
		name  string
		read  func() ([]string, int)
		wants []string
	}{
		{"people", func() ([]string, int) {
			rows, err := readAll(t, people, "p.csv", head+
				"RU-1,RU-H1,"+huge+",Petrova,RU,RU,staff,,,,\n"+
				"RU-2,RU-H1,An\x00na,Pe\x01trova,RU,RU,staff,,,,\n"+
				"RU/../../x,RU-H1,Anna,Petrova,RU,RU,staff,,,,\n"+
				"RU-7006?x=1#y,RU-H1,Anna,Petrova,RU,RU,staff,,,,\n"+
				"RU-5,RU H1,Anna,Petrova,RU,RU,staff,1899-12-31,9999-12-31,0001-01-01,\n"+
				"RU-6,RU-H1,\"Anna\nMaria\",Petrova,RU,RU,staff,,,,P\x00\n"+
				"RU-8,RU-H1,Anna,Petrova,RU,RU,staff,,,,\n"+
				"RU-7,RU-H1,Anna,Petrova,RU,RU,staff,,,,"+strings.Repeat("9", 101)+"\n")
			return details(err), len(rows)
		}, []string{
			`p.csv:2: given_name: is longer than 200 characters (got "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA…")`,
			`p.csv:3: given_name: holds a NUL character (got "An\x00na")`,
			`p.csv:3: family_name: holds the control character U+0001 (it must be one line of text) (got "Pe\x01trova")`,
			`p.csv:4: id: ` + "must be 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit" + ` (got "RU/../../x")`,
			`p.csv:5: id: ` + "must be 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit" + ` (got "RU-7006?x=1#y")`,
			`p.csv:6: household: must be 1 to 64 letters`,
			`p.csv:6: birth_date: out of range: want a date from 1900-01-01 to 2100-12-31 (got "1899-12-31")`,
			`p.csv:6: since: out of range: want a date from 1900-01-01 to 2100-12-31 (got "9999-12-31")`,
			`p.csv:6: ready: out of range: want a date from 1900-01-01 to 2100-12-31 (got "0001-01-01")`,
			`p.csv:7: given_name: holds the control character U+000A (it must be one line of text) (got "Anna\nMaria")`,
			`p.csv:7: passport: holds a NUL character (got "P\x00")`,
			`p.csv:10: passport: is longer than 100 characters`,
		}},
		{"stock", func() ([]string, int) {
			rows, err := readAll(t, Stock(known, known), "stock.csv", "mission,item,lot,quantity,received,expires\n"+
				"RU,FLOUR,L1,1e308,2021-01-01,\n"+
				"RU,FLOUR,L2,NaN,2021-01-01,\n"+
				"RU,FLOUR,L3,Inf,2021-01-01,\n"+
				"RU,FLOUR,L4,1000000001,2021-01-01,\n"+
				"RU,FLOUR,L5,10,9999-12-31,\n"+
				"RU,FLOUR,L6/../x,10,2021-01-01,\n"+
				"RU,FLOUR,L7,1000000000,2021-01-01,2100-12-31\n")
			return details(err), len(rows)
		}, []string{
			`stock.csv:2: quantity: must be at most 1000000000 (got "1e308")`,
			`stock.csv:3: quantity: must be a decimal number (got "NaN")`,
			`stock.csv:4: quantity: must be a decimal number (got "Inf")`,
			`stock.csv:5: quantity: must be at most 1000000000 (got "1000000001")`,
			`stock.csv:6: received: out of range: want a date from 1900-01-01 to 2100-12-31 (got "9999-12-31")`,
			`stock.csv:7: lot: must be 1 to 64 letters`,
		}},
		{"usage", func() ([]string, int) {
			rows, err := readAll(t, Usage(known, known), "usage.csv", "mission,item,quantity,date,note\n"+
				"RU,FLOUR,1e308,2021-01-01,\n"+
				"RU,FLOUR,1,2021-01-01,\"two\nlines\tare fine\"\n"+
				"RU,FLOUR,1,2021-01-01,bell\x07\n")
			return details(err), len(rows)
		}, []string{
			`usage.csv:2: quantity: must be at most 1000000000 (got "1e308")`,
			`usage.csv:5: note: holds the control character U+0007 (only tabs and line breaks are allowed) (got "bell\a")`,
		}},
		{"items", func() ([]string, int) {
			rows, err := readAll(t, Items(), "items.csv", "code,name,kind,unit,daily_per_person\n"+
				"RICE,Rice,food,kg,1e308\nOIL,Oil\x00,food,l,0.1\n")
			return details(err), len(rows)
		}, []string{
			`items.csv:2: daily_per_person: must be at most 1000000000 (empty means 0) (got "1e308")`,
			`items.csv:3: name: holds a NUL character (got "Oil\x00")`,
		}},
		{"departures", func() ([]string, int) {
			rows, err := readAll(t, Departures(time.UTC), "d.csv", "id,route,departs,seats\n"+
				"T-1,Train,9999-12-31T08:00:00Z,10\nT-2,Train,2021-03-01T08:00:00Z,2000000\nT/3,Train\x00,2021-03-01T08:00:00Z,10\n")
			return details(err), len(rows)
		}, []string{
			`d.csv:2: departs: out of range`,
			`d.csv:3: seats: must be a whole number from 1 to 1000000 (got "2000000")`,
			`d.csv:4: id: must be 1 to 64 letters`,
			`d.csv:4: route: holds a NUL character`,
		}},
	}
	cases = append(cases, struct {
		name  string
		read  func() ([]string, int)
		wants []string
	}{"people.json", func() ([]string, int) {
		rd, err := Open(people, strings.NewReader(`[{"id":"RU/../x","household":"H","given_name":"A\u0000","family_name":"B","nationality":"RU","mission":"RU","category":"staff","since":"9999-12-31"}]`), Options{File: "p.json"})
		if err != nil {
			return details(err), 0
		}
		n := 0
		for range rd.Batch().Rows {
			n++
		}
		return details(rd.Err()), n
	}, []string{
		`p.json:1: id: must be 1 to 64 letters`,
		`p.json:1: given_name: holds a NUL character`,
		`p.json:1: since: out of range`,
	}})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, n := tc.read()
			if n != 0 {
				t.Errorf("%d rows were yielded from a refused file", n)
			}
			for _, w := range tc.wants {
				found := false
				for _, g := range got {
					found = found || strings.HasPrefix(g, w)
				}
				if !found {
					t.Errorf("no problem %q in\n%s", w, strings.Join(got, "\n"))
				}
			}
			if len(got) != len(tc.wants) {
				t.Errorf("got %d problems, want %d:\n%s", len(got), len(tc.wants), strings.Join(got, "\n"))
			}
		})
	}
}
