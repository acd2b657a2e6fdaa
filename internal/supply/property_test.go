package supply

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// date parses a constant date of a test.
func date(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

var base = date("2021-01-01")

// genLedger draws the receipts and issues of one ledger. Quantities are
// multiples of 1/4 and 1/2 so that a stock and a demand are either equal or
// clearly apart, never a rounding error apart: the reference model and the
// fast code then agree to the day, not just within a tolerance.
func genLedger(t *rapid.T, mission, item string, feasible bool) ([]Receipt, []Issue) {
	var rs []Receipt
	for i := range rapid.IntRange(0, 4).Draw(t, "lots") {
		r := Receipt{
			Mission: mission, Item: item, Lot: fmt.Sprintf("L%d", i),
			Quantity: 0.25 * float64(rapid.IntRange(1, 400).Draw(t, "q")),
			Received: base + Date(rapid.IntRange(0, 60).Draw(t, "rec")),
		}
		if rapid.IntRange(0, 3).Draw(t, "dated") > 0 {
			// Now and then a lot that is already expired when it comes.
			r.Expires = r.Received + Date(rapid.IntRange(-3, 90).Draw(t, "shelf"))
		}
		rs = append(rs, r)
	}
	var is []Issue
	for range rapid.IntRange(0, 12).Draw(t, "issues") {
		u := Issue{
			Mission: mission, Item: item,
			Quantity: 0.5 * float64(rapid.IntRange(1, 40).Draw(t, "uq")),
			Date:     base + Date(rapid.IntRange(0, 75).Draw(t, "day")),
		}
		if !feasible {
			is = append(is, u)
			continue
		}
		// Keep only issues the stock can meet, as gen.py does.
		if _, ok := refReplay(rs, append(slices.Clone(is), u), base+1000, false); ok {
			is = append(is, u)
		}
	}
	return rs, is
}

// genScenario draws several ledgers with their rows interleaved at random.
func genScenario(t *rapid.T, feasible bool) ([]Receipt, []Issue, Params) {
	var rs []Receipt
	var is []Issue
	p := Params{
		AsOf:      base + Date(rapid.IntRange(-5, 80).Draw(t, "asOf")),
		Threshold: rapid.IntRange(0, 40).Draw(t, "threshold"),
		PerPerson: map[string]float64{"X": 0.4, "Y": rapid.SampledFrom([]float64{0, 0.25, 2}).Draw(t, "dppY")},
		Headcount: map[string]int{},
	}
	for _, m := range []string{"A", "B", "C"}[:rapid.IntRange(1, 3).Draw(t, "missions")] {
		p.Headcount[m] = rapid.IntRange(0, 30).Draw(t, "head")
		for _, it := range []string{"X", "Y"} {
			r, i := genLedger(t, m, it, feasible)
			rs, is = append(rs, r...), append(is, i...)
		}
	}
	return permute(t, rs, "rorder"), permute(t, is, "iorder"), p
}

func permute[T any](t *rapid.T, xs []T, label string) []T {
	if len(xs) == 0 {
		return xs
	}
	return rapid.Permutation(xs).Draw(t, label)
}

func ledgerRows[T any](xs []T, keep func(T) bool) []T {
	var out []T
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// Status agrees with the day-by-day reference model on every row.
func TestStatusMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rs, is, p := genScenario(t, true)
		rows, err := Status(rs, is, p)
		if err != nil {
			t.Fatalf("Status: %v", err)
		}
		again, err := Status(permute(t, rs, "rs2"), permute(t, is, "is2"), p)
		if err != nil {
			t.Fatalf("Status, rows shuffled: %v", err)
		}
		if diff := cmp.Diff(rows, again); diff != "" {
			t.Fatalf("Status depends on the order of the rows (-first +shuffled):\n%s", diff)
		}
		want := map[ledgerKey]bool{}
		for _, r := range rs {
			if r.Received <= p.AsOf {
				want[ledgerKey{r.Mission, r.Item}] = true
			}
		}
		if len(rows) != len(want) {
			t.Fatalf("got %d rows, want %d", len(rows), len(want))
		}
		for i, row := range rows {
			if i > 0 && !(rows[i-1].Mission < row.Mission || rows[i-1].Mission == row.Mission && rows[i-1].Item < row.Item) {
				t.Fatalf("rows not sorted: %s/%s after %s/%s", row.Mission, row.Item, rows[i-1].Mission, rows[i-1].Item)
			}
			lr := ledgerRows(rs, func(r Receipt) bool { return r.Mission == row.Mission && r.Item == row.Item })
			li := ledgerRows(is, func(u Issue) bool { return u.Mission == row.Mission && u.Item == row.Item })
			ref, ok := refSupplyRow(lr, li, p.PerPerson[row.Item], p.Headcount[row.Mission], p.AsOf, true)
			if !ok {
				t.Fatalf("reference cannot replay %s/%s", row.Mission, row.Item)
			}
			compareRow(t, row, ref, p.Threshold)
		}
	})
}

