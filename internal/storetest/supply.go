package storetest

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/supply"
)

func supplySuites() []Suite {
	return []Suite{
		{"SupplyItems", testSupplyItems},
		{"SupplyStockUpsert", testSupplyStockUpsert},
		{"SupplyUsageAppended", testSupplyUsageAppended},
		{"SupplyUsageOverdrawRefused", testSupplyUsageOverdraw},
		{"SupplyStockLoweringRefused", testSupplyStockLowering},
		{"SupplyUnknownCodesRefused", testSupplyUnknownCodes},
		{"SupplySingleEntries", testSupplySingleEntries},
		{"SupplyTransfer", testSupplyTransfer},
		{"SupplyLedgerFilter", testSupplyLedgerFilter},
		{"SupplySummedLedger", testSupplySummedLedger},
	}
}

// Items is a small catalogue for tests.
func Items() []outpost.Item {
	return []outpost.Item{
		{Code: "FLOUR", Name: "Wheat flour", Kind: outpost.ItemFood, Unit: "kg", DailyPerPerson: 0.25},
		{Code: "INSULIN", Name: "Insulin", Kind: outpost.ItemMedicine, Unit: "vial"},
	}
}

// SeedSupply loads Seed, Items and a stock of flour: RU has L1 (100 kg,
// expiring 2021-06-01) and L2 (50 kg, no expiry), SE has S1 (200 kg,
// expiring 2021-09-01); RU issued 30 on 2021-02-01 and 20 on 2021-02-15.
func SeedSupply(t *testing.T, s outpost.Store) {
	t.Helper()
	Seed(t, s)
	if _, err := s.ImportItems(Ctx(), Batch(Items()...)); err != nil {
		t.Fatalf("import items: %v", err)
	}
	if _, err := s.ImportStock(Ctx(), Batch(
		receipt("RU", "L1", 100, "2021-01-05", "2021-06-01", 2),
		receipt("RU", "L2", 50, "2021-01-10", "", 3),
		receipt("SE", "S1", 200, "2021-01-05", "2021-09-01", 4),
	)); err != nil {
		t.Fatalf("import stock: %v", err)
	}
	if _, err := s.ImportUsage(Ctx(), Batch(issue("RU", 30, "2021-02-01", 2), issue("RU", 20, "2021-02-15", 3))); err != nil {
		t.Fatalf("import usage: %v", err)
	}
}

func receipt(mission, lot string, q float64, received, expires string, line int) outpost.Receipt {
	return outpost.Receipt{Mission: mission, Item: "FLOUR", Lot: lot, Quantity: q,
		Received: outpost.Date(received), Expires: outpost.Date(expires), Line: line}
}

func issue(mission string, q float64, date string, line int) outpost.Issue {
	return outpost.Issue{Mission: mission, Item: "FLOUR", Quantity: q, Date: outpost.Date(date), Line: line}
}

// rowProblems returns the located problems of a refused import.
func rowProblems(t *testing.T, err error) outpost.RowProblems {
	t.Helper()
	var rp outpost.RowProblems
	if outpost.ErrorCode(err) != outpost.EINVALID || !errors.As(err, &rp) {
		t.Fatalf("got %v, want EINVALID with row problems", err)
	}
	return rp
}

// onHand replays one ledger to the end of a date.
func onHand(t *testing.T, s outpost.Store, mission, item, date string) float64 {
	t.Helper()
	l, err := s.Ledger(Ctx(), outpost.LedgerFilter{Mission: mission, Item: item})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := supply.ParseDate(date)
	lots, err := supply.Replay(l.Receipts, l.Issues, d)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, lot := range lots {
		sum += lot.Quantity
	}
	return sum
}

