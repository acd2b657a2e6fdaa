package supply

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/outpost-org/outpost/internal/outpost"
)

// Receipt is one lot received into a mission's stock (a row of the stock
// file); (Mission, Item, Lot) is its key. It is the domain's ledger row
// (outpost.LedgerReceipt), the form the store hands over.
type Receipt = outpost.LedgerReceipt

// Issue is one quantity taken out of a mission's stock on a day (a row of
// the usage file): outpost.LedgerIssue.
type Issue = outpost.LedgerIssue

// Lot is what is left of one receipt at some date.
type Lot struct {
	Name     string
	Quantity float64
	Received Date
	Expires  Date // zero: never expires
}

// OverdrawError reports an issue that asks for more than the mission had on
// hand on its date, so that an importer can point at the row.
type OverdrawError struct {
	// Index is the position of the issue in the slice that was passed in.
	Index int
	Issue Issue
	// Available is what was on hand when the issue was drawn (after that
	// day's discards, receipts and earlier issues), rounded to six decimals.
	Available float64
}

// Error says which issue could not be met and what there was.
func (e *OverdrawError) Error() string {
	return fmt.Sprintf("%s %s on %s: issue of %s is more than the %s on hand",
		e.Issue.Mission, e.Issue.Item, e.Issue.Date,
		formatQuantity(e.Issue.Quantity), formatQuantity(e.Available))
}

func formatQuantity(x float64) string {
	return strconv.FormatFloat(round6(x), 'f', -1, 64)
}

// The reference model's tolerances: stock covers a need when stock+slack
// reaches it, and a lot drawn down to dust or less is gone.
const (
	slack = 1e-9
	dust  = 1e-12
)

// noExpiry stands for "never expires" in the replay's sort key, so that such
// lots sort after every dated one and are never discarded.
const noExpiry Date = math.MaxInt32

// lot is a lot on hand during a replay.
type lot struct {
	qty  float64
	exp  Date // expiry, or noExpiry
	rec  Date
	ridx int32 // receipt index: the last tie-break, for determinism
	name string
}

// fefo orders lots in the order they are drawn: first expiring first,
// undated last, then by received date and lot name.
func fefo(a, b *lot) int {
	if c := cmp.Compare(a.exp, b.exp); c != 0 {
		return c
	}
	if c := cmp.Compare(a.rec, b.rec); c != 0 {
		return c
	}
	if c := cmp.Compare(a.name, b.name); c != 0 {
		return c
	}
	return cmp.Compare(a.ridx, b.ridx)
}

// issueRec is an issue cut down to what the replay reads: millions of them
// are grouped and sorted, so they are kept to 16 bytes.
type issueRec struct {
	qty  float64
	date Date
	idx  int32 // index in the caller's slice
}

// short is an issue that could not be met.
type short struct {
	rec   issueRec
	avail float64
}

// replayer replays one ledger at a time; it is reused across ledgers so that
// its buffer is allocated once.
//
// Every draw and every discard touches the first lot in FEFO order only, so
// the lots on hand are kept as a binary min-heap: a ledger with thousands of
// open lots still replays in O(events × log lots).
type replayer struct {
	lots  []lot
	total float64 // running sum of lots[].qty; refreshed when it matters
	dup   bool    // the ledger receives one lot name twice
}

func (rp *replayer) reset(dup bool) {
	rp.lots = rp.lots[:0]
	rp.total = 0
	rp.dup = dup
}

// replay runs one ledger through the end of asOf, day by day in date order:
// on each date, discard what expires, add receipts, then draw issues. recs
// (receipt indices) and iss are sorted by date and hold nothing after asOf.
// A short issue is appended to out; with all it is skipped and the replay
// goes on, otherwise the replay stops there.
func (rp *replayer) replay(receipts []Receipt, recs []int32, iss []issueRec, asOf Date, all bool, out []short) []short {
	ri, ii := 0, 0
	var last Date
	for ri < len(recs) || ii < len(iss) {
		var d Date
		if ri < len(recs) {
			d = receipts[recs[ri]].Received
		}
		if ii < len(iss) && (ri == len(recs) || iss[ii].date < d) {
			d = iss[ii].date
		}
		rp.discard(d)
		for ; ri < len(recs) && receipts[recs[ri]].Received == d; ri++ {
			rp.add(&receipts[recs[ri]], recs[ri])
		}
		for ; ii < len(iss) && iss[ii].date == d; ii++ {
			if !rp.draw(iss[ii].qty) {
				out = append(out, short{iss[ii], rp.sum()})
				if !all {
					return out
				}
			}
		}
		last = d
	}
	// Days without events still discard: what expired after the last event
	// is gone by the end of asOf. (Lots received on asOf itself were added
	// after that day's discard, so they stay.)
	if last < asOf {
		rp.discard(asOf)
	}
	return out
}

