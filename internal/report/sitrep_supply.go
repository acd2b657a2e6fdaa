package report

import (
	"fmt"
	"sort"
	"strings"
)

// shortages are the rows short of supply, fewest days first.
func shortages(rows []Stock) []Stock {
	var out []Stock
	for _, r := range rows {
		if r.Shortage {
			out = append(out, r)
		}
	}
	sortByDays(out)
	return out
}

// sortByDays orders stock rows by days of supply, fewest first (rows
// without a rate last), then by mission and item.
func sortByDays(rows []Stock) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i].DaysOfSupply, rows[j].DaysOfSupply
		switch {
		case a != nil && b != nil && *a != *b:
			return *a < *b
		case (a == nil) != (b == nil):
			return a != nil
		case rows[i].Mission != rows[j].Mission:
			return rows[i].Mission < rows[j].Mission
		}
		return rows[i].Item < rows[j].Item
	})
}

// spareDays is how many days of supply make a mission a likely donor
// of an item, the default target of `outpost supply pool`.
const spareDays = 60

// itemShortage is one item's shortages across the corps.
type itemShortage struct {
	name                     string
	short, outOfStock, spare int
}

// shortagesByItem counts, for each item short somewhere, the missions
// short of it, those out of it and those with spare, most missions short
// first.
func shortagesByItem(rows []Stock) []itemShortage {
	by := map[string]*itemShortage{}
	var order []string
	for _, r := range rows {
		if !r.Shortage {
			continue
		}
		if by[r.Item] == nil {
			by[r.Item] = &itemShortage{name: itemName(r)}
			order = append(order, r.Item)
		}
		by[r.Item].short++
		if r.DaysOfSupply != nil && *r.DaysOfSupply == 0 {
			by[r.Item].outOfStock++
		}
	}
	for _, r := range rows {
		if it := by[r.Item]; it != nil && r.DaysOfSupply != nil && *r.DaysOfSupply >= spareDays {
			it.spare++
		}
	}
	out := make([]itemShortage, 0, len(order))
	for _, code := range order {
		out = append(out, *by[code])
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].short != out[j].short {
			return out[i].short > out[j].short
		}
		return out[i].name < out[j].name
	})
	return out
}

// supplySummary is the summary's line about stock.
func supplySummary(in Input) string {
	s := in.Supply
	short := shortages(s.Rows)
	if len(short) == 0 {
		return fmt.Sprintf("No shortage: every item in use lasts %d days or more.", s.Threshold)
	}
	if in.Mission != nil {
		var names []string
		for _, r := range short[:min(3, len(short))] {
			names = append(names, fmt.Sprintf("%s (%s)", itemName(r), daysText(r.DaysOfSupply)))
		}
		more := ""
		if len(short) > 3 {
			more = fmt.Sprintf(" and %d more", len(short)-3)
		}
		return fmt.Sprintf("%s below %d days of supply: %s%s.", countNoun(len(short), "item", "items"), s.Threshold,
			strings.Join(names, ", "), more)
	}
	missions := map[string]bool{}
	out := 0
	for _, r := range short {
		missions[r.Mission] = true
		if *r.DaysOfSupply == 0 {
			out++
		}
	}
	items := shortagesByItem(s.Rows)
	var most []string
	for i, it := range items[:min(3, len(items))] {
		if i == 0 {
			most = append(most, fmt.Sprintf("%s (%s)", it.name, countNoun(it.short, "mission", "missions")))
		} else {
			most = append(most, fmt.Sprintf("%s (%d)", it.name, it.short))
		}
	}
	return fmt.Sprintf("%s (under %d days of supply) at %s, %d of them out of stock; most often %s.",
		countNoun(len(short), "shortage", "shortages"), s.Threshold, countNoun(len(missions), "mission", "missions"),
		out, joinWords(most))
}

// joinWords writes a, b and c.
func joinWords(list []string) string {
	switch len(list) {
	case 0:
		return ""
	case 1:
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " and " + list[len(list)-1]
}

func supplySection(in Input, d *document) (s section) {
	s = section{ID: "supplies", Title: "Supplies"}
	sp := in.Supply
	if sp == nil || len(sp.Rows) == 0 && len(sp.Vacant) == 0 {
		s.note("No stock recorded yet.")
		return s
	}
	defer func() { // the note ends the section, whatever it holds
		if len(sp.Vacant) > 0 {
			s.note(fmt.Sprintf("Not listed: the stock of %s, with nobody in the country.", joinWords(sp.Vacant)))
		}
	}()
	if len(sp.Rows) == 0 {
		return s
	}
	s.para("A shortage is fewer than %d days of supply at the current rate of use (the last 28 days' issues, or the planned ration per person).", sp.Threshold)
	short := shortages(sp.Rows)
	if in.Mission == nil && len(short) > 0 {
		s.heading("Shortages by item")
		t := newTable(col("Item", 0.4), ncol("Missions short", 0.2), ncol("Out of stock", 0.2), ncol(fmt.Sprintf("With %d+ days", spareDays), 0.2))
		for _, it := range shortagesByItem(sp.Rows) {
			t.row(txt(it.name), num(it.short), cell{Text: thousands(it.outOfStock), Warn: it.outOfStock > 0}, num(it.spare))
		}
		s.table(t)
		s.note(fmt.Sprintf("Missions with %d days or more of an item may be able to give; the pooling proposal (outpost supply pool ITEM) says how much.", spareDays))
	}
	s.heading("Shortages")
	if len(short) == 0 {
		s.note(fmt.Sprintf("No shortage: every item in use lasts %d days or more.", sp.Threshold))
	} else {
		t := newTable(col("Mission", 0.12), col("Item", 0.32), ncol("On hand", 0.2), ncol("Use per day", 0.18), ncol("Days left", 0.18))
		for _, r := range short {
			days := daysText(r.DaysOfSupply)
			if *r.DaysOfSupply == 0 {
				days = "out of stock"
			}
			t.row(txt(r.Mission), txt(itemName(r)), txt(qty(r.OnHand, r.Unit)), txt(qty(r.DailyRate, r.Unit)),
				cell{Text: days, Warn: true})
		}
		s.table(t)
	}
	if ch := supplyChart(sp.Rows, sp.Threshold); ch != nil {
		d.Charts["supply"] = ch
		s.chart("supply")
	}
	s.heading("Near expiry")
	t := newTable(col("Mission", 0.12), col("Item", 0.32), ncol("On hand", 0.2), ncol("Expiring in 30 days", 0.18), ncol("In 90 days", 0.18))
	for _, r := range sp.Rows {
		if r.NearExpiry90 > 0 || r.NearExpiry30 > 0 {
			t.row(txt(r.Mission), txt(itemName(r)), txt(qty(r.OnHand, r.Unit)),
				cell{Text: qty(r.NearExpiry30, r.Unit), Warn: r.NearExpiry30 > 0}, txt(qty(r.NearExpiry90, r.Unit)))
		}
	}
	if len(t.Rows) == 0 {
		s.note("Nothing on hand expires within 90 days.")
	} else {
		s.table(t)
	}
	return s
}
