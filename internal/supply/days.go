package supply

// MaxDays is the most days_of_supply can be: ten years.
const MaxDays = 3650

// daysOfSupply simulates the days after asOf as INTERFACES.md step 3 defines
// them and returns the number of covered days and the quantity discarded on
// days 1 to 30 (step 4). qty and exp are the lots on hand in FEFO order
// (exp is noExpiry for undated lots); qty is used up.
//
// Day by day, each day first discards the lots expiring on or before it,
// then is covered when the stock plus slack reaches rate, and then takes
// rate from the first-expiring lots. Between two expiries the rate is
// constant and nothing is discarded, so a whole run of days is settled at
// once: the number of days covered is the largest c with
// stock − (c−1)·rate + slack ≥ rate, and c·rate is then taken in one draw.
// A row costs O(lots²) instead of O(3650 · lots).
func daysOfSupply(qty []float64, exp []Date, asOf Date, rate float64) (days int, expiring float64) {
	n := len(qty)
	h := 0 // lots before h are gone
	for days < MaxDays {
		day := days + 1 // the first day not yet settled, counted from asOf
		cut := asOf + Date(day)
		for h < n && exp[h] <= cut {
			if day <= 30 {
				expiring += qty[h]
			}
			h++
		}
		stock := 0.0
		for _, q := range qty[h:] {
			stock += q
		}
		// Days day..last discard nothing: the first lot left expires on
		// last+1 at the earliest.
		last := MaxDays
		if h < n && exp[h] != noExpiry {
			last = min(last, int(exp[h]-asOf)-1)
		}
		span := last - day + 1
		c := covered(stock, rate, span)
		if c > 0 {
			h = consume(qty, h, float64(c)*rate)
		}
		days += c
		if c < span {
			break
		}
	}
	return days, expiring
}

// covered returns how many of the next span days a stock covers at rate,
// with nothing discarded in between: day j is covered when
// stock − (j−1)·rate + slack ≥ rate.
func covered(stock, rate float64, span int) int {
	if rate <= slack {
		// Stock never goes below zero, and zero plus slack covers such a
		// rate: every day is covered, even with nothing left.
		return span
	}
	ok := func(j int) bool { return stock-float64(j-1)*rate+slack >= rate }
	f := (stock + slack) / rate
	c := span
	if f < float64(span) {
		c = max(0, int(f))
	}
	// The division can land one off the comparison that defines a day.
	for c > 0 && !ok(c) {
		c--
	}
	for c < span && ok(c+1) {
		c++
	}
	return c
}

// consume takes need from qty[h:] first-expiring first, as one draw of the
// replay does, and returns the new first lot.
func consume(qty []float64, h int, need float64) int {
	for h < len(qty) {
		take := min(qty[h], need)
		qty[h] -= take
		need -= take
		if qty[h] > dust {
			break // the lot outlasts the need
		}
		h++
		if need <= dust {
			break
		}
	}
	return h
}
