package outpost

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// ItemKind says what sort of supply an item is.
type ItemKind string

// The kinds of item.
const (
	ItemFood     ItemKind = "food"
	ItemWater    ItemKind = "water"
	ItemMedicine ItemKind = "medicine"
	ItemFuel     ItemKind = "fuel"
	ItemHygiene  ItemKind = "hygiene"
	ItemOther    ItemKind = "other"
)

// ItemKinds lists every valid ItemKind, in documentation order.
var ItemKinds = []string{"food", "water", "medicine", "fuel", "hygiene", "other"}

// Item is one entry of the supply catalogue, shared by every mission.
type Item struct {
	Code string   `json:"code"`
	Name string   `json:"name"`
	Kind ItemKind `json:"kind"`
	Unit string   `json:"unit"`
	// DailyPerPerson is the planned use per person per day, the daily
	// rate of a mission that has not issued the item lately.
	DailyPerPerson float64 `json:"daily_per_person"`
}

// Receipt is one lot received into a mission's stock: a row of the stock
// file, keyed by (Mission, Item, Lot).
type Receipt struct {
	Mission  string  `json:"mission"`
	Item     string  `json:"item"`
	Lot      string  `json:"lot"`
	Quantity float64 `json:"quantity"`
	Received Date    `json:"received"`
	// Expires is the first day the lot is no longer usable; empty: never.
	Expires Date `json:"expires,omitempty"`
	// Transfer is the transfer the lot arrived by, 0 for anything else.
	Transfer int64 `json:"transfer,omitempty"`
	// Line is the row's line in an imported file (0 elsewhere), so that a
	// problem only the store can see is reported where it is.
	Line int `json:"-"`
}

// Issue is a quantity taken out of a mission's stock on a day: a row of the
// usage file, never keyed.
type Issue struct {
	ID       int64   `json:"id,omitempty"`
	Mission  string  `json:"mission"`
	Item     string  `json:"item"`
	Quantity float64 `json:"quantity"`
	Date     Date    `json:"date"`
	Note     string  `json:"note,omitempty"`
	// Transfer is the transfer this issue hands over, 0 for use.
	Transfer int64 `json:"transfer,omitempty"`
	// Line is the row's line in an imported file (0 elsewhere).
	Line int `json:"-"`
}

// Transfer is stock of one item handed from one mission to another: an
// issue at From and, for each lot it was drawn from, a receipt at To that
// keeps the lot's expiry.
type Transfer struct {
	ID       int64   `json:"id"`
	Item     string  `json:"item"`
	From     string  `json:"from"`
	To       string  `json:"to"`
	Quantity float64 `json:"quantity"`
	Date     Date    `json:"date"`
	Note     string  `json:"note,omitempty"`
	// Lots are the parts of the transfer, in the order they were drawn.
	Lots []TransferLot `json:"lots"`
}

// TransferLot is the part of a transfer drawn from one lot of the giving
// mission and received as one lot by the other.
type TransferLot struct {
	FromLot  string  `json:"from_lot"`
	ToLot    string  `json:"to_lot"`
	Quantity float64 `json:"quantity"`
	Expires  Date    `json:"expires,omitempty"`
}

// LedgerFilter selects rows of the stock ledger; zero fields do not filter.
type LedgerFilter struct {
	Mission string
	Item    string
	// AsOf leaves out receipts received and issues dated after it.
	AsOf Date
	// Summed (with AsOf) asks for each ledger's use summed within the
	// spans of supply.Spans, one issue per span, as supply.SumIssues
	// does; the issues that hand stock over still come one by one.
	// supply.Status computes the same rows from it as from every issue,
	// from a few dozen rows a ledger instead of one a day.
	Summed bool
}

// LedgerReceipt is one lot received into a mission's stock as the ledger
// replay computes on it; (Mission, Item, Lot) is its key.
type LedgerReceipt struct {
	Mission  string
	Item     string
	Lot      string
	Quantity float64
	Received DayNumber
	// Expires is the first day on which the lot is no longer usable: it is
	// discarded at the start of that day. The zero DayNumber means it never
	// expires.
	Expires DayNumber
}

// LedgerIssue is one quantity taken out of a mission's stock on a day, as
// the ledger replay computes on it.
type LedgerIssue struct {
	Mission  string
	Item     string
	Quantity float64
	Date     DayNumber
}

// Ledger is rows of the stock ledger in the form package supply computes
// on (its Receipt and Issue are these types). Issues need not come in date order, nor a day's issues in the order
// they were recorded: a day's draws take from the same lots whatever their
// order, so what supply computes from a ledger that never overdraws is the
// same.
type Ledger struct {
	Receipts []LedgerReceipt
	Issues   []LedgerIssue
	// Transferred marks the issues (by index in Issues) that hand stock to
	// another mission; it is what supply.Params.Transferred takes.
	Transferred map[int]bool
}

