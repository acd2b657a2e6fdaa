// Package evacuation is the evacuation capability: departures and the
// host country's restrictions, plans made by the pure planner
// (internal/evac) over the store's people, the plans as each user may see
// them, a departure's manifest and its tracking board. The JSON API, the
// web UI and the command line all call its Service, so who may plan, read
// a manifest or see a passport is decided here, once.
package evacuation

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/evac"
	"github.com/outpost-org/outpost/internal/outpost"
)

// The actions of evacuation planning. Reading a person's name on a plan,
// a manifest or a board needs outpost.ReadPeople for their mission, a
// passport outpost.ReadPassports, and recording a checkpoint
// outpost.TrackPeople.
var (
	// ReadEvacuation is reading departures, restrictions and the
	// aggregates of saved plans: how many people of each mission leave on
	// each departure, never who.
	ReadEvacuation = outpost.Action{Name: "read departures, restrictions and plans", Scope: outpost.ScopeCorps,
		Roles: []outpost.Role{outpost.RoleCoordinator, outpost.RoleManager, outpost.RoleStaff, outpost.RolePress}}
	// MakePlans is running the planner and saving its plan. A plan covers
	// every mission, so a manager makes it for the whole corps.
	MakePlans = outpost.Action{Name: "make evacuation plans", Scope: outpost.ScopeCorps,
		Roles: []outpost.Role{outpost.RoleManager}}
	// ReadManifests is downloading a departure's passenger list; the rows
	// of other missions carry no personal details.
	ReadManifests = outpost.Action{Name: "download manifests", Scope: outpost.ScopeMission,
		Roles: []outpost.Role{outpost.RoleManager, outpost.RoleStaff}}
)

// Input gathers the planner's input for a start date: everyone in the
// country at the start of that day in loc, the departures on or after it
// whose crossing is open, and every mission's minimum staff. An open
// medical case raises a person's level (urgent 3, priority 2, routine 1)
// when it is higher than the imported one. It also returns the departures
// that a border closure excludes, with the reason.
func Input(ctx context.Context, s Store, loc *time.Location, start outpost.Date) (evac.Input, []evac.Excluded, error) {
	startT := start.Start(loc)
	before := startT.Unix() - 1
	status := map[string]outpost.Status{}
	if err := s.Presence(ctx, func(p outpost.Presence) error {
		status[p.Person] = census.StatusAt(p.History, before)
		return nil
	}); err != nil {
		return evac.Input{}, nil, fmt.Errorf("read presence: %w", err)
	}
	people, err := s.People(ctx, outpost.PeopleFilter{})
	if err != nil {
		return evac.Input{}, nil, fmt.Errorf("read people: %w", err)
	}
	levels, err := s.MedicalLevels(ctx)
	if err != nil {
		return evac.Input{}, nil, fmt.Errorf("read medical levels: %w", err)
	}
	docs, err := s.AllExitDocuments(ctx)
	if err != nil {
		return evac.Input{}, nil, fmt.Errorf("read exit documents: %w", err)
	}
	required, err := PermitsRequired(ctx, s)
	if err != nil {
		return evac.Input{}, nil, err
	}
	in := evac.Input{Start: startT, PermitsRequired: required}
	for _, p := range people {
		if status[p.ID] != outpost.InCountry {
			continue
		}
		in.People = append(in.People, evac.Person{ID: p.ID, Household: p.Household, Nationality: p.Nationality,
			Mission: p.Mission, Essential: p.Essential, Medical: max(p.Medical, levels[p.ID]),
			BirthDate: day(p.BirthDate, loc), Ready: day(p.Ready, loc), Docs: plannerDocs(docs[p.ID], p.Passport, loc)})
	}
	ms, err := s.Missions(ctx)
	if err != nil {
		return evac.Input{}, nil, fmt.Errorf("read missions: %w", err)
	}
	for _, m := range ms {
		in.Missions = append(in.Missions, evac.Mission{Code: m.Code, MinStaff: m.MinStaff})
	}
	all, closures, err := departuresAndClosures(ctx, s, loc)
	if err != nil {
		return evac.Input{}, nil, err
	}
	usable, excluded := evac.UsableDepartures(startT, all, closures)
	in.Departures = usable
	return in, excluded, nil
}