func compareRow(t *rapid.T, got Row, ref refRow, threshold int) {
	t.Helper()
	id := got.Mission + "/" + got.Item
	for _, f := range []struct {
		name      string
		got, want float64
	}{
		{"on_hand", got.OnHand, ref.onHand},
		{"daily_rate", got.DailyRate, ref.rate},
		{"expiring_30d", got.Expiring30d, ref.exp30},
	} {
		if math.Abs(f.got-round6(f.want)) > 1.5e-6 {
			t.Fatalf("%s %s: got %v, want %v", id, f.name, f.got, round6(f.want))
		}
	}
	if got.RateSource != ref.source {
		t.Fatalf("%s rate_source: got %s, want %s", id, got.RateSource, ref.source)
	}
	gd := -1
	if got.DaysOfSupply != nil {
		gd = *got.DaysOfSupply
	}
	if gd != ref.days {
		t.Fatalf("%s days_of_supply: got %d, want %d (-1: null)", id, gd, ref.days)
	}
	if want := ref.days >= 0 && ref.days < threshold; got.Shortage != want {
		t.Fatalf("%s shortage: got %v, want %v", id, got.Shortage, want)
	}
}

// genLots draws lots on hand in FEFO order, as daysOfSupply takes them.
func genLots(t *rapid.T, asOf Date, nice bool) refLots {
	var ls refLots
	for i := range rapid.IntRange(0, 6).Draw(t, "n") {
		l := refLot{name: fmt.Sprintf("L%d", i), rec: asOf - Date(rapid.IntRange(0, 30).Draw(t, "age"))}
		if nice {
			l.qty = 0.25 * float64(rapid.IntRange(0, 2000).Draw(t, "q"))
		} else {
			l.qty = rapid.Float64Range(0, 1000).Draw(t, "q")
		}
		if rapid.Bool().Draw(t, "dated") {
			l.exp = asOf + Date(rapid.IntRange(0, 400).Draw(t, "exp"))
		}
		ls = append(ls, l)
	}
	return ls
}

// The closed-form days of supply equal the day-by-day definition.
func TestDaysOfSupplyMatchesDayByDay(t *testing.T) {
	for _, nice := range []bool{true, false} {
		t.Run(fmt.Sprintf("nice=%v", nice), func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				asOf := base
				ls := genLots(t, asOf, nice)
				var rate float64
				switch rapid.IntRange(0, 3).Draw(t, "kind") {
				case 0: // usage: a sum of issues over 28 days
					rate = 0.5 * float64(rapid.IntRange(1, 400).Draw(t, "issued")) / 28
				case 1: // plan: per person times headcount
					rate = rapid.SampledFrom([]float64{0.01, 0.25, 0.4, 2}).Draw(t, "dpp") *
						float64(rapid.IntRange(1, 80).Draw(t, "head"))
				case 2:
					rate = rapid.Float64Range(1e-3, 50).Draw(t, "rate")
				default: // at or below the slack: every day is covered
					rate = rapid.SampledFrom([]float64{1e-12, 5e-10, 1e-9}).Draw(t, "tiny")
				}
				wantDays, wantExp := refDays(ls, asOf, rate)

				fast := slices.Clone(ls)
				lots := make([]lot, len(fast))
				for i, l := range fast {
					e := l.exp
					if e == 0 {
						e = noExpiry
					}
					lots[i] = lot{qty: l.qty, exp: e, rec: l.rec, name: l.name}
				}
				slices.SortFunc(lots, func(a, b lot) int { return fefo(&a, &b) })
				qty := make([]float64, len(lots))
				exp := make([]Date, len(lots))
				for i := range lots {
					qty[i], exp[i] = lots[i].qty, lots[i].exp
				}
				gotDays, gotExp := daysOfSupply(qty, exp, asOf, rate)
				if gotDays != wantDays {
					t.Fatalf("days: got %d, want %d (rate %v)", gotDays, wantDays, rate)
				}
				if math.Abs(gotExp-wantExp) > 1e-9*max(1, wantExp) {
					t.Fatalf("expiring: got %v, want %v", gotExp, wantExp)
				}
			})
		})
	}
}