// RowProblem is a problem with one row of an imported file that only the
// store can see, because it depends on what the database already holds:
// an issue larger than the stock on hand, or a corrected lot that leaves a
// recorded issue uncovered.
type RowProblem struct {
	Line    int
	Column  string
	Got     string
	Message string
}

// RowProblems is the cause (Error.Err) of an import the store refused
// because of rows that clash with the ledger; an importer turns each into a
// located FILE:LINE: problem.
type RowProblems []RowProblem

// Error lists the problems by line.
func (p RowProblems) Error() string {
	var b strings.Builder
	for i, r := range p {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "line %d: %s: %s (got %q)", r.Line, r.Column, r.Message, r.Got)
	}
	return b.String()
}

// Validate checks every field of the item.
func (it *Item) Validate() Problems {
	var p Problems
	if !IsCode(it.Code) {
		p.Add("code", it.Code, "must be 1 to 32 letters, digits, '-' or '_'")
	}
	if strings.TrimSpace(it.Name) == "" {
		p.Add("name", it.Name, "is required")
	} else {
		p.Line("name", it.Name, MaxName)
	}
	if !slices.Contains(ItemKinds, string(it.Kind)) {
		p.Add("kind", string(it.Kind), "must be one of "+oneOf(ItemKinds))
	}
	p.Line("unit", it.Unit, MaxLabel)
	if msg := CheckRate(it.DailyPerPerson); msg != "" {
		p.Add("daily_per_person", quantityGot(it.DailyPerPerson), msg)
	}
	return p
}

// Validate checks a receipt on its own (that its mission and item exist is
// for the store to say).
func (r *Receipt) Validate() Problems {
	var p Problems
	if !IsCode(r.Mission) {
		p.Add("mission", r.Mission, "must be a mission code")
	}
	if !IsCode(r.Item) {
		p.Add("item", r.Item, "must be an item code")
	}
	if !IsID(r.Lot) {
		p.Add("lot", clip(r.Lot), IDPattern)
	}
	checkQuantity(&p, r.Quantity)
	if _, err := ParseDate(string(r.Received)); err != nil {
		p.Add("received", string(r.Received), err.Error())
	}
	if r.Expires != "" {
		if _, err := ParseDate(string(r.Expires)); err != nil {
			p.Add("expires", string(r.Expires), err.Error())
		} else if r.Expires <= r.Received {
			p.Add("expires", string(r.Expires), ExpiryMessage(r.Received))
		}
	}
	return p
}

// ExpiryMessage says why an expiry on or before the day of receipt is wrong.
func ExpiryMessage(received Date) string {
	return "expiry before receipt: a lot must expire after the day it is received (" + string(received) + ")"
}

// Validate checks an issue on its own (that the stock covers it is for the
// store to say).
func (u *Issue) Validate() Problems {
	var p Problems
	if !IsCode(u.Mission) {
		p.Add("mission", u.Mission, "must be a mission code")
	}
	if !IsCode(u.Item) {
		p.Add("item", u.Item, "must be an item code")
	}
	checkQuantity(&p, u.Quantity)
	if _, err := ParseDate(string(u.Date)); err != nil {
		p.Add("date", string(u.Date), err.Error())
	}
	p.Text("note", u.Note, MaxNote)
	return p
}

// Validate checks a transfer request: item, the two missions, a quantity
// above 0 and a date.
func (t *Transfer) Validate() Problems {
	var p Problems
	if !IsCode(t.Item) {
		p.Add("item", t.Item, "must be an item code")
	}
	if !IsCode(t.From) {
		p.Add("from", t.From, "must be a mission code")
	}
	if !IsCode(t.To) {
		p.Add("to", t.To, "must be a mission code")
	}
	if t.From == t.To && t.From != "" {
		p.Add("to", t.To, "must differ from the giving mission")
	}
	checkQuantity(&p, t.Quantity)
	if _, err := ParseDate(string(t.Date)); err != nil {
		p.Add("date", string(t.Date), err.Error())
	}
	p.Text("note", t.Note, MaxNote)
	return p
}

func checkQuantity(p *Problems, q float64) {
	if msg := CheckQuantity(q); msg != "" {
		p.Add("quantity", quantityGot(q), msg)
	}
}

// quantityGot writes a refused quantity for a message: 1e+308 rather
// than its 309 digits.
func quantityGot(q float64) string {
	if math.Abs(q) > MaxQuantity {
		return strconv.FormatFloat(q, 'g', -1, 64)
	}
	return FormatQuantity(q)
}

// FormatQuantity writes a quantity as briefly as it reads exactly: 12,
// 0.25, 1.333333 (at most six decimals, like the status rows).
func FormatQuantity(q float64) string {
	if math.IsNaN(q) || math.IsInf(q, 0) {
		return strconv.FormatFloat(q, 'g', -1, 64)
	}
	s := strconv.FormatFloat(q, 'f', 6, 64)
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, ".")
	if s == "-0" {
		s = "0"
	}
	return s
}
