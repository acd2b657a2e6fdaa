package auth

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// ParseTokenExpiry reads when a new token should expire, counted from
// now: a number of days ("90d") or weeks ("12w"), a Go duration ("720h"),
// or a date ("2027-01-31", at 00:00 UTC). "never" and anything past
// outpost.MaxTokenLifetime are refused: every token dies on its own.
func ParseTokenExpiry(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	maxDays := int(outpost.MaxTokenLifetime / (24 * time.Hour))
	var at time.Time
	switch {
	case s == "":
		return time.Time{}, fmt.Errorf("no expiry given: want e.g. 90d, 12w or a date")
	case strings.EqualFold(s, "never") || s == "0":
		return time.Time{}, fmt.Errorf("%q: every token expires, at most %d days from now", s, maxDays)
	case strings.HasSuffix(s, "d") || strings.HasSuffix(s, "w"):
		n, err := strconv.Atoi(s[:len(s)-1])
		if err != nil || n <= 0 || n > 10*maxDays {
			return time.Time{}, fmt.Errorf("%q: want a number of days (90d) or weeks (12w) from 1 to %d days", s, maxDays)
		}
		if strings.HasSuffix(s, "w") {
			n *= 7
		}
		at = now.Add(time.Duration(n) * 24 * time.Hour)
	case strings.Count(s, "-") == 2:
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q: want a date as YYYY-MM-DD", s)
		}
		at = d
	default:
		d, err := time.ParseDuration(s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q: want e.g. 90d, 12w, 720h or a date as YYYY-MM-DD", s)
		}
		at = now.Add(d)
	}
	if !at.After(now) {
		return time.Time{}, fmt.Errorf("%q: that is not in the future", s)
	}
	if at.Sub(now) > outpost.MaxTokenLifetime {
		return time.Time{}, fmt.Errorf("%q: a token lasts at most %d days", s, maxDays)
	}
	return at, nil
}
