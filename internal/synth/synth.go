// Package synth makes large, realistic synthetic registries for benchmarks
// and crash tests: missions of many sizes, households of one to six, the
// nationalities and categories of a real evacuation, birth dates, medical
// needs and presence dates. The same seed gives the same data.
package synth

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"
)

var (
	nations  = []string{"AF", "US", "GB", "DE", "FR", "IT", "ES", "NL", "SE", "NO", "CA", "AU", "TR", "PK", "IN", "RU", "CN", "QA", "AE", "JP", "KR", "UZ", "TJ", "IR", "PL", "CZ", "BE", "DK", "FI", "CH"}
	givens   = []string{"Ahmad", "Mariam", "John", "Anna", "Lars", "Sofia", "Omar", "Fatima", "Ivan", "Li", "Emma", "Ali", "Zahra", "Karl", "Jean", "Maria", "Hamid", "Sara", "Peter", "Nadia"}
	families = []string{"Karimi", "Smith", "Muller", "Dubois", "Rossi", "Garcia", "Berg", "Hansen", "Khan", "Sharma", "Petrov", "Wang", "Sato", "Kim", "Yilmaz", "Nowak", "Novak", "Jensen", "Virtanen", "Rahimi"}
)

// Missions returns n missions: embassies of the nations above (coded
// M000…), one per nation, then international organisations.
func Missions(n int) [][]string {
	out := [][]string{{"code", "name", "country", "kind", "status", "min_staff"}}
	for i := 0; i < n; i++ {
		code := fmt.Sprintf("M%03d", i)
		country, kind := nations[i%len(nations)], "embassy"
		if i >= len(nations) {
			country, kind = "", "un_agency"
		}
		out = append(out, []string{code, "Mission " + code, country, kind, []string{"open", "reduced", "suspended"}[i%3], strconv.Itoa(i % 4)})
	}
	return out
}

// WriteMissions writes Missions(n) as CSV.
func WriteMissions(w io.Writer, n int) error {
	bw := bufio.NewWriter(w)
	for _, r := range Missions(n) {
		writeRow(bw, r)
	}
	return bw.Flush()
}

// PeopleHeader is the header of the people file WritePeople writes.
var PeopleHeader = []string{"id", "household", "given_name", "family_name", "nationality", "mission", "category",
	"birth_date", "essential", "medical", "status", "since", "ready", "passport"}

// WritePeople writes n people in households across missions missions as
// CSV, ids prefixed with prefix (so two files can be told apart).
func WritePeople(w io.Writer, n, missions int, prefix string, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	bw := bufio.NewWriterSize(w, 1<<20)
	writeRow(bw, PeopleHeader)
	base := time.Date(2021, 8, 1, 0, 0, 0, 0, time.UTC)
	row := make([]string, len(PeopleHeader))
	hh := 0
	for made := 0; made < n; {
		hh++
		size := 1 + rng.IntN(6)
		if rng.IntN(3) == 0 {
			size = 1
		}
		m := rng.IntN(missions)
		// Missions are unequal: the first few are much larger.
		if rng.IntN(2) == 0 {
			m = rng.IntN(min(missions, 8))
		}
		nat := nations[m%len(nations)]
		if rng.IntN(5) == 0 {
			nat = nations[rng.IntN(len(nations))]
		}
		family := families[rng.IntN(len(families))]
		status := "in_country"
		switch r := rng.IntN(20); {
		case r == 0:
			status = "left"
		case r == 1:
			status = "in_transit"
		}
		since := base.AddDate(0, 0, -rng.IntN(900)).Format(time.DateOnly)
		ready := ""
		if rng.IntN(5) == 0 {
			ready = base.AddDate(0, 0, rng.IntN(17)).Format(time.DateOnly)
		}
		for k := 0; k < size && made < n; k++ {
			made++
			cat := "national"
			switch {
			case k == 0 && rng.IntN(10) == 0:
				cat = []string{"diplomat", "staff", "org_staff"}[rng.IntN(3)]
			case k > 0:
				cat = "dependent"
			}
			age := 18 + rng.IntN(60)
			if cat == "dependent" && rng.IntN(2) == 0 {
				age = rng.IntN(18)
			}
			birth := base.AddDate(-age-1, 0, -rng.IntN(365)).Format(time.DateOnly)
			if rng.IntN(10) == 0 {
				birth = ""
			}
			medical := "0"
			if r := rng.IntN(100); r < 8 {
				medical = strconv.Itoa(1 + r%3)
			}
			essential := "false"
			if cat == "diplomat" || cat == "staff" {
				essential = "true"
			}
			row[0] = prefix + strconv.Itoa(made)
			row[1] = prefix + "H" + strconv.Itoa(hh)
			row[2] = givens[rng.IntN(len(givens))]
			row[3] = family
			row[4] = nat
			row[5] = fmt.Sprintf("M%03d", m)
			row[6] = cat
			row[7] = birth
			row[8] = essential
			row[9] = medical
			row[10] = status
			row[11] = since
			row[12] = ready
			row[13] = "P" + strconv.Itoa(10000000+rng.IntN(89999999))
			writeRow(bw, row)
		}
	}
	return bw.Flush()
}

// writeRow writes a CSV row; generated values never need quoting.
func writeRow(w *bufio.Writer, r []string) {
	for i, v := range r {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(v)
	}
	w.WriteByte('\n')
}