// discard drops every lot whose expiry is on or before d.
func (rp *replayer) discard(d Date) {
	for len(rp.lots) > 0 && rp.lots[0].exp <= d {
		rp.total -= rp.lots[0].qty
		rp.pop()
	}
	if len(rp.lots) == 0 {
		rp.total = 0
	}
}

// add puts a receipt on hand. As in the reference model, a receipt of a lot
// name that is still on hand replaces what is left of it (the name is the
// key); rows from a keyed store never repeat a name.
func (rp *replayer) add(r *Receipt, idx int32) {
	if rp.dup {
		for i := range rp.lots {
			if rp.lots[i].name == r.Lot {
				rp.total -= rp.lots[i].qty
				rp.remove(i)
				break
			}
		}
	}
	exp := r.Expires
	if exp == 0 {
		exp = noExpiry
	}
	rp.lots = append(rp.lots, lot{qty: r.Quantity, exp: exp, rec: r.Received, ridx: idx, name: r.Lot})
	rp.up(len(rp.lots) - 1)
	rp.total += r.Quantity
}

// draw takes need first-expiring first, or reports false and takes nothing
// when the stock is short by more than slack.
func (rp *replayer) draw(need float64) bool {
	if rp.total-need < 1e-6*(1+rp.total) {
		// Close or short: decide on a fresh sum, not the running one,
		// whose drift stays far below this margin.
		rp.total = rp.sum()
		if rp.total+slack < need {
			return false
		}
	}
	for len(rp.lots) > 0 {
		top := &rp.lots[0]
		take := min(top.qty, need)
		top.qty -= take
		need -= take
		rp.total -= take
		if top.qty > dust {
			// The lot outlasts the need. (Also ends the loop on a NaN.)
			break
		}
		rp.total -= top.qty
		rp.pop()
		if need <= dust {
			break
		}
	}
	if len(rp.lots) == 0 {
		rp.total = 0
	}
	return true
}

func (rp *replayer) sum() float64 {
	s := 0.0
	for i := range rp.lots {
		s += rp.lots[i].qty
	}
	return s
}

// sorted puts the lots in FEFO order (a sorted slice is still a valid heap)
// and returns them.
func (rp *replayer) sorted() []lot {
	slices.SortFunc(rp.lots, func(a, b lot) int { return fefo(&a, &b) })
	return rp.lots
}

func (rp *replayer) pop() { rp.remove(0) }

func (rp *replayer) remove(i int) {
	n := len(rp.lots) - 1
	if i != n {
		rp.lots[i] = rp.lots[n]
	}
	rp.lots[n] = lot{} // let the name be collected
	rp.lots = rp.lots[:n]
	if i < n {
		rp.down(i)
		rp.up(i)
	}
}

