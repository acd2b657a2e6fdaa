package importer

import (
	"github.com/outpost-org/outpost/internal/outpost"
)

// Items is the kind for items.csv, the supply catalogue.
func Items() Kind[outpost.Item] {
	return Kind[outpost.Item]{
		Name:     "items",
		Columns:  []string{"code", "name", "kind", "unit", "daily_per_person"},
		Required: []string{"code", "name", "kind"},
		Key:      "code",
		Parse: func(r *Row) (outpost.Item, bool) {
			it := outpost.Item{
				Code: r.Code("code"),
				Name: r.Required("name"),
				Kind: outpost.ItemKind(r.Enum("kind", outpost.ItemKinds, "")),
				Unit: r.Str("unit"),
			}
			if q, ok := r.Decimal("daily_per_person"); ok {
				if msg := outpost.CheckRate(q); msg != "" {
					r.Problem("daily_per_person", r.Str("daily_per_person"), msg+" (empty means 0)")
				}
				it.DailyPerPerson = q
			}
			return it, r.OK()
		},
		Check: func(it outpost.Item) outpost.Problems { return it.Validate() },
	}
}

// Stock is the kind for stock.csv, the receipts: one lot each, keyed by
// mission, item and lot. mission and item report whether a code exists.
func Stock(mission, item func(string) bool) Kind[outpost.Receipt] {
	return Kind[outpost.Receipt]{
		Name:       "stock",
		Columns:    []string{"mission", "item", "lot", "quantity", "received", "expires"},
		Required:   []string{"mission", "item", "lot", "quantity", "received"},
		Key:        "lot",
		KeyColumns: []string{"mission", "item", "lot"},
		Parse: func(r *Row) (outpost.Receipt, bool) {
			rc := outpost.Receipt{Line: r.Line()}
			rc.Mission, rc.Item = ledgerCodes(r, mission, item)
			rc.Lot = r.ID("lot")
			rc.Quantity = r.Quantity("quantity")
			rc.Received = r.RequiredDate("received")
			rc.Expires = r.Date("expires")
			if rc.Expires != "" && rc.Received != "" && !r.hasProblem("received") && !r.hasProblem("expires") &&
				rc.Expires <= rc.Received {
				r.Problem("expires", string(rc.Expires), outpost.ExpiryMessage(rc.Received))
			}
			return rc, r.OK()
		},
		Check: func(rc outpost.Receipt) outpost.Problems { return rc.Validate() },
	}
}

// Usage is the kind for usage.csv, the issues from stock: appended, never
// keyed. Whether the stock covers each issue is for the store to say, and
// the caller to report with Reader.Problem.
func Usage(mission, item func(string) bool) Kind[outpost.Issue] {
	return Kind[outpost.Issue]{
		Name:     "usage",
		Columns:  []string{"mission", "item", "quantity", "date", "note"},
		Required: []string{"mission", "item", "quantity", "date"},
		Parse: func(r *Row) (outpost.Issue, bool) {
			u := outpost.Issue{Line: r.Line()}
			u.Mission, u.Item = ledgerCodes(r, mission, item)
			u.Quantity = r.Quantity("quantity")
			u.Date = r.RequiredDate("date")
			u.Note = r.Str("note")
			return u, r.OK()
		},
		Check: func(u outpost.Issue) outpost.Problems { return u.Validate() },
	}
}

// ledgerCodes reads the mission and item of a ledger row, which must exist.
func ledgerCodes(r *Row, mission, item func(string) bool) (string, string) {
	m, it := r.Code("mission"), r.Code("item")
	if m != "" && outpost.IsCode(m) && !mission(m) {
		r.Problem("mission", m, "no such mission: import it with `outpost import missions` first")
	}
	if it != "" && outpost.IsCode(it) && !item(it) {
		r.Problem("item", it, "no such item: import it with `outpost import items` first")
	}
	return m, it
}

// Quantity returns a required decimal column that must be greater than 0.
func (r *Row) Quantity(col string) float64 {
	v := r.Str(col)
	if v == "" {
		r.Missing(col)
		return 0
	}
	q, ok := r.Decimal(col)
	if msg := outpost.CheckQuantity(q); ok && msg != "" {
		r.Problem(col, v, msg)
	}
	return q
}
