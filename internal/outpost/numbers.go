package outpost

import (
	"strconv"
	"strings"
)

// Thousands writes n with its digits in groups of three, 1,234,567, and a
// negative n with a hyphen-minus, -4,500, as strconv does: the web pages
// show it in forms and tables that people copy back into the program. A
// printed report sets its own minus sign (see report.thousands).
func Thousands(n int) string {
	s := strconv.Itoa(n)
	digits, neg := strings.CutPrefix(s, "-")
	var b strings.Builder
	b.Grow(len(s) + len(digits)/3)
	if neg {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Plural picks the word for n things: one when n is 1, many otherwise.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
