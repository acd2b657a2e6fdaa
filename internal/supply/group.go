package supply

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
)

// ledgerKey names a ledger: one item's stock at one mission.
type ledgerKey struct{ mission, item string }

// ledgers is the input cut into one ledger per (mission, item), in key
// order, each with its receipts and issues in input order. Grouping once,
// with a counting sort, keeps the whole computation linear in the rows; a
// row-by-row filter per ledger, as in the reference model, is quadratic.
type ledgers struct {
	keys     []ledgerKey
	recStart []int32 // receipts of ledger l: recs[recStart[l]:recStart[l+1]]
	recs     []int32
	issStart []int32
	iss      []issueRec
}

func (g *ledgers) ledger(l int) ([]int32, []issueRec) {
	return g.recs[g.recStart[l]:g.recStart[l+1]], g.iss[g.issStart[l]:g.issStart[l+1]]
}

// prepare sorts ledger l's rows by date, keeping input order within a day,
// and returns them.
func (g *ledgers) prepare(l int, receipts []Receipt) ([]int32, []issueRec) {
	recs, iss := g.ledger(l)
	sortReceipts(receipts, recs)
	sortIssues(iss)
	return recs, iss
}

// group cuts the rows dated on or before asOf into ledgers. The ledgers are
// those with such a receipt, and with fromIssues also those with only
// issues; without it, issues of other ledgers are dropped.
//
// The pass over the issues, millions of rows, runs on every CPU: the
// ledgers are all known before it (from the receipts, or from a first
// pass), so it only reads the tables.
//
// It stays one function: the parallel pass and the ledgers it fills are
// one algorithm, read top to bottom; splitting it would hide what is shared.
func group(receipts []Receipt, issues []Issue, asOf Date, fromIssues bool) *ledgers {
	ix := interner{missions: map[string]uint32{}, items: map[string]uint32{}}
	for i := range receipts {
		if r := &receipts[i]; r.Received <= asOf {
			ix.add(r.Mission, r.Item)
		}
	}
	if fromIssues {
		var f finder
		for i := range issues {
			if u := &issues[i]; u.Date <= asOf && f.find(&ix, u.Mission, u.Item) < 0 {
				ix.add(u.Mission, u.Item)
				f = finder{} // its cached row may predate the new ledger
			}
		}
	}

	// Number the ledgers in key order, which is the order of the rows.
	keys := ix.keys
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
	for _, row := range ix.pairs {
		for i, id := range row {
			if id >= 0 {
				row[i] = rank[id]
			}
		}
	}
	ix.keys = g.keys

	// Receipts are few: one counting sort.
	var f finder
	recOf := make([]int32, len(receipts))
	g.recStart = make([]int32, n+1)
	for i := range receipts {
		recOf[i] = -1
		if r := &receipts[i]; r.Received <= asOf {
			recOf[i] = f.find(&ix, r.Mission, r.Item)
			g.recStart[recOf[i]+1]++
		}
	}
	for l := range n {
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

	// Issues: each worker finds the ledgers of its share of the rows and
	// counts them; then each writes its rows after those of the workers
	// before it, so every ledger keeps input order.
	issOf := make([]int32, len(issues))
	w := workers(len(issues), 1<<16)
	counts := make([][]int32, w)
	parallel(len(issues), w, func(k, lo, hi int) {
		c := make([]int32, n)
		var f finder
		for i := lo; i < hi; i++ {
			l := int32(-1)
			if u := &issues[i]; u.Date <= asOf {
				if l = f.find(&ix, u.Mission, u.Item); l >= 0 {
					c[l]++
				}
			}
			issOf[i] = l
		}
		counts[k] = c
	})
	g.issStart = make([]int32, n+1)
	for l := range n {
		start := g.issStart[l]
		for k := range w {
			c := counts[k][l]
			counts[k][l] = start // now: where worker k writes ledger l
			start += c
		}
		g.issStart[l+1] = start
	}
	g.iss = make([]issueRec, g.issStart[n])
	parallel(len(issues), w, func(k, lo, hi int) {
		at := counts[k]
		for i := lo; i < hi; i++ {
			if l := issOf[i]; l >= 0 {
				g.iss[at[l]] = issueRec{qty: issues[i].Quantity, date: issues[i].Date, idx: int32(i)}
				at[l]++
			}
		}
	})
	return g
}

// interner numbers mission and item codes and finds a ledger by the two
// numbers: two lookups of one short string each, the first mostly skipped,
// cost less than hashing a pair of strings for each of millions of rows.
type interner struct {
	missions, items map[string]uint32
	// pairs[mission][item] is a ledger's number, or -1. Missions and
	// items are tens to hundreds, so a dense table is small and needs no
	// hashing.
	pairs [][]int32
	keys  []ledgerKey // by ledger number
}

// add gives (m, it) the next ledger number if it has none.
func (ix *interner) add(m, it string) {
	mi := intern(ix.missions, m)
	ii := intern(ix.items, it)
	for int(mi) >= len(ix.pairs) {
		ix.pairs = append(ix.pairs, nil)
	}
	row := ix.pairs[mi]
	for int(ii) >= len(row) {
		row = append(row, -1)
	}
	ix.pairs[mi] = row
	if row[ii] < 0 {
		row[ii] = int32(len(ix.keys))
		ix.keys = append(ix.keys, ledgerKey{m, it})
	}
}

func intern(m map[string]uint32, s string) uint32 {
	id, ok := m[s]
	if !ok {
		id = uint32(len(m))
		m[s] = id
	}
	return id
}

// finder looks ledgers up in an interner without changing it, so that
// several can share one. Usage files mostly come sorted, by date and then
// mission and item, or by mission, item and date: a row's ledger is then
// the last row's or the next one in key order, which two comparisons of
// strings confirm at a fraction of the cost of hashing them.
type finder struct {
	have  bool
	id    int32   // the last ledger found, or -1
	lastM string  // the last mission looked up in the table,
	row   []int32 // and its row of pairs (nil if unknown)
}

// find returns the ledger of (m, it), or -1.
func (f *finder) find(ix *interner, m, it string) int32 {
	if f.have && f.id >= 0 {
		if k := &ix.keys[f.id]; k.item == it && k.mission == m {
			return f.id
		}
		if n := int(f.id) + 1; n < len(ix.keys) {
			if k := &ix.keys[n]; k.item == it && k.mission == m {
				f.id = int32(n)
				return f.id
			}
		}
	}
	if !f.have || m != f.lastM {
		f.row = nil
		if mi, ok := ix.missions[m]; ok && int(mi) < len(ix.pairs) {
			f.row = ix.pairs[mi]
		}
		f.lastM = m
	}
	f.have, f.id = true, -1
	if ii, ok := ix.items[it]; ok && int(ii) < len(f.row) {
		f.id = f.row[ii]
	}
	return f.id
}

// workers is how many goroutines share n rows, at least grain each.
func workers(n, grain int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n/grain))
}

// parallel splits [0, n) into w contiguous shares and runs f on each, share
// k as f(k, lo, hi), in parallel when w > 1.
func parallel(n, w int, f func(k, lo, hi int)) {
	if w <= 1 {
		f(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	for k := range w {
		wg.Go(func() { f(k, n*k/w, n*(k+1)/w) })
	}
	wg.Wait()
}
