package supply

import (
	"cmp"
	"slices"
)

// ledgerKey names a ledger: one item's stock at one mission.
type ledgerKey struct{ mission, item string }

// ledgers is the input cut into one ledger per (mission, item), in key
// order, each with its receipts and issues sorted by date. Grouping once
// with a counting sort keeps the whole computation linear in the rows; a
// row-by-row filter per ledger, as in the reference model, is quadratic.
type ledgers struct {
	keys     []ledgerKey
	recStart []int32 // receipts of ledger l: recs[recStart[l]:recStart[l+1]]
	recs     []int32
	issStart []int32
	iss      []issueRec
	// Per ledger: the issues dated in (asOf-28, asOf], summed in input
	// order (as the reference sums them), and whether there are any.
	window    []float64
	windowAny []bool
}

func (g *ledgers) ledger(l int) ([]int32, []issueRec) {
	return g.recs[g.recStart[l]:g.recStart[l+1]], g.iss[g.issStart[l]:g.issStart[l+1]]
}

// group cuts the rows dated on or before asOf into ledgers. The ledgers are
// those with such a receipt, and with fromIssues also those with only
// issues; without it, issues of other ledgers are dropped.
func group(receipts []Receipt, issues []Issue, asOf Date, fromIssues bool) *ledgers {
	ids := make(map[ledgerKey]int32)
	var keys []ledgerKey
	lookup := func(m, it string, insert bool) int32 {
		k := ledgerKey{m, it}
		id, ok := ids[k]
		if !ok {
			if !insert {
				return -1
			}
			id = int32(len(keys))
			ids[k] = id
			keys = append(keys, k)
		}
		return id
	}

	recOf := make([]int32, len(receipts))
	for i := range receipts {
		r := &receipts[i]
		if r.Received > asOf {
			recOf[i] = -1
			continue
		}
		recOf[i] = lookup(r.Mission, r.Item, true)
	}
	// Usage files run by date or by ledger; either way consecutive rows
	// often share a ledger, and comparing two strings is cheaper than
	// hashing them.
	issOf := make([]int32, len(issues))
	lastM, lastI, lastID := "", "", int32(-2)
	for i := range issues {
		u := &issues[i]
		if u.Date > asOf {
			issOf[i] = -1
			continue
		}
		if lastID == -2 || u.Mission != lastM || u.Item != lastI {
			lastM, lastI, lastID = u.Mission, u.Item, lookup(u.Mission, u.Item, fromIssues)
		}
		issOf[i] = lastID
	}

	// Renumber the ledgers in key order, which is the order of the rows.
	n := len(keys)
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmp.Compare(keys[a].mission, keys[b].mission); c != 0 {
			return c
		}
		return cmp.Compare(keys[a].item, keys[b].item)
	})
	rank := make([]int32, n)
	g := &ledgers{keys: make([]ledgerKey, n)}
	for newID, oldID := range order {
		rank[oldID] = int32(newID)
		g.keys[newID] = keys[oldID]
	}

	// Counting sort: receipts, then issues, by ledger, keeping input order.
	g.recStart = make([]int32, n+1)
	for i, l := range recOf {
		if l >= 0 {
			recOf[i] = rank[l]
			g.recStart[rank[l]+1]++
		}
	}
	for l := 0; l < n; l++ {
		g.recStart[l+1] += g.recStart[l]
	}
	g.recs = make([]int32, g.recStart[n])
	next := slices.Clone(g.recStart[:n])
	for i, l := range recOf {
		if l >= 0 {
			g.recs[next[l]] = int32(i)
			next[l]++
		}
	}

	g.issStart = make([]int32, n+1)
	g.window = make([]float64, n)
	g.windowAny = make([]bool, n)
	from := asOf - 28
	for i, l := range issOf {
		if l < 0 {
			continue
		}
		l = rank[l]
		issOf[i] = l
		g.issStart[l+1]++
		if issues[i].Date > from {
			g.window[l] += issues[i].Quantity
			g.windowAny[l] = true
		}
	}
	for l := 0; l < n; l++ {
		g.issStart[l+1] += g.issStart[l]
	}
	g.iss = make([]issueRec, g.issStart[n])
	copy(next, g.issStart[:n])
	for i, l := range issOf {
		if l >= 0 {
			g.iss[next[l]] = issueRec{qty: issues[i].Quantity, date: issues[i].Date, idx: int32(i)}
			next[l]++
		}
	}

	for l := 0; l < n; l++ {
		recs, iss := g.ledger(l)
		sortReceipts(receipts, recs)
		sortIssues(iss)
	}
	return g
}