func (rp *replayer) up(i int) {
	h := rp.lots
	for i > 0 {
		p := (i - 1) / 2
		if fefo(&h[i], &h[p]) >= 0 {
			return
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (rp *replayer) down(i int) {
	h := rp.lots
	n := len(h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && fefo(&h[r], &h[l]) < 0 {
			m = r
		}
		if fefo(&h[m], &h[i]) >= 0 {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// hasDupNames reports whether two of the receipts name the same lot.
func hasDupNames(receipts []Receipt, recs []int32) bool {
	if len(recs) < 2 {
		return false
	}
	if len(recs) <= 16 {
		for i := 1; i < len(recs); i++ {
			for j := 0; j < i; j++ {
				if receipts[recs[i]].Lot == receipts[recs[j]].Lot {
					return true
				}
			}
		}
		return false
	}
	seen := make(map[string]struct{}, len(recs))
	for _, i := range recs {
		if _, ok := seen[receipts[i].Lot]; ok {
			return true
		}
		seen[receipts[i].Lot] = struct{}{}
	}
	return false
}

// Replay returns the lots of one (mission, item) ledger on hand at the end
// of asOf, in the order they would be drawn. Every receipt and issue is
// taken to belong to that ledger (their Mission and Item are not read);
// rows dated after asOf are ignored. An issue that asks for more than is on
// hand gives an *OverdrawError naming it, and no lots.
func Replay(receipts []Receipt, issues []Issue, asOf Date) ([]Lot, error) {
	recs := make([]int32, 0, len(receipts))
	for i := range receipts {
		if receipts[i].Received <= asOf {
			recs = append(recs, int32(i))
		}
	}
	sortReceipts(receipts, recs)
	iss := make([]issueRec, 0, len(issues))
	for i := range issues {
		if issues[i].Date <= asOf {
			iss = append(iss, issueRec{qty: issues[i].Quantity, date: issues[i].Date, idx: int32(i)})
		}
	}
	sortIssues(iss)
	var rp replayer
	rp.reset(hasDupNames(receipts, recs))
	if s := rp.replay(receipts, recs, iss, asOf, false, nil); len(s) > 0 {
		return nil, overdraw(issues, s[0])
	}
	lots := rp.sorted()
	out := make([]Lot, len(lots))
	for i, l := range lots {
		exp := l.exp
		if exp == noExpiry {
			exp = 0
		}
		out[i] = Lot{Name: l.name, Quantity: l.qty, Received: l.rec, Expires: exp}
	}
	return out, nil
}

// Check replays every ledger through all of its issues and returns one
// *OverdrawError for each issue that asks for more than was on hand, in
// input order, or nil. An issue found short is left out of the replay, so
// the rows after it are judged against what was really there and an
// importer can list every bad row at once.
func Check(receipts []Receipt, issues []Issue) []*OverdrawError {
	g := group(receipts, issues, noExpiry-1, true)
	n := len(g.keys)
	w := workers(n, 64)
	found := make([][]short, w)
	parallel(n, w, func(k, lo, hi int) {
		var rp replayer
		for l := lo; l < hi; l++ {
			recs, iss := g.prepare(l, receipts)
			rp.reset(hasDupNames(receipts, recs))
			found[k] = rp.replay(receipts, recs, iss, noExpiry-1, true, found[k])
		}
	})
	shorts := slices.Concat(found...)
	if len(shorts) == 0 {
		return nil
	}
	out := make([]*OverdrawError, len(shorts))
	for i, s := range shorts {
		out[i] = overdraw(issues, s)
	}
	slices.SortFunc(out, func(a, b *OverdrawError) int { return cmp.Compare(a.Index, b.Index) })
	return out
}

func overdraw(issues []Issue, s short) *OverdrawError {
	return &OverdrawError{Index: int(s.rec.idx), Issue: issues[s.rec.idx], Available: round6(s.avail)}
}

// sortReceipts orders receipt indices by date, keeping input order within
// a day (it decides which of two receipts of one lot name wins).
func sortReceipts(receipts []Receipt, recs []int32) {
	if slices.IsSortedFunc(recs, func(a, b int32) int { return cmp.Compare(receipts[a].Received, receipts[b].Received) }) {
		return
	}
	slices.SortFunc(recs, func(a, b int32) int {
		if c := cmp.Compare(receipts[a].Received, receipts[b].Received); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
}

// sortIssues orders issues by date, keeping input order within a day, as
// the reference model draws them.
func sortIssues(iss []issueRec) {
	if slices.IsSortedFunc(iss, func(a, b issueRec) int { return cmp.Compare(a.date, b.date) }) {
		return
	}
	slices.SortFunc(iss, func(a, b issueRec) int {
		if c := cmp.Compare(a.date, b.date); c != 0 {
			return c
		}
		return cmp.Compare(a.idx, b.idx)
	})
}

// MaxTotal is the largest quantity a status row reports. The domain caps
// every quantity entered (outpost.MaxQuantity, 1e9), so no sum of real
// rows comes near it; a ledger holding values stored before those bounds
// existed saturates here instead of reaching +Inf, so that every status,
// sitrep and pooling proposal stays finite and encodable (a NaN, from
// +Inf − +Inf, reads as 0).
const MaxTotal = 1e15

// round6 rounds to six decimals the way Python's round(x, 6) does: to the
// nearest of the exact decimal value, which strconv also computes.
func round6(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return 0
	case x > MaxTotal:
		return MaxTotal
	case x < -MaxTotal:
		return -MaxTotal
	case x == 0:
		return x
	}
	var buf [64]byte
	b := strconv.AppendFloat(buf[:0], x, 'f', 6, 64)
	v, _ := strconv.ParseFloat(string(b), 64)
	return v
}