// Replay never leaves a negative quantity, does not depend on the order the
// rows come in, and agrees with the reference on whether the ledger holds.
func TestReplayProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rs, is := genLedger(t, "A", "X", rapid.Bool().Draw(t, "feasible"))
		asOf := base + Date(rapid.IntRange(-5, 80).Draw(t, "asOf"))
		lots, err := Replay(rs, is, asOf)
		ref, ok := refReplay(rs, is, asOf, true)
		if (err == nil) != ok {
			t.Fatalf("Replay error %v, reference ok %v", err, ok)
		}
		if err != nil {
			var oe *OverdrawError
			if !errors.As(err, &oe) || oe.Index < 0 || oe.Index >= len(is) || is[oe.Index].Date > asOf ||
				oe.Available+1e-9 >= oe.Issue.Quantity {
				t.Fatalf("bad overdraw error %#v", err)
			}
			return
		}
		if len(lots) != len(ref) {
			t.Fatalf("got %d lots, want %d", len(lots), len(ref))
		}
		for _, l := range lots {
			if l.Quantity < 0 {
				t.Fatalf("lot %s has %v", l.Name, l.Quantity)
			}
			i := slices.IndexFunc(ref, func(r refLot) bool { return r.name == l.Name })
			if i < 0 || math.Abs(ref[i].qty-l.Quantity) > 1e-9 {
				t.Fatalf("lot %s: got %v, want %v", l.Name, l.Quantity, ref)
			}
		}
		again, err := Replay(permute(t, rs, "rs"), permute(t, is, "is"), asOf)
		if err != nil {
			t.Fatalf("shuffled rows: %v", err)
		}
		if len(again) != len(lots) {
			t.Fatalf("shuffled rows: got %d lots, want %d", len(again), len(lots))
		}
		for i := range lots {
			if again[i].Name != lots[i].Name || math.Abs(again[i].Quantity-lots[i].Quantity) > 1e-9 {
				t.Fatalf("shuffled rows: got %+v, want %+v", again[i], lots[i])
			}
		}
	})
}

// Check finds the same short issues as replaying with the bad ones dropped.
func TestCheckProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rs, is, _ := genScenario(t, false)
		errs := Check(rs, is)
		bad := map[int]bool{}
		for i, e := range errs {
			if i > 0 && errs[i-1].Index >= e.Index {
				t.Fatalf("errors not in input order")
			}
			bad[e.Index] = true
		}
		// Dropping the reported issues leaves a ledger that replays; each
		// reported issue alone on top of the ones before it fails.
		var good []Issue
		for i, u := range is {
			if !bad[i] {
				good = append(good, u)
			}
		}
		if errs := Check(rs, good); errs != nil {
			t.Fatalf("still short without the reported issues: %v", errs[0])
		}
		for _, e := range errs {
			var before []Issue
			for i, u := range is {
				earlier := u.Date < e.Issue.Date || u.Date == e.Issue.Date && i < e.Index
				if earlier && !bad[i] && u.Mission == e.Issue.Mission && u.Item == e.Issue.Item {
					before = append(before, u)
				}
			}
			lr := ledgerRows(rs, func(r Receipt) bool { return r.Mission == e.Issue.Mission && r.Item == e.Issue.Item })
			// The reference draws a day's issues in input order: the issues
			// before this one are those of earlier days and the day's
			// earlier rows.
			if _, ok := refReplay(lr, append(before, e.Issue), e.Issue.Date, false); ok {
				t.Fatalf("issue %d reported short but the reference meets it", e.Index)
			}
		}
	})
}

// Pooling never takes a donor below its target, never lowers anyone below
// the old minimum, reports the level its transfers give, and reaches the
// reference model's level.
func TestPoolProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		target := float64(rapid.SampledFrom([]int{7, 30, 60, 90}).Draw(t, "target"))
		var rows []Row
		for i := range rapid.IntRange(0, 12).Draw(t, "missions") {
			r := Row{Mission: fmt.Sprintf("M%02d", i), Item: "RICE"}
			if rapid.Bool().Draw(t, "nice") {
				r.OnHand = 0.5 * float64(rapid.IntRange(0, 4000).Draw(t, "s"))
				r.DailyRate = round6(rapid.SampledFrom([]float64{0, 0.01, 0.4, 2, 13.0 / 28, 6}).Draw(t, "r") *
					float64(rapid.IntRange(1, 50).Draw(t, "head")))
			} else {
				r.OnHand = round6(rapid.Float64Range(0, 5000).Draw(t, "s"))
				r.DailyRate = round6(rapid.Float64Range(0, 20).Draw(t, "r"))
			}
			rows = append(rows, r)
		}
		rows = append(rows, Row{Mission: "ZZ", Item: "FLOUR", OnHand: 1e6, DailyRate: 1}) // another item
		prop := Pool("RICE", rows, target)
		checkProposal(t, rows, prop, target)
		if diff := cmp.Diff(prop, Pool("RICE", permute(t, rows, "shuffled"), target)); diff != "" {
			t.Fatalf("Pool depends on the order of the rows (-first +shuffled):\n%s", diff)
		}
	})
}