func testSupplyItems(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	st, err := s.ImportItems(ctx, Batch(Items()...))
	if err != nil {
		t.Fatal(err)
	}
	if st.Inserted != 2 || st.Updated != 0 {
		t.Errorf("first import: got %+v, want 2 inserted", st)
	}
	flour := Items()[0]
	flour.DailyPerPerson = 0.3
	flour.Name = "Flour"
	if st, err = s.ImportItems(ctx, Batch(flour)); err != nil || st.Updated != 1 || st.Inserted != 0 {
		t.Fatalf("re-import: got %+v, %v; want 1 updated", st, err)
	}
	got, err := s.Items(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]outpost.Item{flour, Items()[1]}, got); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	if it, err := s.Item(ctx, "INSULIN"); err != nil || it.Unit != "vial" {
		t.Errorf("item INSULIN: got %+v, %v", it, err)
	}
	if _, err := s.Item(ctx, "NOPE"); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("unknown item: got %v, want ENOTFOUND", err)
	}
	bad := outpost.Item{Code: "OIL", Name: "Oil", Kind: "grease"}
	if _, err := s.ImportItems(ctx, Batch(bad)); outpost.ErrorCode(err) != outpost.EINVALID {
		t.Errorf("bad kind: got %v, want EINVALID", err)
	}
	if got, _ := s.Items(ctx); len(got) != 2 {
		t.Errorf("after a refused import: %d items, want 2", len(got))
	}
}

func testSupplyStockUpsert(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	SeedSupply(t, s)
	// RU has 150 − 50 issued = 100 on hand; raising L1 and adding L3.
	st, err := s.ImportStock(ctx, Batch(receipt("RU", "L1", 120, "2021-01-05", "2021-06-01", 2), receipt("RU", "L3", 10, "2021-02-20", "", 3)))
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 2 || st.Inserted != 1 || st.Updated != 1 {
		t.Errorf("stats: got %+v, want 1 inserted, 1 updated", st)
	}
	if got := onHand(t, s, "RU", "FLOUR", "2021-03-01"); got != 130 {
		t.Errorf("RU on hand: got %v, want 130", got)
	}
	l, err := s.Ledger(ctx, outpost.LedgerFilter{Mission: "RU"})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Receipts) != 3 || l.Receipts[0].Lot != "L1" || l.Receipts[0].Quantity != 120 || l.Receipts[2].Expires != 0 {
		t.Errorf("receipts: got %+v", l.Receipts)
	}
	if a, _ := s.Audit(ctx, outpost.AuditFilter{Entity: "stock"}); len(a) != 2 {
		t.Errorf("audit: %d stock imports, want 2 (one per import)", len(a))
	}
}

func testSupplyUsageAppended(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	SeedSupply(t, s)
	// The same file twice: usage is appended, never keyed.
	for range 2 {
		st, err := s.ImportUsage(ctx, Batch(issue("SE", 10, "2021-02-10", 2), issue("SE", 5, "2021-02-10", 3)))
		if err != nil {
			t.Fatal(err)
		}
		if st.Rows != 2 || st.Inserted != 2 {
			t.Errorf("stats: got %+v, want 2 inserted", st)
		}
	}
	if got := onHand(t, s, "SE", "FLOUR", "2021-03-01"); got != 170 {
		t.Errorf("SE on hand: got %v, want 200 − 2 × 15 = 170", got)
	}
	l, _ := s.Ledger(ctx, outpost.LedgerFilter{Mission: "SE"})
	if len(l.Issues) != 4 || l.Transferred != nil {
		t.Errorf("issues: got %+v (transferred %v), want 4 uses", l.Issues, l.Transferred)
	}
}