// day is the start of a date in loc, the zero time for no date.
func day(d outpost.Date, loc *time.Location) time.Time {
	if d == "" {
		return time.Time{}
	}
	return d.Start(loc)
}

// departuresAndClosures reads every departure as the planner sees it and
// the border closures among the restrictions.
func departuresAndClosures(ctx context.Context, s outpost.EvacStore, loc *time.Location) ([]evac.Departure, []evac.Closure, error) {
	deps, err := s.Departures(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("read departures: %w", err)
	}
	all := make([]evac.Departure, 0, len(deps))
	for _, d := range deps {
		all = append(all, evac.Departure{ID: d.ID, Date: d.Departs.In(loc), Seats: d.Seats, Crossing: d.Crossing, Eligible: d.Eligible})
	}
	rs, err := s.Restrictions(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("read restrictions: %w", err)
	}
	return all, Closures(rs, loc), nil
}

// Closures returns the border closures among the restrictions, as the
// planner reads them.
func Closures(rs []outpost.Restriction, loc *time.Location) []evac.Closure {
	var out []evac.Closure
	for _, r := range rs {
		if r.Kind == "border_closure" {
			out = append(out, evac.Closure{ID: r.ID, Crossing: r.Crossing, Starts: day(r.Starts, loc), Ends: day(r.Ends, loc)})
		}
	}
	return out
}

// ClosedOnTheDay maps each departure whose crossing a border closure
// closes on its own day to the reason ("crossing closed: R-12").
func ClosedOnTheDay(deps []outpost.Departure, rs []outpost.Restriction, loc *time.Location) map[string]string {
	all := make([]evac.Departure, 0, len(deps))
	for _, d := range deps {
		all = append(all, evac.Departure{ID: d.ID, Date: d.Departs.In(loc), Seats: d.Seats, Crossing: d.Crossing})
	}
	_, excluded := evac.UsableDepartures(time.Time{}, all, Closures(rs, loc))
	out := make(map[string]string, len(excluded))
	for _, x := range excluded {
		out[x.Departure] = x.Reason
	}
	return out
}

// anySeat refuses a plan with no seat to fill: a plan over no usable
// departure places nobody, scores 0 against a bound of 0, and saved it
// would pass for a plan.
func anySeat(start outpost.Date, usable []evac.Departure, excluded []evac.Excluded) error {
	seats := 0
	for _, d := range usable {
		seats += max(d.Seats, 0)
	}
	if seats > 0 {
		return nil
	}
	why := "no departure on or after that day"
	if len(usable) > 0 {
		why = fmt.Sprintf("none of the %d departures on or after that day has a seat", len(usable))
	}
	if len(excluded) > 0 {
		var closed []string
		for _, x := range excluded[:min(len(excluded), 5)] {
			closed = append(closed, x.Departure+" ("+x.Reason+")")
		}
		if len(excluded) > 5 {
			closed = append(closed, fmt.Sprintf("and %d more", len(excluded)-5))
		}
		why += fmt.Sprintf(" with an open crossing; %d closed: %s", len(excluded), strings.Join(closed, ", "))
	}
	return outpost.Errorf(outpost.EINVALID, "start %q: nothing to plan: %s; import departures for that window first", string(start), why)
}

// makePlan plans for a start date, saves the plan (audited as the
// context's actor) and returns it as saved.
func makePlan(ctx context.Context, s Store, loc *time.Location, start outpost.Date) (outpost.PlanDoc, error) {
	in, excluded, err := Input(ctx, s, loc, start)
	if err != nil {
		return outpost.PlanDoc{}, err
	}
	if err := anySeat(start, in.Departures, excluded); err != nil {
		return outpost.PlanDoc{}, err
	}
	p, err := evac.Solve(in, evac.Options{})
	if err != nil {
		return outpost.PlanDoc{}, outpost.Errorf(outpost.EINVALID, "cannot plan: %v", err)
	}
	doc := outpost.PlanDoc{Start: string(start), Score: p.Score, Bound: p.Bound,
		Assignments: []outpost.PlanAssignment{}, Staying: []outpost.PlanStaying{},
		Unassigned: []outpost.PlanUnassigned{}, ExcludedDepartures: []outpost.PlanExcluded{}}
	for _, x := range p.Assignments {
		doc.Assignments = append(doc.Assignments, outpost.PlanAssignment{Departure: x.Departure, Household: x.Household, People: x.People})
	}
	for _, x := range p.Staying {
		doc.Staying = append(doc.Staying, outpost.PlanStaying{Person: x.Person, Reason: x.Reason})
	}
	for _, x := range p.Unassigned {
		doc.Unassigned = append(doc.Unassigned, outpost.PlanUnassigned{Household: x.Household, Reason: x.Reason})
	}
	doc.LeftBehind = leftBehindDoc(p.LeftBehind)
	for _, x := range excluded {
		doc.ExcludedDepartures = append(doc.ExcludedDepartures, outpost.PlanExcluded{Departure: x.Departure, Reason: x.Reason})
	}
	v, err := s.SavePlan(ctx, doc)
	if err != nil {
		return v, fmt.Errorf("save plan: %w", err)
	}
	return v, nil
}

