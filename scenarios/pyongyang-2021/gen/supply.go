package main

// The stock ledger of the scenario: items.csv, stock.csv and usage.csv.
//
// It draws from a PCG source of its own, after everything else is built,
// so the other files do not change when it does. Every mission still in the
// country in March 2021 (the embassies; UN and NGO staff ate with their
// compounds' stores, which the scenario leaves out) keeps a ledger of seven
// items: a stock-up in mid-January 2020, before the border closed, and a
// last consignment by road from Dandong in summer 2020, before all imports
// were banned in September; nothing arrives after that. Issues follow the
// mission's headcount week by week, cut by a fifth under the ban, and
// shrink to what is left when the stock runs out. How much each mission
// bought is the scenario's choice (see the README): it is sized so that on
// 1 March 2021 each ledger holds about a chosen number of days of supply.

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/outpost-org/outpost/internal/supply"
)

// The supply generator's own fixed seed.
const (
	supplySeed1 = 20200901
	supplySeed2 = 3
)

// Dates of the ledger.
const (
	stockUp    = "2020-01-14" // stock-up before the border closed (earliest lot)
	banDay     = "2020-09-01" // all imports banned: rations cut from here
	statusDay  = "2021-03-01" // the day the scenario's figures are promised for
	usageStart = "2020-02-03"
	usageEnd   = "2021-08-01"
)

// itemSpec is one item of the catalogue and how a mission uses it.
type itemSpec struct {
	code, name, kind, unit string
	perPerson              float64 // daily_per_person in items.csv
	every                  int     // days between issues
	shelf                  int     // months from receipt to expiry; 0 never
	whole                  bool    // issued in whole units
}

func supplyItems() []itemSpec {
	return []itemSpec{
		{"FLOUR", "Wheat flour", "food", "kg", 0.25, 7, 9, false},
		{"RICE", "Rice", "food", "kg", 0.2, 7, 24, false},
		{"SUGAR", "Sugar", "food", "kg", 0.06, 7, 0, false},
		{"OIL", "Cooking oil", "food", "l", 0.04, 7, 14, false},
		{"SOAP", "Soap", "hygiene", "bar", 0.05, 14, 0, true},
		// Insulin: one vial every ten days for each person with a chronic
		// need (medical level 1); no planned use per head.
		{"INSULIN", "Insulin (10 ml vial)", "medicine", "vial", 0, 10, 12, true},
		// Antibiotics: a course now and then, about one a month for eight
		// people.
		{"AMOX", "Amoxicillin 500 mg (course of 21)", "medicine", "pack", 0.004, 14, 24, true},
	}
}

// provision is how well a mission was supplied: the days of supply its
// ledgers hold on 1 March 2021, drawn per item from [lo, hi]. Below 0 the
// stock ran out that many days before.
type provision struct{ lo, hi int }

var (
	wellStocked = provision{66, 80} // the embassies with supply lines of their own
	middling    = provision{18, 45}
	short       = provision{-15, 20}
)

// provisions are the scenario's choices per mission (README, "Supplies").
var provisions = map[string]provision{
	"CN": wellStocked, "RU": wellStocked,
	"CU": middling, "VN": middling, "ID": middling, "IN": middling, "RO": middling,
	"LA": short, "IR": short, "SY": short, "BG": short, "KH": short, "PS": short,
	"MN": short, "EG": short, "CZ": short, "NG": short, "PK": short,
}

// overrides are chosen days for single ledgers, the picture the sources
// give: the Cuban embassy with sugar to spare; more rice at the
// Vietnamese and Indonesian embassies; insulin short at Laos and Mongolia
// and plentiful at the Russian embassy.
var overrides = map[[2]string]provision{
	{"CU", "SUGAR"}: {150, 200}, {"RU", "INSULIN"}: {150, 200},
	{"LA", "INSULIN"}: {2, 5}, {"MN", "INSULIN"}: {-10, 4},
	{"VN", "RICE"}: {60, 90}, {"ID", "RICE"}: {40, 70},
	{"RO", "FLOUR"}: {9, 12}, {"IN", "OIL"}: {6, 10},
}

// lotPlan is a lot to receive: when and how much.
type lotPlan struct {
	d supply.Date
	q float64
}

// provisionOf is the days of supply a ledger is sized for: an override,
// or the mission's provision for the staples that ran short (flour, sugar,
// oil) and the medicines, and no worse than middling for rice and soap,
// which SCENARIO.md does not report short.
func provisionOf(m, item string) provision {
	if o, ok := overrides[[2]string{m, item}]; ok {
		return o
	}
	p := provisions[m]
	if (item == "RICE" || item == "SOAP") && p == short {
		return middling
	}
	return p
}

// ledgerRows are one generated ledger.
type ledgerRows struct {
	receipts []supply.Receipt
	issues   []supply.Issue
}

// supplyData is what the three files hold.
type supplyData struct {
	items  []itemSpec
	ledger []ledgerRows
}

