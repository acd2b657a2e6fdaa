package evac

import (
	"fmt"
	"slices"
	"time"
)

// checkPlan is an independent validator written from INTERFACES.md: it
// reads only the Input and the Plan, and returns the plan's recomputed
// score or what is wrong with it.
func checkPlan(in Input, p Plan) (int64, error) {
	score, err := validPlan(in, p)
	if err != nil {
		return 0, err
	}
	if p.Score != score {
		return 0, fmt.Errorf("reported score %d, recomputed %d", p.Score, score)
	}
	if err := checkLeftBehind(in, p); err != nil {
		return 0, err
	}
	return score, nil
}

// checkLeftBehind checks that everyone of the households left out, and
// no one else, is listed once in LeftBehind with a reason and its words.
func checkLeftBehind(in Input, p Plan) error {
	out := map[string]bool{}
	for _, u := range p.Unassigned {
		out[u.Household] = true
	}
	listed := map[string]bool{}
	for _, lb := range p.LeftBehind {
		if listed[lb.Person] || lb.Reason == "" || lb.Text == "" || !out[lb.Household] {
			return fmt.Errorf("bad left-behind entry %+v", lb)
		}
		listed[lb.Person] = true
	}
	for _, per := range in.People {
		if out[per.Household] != listed[per.ID] {
			return fmt.Errorf("%s of household %s: left out %v, listed as left behind %v", per.ID, per.Household, out[per.Household], listed[per.ID])
		}
	}
	return nil
}

// docsAllow is the exit-document rule written from the documentation: a
// person leaves on day only if not staying by choice; with a permit
// recorded (or permits required) only with a granted one valid that day;
// with permits required only with a passport; only on or before the
// passport's expiry and after the quarantine's last day.
func docsAllow(per Person, required bool, day func(time.Time) int, on int) error {
	d := per.Docs
	switch {
	case d.Staying:
		return fmt.Errorf("%s stays by choice", per.ID)
	case (required || d.Permit != "") && d.Permit != "granted":
		return fmt.Errorf("%s has no granted exit permit (%q)", per.ID, d.Permit)
	case d.Permit == "granted" && !d.PermitFrom.IsZero() && on < day(d.PermitFrom):
		return fmt.Errorf("%s: exit permit not yet valid", per.ID)
	case d.Permit == "granted" && !d.PermitTo.IsZero() && on > day(d.PermitTo):
		return fmt.Errorf("%s: exit permit expired", per.ID)
	case required && !d.Passport:
		return fmt.Errorf("%s has no passport", per.ID)
	case !d.PassportExpiry.IsZero() && on > day(d.PassportExpiry):
		return fmt.Errorf("%s: passport expired", per.ID)
	case !d.QuarantineUntil.IsZero() && on <= day(d.QuarantineUntil):
		return fmt.Errorf("%s: in quarantine", per.ID)
	}
	return nil
}

// validPlan checks the assignments and the listing of the households left
// out, and returns the score the assignments give.
func validPlan(in Input, p Plan) (int64, error) {
	day := func(t time.Time) int {
		y, m, d := t.Date()
		return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	}
	start := day(in.Start)
	horizon := 1
	deps := map[string]Departure{}
	for _, d := range in.Departures {
		deps[d.ID] = d
		horizon = max(horizon, day(d.Date)-start+1)
	}
	if p.Horizon != horizon {
		return 0, fmt.Errorf("horizon %d, want %d", p.Horizon, horizon)
	}
	members := map[string][]Person{}
	for _, per := range in.People {
		members[per.Household] = append(members[per.Household], per)
	}
	seen := map[string]bool{}
	load := map[string]int{}
	leaving := map[string]bool{}
	var score int64
	for _, a := range p.Assignments {
		if seen[a.Household] {
			return 0, fmt.Errorf("household %s assigned twice", a.Household)
		}
		seen[a.Household] = true
		d, ok := deps[a.Departure]
		if !ok {
			return 0, fmt.Errorf("household %s on unknown departure %s", a.Household, a.Departure)
		}
		mem := members[a.Household]
		var ids []string
		for _, per := range mem {
			ids = append(ids, per.ID)
		}
		slices.Sort(ids)
		if !slices.Equal(ids, a.People) {
			return 0, fmt.Errorf("household %s: people %v, want %v", a.Household, a.People, ids)
		}
		var w int64
		for _, per := range mem {
			if len(d.Eligible) > 0 && !slices.Contains(d.Eligible, per.Nationality) {
				return 0, fmt.Errorf("%s (%s) not eligible for %s", per.ID, per.Nationality, d.ID)
			}
			if !per.Ready.IsZero() && day(per.Ready) > day(d.Date) {
				return 0, fmt.Errorf("%s not ready for %s", per.ID, d.ID)
			}
			if err := docsAllow(per, in.PermitsRequired, day, day(d.Date)); err != nil {
				return 0, fmt.Errorf("on %s: %w", d.ID, err)
			}
			leaving[per.ID] = true
			w += 1 + [4]int64{0, 1, 3, 7}[per.Medical]
			if !per.BirthDate.IsZero() && per.BirthDate.AddDate(18, 0, 0).After(in.Start) {
				w++
			}
		}
		load[d.ID] += len(mem)
		score += w * int64(horizon-(day(d.Date)-start))
	}
	for id, n := range load {
		if n > deps[id].Seats {
			return 0, fmt.Errorf("departure %s carries %d > %d seats", id, n, deps[id].Seats)
		}
	}
	for _, ms := range in.Missions {
		ess, stay := 0, 0
		for _, per := range in.People {
			if per.Mission == ms.Code && per.Essential {
				ess++
				if !leaving[per.ID] {
					stay++
				}
			}
		}
		if stay < min(ms.MinStaff, ess) {
			return 0, fmt.Errorf("mission %s keeps %d essential, needs %d", ms.Code, stay, min(ms.MinStaff, ess))
		}
	}
	// Every household not assigned is listed once with a reason.
	out := map[string]bool{}
	for _, u := range p.Unassigned {
		if seen[u.Household] || out[u.Household] || members[u.Household] == nil || u.Reason == "" {
			return 0, fmt.Errorf("bad unassigned entry %+v", u)
		}
		out[u.Household] = true
	}
	if len(out)+len(seen) != len(members) {
		return 0, fmt.Errorf("%d assigned + %d unassigned households, want %d", len(seen), len(out), len(members))
	}
	return score, nil
}
