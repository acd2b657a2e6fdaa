package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/outpost-org/outpost/internal/outpost"
	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
	"github.com/outpost-org/outpost/internal/supply"
	"github.com/outpost-org/outpost/internal/testkit"
	"github.com/outpost-org/outpost/scenarios"
)

const itemsCSV = `code,name,kind,unit,daily_per_person
FLOUR,Wheat flour,food,kg,0.25
INSULIN,Insulin,medicine,vial,
WATER,Bottled water,water,l,2
`

const stockCSV = `mission,item,lot,quantity,received,expires
RU,FLOUR,L1,100,2021-01-05,2021-03-20
RU,FLOUR,L2,50,2021-01-10,
RU,INSULIN,I1,10,2021-01-05,2021-04-15
SE,FLOUR,S1,500,2021-01-05,2021-12-01
WFP,WATER,W1,25,2021-02-01,
`

const usageCSV = `mission,item,quantity,date
RU,FLOUR,28,2021-02-10
RU,FLOUR,28,2021-02-20
RU,INSULIN,1,2021-02-15
SE,FLOUR,14,2021-02-15
`

// seedSupplyCLI loads the registry fixture (3 people of RU and 1 of WFP in
// the country, SE gone) and the ledger above.
func seedSupplyCLI(t *testing.T, db string) {
	t.Helper()
	seedCLI(t, db)
	dir := t.TempDir()
	mustCLI(t, db, "import", "items", writeFile(t, dir, "items.csv", itemsCSV))
	mustCLI(t, db, "import", "stock", writeFile(t, dir, "stock.csv", stockCSV))
	mustCLI(t, db, "import", "usage", writeFile(t, dir, "usage.csv", usageCSV))
}

func statusJSON(t *testing.T, db string, args ...string) supplyStatus {
	t.Helper()
	out := mustCLI(t, db, append([]string{"supply", "status", "--json"}, args...)...)
	var st supplyStatus
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil || dec.More() {
		t.Fatalf("supply status --json is not one JSON document of the documented shape: %v\n%s", err, out)
	}
	return st
}

func intp(n int) *int { return &n }

// The figures are worked by hand (and agree with the reference model of
// shared/conformance/gen.py): RU FLOUR draws L1 first, which loses its last
// 8 kg on 20 March; WFP WATER has no use, so its rate is the plan's 2 l
// for its one person, and lasts 12 days.
func TestSupplyStatus(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			seedSupplyCLI(t, db)
			st := statusJSON(t, db, "--as-of", "2021-03-01")
			want := supplyStatus{AsOf: "2021-03-01", Threshold: 14, Rows: []supply.Row{
				{Mission: "RU", Item: "FLOUR", OnHand: 94, DailyRate: 2, RateSource: "usage", DaysOfSupply: intp(43),
					Expiring30d: 8, NearExpiry30d: 44, NearExpiry90d: 44},
				{Mission: "RU", Item: "INSULIN", OnHand: 9, DailyRate: 0.035714, RateSource: "usage", DaysOfSupply: intp(44),
					NearExpiry90d: 9},
				{Mission: "SE", Item: "FLOUR", OnHand: 486, DailyRate: 0.5, RateSource: "usage", DaysOfSupply: intp(274)},
				{Mission: "WFP", Item: "WATER", OnHand: 25, DailyRate: 2, RateSource: "plan", DaysOfSupply: intp(12), Shortage: true},
			}}
			if diff := cmp.Diff(want, st); diff != "" {
				t.Errorf("status (-want +got):\n%s", diff)
			}
			if st := statusJSON(t, db, "--as-of", "2021-03-01", "--mission", "WFP", "--threshold", "10"); len(st.Rows) != 1 || st.Rows[0].Shortage || st.Threshold != 10 {
				t.Errorf("WFP with threshold 10: got %+v, want one row, no shortage", st)
			}
			// Only rows dated on or before as_of: nothing was received yet.
			if st := statusJSON(t, db, "--as-of", "2021-01-04"); len(st.Rows) != 0 {
				t.Errorf("before any receipt: got %+v, want no rows", st.Rows)
			}
			// The default is today in the post's zone (the tests' clock:
			// 2021-06-01), when L1 and I1 have expired.
			if st := statusJSON(t, db); st.AsOf != "2021-06-01" || st.Rows[0].OnHand != 50 {
				t.Errorf("default as_of: got %s, RU FLOUR %v; want 2021-06-01, 50", st.AsOf, st.Rows[0].OnHand)
			}
			testkit.Golden(t, "supply-status", mustCLI(t, db, "supply", "status", "--as-of", "2021-03-01"))
		})
	}
}

