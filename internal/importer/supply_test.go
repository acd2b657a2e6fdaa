package importer

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/outpost-org/outpost/internal/outpost"
)

func known(codes ...string) func(string) bool {
	return func(c string) bool { return slices.Contains(codes, c) }
}

func TestItems(t *testing.T) {
	got, err := readAll(t, Items(), "items.csv", "code,name,kind,unit,daily_per_person\nFLOUR,Wheat flour,food,kg,0.25\nINSULIN,Insulin,medicine,vial,\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []outpost.Item{
		{Code: "FLOUR", Name: "Wheat flour", Kind: outpost.ItemFood, Unit: "kg", DailyPerPerson: 0.25},
		{Code: "INSULIN", Name: "Insulin", Kind: outpost.ItemMedicine, Unit: "vial"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
}

func TestSupplyProblemsAreLocated(t *testing.T) {
	missions, items := known("RU", "SE"), known("FLOUR", "SUGAR")
	for _, tc := range []struct {
		name, file, content string
		want                []string
	}{
		{
			name: "items", file: "items.csv",
			content: "code,name,kind,daily_per_person\nOIL,Cooking oil,food,-1\nSOAP,Soap,toiletry,\nOIL,Oil again,food,0,\n",
			want: []string{
				`items.csv:2: daily_per_person: must be a number ≥ 0 (empty means 0) (got "-1")`,
				`items.csv:3: kind: must be one of food, water, medicine, fuel, hygiene, other (got "toiletry")`,
				`items.csv:4: wrong number of fields: every row must have one field per header column`,
			},
		},
		{
			name: "stock", file: "stock.csv",
			content: "mission,item,lot,quantity,received,expires\n" +
				"RU,FLOUR,L1,0,2021-01-05,\n" + // zero
				"RU,FLOUR,L2,-3,2021-01-05,\n" + // negative
				"RU,FLOUR,L3,10,2021-01-05,2021-01-01\n" + // expiry before receipt
				"XX,FLOUR,L4,10,2021-01-05,\n" + // unknown mission
				"RU,RICE,L5,10,2021-01-05,\n" + // unknown item
				"RU,FLOUR,L6,10,2021-01-05,2021-06-01\n" +
				"SE,FLOUR,L6,10,2021-01-05,\n" + // same lot name elsewhere: fine
				"RU,FLOUR,L6,12,2021-01-06,\n" + // duplicate lot
				"RU,FLOUR,L7,1.5,,\n" + // no receipt date
				"RU,FLOUR,L8,10,2021-01-05,2021-01-05\n", // expires the day it comes
			want: []string{
				`stock.csv:2: quantity: must be a number greater than 0 (got "0")`,
				`stock.csv:3: quantity: must be a number greater than 0 (got "-3")`,
				`stock.csv:4: expires: expiry before receipt: a lot must expire after the day it is received (2021-01-05) (got "2021-01-01")`,
				"stock.csv:5: mission: no such mission: import it with `outpost import missions` first (got \"XX\")",
				"stock.csv:6: item: no such item: import it with `outpost import items` first (got \"RICE\")",
				`stock.csv:9: lot: duplicate lot: the same mission, item and lot are on line 7 (got "L6")`,
				`stock.csv:10: received: is required`,
				`stock.csv:11: expires: expiry before receipt: a lot must expire after the day it is received (2021-01-05) (got "2021-01-05")`,
			},
		},
		{
			name: "usage", file: "usage.csv",
			content: "mission,item,quantity,date,note\n" +
				"RU,FLOUR,2,2021-02-01,kitchen\n" +
				"RU,FLOUR,2,2021-02-01,kitchen\n" + // appended, never keyed: no duplicate
				"RU,FLOUR,0,2021-02-02,\n" +
				"RU,SUGAR,abc,2021-02-02,\n" +
				"PL,FLOUR,1,2021-02-31,\n",
			want: []string{
				`usage.csv:4: quantity: must be a number greater than 0 (got "0")`,
				`usage.csv:5: quantity: must be a decimal number (got "abc")`,
				"usage.csv:6: mission: no such mission: import it with `outpost import missions` first (got \"PL\")",
				`usage.csv:6: date: not a real calendar date (got "2021-02-31")`,
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			switch tc.name {
			case "items":
				_, err = readAll(t, Items(), tc.file, tc.content)
			case "stock":
				_, err = readAll(t, Stock(missions, items), tc.file, tc.content)
			case "usage":
				_, err = readAll(t, Usage(missions, items), tc.file, tc.content)
			}
			if diff := cmp.Diff(tc.want, details(err)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStockRows(t *testing.T) {
	got, err := readAll(t, Stock(known("RU"), known("FLOUR")), "stock.csv",
		"lot,mission,item,quantity,received,expires\nL1,RU,FLOUR,12.5,2021-01-05,2021-07-01\nL2,RU,FLOUR,3,2021-01-06,\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []outpost.Receipt{
		{Mission: "RU", Item: "FLOUR", Lot: "L1", Quantity: 12.5, Received: "2021-01-05", Expires: "2021-07-01", Line: 2},
		{Mission: "RU", Item: "FLOUR", Lot: "L2", Quantity: 3, Received: "2021-01-06", Line: 3},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("receipts (-want +got):\n%s", diff)
	}
}

// A check that needs the database adds its problems after the rows were
// read; they are reported like the reader's own.
func TestReaderProblemAfterReading(t *testing.T) {
	rd, err := Open(Usage(known("RU"), known("FLOUR")), strings.NewReader("mission,item,quantity,date\nRU,FLOUR,5,2021-02-01\nRU,FLOUR,50,2021-02-02\n"), Options{File: "usage.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for u := range rd.Batch().Rows {
		lines = append(lines, u.Line)
	}
	if rd.Err() != nil || !slices.Equal(lines, []int{2, 3}) {
		t.Fatalf("clean file: got %v, lines %v", rd.Err(), lines)
	}
	rd.Problem(3, "quantity", "50", "more than on hand on 2021-02-02: 45 available")
	err = rd.Err()
	want := []string{`usage.csv:3: quantity: more than on hand on 2021-02-02: 45 available (got "50")`}
	if diff := cmp.Diff(want, details(err)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if outpost.ErrorCode(err) != outpost.EINVALID || !strings.Contains(err.Error(), "1 problem, nothing was imported") {
		t.Errorf("got %v (%s), want an EINVALID error counting 1 problem", err, outpost.ErrorCode(err))
	}
}

func TestJoinAnd(t *testing.T) {
	for in, want := range map[string]string{"": "", "a": "a", "a b": "a and b", "a b c": "a, b and c"} {
		if got := joinAnd(strings.Fields(in)); got != want {
			t.Errorf("joinAnd(%q): got %q, want %q", in, got, want)
		}
	}
}
