package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
)

const departuresCSV = `id,route,departs,seats,crossing,eligible
TRAIN-1,Pyongyang - Khasan,2021-02-25T09:00,3,TUMEN-BRIDGE,RU MN
BUS-1,Pyongyang - Dandong,2021-03-06T09:00,10,SINUIJU,
FLIGHT-1,Sunan - Vladivostok,2021-03-10T08:40+09:00,10,SUNAN,
PAST-1,Before,2021-02-20T08:00,50,SUNAN,
`

const restrictionsCSV = `id,kind,crossing,starts,ends,days,note,source
R-1,border_closure,SINUIJU,2021-03-05,2021-03-12,,Sinuiju closed,test
R-2,quarantine,,2020-01-30,,30,Quarantine for arrivals,test
`

// seedEvacCLI seeds db as seedCLI does and imports departuresCSV and
// restrictionsCSV; it returns the temporary directory of the files.
func seedEvacCLI(t *testing.T, db string) string {
	t.Helper()
	seedCLI(t, db)
	dir := t.TempDir()
	mustCLI(t, db, "import", "departures", writeFile(t, dir, "d.csv", departuresCSV))
	mustCLI(t, db, "import", "restrictions", writeFile(t, dir, "r.csv", restrictionsCSV))
	return dir
}

func TestEvacuationPlanManifestAndBoard(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			dir := seedEvacCLI(t, db)
			mustCLI(t, db, "medical", "open", "RU-0003", "--precedence", "urgent", "--need", "surgery")
			var doc outpost.PlanDoc
			out := mustCLI(t, db, "evac", "plan", "--start", "2021-02-25", "--json")
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("plan --json: %v\n%s", err, out)
			}
			if doc.Plan == 0 || doc.Score <= 0 || doc.Bound < doc.Score {
				t.Errorf("plan: id %d, score %d, bound %d", doc.Plan, doc.Score, doc.Bound)
			}
			if len(doc.ExcludedDepartures) != 1 || doc.ExcludedDepartures[0].Departure != "BUS-1" ||
				!strings.Contains(doc.ExcludedDepartures[0].Reason, "R-1") {
				t.Errorf("excluded: got %+v, want BUS-1 closed by R-1", doc.ExcludedDepartures)
			}
			// RU must keep min(2, its 1 essential person): the head of
			// mission's household stays; RU-0003 (urgent) leaves first.
			on := map[string]string{}
			for _, a := range doc.Assignments {
				on[a.Household] = a.Departure
			}
			if on["RU-H2"] != "TRAIN-1" {
				t.Errorf("the urgent case is not on the first departure: %+v", doc.Assignments)
			}
			if _, ok := on["RU-H1"]; ok {
				t.Errorf("the head of mission's household left although RU must keep its essential staff: %+v", doc.Assignments)
			}
			if on["WFP-H1"] != "FLIGHT-1" {
				t.Errorf("the Italian WFP officer should take the flight (not eligible for the train): %+v", doc.Assignments)
			}
			plain := mustCLI(t, db, "evac", "plan", "--start", "2021-02-25")
			lines := strings.Split(strings.TrimSpace(plain), "\n")
			if id := lines[len(lines)-1]; id == "" || strings.ContainsAny(id, " :") {
				t.Errorf("the plan id is not alone on the last line: %q", id)
			}
			id := "1"
			man := mustCLI(t, db, "evac", "manifest", id, "TRAIN-1")
			rows, err := csv.NewReader(strings.NewReader(man)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 2 || rows[0][0] != "household" || rows[1][1] != "RU-0003" || rows[1][7] != "3" {
				t.Errorf("manifest: got %q", rows)
			}
			pdf := filepath.Join(dir, "m.pdf")
			mustCLI(t, db, "evac", "manifest", id, "TRAIN-1", "--format", "pdf", "--out", pdf)
			if b, _ := os.ReadFile(pdf); !strings.HasPrefix(string(b), "%PDF-") {
				t.Errorf("the PDF manifest is not a PDF")
			}
			if _, errs, code := cli(t, db, "", "evac", "manifest", id, "BUS-1"); code != 1 || !strings.Contains(errs, "nobody") {
				t.Errorf("manifest of an unused departure: exit %d, %s", code, errs)
			}
			mustCLI(t, db, "track", "RU-0003", "assembled", "--at", "2021-02-25T07:00")
			board := mustCLI(t, db, "evac", "board", id, "TRAIN-1")
			if !strings.Contains(board, "assembled") || !strings.Contains(board, "UNACCOUNTED FOR") {
				t.Errorf("board: an assembled person who has not departed after the train left must be unaccounted for:\n%s", board)
			}
			mustCLI(t, db, "track", "RU-0003", "departed", "--at", "2021-02-25T09:05")
			if board := mustCLI(t, db, "evac", "board", id, "TRAIN-1"); strings.Contains(board, "UNACCOUNTED") {
				t.Errorf("board after departure:\n%s", board)
			}
		})
	}
}

func TestEvacuationImportErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "o.db")
	dir := t.TempDir()
	_, errs, code := cli(t, db, "", "import", "departures", writeFile(t, dir, "d.csv", `id,route,departs,seats,crossing,eligible
T1,x,2021-02-30T09:00,3,,
T2,x,2021-02-25T09:00,0,,RU ru
T3,,2021-02-25,5,TUMEN BRIDGE,
`))
	for _, want := range []string{
		`d.csv:2: departs: not a real calendar date`,
		`d.csv:3: seats: must be a whole number ≥ 1 (got "0")`,
		`d.csv:3: eligible: is not an ISO 3166-1 alpha-2 country code`,
		`d.csv:4: route: is required`,
		`d.csv:4: crossing: must be 1 to 32 letters`,
	} {
		if code != 1 || !strings.Contains(errs, want) {
			t.Errorf("exit %d; stderr lacks %q:\n%s", code, want, errs)
		}
	}
	_, errs, code = cli(t, db, "", "import", "restrictions", writeFile(t, dir, "r.csv", `id,kind,crossing,starts,ends,days,note,source
R1,closure,,2021-03-05,,,,
R2,border_closure,,2021-03-05,2021-03-01,,,
R3,quarantine,,2021-03-05,,,,
`))
	for _, want := range []string{`r.csv:2: kind: must be one of`, `r.csv:3: ends: is before starts`, `r.csv:4: days: a quarantine needs its length`} {
		if code != 1 || !strings.Contains(errs, want) {
			t.Errorf("exit %d; stderr lacks %q:\n%s", code, want, errs)
		}
	}
}

// A plan from a day with no departure ahead, or none open, is refused
// with the reason and exit 2 (bad input); nothing is saved.
func TestEvacuationPlanWithNoDepartureIsRefused(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			seedEvacCLI(t, db)
			for start, want := range map[string]string{
				"2021-04-01": "no departure on or after that day",
			} {
				out, errs, code := cli(t, db, "", "evac", "plan", "--start", start)
				if code == 0 || !strings.Contains(errs, "nothing to plan") || !strings.Contains(errs, want) {
					t.Errorf("plan from %s: exit %d, stderr %q, stdout %q; want a refusal saying %q", start, code, errs, out, want)
				}
			}
			var saved struct {
				Plans []json.RawMessage `json:"plans"`
			}
			if err := json.Unmarshal([]byte(mustCLI(t, db, "evac", "plans", "--json")), &saved); err != nil || len(saved.Plans) != 0 {
				t.Errorf("refused plans saved: %d plans (%v)", len(saved.Plans), err)
			}
		})
	}
}
