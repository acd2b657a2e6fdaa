package supply

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func rc(lot string, q float64, received, expires string) Receipt {
	r := Receipt{Mission: "RU", Item: "RICE", Lot: lot, Quantity: q, Received: date(received)}
	if expires != "" {
		r.Expires = date(expires)
	}
	return r
}

func is(q float64, day string) Issue {
	return Issue{Mission: "RU", Item: "RICE", Quantity: q, Date: date(day)}
}

func lt(name string, q float64, received, expires string) Lot {
	l := Lot{Name: name, Quantity: q, Received: date(received)}
	if expires != "" {
		l.Expires = date(expires)
	}
	return l
}

func TestReplay(t *testing.T) {
	tests := []struct {
		name     string
		receipts []Receipt
		issues   []Issue
		asOf     string
		want     []Lot
	}{{
		name: "first expiring first, undated last",
		receipts: []Receipt{
			rc("A", 10, "2021-03-01", "2021-03-10"),
			rc("B", 10, "2021-03-01", ""),
			rc("C", 5, "2021-03-01", "2021-03-05"),
		},
		issues: []Issue{is(7, "2021-03-02")},
		asOf:   "2021-03-02",
		// C (5) goes first, then 2 of A.
		want: []Lot{lt("A", 8, "2021-03-01", "2021-03-10"), lt("B", 10, "2021-03-01", "")},
	}, {
		name: "same expiry: earlier received first, then lot name",
		receipts: []Receipt{
			rc("Z", 4, "2021-02-01", "2021-06-01"),
			rc("B", 4, "2021-02-02", "2021-06-01"),
			rc("A", 4, "2021-02-02", "2021-06-01"),
		},
		issues: []Issue{is(6, "2021-02-03")},
		asOf:   "2021-02-03",
		// Z (received first) is emptied, then 2 of A (before B by name).
		want: []Lot{lt("A", 2, "2021-02-02", "2021-06-01"), lt("B", 4, "2021-02-02", "2021-06-01")},
	}, {
		name: "a day discards, then receives, then issues",
		receipts: []Receipt{
			rc("OLD", 10, "2021-03-01", "2021-03-05"),
			rc("NEW", 5, "2021-03-05", ""),
		},
		issues: []Issue{is(3, "2021-03-05")},
		asOf:   "2021-03-05",
		// OLD is gone at the start of its expiry day, so the issue takes
		// from NEW.
		want: []Lot{lt("NEW", 2, "2021-03-05", "")},
	}, {
		name:     "expiry is the first day a lot is gone",
		receipts: []Receipt{rc("L1", 10, "2021-03-01", "2021-03-05")},
		asOf:     "2021-03-04",
		want:     []Lot{lt("L1", 10, "2021-03-01", "2021-03-05")},
	}, {
		name:     "expired on a day without events",
		receipts: []Receipt{rc("L1", 10, "2021-03-01", "2021-03-05")},
		asOf:     "2021-03-20",
		want:     []Lot{},
	}, {
		name:     "a lot that comes expired is there on its day only",
		receipts: []Receipt{rc("L1", 4, "2021-03-01", "2021-03-01")},
		asOf:     "2021-03-01",
		want:     []Lot{lt("L1", 4, "2021-03-01", "2021-03-01")},
	}, {
		name:     "and gone the next day",
		receipts: []Receipt{rc("L1", 4, "2021-03-01", "2021-03-01")},
		asOf:     "2021-03-02",
		want:     []Lot{},
	}, {
		name:     "rows after as_of are not replayed",
		receipts: []Receipt{rc("L1", 10, "2021-03-01", ""), rc("L2", 10, "2021-03-03", "")},
		issues:   []Issue{is(1, "2021-03-02"), is(100, "2021-03-03")},
		asOf:     "2021-03-02",
		want:     []Lot{lt("L1", 9, "2021-03-01", "")},
	}, {
		name:     "an issue within 1e-9 of the stock empties it",
		receipts: []Receipt{rc("L1", 10, "2021-03-01", "")},
		issues:   []Issue{is(10.0000000005, "2021-03-01")},
		asOf:     "2021-03-01",
		want:     []Lot{},
	}, {
		name:     "a remainder of 1e-12 or less is dropped",
		receipts: []Receipt{rc("L1", 1, "2021-03-01", ""), rc("L2", 1, "2021-03-01", "")},
		issues:   []Issue{is(1-1e-13, "2021-03-01")},
		asOf:     "2021-03-01",
		want:     []Lot{lt("L2", 1, "2021-03-01", "")},
	}, {
		name: "a lot received again replaces what is left (the key)",
		receipts: []Receipt{
			rc("L1", 10, "2021-03-01", ""),
			rc("L1", 3, "2021-03-04", "2021-04-01"),
		},
		issues: []Issue{is(4, "2021-03-02")},
		asOf:   "2021-03-04",
		want:   []Lot{lt("L1", 3, "2021-03-04", "2021-04-01")},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Replay(tt.receipts, tt.issues, date(tt.asOf))
			if err != nil {
				t.Fatalf("Replay: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Replay (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReplayOverdraw(t *testing.T) {
	receipts := []Receipt{rc("L1", 10, "2021-03-01", "")}
	// Input order is not date order: the index is the issue's place in the
	// slice, and stock is judged in date order.
	issues := []Issue{is(7, "2021-03-03"), is(4, "2021-03-02"), is(1, "2021-03-04")}
	_, err := Replay(receipts, issues, date("2021-03-31"))
	var oe *OverdrawError
	if !errors.As(err, &oe) {
		t.Fatalf("got %v, want an *OverdrawError", err)
	}
	if oe.Index != 0 || oe.Available != 6 || oe.Issue != issues[0] {
		t.Errorf("got index %d, available %v, issue %+v; want 0, 6, %+v", oe.Index, oe.Available, oe.Issue, issues[0])
	}
	if got, want := err.Error(), "RU RICE on 2021-03-03: issue of 7 is more than the 6 on hand"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := Replay(receipts, issues, date("2021-03-02")); err != nil {
		t.Errorf("up to 2021-03-02: got %v, want no error", err)
	}
	if _, err := Replay(nil, []Issue{is(0.5, "2021-03-01")}, date("2021-03-01")); err == nil {
		t.Error("an issue with no stock: got no error")
	}
}

func TestCheck(t *testing.T) {
	receipts := []Receipt{
		rc("L1", 10, "2021-03-01", "2021-03-10"),
		{Mission: "SE", Item: "RICE", Lot: "S1", Quantity: 5, Received: date("2021-03-01")},
	}
	issues := []Issue{
		is(4, "2021-03-02"),
		is(7, "2021-03-03"), // 6 left: short
		is(6, "2021-03-04"), // meets the 6 the short row did not take
		{Mission: "SE", Item: "RICE", Quantity: 6, Date: date("2021-03-01")}, // short
		is(1, "2021-03-11"), // RU's lot expired on 03-10: short
		{Mission: "DE", Item: "RICE", Quantity: 1, Date: date("2021-03-01")}, // no stock at all
	}
	errs := Check(receipts, issues)
	var got []int
	var avail []float64
	for _, e := range errs {
		got, avail = append(got, e.Index), append(avail, e.Available)
	}
	if diff := cmp.Diff([]int{1, 3, 4, 5}, got); diff != "" {
		t.Errorf("short issues (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float64{6, 5, 0, 0}, avail); diff != "" {
		t.Errorf("available (-want +got):\n%s", diff)
	}
	if errs := Check(receipts, issues[:1]); errs != nil {
		t.Errorf("got %v, want nil", errs)
	}
}
