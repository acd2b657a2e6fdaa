package main

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/outpost-org/outpost/internal/evac"
)

// writeLP writes the plan's integer programme in exactly the form of
// gen.py's write_lp (same variables, order and constraints), so that CBC
// solves the same problem as the planner.
func writeLP(path string, in evac.Input, missions []map[string]string) (vars int, err error) {
	start := in.Start
	hh := map[string][]int{}
	for i, p := range in.People {
		hh[p.Household] = append(hh[p.Household], i)
	}
	ids := make([]string, 0, len(hh))
	for id := range hh {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	days := make([]int, len(in.Departures))
	horizon := 0
	for j, d := range in.Departures {
		days[j] = int(d.Date.Sub(start).Hours()/24 + 0.5)
		horizon = max(horizon, days[j]+1)
	}
	type xvar struct {
		h   string
		dep int
	}
	var xs []xvar
	var obj []string
	for _, h := range ids {
		mem := hh[h]
		var w int64
		for _, i := range mem {
			w += evac.Weight(in.People[i], start)
		}
		for j, d := range in.Departures {
			ok := true
			for _, i := range mem {
				p := in.People[i]
				if len(d.Eligible) > 0 && !slices.Contains(d.Eligible, p.Nationality) {
					ok = false
				}
				if !p.Ready.IsZero() && p.Ready.After(d.Date) {
					ok = false
				}
			}
			if !ok || len(mem) > d.Seats {
				continue
			}
			obj = append(obj, fmt.Sprintf("%d x%d", w*int64(horizon-days[j]), len(xs)))
			xs = append(xs, xvar{h, j})
		}
	}
	var cons []string
	var terms []string
	for k := 0; k < len(xs); {
		terms = terms[:0]
		h := xs[k].h
		for ; k < len(xs) && xs[k].h == h; k++ {
			terms = append(terms, fmt.Sprintf("x%d", k))
		}
		cons = append(cons, strings.Join(terms, " + ")+" <= 1")
	}
	for j, d := range in.Departures {
		terms = terms[:0]
		for k, x := range xs {
			if x.dep == j {
				terms = append(terms, fmt.Sprintf("%d x%d", len(hh[x.h]), k))
			}
		}
		if len(terms) > 0 {
			cons = append(cons, strings.Join(terms, " + ")+" <= "+strconv.Itoa(d.Seats))
		}
	}
	for _, m := range missions {
		code := m["code"]
		minStaff, _ := strconv.Atoi(m["min_staff"])
		essential := map[string]int{}
		total := 0
		for _, p := range in.People {
			if p.Mission == code && p.Essential {
				essential[p.Household]++
				total++
			}
		}
		allow := total - min(minStaff, total)
		terms = terms[:0]
		for k, x := range xs {
			if e := essential[x.h]; e > 0 {
				terms = append(terms, fmt.Sprintf("%d x%d", e, k))
			}
		}
		if len(terms) > 0 {
			cons = append(cons, strings.Join(terms, " + ")+" <= "+strconv.Itoa(allow))
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "Maximize\n obj: %s\nSubject To\n", strings.Join(obj, " + "))
	for i, c := range cons {
		fmt.Fprintf(w, " c%d: %s\n", i, c)
	}
	names := make([]string, len(xs))
	for k := range xs {
		names[k] = fmt.Sprintf("x%d", k)
	}
	fmt.Fprintf(w, "Binary\n %s\nEnd\n", strings.Join(names, " "))
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, err
	}
	return len(xs), f.Close()
}