func TestSupplyPoolAndTransfer(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			seedSupplyCLI(t, db)
			// RU has 47 days of flour; SE 972 at its rate, 456 kg to spare
			// above 60 days: RU is lifted to the target.
			out := mustCLI(t, db, "supply", "pool", "FLOUR", "--as-of", "2021-03-01", "--json")
			var raw map[string]any
			if err := json.Unmarshal([]byte(out), &raw); err != nil {
				t.Fatal(err)
			}
			want := map[string]any{"item": "FLOUR", "level_days": 60.0,
				"transfers": []any{map[string]any{"from": "SE", "to": "RU", "quantity": 26.0}}}
			if diff := cmp.Diff(want, raw); diff != "" {
				t.Errorf("pool --json (-want +got):\n%s", diff)
			}
			table := mustCLI(t, db, "supply", "pool", "FLOUR", "--as-of", "2021-03-01")
			if !strings.Contains(table, "outpost supply transfer FLOUR SE RU 26 --date 2021-03-01") {
				t.Errorf("pool table does not give the transfer command:\n%s", table)
			}

			out = mustCLI(t, db, "supply", "transfer", "FLOUR", "SE", "RU", "26", "--date", "2021-03-01")
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if lines[len(lines)-1] != "1" || !strings.Contains(out, "SE S1") || !strings.Contains(out, "RU SE/S1") || !strings.Contains(out, "2021-12-01") {
				t.Errorf("transfer: got\n%s\nwant the lots and the id 1 on the last line", out)
			}
			// The lot travels with its expiry; the donor's rate is its use,
			// not what it gave.
			st := statusJSON(t, db, "--as-of", "2021-03-01")
			ru, se := st.Rows[0], st.Rows[2]
			if ru.OnHand != 120 || ru.DailyRate != 2 || se.OnHand != 460 || se.DailyRate != 0.5 {
				t.Errorf("after the transfer: RU %v at %v/day, SE %v at %v/day; want 120 at 2, 460 at 0.5", ru.OnHand, ru.DailyRate, se.OnHand, se.DailyRate)
			}
			out = mustCLI(t, db, "supply", "pool", "FLOUR", "--as-of", "2021-03-01", "--json")
			if !strings.Contains(out, `"transfers": []`) {
				t.Errorf("after the agreed transfer the pool should propose nothing:\n%s", out)
			}
			var trs struct{ Transfers []outpost.Transfer }
			if err := json.Unmarshal([]byte(mustCLI(t, db, "supply", "transfers", "--json")), &trs); err != nil {
				t.Fatal(err)
			}
			if len(trs.Transfers) != 1 || len(trs.Transfers[0].Lots) != 1 || trs.Transfers[0].Lots[0].Expires != "2021-12-01" {
				t.Errorf("transfers: got %+v", trs.Transfers)
			}
			// More than SE has left: refused.
			if _, errs, code := cli(t, db, "", "supply", "transfer", "FLOUR", "SE", "RU", "1000", "--date", "2021-03-01"); code != 1 || !strings.Contains(errs, "SE has 460 FLOUR on hand on 2021-03-01") {
				t.Errorf("transfer of too much: exit %d\n%s", code, errs)
			}
		})
	}
}