func testSupplyUsageOverdraw(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	SeedSupply(t, s)
	before, _ := s.Ledger(ctx, outpost.LedgerFilter{})
	// RU has 150 − 30 = 120 on 2021-02-01 and 100 after 2021-02-15.
	_, err := s.ImportUsage(ctx, Batch(
		issue("RU", 60, "2021-02-20", 2),
		issue("RU", 70, "2021-02-21", 3), // 40 left
		issue("SE", 5, "2021-01-01", 4),  // before SE's stock came
		issue("RU", 40, "2021-02-22", 5), // fits: the short one was left out
	))
	got := rowProblems(t, err)
	want := outpost.RowProblems{
		{Line: 3, Column: "quantity", Got: "70", Message: "more than on hand on 2021-02-21: 40 available"},
		{Line: 4, Column: "quantity", Got: "5", Message: "more than on hand on 2021-01-01: 0 available"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	// An earlier-dated row that takes what a recorded issue needs.
	_, err = s.ImportUsage(ctx, Batch(issue("RU", 130, "2021-01-20", 7)))
	got = rowProblems(t, err)
	want = outpost.RowProblems{{Line: 7, Column: "quantity", Got: "130",
		Message: "takes stock an issue already recorded needs: 30 issued on 2021-02-01, when only 20 would be on hand"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	after, _ := s.Ledger(ctx, outpost.LedgerFilter{})
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("a refused import wrote (-before +after):\n%s", diff)
	}
}

func testSupplyStockLowering(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	SeedSupply(t, s)
	before, _ := s.Ledger(ctx, outpost.LedgerFilter{})
	// RU issued 50 of its 150: lowering L1 to 10 leaves 60, which still
	// covers both issues.
	if _, err := s.ImportStock(ctx, Batch(receipt("RU", "L1", 10, "2021-01-05", "2021-06-01", 2))); err != nil {
		t.Fatalf("a lower lot that still covers every issue: %v", err)
	}
	// Both lots lowered, and L2 received after the issues: refused.
	_, err := s.ImportStock(ctx, Batch(
		receipt("SE", "S1", 150, "2021-01-05", "2021-09-01", 2),
		receipt("RU", "L1", 5, "2021-01-05", "2021-06-01", 3),
		receipt("RU", "L2", 50, "2021-03-01", "", 4),
	))
	got := rowProblems(t, err)
	msg := "leaves a recorded issue uncovered: 30 FLOUR issued at RU on 2021-02-01, when only 5 would be on hand"
	want := outpost.RowProblems{
		{Line: 3, Column: "quantity", Got: "5", Message: msg},
		{Line: 4, Column: "received", Got: "2021-03-01", Message: msg},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	after, _ := s.Ledger(ctx, outpost.LedgerFilter{})
	before.Receipts[0].Quantity = 10 // the accepted correction
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("a refused import wrote (-before +after):\n%s", diff)
	}
	// An earlier expiry can uncover an issue too.
	_, err = s.ImportStock(ctx, Batch(receipt("RU", "L2", 50, "2021-01-10", "2021-01-20", 9)))
	if got := rowProblems(t, err); len(got) != 1 || got[0].Line != 9 || got[0].Column != "expires" {
		t.Errorf("earlier expiry: got %+v, want one problem on line 9, expires", got)
	}
}

func testSupplyUnknownCodes(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	SeedSupply(t, s)
	r := receipt("XX", "L9", 5, "2021-01-05", "", 2)
	r2 := receipt("RU", "L9", 5, "2021-01-05", "2021-01-01", 3)
	r2.Item = "RICE"
	got := rowProblems(t, func() error { _, err := s.ImportStock(ctx, Batch(r, r2)); return err }())
	want := outpost.RowProblems{
		{Line: 2, Column: "mission", Got: "XX", Message: "no such mission: import it with `outpost import missions` first"},
		{Line: 3, Column: "expires", Got: "2021-01-01", Message: outpost.ExpiryMessage("2021-01-05")},
		{Line: 3, Column: "item", Got: "RICE", Message: "no such item: import it with `outpost import items` first"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	u := issue("RU", 0, "2021-02-01", 0) // no line: the position in the batch
	if got := rowProblems(t, func() error { _, err := s.ImportUsage(ctx, Batch(issue("RU", 1, "2021-02-01", 0), u)); return err }()); len(got) != 1 || got[0].Line != 2 || got[0].Column != "quantity" {
		t.Errorf("zero quantity: got %+v, want one problem at row 2", got)
	}
}

func testSupplySingleEntries(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	SeedSupply(t, s)
	r := outpost.Receipt{Mission: "WFP", Item: "INSULIN", Lot: "B7", Quantity: 40, Received: "2021-02-01", Expires: "2021-04-01"}
	if _, err := s.Receive(ctx, r); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Receive(ctx, r); outpost.ErrorCode(err) != outpost.ECONFLICT {
		t.Errorf("the same lot again: got %v, want ECONFLICT", err)
	}
	bad := r
	bad.Lot, bad.Expires = "B8", "2021-01-01"
	if _, err := s.Receive(ctx, bad); outpost.ErrorCode(err) != outpost.EINVALID {
		t.Errorf("expiry before receipt: got %v, want EINVALID", err)
	}
	bad.Mission, bad.Expires = "XX", ""
	if _, err := s.Receive(ctx, bad); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("unknown mission: got %v, want ENOTFOUND", err)
	}
	u, err := s.IssueStock(ctx, outpost.Issue{Mission: "WFP", Item: "INSULIN", Quantity: 15, Date: "2021-02-10", Note: "clinic"})
	if err != nil || u.ID == 0 {
		t.Fatalf("issue: got %+v, %v", u, err)
	}
	_, err = s.IssueStock(ctx, outpost.Issue{Mission: "WFP", Item: "INSULIN", Quantity: 30, Date: "2021-02-11"})
	if outpost.ErrorCode(err) != outpost.ECONFLICT || err.Error() != "WFP has 25 INSULIN on hand on 2021-02-11: an issue of 30 is more than that" {
		t.Errorf("overdraw: got %v, want ECONFLICT naming the 25 on hand", err)
	}
	// Taking, on an earlier day, what a recorded issue needs.
	if _, err = s.IssueStock(ctx, outpost.Issue{Mission: "WFP", Item: "INSULIN", Quantity: 30, Date: "2021-02-05"}); outpost.ErrorCode(err) != outpost.ECONFLICT {
		t.Errorf("earlier issue that uncovers a later one: got %v, want ECONFLICT", err)
	}
	if got := onHand(t, s, "WFP", "INSULIN", "2021-03-01"); got != 25 {
		t.Errorf("on hand: got %v, want 25", got)
	}
	if a, _ := s.Audit(ctx, outpost.AuditFilter{Mission: "WFP"}); len(a) != 2 {
		t.Errorf("audit: got %d entries for WFP, want 2 (receive, issue)", len(a))
	}
}

func testSupplyTransfer(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	SeedSupply(t, s)
	// RU on 2021-03-01: L1 50 (expires 06-01) then L2 50 (no expiry).
	tr, err := s.Transfer(ctx, outpost.Transfer{Item: "FLOUR", From: "RU", To: "SE", Quantity: 70, Date: "2021-03-01", Note: "agreed at the corps meeting"})
	if err != nil {
		t.Fatal(err)
	}
	want := []outpost.TransferLot{
		{FromLot: "L1", ToLot: "RU/L1", Quantity: 50, Expires: "2021-06-01"},
		{FromLot: "L2", ToLot: "RU/L2", Quantity: 20},
	}
	if tr.ID == 0 || !cmp.Equal(want, tr.Lots) {
		t.Errorf("transfer: got id %d, lots %+v; want %+v", tr.ID, tr.Lots, want)
	}
	if got := onHand(t, s, "RU", "FLOUR", "2021-03-01"); got != 30 {
		t.Errorf("RU after giving 70: got %v, want 30", got)
	}
	if got := onHand(t, s, "SE", "FLOUR", "2021-03-01"); got != 270 {
		t.Errorf("SE after receiving 70: got %v, want 270", got)
	}
	// The lot keeps its expiry: what SE received of L1 is gone in June.
	if got := onHand(t, s, "SE", "FLOUR", "2021-06-01"); got != 220 {
		t.Errorf("SE on 2021-06-01: got %v, want 220 (RU/L1 expired)", got)
	}
	// The matched issue leaves RU's stock but is not use.
	l, _ := s.Ledger(ctx, outpost.LedgerFilter{Mission: "RU"})
	marked := 0
	for i, u := range l.Issues {
		if l.Transferred[i] {
			marked++
			if u.Quantity != 70 {
				t.Errorf("RU's issue %+v is marked as handed over, want only the 70", u)
			}
		}
	}
	if len(l.Issues) != 3 || marked != 1 {
		t.Errorf("RU's issues: %+v, transferred %v; want the transfer's issue marked", l.Issues, l.Transferred)
	}
	// The same origin lot again gets a name of its own.
	tr2, err := s.Transfer(ctx, outpost.Transfer{Item: "FLOUR", From: "RU", To: "SE", Quantity: 5, Date: "2021-03-02"})
	if err != nil || len(tr2.Lots) != 1 || tr2.Lots[0].ToLot != "RU/L2-2" {
		t.Errorf("second transfer: got %+v, %v; want lot RU/L2-2", tr2, err)
	}
	// More than RU has: refused, nothing written.
	_, err = s.Transfer(ctx, outpost.Transfer{Item: "FLOUR", From: "RU", To: "WFP", Quantity: 26, Date: "2021-03-03"})
	if outpost.ErrorCode(err) != outpost.ECONFLICT {
		t.Errorf("transfer of more than on hand: got %v, want ECONFLICT", err)
	}
	if _, err := s.Transfer(ctx, outpost.Transfer{Item: "FLOUR", From: "RU", To: "RU", Quantity: 1, Date: "2021-03-03"}); outpost.ErrorCode(err) != outpost.EINVALID {
		t.Errorf("transfer to itself: got %v, want EINVALID", err)
	}
	list, err := s.Transfers(ctx, "SE")
	if err != nil || len(list) != 2 || list[0].ID != tr2.ID || !cmp.Equal(list[1].Lots, want) || list[1].Note != "agreed at the corps meeting" {
		t.Errorf("transfers: got %+v, %v", list, err)
	}
	if list, _ := s.Transfers(ctx, "WFP"); len(list) != 0 {
		t.Errorf("WFP's transfers: got %+v, want none", list)
	}
	if a, _ := s.Audit(ctx, outpost.AuditFilter{Entity: "transfer"}); len(a) != 2 {
		t.Errorf("audit: %d transfer entries, want 2", len(a))
	}
}

func testSupplyLedgerFilter(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	SeedSupply(t, s)
	for _, tc := range []struct {
		f                outpost.LedgerFilter
		receipts, issues int
	}{
		{outpost.LedgerFilter{}, 3, 2},
		{outpost.LedgerFilter{Mission: "RU"}, 2, 2},
		{outpost.LedgerFilter{Item: "INSULIN"}, 0, 0},
		{outpost.LedgerFilter{AsOf: "2021-02-01"}, 3, 1},
		{outpost.LedgerFilter{AsOf: "2021-01-05"}, 2, 0},
		{outpost.LedgerFilter{Mission: "SE", Item: "FLOUR", AsOf: "2021-12-31"}, 1, 0},
	} {
		l, err := s.Ledger(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Receipts) != tc.receipts || len(l.Issues) != tc.issues {
			t.Errorf("%+v: got %d receipts, %d issues; want %d, %d", tc.f, len(l.Receipts), len(l.Issues), tc.receipts, tc.issues)
		}
	}
	l, _ := s.Ledger(ctx, outpost.LedgerFilter{})
	d := func(s string) supply.Date { v, _ := supply.ParseDate(s); return v }
	wantR := supply.Receipt{Mission: "RU", Item: "FLOUR", Lot: "L1", Quantity: 100, Received: d("2021-01-05"), Expires: d("2021-06-01")}
	wantI := supply.Issue{Mission: "RU", Item: "FLOUR", Quantity: 30, Date: d("2021-02-01")}
	// Issues may come in any order (Ledger's contract); receipts by id.
	if l.Receipts[0] != wantR || !slices.Contains(l.Issues, wantI) {
		t.Errorf("rows: got %+v and %+v, want %+v and %+v among them", l.Receipts[0], l.Issues, wantR, wantI)
	}
}
