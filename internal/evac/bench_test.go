package evac

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchInput makes a deterministic instance of about n people in
// households of 1 to 6, on deps departures over 30 days with seats for
// about 80% of them, a third of the departures open to a few
// nationalities only, and minimum staff in every mission.
func benchInput(n, deps int) Input {
	rnd := rand.New(rand.NewPCG(uint64(n), uint64(deps)))
	nats := []string{"RU", "CN", "DE", "GB", "SE", "CH", "FR", "PL", "US", "IN", "PK", "AF",
		"TR", "JP", "KR", "IT", "ES", "NL", "CA", "AU"}
	in := Input{Start: testStart}
	for _, c := range nats {
		in.Missions = append(in.Missions, Mission{Code: c, MinStaff: rnd.IntN(n/100 + 2)})
	}
	for pid, h := 0, 0; pid < n; h++ {
		size := 1 + rnd.IntN(6)
		nat := nats[min(rnd.IntN(len(nats)), rnd.IntN(len(nats)))]
		var ready = testStart
		if rnd.IntN(3) == 0 {
			ready = testStart.AddDate(0, 0, rnd.IntN(20))
		}
		for k := 0; k < size && pid < n; k++ {
			pid++
			p := Person{ID: fmt.Sprintf("P%07d", pid), Household: fmt.Sprintf("H%06d", h),
				Nationality: nat, Mission: nat, Essential: k == 0 && rnd.IntN(4) == 0,
				Ready: ready}
			if r := rnd.IntN(100); r < 3 {
				p.Medical = 3
			} else if r < 12 {
				p.Medical = 1 + rnd.IntN(2)
			}
			if k > 0 && rnd.IntN(2) == 0 {
				p.BirthDate = testStart.AddDate(-rnd.IntN(17), 0, 0)
			}
			in.People = append(in.People, p)
		}
	}
	for j := 0; j < deps; j++ {
		d := Departure{ID: fmt.Sprintf("D%04d", j), Date: testStart.AddDate(0, 0, rnd.IntN(30)),
			Seats: 1 + rnd.IntN(2*n*8/10/deps)}
		if rnd.IntN(3) == 0 {
			d.Eligible = []string{nats[rnd.IntN(len(nats))], nats[rnd.IntN(5)]}
		}
		in.Departures = append(in.Departures, d)
	}
	return in
}

func benchmarkSolve(b *testing.B, n, deps int) { benchmarkSolveInput(b, benchInput(n, deps)) }

// benchmarkSolveInput times Solve on in, built before the timer starts,
// and reports the last plan's score against its bound.
func benchmarkSolveInput(b *testing.B, in Input) {
	b.ResetTimer()
	var p Plan
	for b.Loop() {
		var err error
		if p, err = Solve(in, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(p.Score)/float64(p.Bound), "score/bound")
}

func BenchmarkSolve2k(b *testing.B)   { benchmarkSolve(b, 2000, 30) }
func BenchmarkSolve100k(b *testing.B) { benchmarkSolve(b, 100000, 600) }
