package evac

import (
	"slices"
	"strings"
	"time"
)

// Closure is a border closure: from Starts to Ends inclusive (a zero Ends
// means still in force) it closes Crossing, or every crossing when
// Crossing is empty.
type Closure struct {
	// ID identifies the restriction, e.g. "R-12".
	ID string
	// Crossing is the closed crossing; empty closes them all.
	Crossing string
	// Starts is the first closed day.
	Starts time.Time
	// Ends is the last closed day; zero means open-ended.
	Ends time.Time
}

// Excluded is a departure left out of planning, with the reason.
type Excluded struct {
	// Departure is the departure's ID.
	Departure string
	// Reason is "crossing closed: ID" naming the closure.
	Reason string
}

// UsableDepartures returns the departures on or after the start date whose
// crossing is open on their day, in input order, and the ones a closure
// excludes, sorted by departure, each with the reason. Departures before
// the start date are in neither list. When several closures apply, the
// reason names the one with the smallest ID.
func UsableDepartures(start time.Time, deps []Departure, closures []Closure) ([]Departure, []Excluded) {
	s := civil(start)
	var usable []Departure
	var excluded []Excluded
	for _, d := range deps {
		day := civil(d.Date)
		if day < s {
			continue
		}
		closed := ""
		for _, c := range closures {
			if c.Crossing != "" && c.Crossing != d.Crossing {
				continue
			}
			if day < civil(c.Starts) || (!c.Ends.IsZero() && day > civil(c.Ends)) {
				continue
			}
			if closed == "" || c.ID < closed {
				closed = c.ID
			}
		}
		if closed != "" {
			excluded = append(excluded, Excluded{Departure: d.ID, Reason: "crossing closed: " + closed})
			continue
		}
		usable = append(usable, d)
	}
	slices.SortFunc(excluded, func(a, b Excluded) int { return strings.Compare(a.Departure, b.Departure) })
	return usable, excluded
}