func TestSupplySingleEntries(t *testing.T) {
	db := engines(t)["sqlite"](t)
	seedSupplyCLI(t, db)
	out := mustCLI(t, db, "supply", "receive", "WFP", "INSULIN", "B1", "12", "--received", "2021-02-01", "--expires", "2021-08-01")
	if want := "WFP received 12 vial of INSULIN on 2021-02-01, lot B1 (expires 2021-08-01).\n"; out != want {
		t.Errorf("receive: got %q, want %q", out, want)
	}
	out = mustCLI(t, db, "supply", "issue", "WFP", "INSULIN", "2.5", "--date", "2021-02-03", "--note", "clinic")
	if want := "WFP issued 2.5 vial of INSULIN on 2021-02-03; 9.5 vial left at the end of the day.\n"; out != want {
		t.Errorf("issue: got %q, want %q", out, want)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"supply", "issue", "WFP", "INSULIN", "10", "--date", "2021-02-03"}, 1, "WFP has 9.5 INSULIN on hand on 2021-02-03: an issue of 10 is more than that"},
		{[]string{"supply", "issue", "WFP", "INSULIN", "0", "--date", "2021-02-03"}, 1, "quantity: must be a number greater than 0"},
		{[]string{"supply", "issue", "WFP", "INSULIN", "ten"}, 2, "QUANTITY must be a number"},
		{[]string{"supply", "issue", "WFP", "INSULIN", "1", "--date", "3 Feb"}, 2, "--date"},
		{[]string{"supply", "receive", "WFP", "INSULIN", "B1", "5"}, 1, "WFP already has a lot B1 of INSULIN"},
		{[]string{"supply", "receive", "XX", "INSULIN", "B2", "5"}, 1, `no mission "XX"`},
		{[]string{"supply", "receive", "WFP", "INSULIN", "B3", "5", "--received", "2021-02-01", "--expires", "2021-01-01"}, 1, "expiry before receipt"},
		{[]string{"supply", "pool", "RICE"}, 1, `no item "RICE"`},
		{[]string{"supply", "pool", "FLOUR", "--target", "0"}, 2, "--target"},
		{[]string{"supply", "status", "--mission", "XX"}, 1, `no mission "XX"`},
		{[]string{"supply", "status", "--as-of", "2021-02-30"}, 2, "--as-of"},
		{[]string{"supply", "status", "--threshold", "-1"}, 2, "--threshold"},
		{[]string{"supply", "transfer", "FLOUR", "SE"}, 2, "missing TO QUANTITY"},
	} {
		if _, errs, code := cli(t, db, "", c.args...); code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("outpost %s: exit %d, want %d with %q\n%s", strings.Join(c.args, " "), code, c.code, c.want, errs)
		}
	}
	items := mustCLI(t, db, "supply", "items")
	if lines := strings.Split(items, "\n"); len(lines) != 6 || strings.Join(strings.Fields(lines[1]), " ") != "FLOUR Wheat flour food kg 0.25" || lines[4] != "3 items" {
		t.Errorf("items:\n%s", items)
	}
}