// manifest returns the passengers of one departure in a saved plan,
// ordered by household then person, every detail filled in: Redact cuts
// it down for its reader. A departure the plan puts nobody on is
// ENOTFOUND.
func manifest(ctx context.Context, s Store, loc *time.Location, planID int64, departure string) (outpost.Manifest, error) {
	doc, err := s.Plan(ctx, planID)
	if err != nil {
		return outpost.Manifest{}, fmt.Errorf("read plan %d: %w", planID, err)
	}
	return manifestOf(ctx, s, loc, doc, departure)
}

func manifestOf(ctx context.Context, s Store, loc *time.Location, doc outpost.PlanDoc, departure string) (outpost.Manifest, error) {
	dep, err := s.Departure(ctx, departure)
	if err != nil {
		return outpost.Manifest{}, fmt.Errorf("read departure %s: %w", departure, err)
	}
	levels, err := s.MedicalLevels(ctx)
	if err != nil {
		return outpost.Manifest{}, fmt.Errorf("read medical levels: %w", err)
	}
	docs, err := s.AllExitDocuments(ctx)
	if err != nil {
		return outpost.Manifest{}, fmt.Errorf("read exit documents: %w", err)
	}
	m := outpost.Manifest{Plan: doc.Plan, Departure: dep.ID, Route: dep.Route, Departs: dep.Departs.In(loc),
		Seats: dep.Seats, Crossing: dep.Crossing}
	found := false
	for _, x := range doc.Assignments {
		if x.Departure != departure {
			continue
		}
		found = true
		for _, id := range x.People {
			p, err := s.Person(ctx, id)
			if err != nil {
				return m, fmt.Errorf("read person %s: %w", id, err)
			}
			m.Passengers = append(m.Passengers, outpost.Passenger{Household: x.Household, ID: p.ID, Mission: p.Mission,
				FamilyName: p.FamilyName, GivenName: p.GivenName, Nationality: p.Nationality,
				BirthDate: string(p.BirthDate), Passport: p.Passport, Medical: max(p.Medical, levels[p.ID]),
				Sex: docs[p.ID].Sex, PassportExpiry: string(docs[p.ID].PassportExpiry), PermitNumber: docs[p.ID].PermitNumber})
		}
	}
	if !found {
		return m, outpost.Errorf(outpost.ENOTFOUND, "plan %d puts nobody on departure %s", doc.Plan, departure)
	}
	sort.SliceStable(m.Passengers, func(i, j int) bool {
		if m.Passengers[i].Household != m.Passengers[j].Household {
			return m.Passengers[i].Household < m.Passengers[j].Household
		}
		return m.Passengers[i].ID < m.Passengers[j].ID
	})
	return m, nil
}

// Redact cuts a manifest down to what u may read: every passenger keeps
// their row (so the list still counts the seats), but a passenger of a
// mission whose people u may not read keeps only household and id and is
// marked Withheld, and a passport shows only where u may read the
// passports of that mission.
func Redact(m outpost.Manifest, u outpost.User) outpost.Manifest {
	out := m
	out.Passengers = make([]outpost.Passenger, len(m.Passengers))
	for i, p := range m.Passengers {
		switch {
		case !u.Can(outpost.ReadPeople, p.Mission):
			p = outpost.Passenger{Household: p.Household, ID: p.ID, Mission: p.Mission, Withheld: true}
		case !u.Can(outpost.ReadPassports, p.Mission):
			p.Passport, p.PassportExpiry = "", ""
		}
		out.Passengers[i] = p
	}
	return out
}
