package evac

import (
	"math/rand/v2"
	"testing"
)

// withDocs gives about a third of the people of in exit documents: most
// a granted permit over a window of the 30 days, some a passport expiring
// or a quarantine within them, a few a refusal or the choice to stay.
// Windows split the households into more classes than nationality and
// ready day alone, which is the planner's cost of the documents.
func withDocs(in Input) Input {
	rnd := rand.New(rand.NewPCG(15, 13))
	for i := range in.People {
		if rnd.IntN(3) != 0 {
			continue
		}
		d := &in.People[i].Docs
		d.Passport = true
		switch r := rnd.IntN(100); {
		case r < 60:
			from := rnd.IntN(20)
			d.Permit, d.PermitFrom, d.PermitTo = "granted", testStart.AddDate(0, 0, from), testStart.AddDate(0, 0, from+5+rnd.IntN(20))
		case r < 75:
			d.PassportExpiry = testStart.AddDate(0, 0, rnd.IntN(30))
		case r < 90:
			d.QuarantineUntil = testStart.AddDate(0, 0, rnd.IntN(14))
		case r < 96:
			d.Permit = "refused"
		default:
			d.Staying = true
		}
	}
	return in
}

func benchmarkSolveDocs(b *testing.B, n, deps int) {
	benchmarkSolveInput(b, withDocs(benchInput(n, deps)))
}

func BenchmarkSolve2kDocs(b *testing.B)   { benchmarkSolveDocs(b, 2000, 30) }
func BenchmarkSolve100kDocs(b *testing.B) { benchmarkSolveDocs(b, 100000, 600) }