// Bad files write nothing; every problem is located as FILE:LINE: COLUMN.
func TestSupplyImportErrors(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			seedSupplyCLI(t, db)
			dir := t.TempDir()
			before := mustCLI(t, db, "supply", "status", "--as-of", "2021-03-01", "--json")
			bad := writeFile(t, dir, "stock.csv", `mission,item,lot,quantity,received,expires
RU,FLOUR,L3,0,2021-02-01,
RU,FLOUR,L4,-5,2021-02-01,
RU,FLOUR,L5,5,2021-02-01,2021-01-01
XX,FLOUR,L6,5,2021-02-01,
RU,RICE,L7,5,2021-02-01,
RU,FLOUR,L8,5,2021-02-01,
RU,FLOUR,L8,6,2021-02-02,
`)
			_, errs, code := cli(t, db, "", "import", "stock", bad)
			if code != 1 {
				t.Fatalf("exit %d, want 1\n%s", code, errs)
			}
			testkit.Golden(t, "supply-import-errors", strings.ReplaceAll(errs, dir+"/", ""))

			for _, c := range []struct{ kind, file, content, want string }{
				{"usage", "usage.csv", "mission,item,quantity,date\nRU,FLOUR,10,2021-02-25\nRU,FLOUR,200,2021-02-26\n",
					`usage.csv:3: quantity: more than on hand on 2021-02-26: 84 available (got "200")`},
				{"usage", "usage.csv", "mission,item,quantity,date\nWFP,FLOUR,1,2021-02-25\n",
					`usage.csv:2: quantity: more than on hand on 2021-02-25: 0 available (got "1")`},
				{"usage", "usage.csv", "mission,item,quantity,date\nRU,FLOUR,0,2021-02-25\n",
					`usage.csv:2: quantity: must be a number greater than 0 (got "0")`},
				// Lowering both of RU's flour lots leaves 20 kg for the 28 kg
				// issued on 10 February.
				{"stock", "stock.csv", "mission,item,lot,quantity,received,expires\nRU,FLOUR,L1,10,2021-01-05,2021-03-20\nRU,FLOUR,L2,10,2021-01-10,\n",
					`stock.csv:3: quantity: leaves a recorded issue uncovered: 28 FLOUR issued at RU on 2021-02-10, when only 20 would be on hand (got "10")`},
			} {
				_, errs, code := cli(t, db, "", "import", c.kind, writeFile(t, dir, c.file, c.content))
				errs = strings.ReplaceAll(errs, dir+"/", "")
				if code != 1 || !strings.Contains(errs, c.want+"\n") || !strings.Contains(errs, "nothing was imported") {
					t.Errorf("import %s:\n%s\nexit %d, stderr:\n%s\nwant a line:\n%s", c.kind, c.content, code, errs, c.want)
				}
			}
			if after := mustCLI(t, db, "supply", "status", "--as-of", "2021-03-01", "--json"); after != before {
				t.Errorf("refused imports changed the ledger:\n%s\nwas\n%s", after, before)
			}
			// Re-importing the same stock updates it in place.
			out := mustCLI(t, db, "import", "stock", writeFile(t, dir, "stock.csv", stockCSV))
			if !strings.Contains(out, "imported 5 stock from") || !strings.Contains(out, "0 new, 5 updated") {
				t.Errorf("re-import: %s", out)
			}
		})
	}
}

// On the demo data (SCENARIO.md: imports banned from September 2020) some
// missions are short on 1 March 2021 and pooling flour lifts the lowest.
func TestPyongyangScenarioSupply(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			ctx := outpost.WithActor(context.Background(), "test")
			dsn := mk(t)
			a := &app{dsn: dsn, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, now: func() time.Time { return fixedNow }}
			if loaded, err := a.loadScenario(ctx, scenarios.Pyongyang, "pyongyang-2021"); err != nil || !loaded {
				t.Fatalf("load: %v (loaded %v)", err, loaded)
			}
			svc, err := a.supplyService(ctx)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := svc.Rows(ctx, cliOperator, supplyservice.Query{AsOf: "2021-03-01", Threshold: supply.DefaultThreshold})
			a.db.Close()
			if err != nil {
				t.Fatal(err)
			}
			short := map[string][]string{}
			lowest := -1.0
			for _, r := range rows {
				if r.Shortage {
					short[r.Item] = append(short[r.Item], r.Mission)
				}
				if r.Item == "FLOUR" && r.DailyRate > 0 && (lowest < 0 || r.OnHand/r.DailyRate < lowest) {
					lowest = r.OnHand / r.DailyRate
				}
			}
			for _, it := range []string{"FLOUR", "SUGAR", "OIL"} {
				if len(short[it]) < 2 {
					t.Errorf("%s short at %v on 2021-03-01, want several missions", it, short[it])
				}
			}
			var p supply.Proposal
			if err := json.Unmarshal([]byte(mustCLI(t, dsn, "supply", "pool", "FLOUR", "--as-of", "2021-03-01", "--json")), &p); err != nil {
				t.Fatal(err)
			}
			from := map[string]bool{}
			for _, tr := range p.Transfers {
				from[tr.From] = true
			}
			if len(p.Transfers) == 0 || p.LevelDays <= lowest || !from["CN"] || !from["RU"] {
				t.Errorf("FLOUR pool: level %v from the lowest %v, %d transfers from %v; want the lowest lifted by CN and RU",
					p.LevelDays, lowest, len(p.Transfers), from)
			}
		})
	}
}
