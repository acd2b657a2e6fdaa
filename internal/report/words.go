package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// thousands is outpost.Thousands set for print: a negative number gets a
// true minus sign (U+2212), as wide as the plus of a change, since a
// report is read and never parsed.
func thousands(n int) string {
	s := outpost.Thousands(n)
	if digits, neg := strings.CutPrefix(s, "-"); neg {
		return "−" + digits
	}
	return s
}

// signed writes a change: +3, −2 or 0.
func signed(n int) string {
	if n > 0 {
		return "+" + thousands(n)
	}
	return thousands(n)
}

func changeWords(n int) string {
	switch {
	case n == 0:
		return "no change"
	case n > 0:
		return "up " + thousands(n)
	}
	return "down " + thousands(-n)
}

func countNoun(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

func people(n int) string { return countNoun(n, "person", "people") }

// qty writes a quantity with at most one decimal (two below 1) and its
// unit.
func qty(x float64, unit string) string {
	prec := 1
	if math.Abs(x) < 1 && x != 0 {
		prec = 2
	}
	s := strconv.FormatFloat(x, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if n, err := strconv.Atoi(intPart); err == nil {
		s = thousands(n)
		if frac != "" {
			s += "." + frac
		}
	}
	if unit != "" {
		s += " " + unit
	}
	return s
}

func daysText(d *int) string {
	if d == nil {
		return "not in use"
	}
	return countNoun(*d, "day", "days")
}

func itemName(r Stock) string {
	if r.Name != "" {
		return r.Name
	}
	return r.Item
}

func seatsWords(d Departure) string {
	if d.Passengers >= 0 {
		return fmt.Sprintf("%d planned, %d seats", d.Passengers, d.Seats)
	}
	return countNoun(d.Seats, "seat", "seats")
}

// words turns a code such as head_of_mission into "Head of mission".
func words(code string) string {
	s := strings.ReplaceAll(code, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func parseDate(d string) time.Time {
	t, _ := time.Parse(time.DateOnly, d)
	return t
}

func previousDay(d string) string { return parseDate(d).AddDate(0, 0, -1).Format(time.DateOnly) }

// longDate writes "Thursday 1 April 2021".
func longDate(d string) string { return parseDate(d).Format("Monday 2 January 2006") }

// shortDate writes "1 April".
func shortDate(d string) string { return parseDate(d).Format("2 January") }

// shortDateYear writes "1 Apr 2021".
func shortDateYear(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format("2 Jan 2006")
}

// when writes a moment in the post's time zone: "18 Mar 2021 09:30".
func when(t time.Time, loc *time.Location) string { return t.In(loc).Format("2 Jan 2006 15:04") }

// span writes a range of days: "26 March – 1 April".
func span(from, to time.Time) string {
	if from.Month() == to.Month() {
		return fmt.Sprintf("%d–%s", from.Day(), to.Format("2 January"))
	}
	return from.Format("2 January") + " – " + to.Format("2 January")
}

// dateIn writes the date of t in loc as YYYY-MM-DD.
func dateIn(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.DateOnly) }