// checkProposal checks a proposal as shared/conformance/check.py does, and
// more strictly.
func checkProposal(t interface {
	Helper()
	Fatalf(string, ...any)
}, rows []Row, prop Proposal, target float64) {
	t.Helper()
	type sr struct{ s, r float64 }
	ms := map[string]sr{}
	var s, r []float64
	before := target
	for _, row := range rows {
		if row.Item == prop.Item && row.DailyRate > 0 {
			ms[row.Mission] = sr{row.OnHand, row.DailyRate}
			s, r = append(s, row.OnHand), append(r, row.DailyRate)
			before = min(before, row.OnHand/row.DailyRate)
		}
	}
	after := map[string]float64{}
	given := map[string]float64{}
	pairs := map[[2]string]bool{}
	donors, recv := map[string]bool{}, map[string]bool{}
	for i, tr := range prop.Transfers {
		_, okF := ms[tr.From]
		_, okT := ms[tr.To]
		if !(tr.Quantity > 0) || !okF || !okT || tr.From == tr.To {
			t.Fatalf("bad transfer %+v", tr)
		}
		if i > 0 && (prop.Transfers[i-1].From > tr.From || prop.Transfers[i-1].From == tr.From && prop.Transfers[i-1].To >= tr.To) {
			t.Fatalf("transfers not sorted or repeated: %+v", prop.Transfers)
		}
		if pairs[[2]string{tr.To, tr.From}] {
			t.Fatalf("transfers both ways between %s and %s", tr.From, tr.To)
		}
		pairs[[2]string{tr.From, tr.To}] = true
		after[tr.From] -= tr.Quantity
		after[tr.To] += tr.Quantity
		given[tr.From] += tr.Quantity
		donors[tr.From], recv[tr.To] = true, true
	}
	for m, q := range given {
		if recv[m] {
			t.Fatalf("%s both gives and receives", m)
		}
		x := ms[m]
		if x.s <= target*x.r {
			t.Fatalf("%s gives but is not above target (%v days)", m, x.s/x.r)
		}
		if x.s-q < target*x.r-1e-9*max(1, x.s) {
			t.Fatalf("donor %s ends below target: %v days", m, (x.s-q)/x.r)
		}
	}
	level := target
	for m, x := range ms {
		level = min(level, (x.s+after[m])/x.r)
	}
	if math.Abs(prop.LevelDays-level) > 1e-6*max(1, level) {
		t.Fatalf("reports level %v, transfers give %v", prop.LevelDays, level)
	}
	if level < before-1e-9 {
		t.Fatalf("level fell from %v to %v", before, level)
	}
	if len(s) > 0 {
		best := refPoolLevel(s, r, target)
		// Quantities are whole millionths, rounded down: each receiver may
		// miss a millionth.
		minR := slices.Min(r)
		if level < best-1.01e-6*float64(len(s))/minR-1e-9*best {
			t.Fatalf("level %v, the reference reaches %v", level, best)
		}
	}
	if n := len(prop.Transfers); n > 0 && n > len(donors)+len(recv)-1 {
		t.Fatalf("%d transfers among %d donors and %d receivers", n, len(donors), len(recv))
	}
}

// Summing each ledger's issues within its spans changes nothing Status
// computes: the same rows (quantities here are exact in binary, so the
// sums are too), and an overdrawn ledger stays overdrawn.
func TestSpanSumsKeepTheStatus(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		feasible := rapid.Bool().Draw(t, "feasible")
		rs, is, p := genScenario(t, feasible)
		spans := Spans(rs, p.AsOf)
		for i, s := range spans {
			if s.From >= s.To || s.To > p.AsOf+1 {
				t.Fatalf("span %d: %+v is empty or ends after %s", i, s, p.AsOf)
			}
			if i > 0 && spans[i-1].Mission == s.Mission && spans[i-1].Item == s.Item && spans[i-1].To != s.From {
				t.Fatalf("spans %d and %d leave a gap or overlap: %+v %+v", i-1, i, spans[i-1], s)
			}
		}
		summed := SumIssues(spans, is)
		want, werr := Status(rs, is, p)
		got, gerr := Status(rs, summed, p)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("every issue: %v; summed in spans: %v", werr, gerr)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("status from the span sums differs (-every issue +sums):\n%s", diff)
		}
	})
}