func sdate(s string) supply.Date {
	d, err := supply.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// addMonths moves a date by whole months (the calendar's, not 30 days).
func addMonths(d supply.Date, n int) supply.Date {
	return supply.DateOf(d.Time().AddDate(0, n, 0))
}

// headcounts returns, for each day of the ledger, the people in the
// country by mission and the insulin users among them.
type headcounts struct {
	people, insulin map[string]int
}

func dailyHeadcounts(people []person, tr []track) map[supply.Date]headcounts {
	out := map[supply.Date]headcounts{}
	for d := sdate(usageStart); d <= sdate(usageEnd); d++ {
		c := replay(people, tr, d.String())
		h := headcounts{people: map[string]int{}, insulin: map[string]int{}}
		for _, p := range people {
			if c.status[p.id] == "in_country" {
				h.people[p.mission]++
				if p.medical == 1 {
					h.insulin[p.mission]++
				}
			}
		}
		out[d] = h
	}
	return out
}

// buildSupply makes the ledgers of every mission in provisions.
func buildSupply(people []person, tr []track) (supplyData, error) {
	rng := rand.New(rand.NewPCG(supplySeed1, supplySeed2))
	items := supplyItems()
	heads := dailyHeadcounts(people, tr)
	var missions []string
	for m := range provisions {
		missions = append(missions, m)
	}
	slices.Sort(missions)
	data := supplyData{items: items}
	for _, m := range missions {
		offset := rng.IntN(7) // the mission's store day
		for _, it := range items {
			l, err := buildLedger(rng, m, it, offset, heads)
			if err != nil {
				return data, err
			}
			if len(l.receipts) > 0 {
				data.ledger = append(data.ledger, l)
			}
		}
	}
	return data, nil
}

// demand is what a mission asks of an item on a store day.
func demand(rng *rand.Rand, m string, it itemSpec, d supply.Date, h headcounts) float64 {
	var q float64
	if it.code == "INSULIN" {
		q = float64(h.insulin[m])
	} else {
		q = float64(it.every) * it.perPerson * float64(h.people[m])
		if d >= sdate(banDay) && provisions[m] != wellStocked {
			q *= 0.8 // rationed under the ban
		}
		q *= 0.85 + 0.3*rng.Float64()
	}
	if it.whole {
		// Rounded up or down at random, so that a small mission still
		// opens a pack now and then.
		return math.Floor(q + rng.Float64())
	}
	return math.Round(q*10) / 10
}

func buildLedger(rng *rand.Rand, m string, it itemSpec, offset int, heads map[supply.Date]headcounts) (ledgerRows, error) {
	var l ledgerRows
	type ask struct {
		d supply.Date
		q float64
	}
	var asks []ask
	for d := sdate(usageStart) + supply.Date(offset); d <= sdate(usageEnd); d += supply.Date(it.every) {
		if q := demand(rng, m, it, d, heads[d]); q > 0 {
			asks = append(asks, ask{d, q})
		}
	}
	if len(asks) == 0 {
		return l, nil
	}
	p := provisionOf(m, it.code)
	target := p.lo + rng.IntN(p.hi-p.lo+1)

	// The need until 1 March 2021, and the rate of February 2021.
	last := sdate(statusDay)
	var need, feb float64
	for _, a := range asks {
		if a.d <= last {
			need += a.q
		}
		if a.d > last-28 && a.d <= last {
			feb += a.q
		}
	}
	rate := feb / 28
	if rate == 0 {
		rate = asks[len(asks)-1].q / float64(it.every)
	}
	total := need + float64(target)*rate
	total = max(total, asks[0].q) // at least the first issue

	// The stock-up lasts until the summer consignment, with a little over;
	// the consignment brings the rest (a third more for the well-stocked,
	// in two lots a month apart).
	summer := sdate("2020-06-08") + supply.Date(rng.IntN(75))
	var before float64
	for _, a := range asks {
		if a.d < summer {
			before += a.q
		}
	}
	first := min(total, math.Ceil(before*(1.02+0.06*rng.Float64())))
	lots := []lotPlan{{sdate(stockUp) + supply.Date(rng.IntN(5)), first}}
	rest := math.Ceil(total - first)
	if rest > 0 && provisions[m] == wellStocked {
		lots = append(lots, lotPlan{summer, math.Ceil(rest * 0.6)},
			lotPlan{min(summer+supply.Date(30), sdate("2020-08-28")), math.Ceil(rest * 0.4)})
	} else if rest > 0 {
		lots = append(lots, lotPlan{summer, rest})
	}
	for _, lot := range lots {
		r := supply.Receipt{Mission: m, Item: it.code, Lot: "L" + lot.d.Time().Format("20060102"),
			Quantity: lot.q, Received: lot.d}
		if it.shelf > 0 {
			r.Expires = addMonths(lot.d, it.shelf+rng.IntN(3))
		}
		l.receipts = append(l.receipts, r)
	}

	// Issue what is asked while the stock lasts, then what is left.
	for _, a := range asks {
		u := supply.Issue{Mission: m, Item: it.code, Quantity: a.q, Date: a.d}
		if short := supply.Check(l.receipts, append(l.issues, u)); len(short) > 0 {
			avail := short[0].Available
			if it.whole {
				avail = math.Floor(avail)
			} else {
				avail = math.Floor(avail*10) / 10
			}
			if avail <= 0 {
				continue
			}
			u.Quantity = avail
		}
		l.issues = append(l.issues, u)
	}
	if short := supply.Check(l.receipts, l.issues); len(short) > 0 {
		return l, fmt.Errorf("%s %s: %v", m, it.code, short[0])
	}
	return l, nil
}

// checkSupply verifies what the scenario promises about its ledger on
// 1 March 2021 and prints the figures: every issue covered; shortages of
// flour, sugar, oil and a medicine at several missions; the Chinese and
// Russian embassies with flour to spare; a flour pool that lifts the
// lowest mission.
func checkSupply(d supplyData, people []person, tr []track) error {
	var receipts []supply.Receipt
	var issues []supply.Issue
	for _, l := range d.ledger {
		receipts = append(receipts, l.receipts...)
		issues = append(issues, l.issues...)
	}
	if short := supply.Check(receipts, issues); len(short) > 0 {
		return fmt.Errorf("supply: %d issues are not covered, the first: %v", len(short), short[0])
	}
	head := map[string]int{}
	c := replay(people, tr, statusDay)
	for _, p := range people {
		if c.status[p.id] == "in_country" {
			head[p.mission]++
		}
	}
	per := map[string]float64{}
	for _, it := range d.items {
		per[it.code] = it.perPerson
	}
	rows, err := supply.Status(receipts, issues, supply.Params{AsOf: sdate(statusDay), Threshold: supply.DefaultThreshold, PerPerson: per, Headcount: head})
	if err != nil {
		return err
	}
	var errs []error
	shortBy := map[string][]string{}
	days := map[[2]string]float64{}
	for _, r := range rows {
		if r.Shortage {
			shortBy[r.Item] = append(shortBy[r.Item], r.Mission)
		}
		if r.DailyRate > 0 {
			days[[2]string{r.Mission, r.Item}] = r.OnHand / r.DailyRate
		}
	}
	for _, it := range []string{"FLOUR", "SUGAR", "OIL"} {
		if len(shortBy[it]) < 3 {
			errs = append(errs, fmt.Errorf("supply %s: %d missions short on %s, want several", it, len(shortBy[it]), statusDay))
		}
	}
	if len(shortBy["INSULIN"])+len(shortBy["AMOX"]) == 0 {
		errs = append(errs, fmt.Errorf("supply: no medicine short on %s", statusDay))
	}
	for _, m := range []string{"CN", "RU"} {
		if days[[2]string{m, "FLOUR"}] < supply.DefaultTarget {
			errs = append(errs, fmt.Errorf("supply: %s holds %.0f days of flour, want spare above %d", m, days[[2]string{m, "FLOUR"}], supply.DefaultTarget))
		}
	}
	pool := supply.Pool("FLOUR", rows, supply.DefaultTarget)
	lowest := math.Inf(1)
	for k, v := range days {
		if k[1] == "FLOUR" {
			lowest = min(lowest, v)
		}
	}
	if len(pool.Transfers) == 0 || pool.LevelDays <= lowest {
		errs = append(errs, fmt.Errorf("supply: the flour pool lifts the lowest from %.1f to %.1f days with %d transfers", lowest, pool.LevelDays, len(pool.Transfers)))
	}
	fmt.Printf("supply on %s: %d ledgers, %d receipts, %d issues\n", statusDay, len(d.ledger), len(receipts), len(issues))
	for _, it := range slices.Sorted(maps.Keys(shortBy)) {
		fmt.Printf("  short of %-8s %v\n", it, shortBy[it])
	}
	fmt.Printf("  pool FLOUR: lowest %.1f days, level %.1f days after %d transfers\n", lowest, pool.LevelDays, len(pool.Transfers))
	return errors.Join(errs...)
}

// writeSupply writes items.csv, stock.csv and usage.csv.
func writeSupply(out string, d supplyData) error {
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	var rows [][]string
	for _, it := range d.items {
		per := ""
		if it.perPerson > 0 {
			per = num(it.perPerson)
		}
		rows = append(rows, []string{it.code, it.name, it.kind, it.unit, per})
	}
	if err := write(filepath.Join(out, "items.csv"), []string{"code", "name", "kind", "unit", "daily_per_person"}, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, l := range d.ledger {
		for _, r := range l.receipts {
			rows = append(rows, []string{r.Mission, r.Item, r.Lot, num(r.Quantity), r.Received.String(), r.Expires.String()})
		}
	}
	if err := write(filepath.Join(out, "stock.csv"), []string{"mission", "item", "lot", "quantity", "received", "expires"}, rows); err != nil {
		return err
	}
	// Usage in date order, as a store's log grows.
	var all []supply.Issue
	for _, l := range d.ledger {
		all = append(all, l.issues...)
	}
	slices.SortStableFunc(all, func(a, b supply.Issue) int { return cmp.Compare(a.Date, b.Date) })
	rows = rows[:0]
	for _, u := range all {
		rows = append(rows, []string{u.Mission, u.Item, num(u.Quantity), u.Date.String()})
	}
	return write(filepath.Join(out, "usage.csv"), []string{"mission", "item", "quantity", "date"}, rows)
}
