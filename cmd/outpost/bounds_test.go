package main

import (
	"strings"
	"testing"
)

// The command line refuses what the domain's bounds refuse, on both
// engines, with a message naming the flag, argument or file position, and
// writes nothing.
func TestCLIBounds(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			seedSupplyCLI(t, db)
			for _, c := range []struct {
				args []string
				want string
			}{
				{[]string{"track", "RU-0002", "departed", "--at", "9999-12-31T00:00:00Z"}, "--at"},
				{[]string{"track", "RU-0002", "departed", "--at", "0001-01-01T00:00:00Z"}, "--at"},
				{[]string{"track", "RU-0002", "departed", "--at", "2019-06-01"}, "before the person was registered"},
				{[]string{"track", "RU-0002", "departed", "--at", "2021-06-05"}, "more than a day in the future"},
				{[]string{"track", "RU-0002", "assembled", "--note", "bus\x00"}, "--note: holds a NUL"},
				{[]string{"supply", "receive", "WFP", "INSULIN", "B7", "1e308", "--received", "2021-02-01"}, "QUANTITY must be at most 1000000000"},
				{[]string{"supply", "receive", "WFP", "INSULIN", "B7", "NaN", "--received", "2021-02-01"}, "QUANTITY"},
				{[]string{"supply", "receive", "WFP", "INSULIN", "B7", "Inf", "--received", "2021-02-01"}, "QUANTITY"},
				{[]string{"supply", "receive", "WFP", "INSULIN", "B/7", "1", "--received", "2021-02-01"}, "lot: must be 1 to 64 letters"},
				{[]string{"supply", "issue", "WFP", "INSULIN", "+Inf", "--date", "2021-02-03"}, "QUANTITY"},
				{[]string{"supply", "transfer", "FLOUR", "SE", "RU", "1e308", "--date", "2021-03-01"}, "QUANTITY"},
				{[]string{"supply", "status", "--as-of", "9999-12-31"}, "--as-of"},
				{[]string{"census", "--as-of", "0001-01-01"}, "--as-of"},
				{[]string{"sitrep", "--date", "9999-12-31"}, "9999-12-31"},
			} {
				if _, errs, code := cli(t, db, "", c.args...); code == 0 || !strings.Contains(errs, c.want) {
					t.Errorf("outpost %s: exit %d, want an error with %q\n%s", strings.Join(c.args, " "), code, c.want, errs)
				}
			}
			if out := mustCLI(t, db, "people", "show", "RU-0002"); strings.Contains(out, "departed") || strings.Contains(out, "assembled") {
				t.Errorf("a refused checkpoint was recorded:\n%s", out)
			}
			dir := t.TempDir()
			stock := writeFile(t, dir, "stock.csv", "mission,item,lot,quantity,received\nWFP,WATER,W8,1e308,2021-02-01\nWFP,WATER,W9,NaN,2021-02-01\nWFP,WATER,W10,Infinity,2021-02-01\n")
			_, errs, code := cli(t, db, "", "import", "stock", stock)
			for _, want := range []string{
				`stock.csv:2: quantity: must be at most 1000000000 (got "1e308")`,
				`stock.csv:3: quantity: must be a decimal number (got "NaN")`,
				`stock.csv:4: quantity: must be a decimal number (got "Infinity")`,
			} {
				if code == 0 || !strings.Contains(errs, want) {
					t.Errorf("import stock: exit %d, want %q in\n%s", code, want, errs)
				}
			}
			people := writeFile(t, dir, "people.csv", "id,household,given_name,family_name,nationality,mission,category\n"+
				"RU/../../x,RU-H9,Ivan,Petrov,RU,RU,staff\nRU-0009,RU-H9,Iv\x00an,Petrov,RU,RU,staff\nRU-0010,RU-H9,"+strings.Repeat("N", 201)+",Petrov,RU,RU,staff\n")
			_, errs, code = cli(t, db, "", "import", "people", people)
			for _, want := range []string{"people.csv:2: id: must be 1 to 64 letters", "people.csv:3: given_name: holds a NUL character", "people.csv:4: given_name: is longer than 200 characters"} {
				if code == 0 || !strings.Contains(errs, want) {
					t.Errorf("import people: exit %d, want %q in\n%s", code, want, errs)
				}
			}
		})
	}
}
