package supply

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// The scenarios in testdata/gen* are shared/conformance/gen.py's, with the
// answers of its reference model (see testdata/make.py). Every row and every
// pool must match.

type genExpected struct {
	AsOf      string         `json:"as_of"`
	Threshold int            `json:"threshold"`
	Target    float64        `json:"target"`
	Headcount map[string]int `json:"headcount"`
	Supply    []struct {
		Mission      string  `json:"mission"`
		Item         string  `json:"item"`
		OnHand       float64 `json:"on_hand"`
		DailyRate    float64 `json:"daily_rate"`
		RateSource   string  `json:"rate_source"`
		DaysOfSupply *int    `json:"days_of_supply"`
		Expiring30d  float64 `json:"expiring_30d"`
		Shortage     bool    `json:"shortage"`
	} `json:"supply"`
	Pools map[string]struct {
		LevelDays float64               `json:"level_days"`
		Missions  map[string][2]float64 `json:"missions"` // on_hand, daily_rate
	} `json:"pools"`
}

func TestConformanceScenarios(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/gen*")
	dirs = slices.DeleteFunc(dirs, func(d string) bool { return filepath.Ext(d) != "" })
	if len(dirs) == 0 {
		t.Fatal("no scenarios in testdata")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			var exp genExpected
			b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &exp); err != nil {
				t.Fatal(err)
			}
			receipts, issues, perPerson := readScenario(t, dir)
			p := Params{AsOf: date(exp.AsOf), Threshold: exp.Threshold, PerPerson: perPerson, Headcount: exp.Headcount}
			rows, err := Status(receipts, issues, p)
			if err != nil {
				t.Fatalf("Status: %v", err)
			}
			if len(rows) != len(exp.Supply) {
				t.Fatalf("got %d rows, want %d", len(rows), len(exp.Supply))
			}
			for i, want := range exp.Supply {
				got := rows[i]
				if got.Mission != want.Mission || got.Item != want.Item {
					t.Fatalf("row %d: got %s/%s, want %s/%s", i, got.Mission, got.Item, want.Mission, want.Item)
				}
				id := got.Mission + "/" + got.Item
				for _, f := range []struct {
					name      string
					got, want float64
				}{{"on_hand", got.OnHand, want.OnHand}, {"daily_rate", got.DailyRate, want.DailyRate}, {"expiring_30d", got.Expiring30d, want.Expiring30d}} {
					if f.got != f.want {
						t.Errorf("%s %s: got %v, want %v", id, f.name, f.got, f.want)
					}
				}
				if got.RateSource != want.RateSource {
					t.Errorf("%s rate_source: got %s, want %s", id, got.RateSource, want.RateSource)
				}
				if (got.DaysOfSupply == nil) != (want.DaysOfSupply == nil) ||
					got.DaysOfSupply != nil && *got.DaysOfSupply != *want.DaysOfSupply {
					t.Errorf("%s days_of_supply: got %v, want %v", id, show(got.DaysOfSupply), show(want.DaysOfSupply))
				}
				if got.Shortage != want.Shortage {
					t.Errorf("%s shortage: got %v, want %v", id, got.Shortage, want.Shortage)
				}
			}
			for item, want := range exp.Pools {
				prop := Pool(item, rows, exp.Target)
				// Judge the transfers on the reference's own figures, as
				// check.py does.
				var refRows []Row
				minR := math.Inf(1)
				for m, sr := range want.Missions {
					refRows = append(refRows, Row{Mission: m, Item: item, OnHand: sr[0], DailyRate: sr[1]})
					minR = min(minR, sr[1])
				}
				checkProposal(t, refRows, prop, exp.Target)
				if tol := 1.01e-6*float64(len(want.Missions))/minR + 1e-9; math.Abs(prop.LevelDays-want.LevelDays) > tol {
					t.Errorf("pool %s: level %v, want %v", item, prop.LevelDays, want.LevelDays)
				}
			}
		})
	}
}

func show(p *int) any {
	if p == nil {
		return "null"
	}
	return *p
}

// readScenario reads gen.py's items, stock and usage files.
func readScenario(t *testing.T, dir string) ([]Receipt, []Issue, map[string]float64) {
	t.Helper()
	perPerson := map[string]float64{}
	for _, r := range readCSV(t, filepath.Join(dir, "items.csv")) {
		perPerson[r["code"]] = num(t, r["daily_per_person"])
	}
	var receipts []Receipt
	for _, r := range readCSV(t, filepath.Join(dir, "stock.csv")) {
		rc := Receipt{Mission: r["mission"], Item: r["item"], Lot: r["lot"],
			Quantity: num(t, r["quantity"]), Received: date(r["received"])}
		if r["expires"] != "" {
			rc.Expires = date(r["expires"])
		}
		receipts = append(receipts, rc)
	}
	var issues []Issue
	for _, r := range readCSV(t, filepath.Join(dir, "usage.csv")) {
		issues = append(issues, Issue{Mission: r["mission"], Item: r["item"],
			Quantity: num(t, r["quantity"]), Date: date(r["date"])})
	}
	return receipts, issues, perPerson
}

func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	if s == "" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
