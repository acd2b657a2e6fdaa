// Command plannergen makes evacuation-planning instances and times the
// planner on them, for bench/planner.sh.
//
// Usage:
//
//	plannergen gen -kind hard|kabul -seed N [-people N] [-departures N] [-seats R] -out DIR
//	plannergen lp DIR           (writes DIR/plan.lp in gen.py's write_lp form)
//	plannergen solve DIR [-out PLAN.json] [-runs N]
//
// Instances are the CSV files of the conformance kit's gen.py
// (missions.csv, people.csv, departures.csv, restrictions.csv), so gen.py's
// own instances are read the same way. The planning date is 2021-02-25.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/outpost-org/outpost/internal/evac"
)

var start = time.Date(2021, 2, 25, 0, 0, 0, 0, time.UTC)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = cmdGen(os.Args[2:])
	case "lp":
		err = cmdLP(os.Args[2:])
	case "solve":
		err = cmdSolve(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "plannergen:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: plannergen gen|lp|solve ... (see the package comment)")
	os.Exit(2)
}

func cmdGen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	kind := fs.String("kind", "hard", "hard or kabul")
	seed := fs.Uint64("seed", 1, "random seed")
	people := fs.Int("people", 0, "people (default: 1500 hard, 100000 kabul)")
	deps := fs.Int("departures", 0, "departures (default: 30 hard, 600 kabul)")
	seats := fs.Float64("seats", 0, "total seats per person (default: 0.55 hard, 0.8 kabul)")
	out := fs.String("out", "", "output directory")
	fs.Parse(args)
	if *out == "" {
		return fmt.Errorf("gen: -out is required")
	}
	var in *instance
	switch *kind {
	case "hard":
		in = genHard(*seed, or(*people, 1500), or(*deps, 30), orF(*seats, 0.55))
	case "kabul":
		in = genKabul(*seed, or(*people, 100000), or(*deps, 600), orF(*seats, 0.8))
	default:
		return fmt.Errorf("gen: unknown kind %q", *kind)
	}
	return in.save(*out)
}

func or(v, d int) int {
	if v > 0 {
		return v
	}
	return d
}

func orF(v, d float64) float64 {
	if v > 0 {
		return v
	}
	return d
}

func cmdLP(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("lp: want one directory")
	}
	in, err := loadInstance(args[0])
	if err != nil {
		return err
	}
	pin, _, err := in.planInput(start)
	if err != nil {
		return err
	}
	n, err := writeLP(filepath.Join(args[0], "plan.lp"), pin, in.missions)
	if err != nil {
		return err
	}
	fmt.Printf("%d variables\n", n)
	return nil
}

// planJSON is the plan in the shape of `outpost evac plan --json`.
type planJSON struct {
	Start       string         `json:"start"`
	Score       int64          `json:"score"`
	Bound       int64          `json:"bound"`
	Assignments []assignJSON   `json:"assignments"`
	Staying     []stayJSON     `json:"staying"`
	Unassigned  []unassignJSON `json:"unassigned"`
	Excluded    []unassignJSON `json:"excluded_departures"`
}

type assignJSON struct {
	Departure string   `json:"departure"`
	Household string   `json:"household"`
	People    []string `json:"people"`
}

type stayJSON struct {
	Person string `json:"person"`
	Reason string `json:"reason"`
}

type unassignJSON struct {
	Household string `json:"household,omitempty"`
	Departure string `json:"departure,omitempty"`
	Reason    string `json:"reason"`
}

func cmdSolve(args []string) error {
	if len(args) < 1 {
		return fmt.Errorf("solve: want a directory")
	}
	dir := args[0]
	fs := flag.NewFlagSet("solve", flag.ExitOnError)
	out := fs.String("out", "", "write the plan JSON here")
	runs := fs.Int("runs", 1, "solve this many times and report the fastest")
	fs.Parse(args[1:])
	in, err := loadInstance(dir)
	if err != nil {
		return err
	}
	pin, excluded, err := in.planInput(start)
	if err != nil {
		return err
	}
	var plan evac.Plan
	best := time.Duration(1<<63 - 1)
	for r := 0; r < *runs; r++ {
		runtime.GC()
		t0 := time.Now()
		plan, err = evac.Solve(pin, evac.Options{})
		if err != nil {
			return err
		}
		best = min(best, time.Since(t0))
	}
	households := map[string]bool{}
	for _, p := range pin.People {
		households[p.Household] = true
	}
	res := map[string]any{
		"people": len(pin.People), "households": len(households), "departures": len(pin.Departures),
		"score": plan.Score, "bound": plan.Bound, "seconds": best.Seconds(),
		"ratio": float64(plan.Score) / float64(max(plan.Bound, 1)),
	}
	line, _ := json.Marshal(res)
	fmt.Println(string(line))
	if *out == "" {
		return nil
	}
	pj := planJSON{Start: start.Format(time.DateOnly), Score: plan.Score, Bound: plan.Bound,
		Assignments: []assignJSON{}, Staying: []stayJSON{}, Unassigned: []unassignJSON{}, Excluded: []unassignJSON{}}
	for _, a := range plan.Assignments {
		pj.Assignments = append(pj.Assignments, assignJSON(a))
	}
	for _, s := range plan.Staying {
		pj.Staying = append(pj.Staying, stayJSON(s))
	}
	for _, u := range plan.Unassigned {
		pj.Unassigned = append(pj.Unassigned, unassignJSON{Household: u.Household, Reason: u.Reason})
	}
	for _, e := range excluded {
		pj.Excluded = append(pj.Excluded, unassignJSON{Departure: e.Departure, Reason: e.Reason})
	}
	b, err := json.Marshal(pj)
	if err != nil {
		return err
	}
	return os.WriteFile(*out, b, 0o644)
}
