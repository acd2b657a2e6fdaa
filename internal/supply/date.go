package supply

import (
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// Date is a civil date as a day number (outpost.DayNumber): the ledger's
// rows are the domain's, so the store hands them over and this package
// computes on them without a copy.
type Date = outpost.DayNumber

// DateOf returns the calendar date of t as seen in t's own location.
func DateOf(t time.Time) Date { return outpost.DayNumberOf(t) }

// ParseDate reads a date written YYYY-MM-DD (outpost.ParseDayNumber).
func ParseDate(s string) (Date, error) { return outpost.ParseDayNumber(s) }
