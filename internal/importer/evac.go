package importer

import (
	"math"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// Departures is the kind for departures.csv; loc is the post's time zone,
// in which a departure time without an offset is read.
func Departures(loc *time.Location) Kind[outpost.Departure] {
	return Kind[outpost.Departure]{
		Name:     "departures",
		Columns:  []string{"id", "route", "departs", "seats", "crossing", "eligible"},
		Required: []string{"id", "route", "departs", "seats"},
		Key:      "id",
		Parse: func(r *Row) (outpost.Departure, bool) {
			d := outpost.Departure{ID: r.ID("id"), Route: r.Required("route")}
			if r.Str("departs") == "" {
				r.Missing("departs")
			} else if t, ok := r.Time("departs", loc); ok {
				d.Departs = t
			}
			if r.Str("seats") == "" {
				r.Missing("seats")
			} else {
				d.Seats = r.Int("seats", 1, math.MaxInt32, 0)
			}
			if c := r.Str("crossing"); c != "" {
				d.Crossing = r.Code("crossing")
			}
			d.Eligible = []string{}
			for _, n := range strings.Fields(strings.ReplaceAll(r.Str("eligible"), ",", " ")) {
				if !outpost.IsCountry(n) {
					r.Problem("eligible", n, "is not an ISO 3166-1 alpha-2 country code; list nationalities separated by spaces, e.g. RU MN")
					continue
				}
				d.Eligible = append(d.Eligible, n)
			}
			return d, r.OK()
		},
		Check: func(d outpost.Departure) outpost.Problems { return d.Validate() },
	}
}

// Restrictions is the kind for restrictions.csv.
func Restrictions() Kind[outpost.Restriction] {
	return Kind[outpost.Restriction]{
		Name:     "restrictions",
		Columns:  []string{"id", "kind", "crossing", "starts", "ends", "days", "note", "source"},
		Required: []string{"id", "kind", "starts"},
		Key:      "id",
		Parse: func(r *Row) (outpost.Restriction, bool) {
			x := outpost.Restriction{
				ID:     r.ID("id"),
				Kind:   r.Enum("kind", outpost.RestrictionKinds, ""),
				Starts: r.RequiredDate("starts"),
				Ends:   r.Date("ends"),
				Days:   r.Int("days", 0, 3650, 0),
				Note:   r.Str("note"),
				Source: r.Str("source"),
			}
			if r.Str("crossing") != "" {
				x.Crossing = r.Code("crossing")
			}
			if x.Ends != "" && x.Starts != "" && x.Ends < x.Starts {
				r.Problem("ends", string(x.Ends), "is before starts ("+string(x.Starts)+")")
			}
			if x.Kind == "quarantine" && x.Days == 0 && r.OK() {
				r.Problem("days", r.Str("days"), "a quarantine needs its length in days")
			}
			return x, r.OK()
		},
		Check: func(x outpost.Restriction) outpost.Problems { return x.Validate() },
	}
}
