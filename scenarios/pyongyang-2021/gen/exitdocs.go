package main

import (
	"math/rand/v2"
	"strconv"
	"time"
)

// exitDocHeader are the exit-document columns of people.csv.
var exitDocHeader = []string{"sex", "passport_expiry", "permit_status", "permit_number", "permit_from", "permit_to",
	"permit_authority", "quarantine_until", "staying"}

// exitDocs invents exit documents (all of them fictitious: numbers,
// dates and decisions) for the people still in the country on the
// story's day, from a random stream of their own so that the rest of the
// scenario is the same as without them: the sex everyone's passport
// gives, a passport expiry, and for some an exit permit (mostly granted,
// some requested or refused), a quarantine or the choice to stay.
func exitDocs(people []person, tr []track) map[string][]string {
	rng := rand.New(rand.NewPCG(seed1+15, seed2))
	gone := map[string]bool{}
	for _, t := range tr {
		if t.checkpoint == "departed" || t.checkpoint == "crossed" {
			gone[t.person] = true
		}
	}
	day := func(y int, m time.Month, d int) string {
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	out := map[string][]string{}
	n := 0
	for _, p := range people {
		row := make([]string, len(exitDocHeader))
		row[0] = "M"
		if p.female {
			row[0] = "F"
		}
		row[8] = "false"
		if p.passport != "" {
			// Most passports run for years; a few lapse in the summer
			// of 2021, between the departures.
			row[1] = day(2022+rng.IntN(8), time.Month(1+rng.IntN(12)), 1+rng.IntN(28))
			if rng.IntN(100) < 3 {
				row[1] = day(2021, time.Month(5+rng.IntN(3)), 1+rng.IntN(28))
			}
		}
		if !gone[p.id] {
			switch r := rng.IntN(100); {
			case r < 35:
				n++
				row[2], row[3] = "granted", "KP-EX-2021-"+pad4(n)
				row[4], row[5] = day(2021, 3, 1), day(2021, 9, 30)
				row[6] = "Ministry of Foreign Affairs, Consular Department (invented)"
			case r < 42:
				row[2], row[6] = "requested", "Ministry of Foreign Affairs, Consular Department (invented)"
			case r < 44:
				row[2], row[6] = "refused", "Ministry of Foreign Affairs, Consular Department (invented)"
			case r < 48:
				row[7] = day(2021, 4, 14)
			case r < 51:
				row[8] = "true"
			}
		}
		out[p.id] = row
	}
	return out
}

func pad4(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}
