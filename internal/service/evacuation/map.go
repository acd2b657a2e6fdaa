package evacuation

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/outpost-org/outpost/internal/mapsvg"
	"github.com/outpost-org/outpost/internal/outpost"
)

// MapQuery asks for the evacuation map of a day.
type MapQuery struct {
	// On is the day the crossings' states are for; empty is today in the
	// post's zone.
	On outpost.Date
	// Plan is the plan whose routes are drawn; 0 takes the newest saved
	// plan that starts on or before On (none: no routes), NoMapPlan none.
	Plan int64
}

// NoMapPlan asks for a map without routes.
const NoMapPlan = -1

// Map returns the facts of the evacuation map for the caller: every
// crossing's state on the day and the routes of the plan's departures
// with the number of people on each. Counts are those the plan's page
// shows the caller (everyone who may read plans sees every count); a
// mission-bound caller also sees how many of their own mission's people
// travel on each route. A day that is not a date is EINVALID; a plan
// that is not there is NoPlan.
func (s *Service) Map(ctx context.Context, caller outpost.User, q MapQuery) (mapsvg.Map, error) {
	if err := MayRead(caller); err != nil {
		return mapsvg.Map{}, err
	}
	loc, err := s.zone(ctx)
	if err != nil {
		return mapsvg.Map{}, err
	}
	day := s.today(ctx, loc)
	if q.On != "" {
		if day, err = outpost.ParseDate(string(q.On)); err != nil {
			return mapsvg.Map{}, outpost.Errorf(outpost.EINVALID, "on %q: %v", string(q.On), err)
		}
	}
	rs, err := s.store.Restrictions(ctx)
	if err != nil {
		return mapsvg.Map{}, fmt.Errorf("map: read restrictions: %w", err)
	}
	deps, err := s.store.Departures(ctx)
	if err != nil {
		return mapsvg.Map{}, fmt.Errorf("map: read departures: %w", err)
	}
	in := mapsvg.Input{On: day, Restrictions: rs}
	for _, d := range deps {
		in.Crossings = append(in.Crossings, d.Crossing)
	}
	plan := q.Plan
	if plan == 0 {
		if plan, err = s.newestPlanBy(ctx, day); err != nil {
			return mapsvg.Map{}, err
		}
	}
	if plan > 0 {
		if in.Plan, in.Mission, in.Departures, err = s.routes(ctx, caller, plan, deps, loc); err != nil {
			return mapsvg.Map{}, err
		}
	}
	m, err := mapsvg.Build(in)
	if err != nil {
		return mapsvg.Map{}, fmt.Errorf("map: %w", err)
	}
	return m, nil
}

// routes are the departures of a saved plan with the number of people on
// each, and of the caller's own mission when the plan's page names that
// mission's people to them (namedFor): the counts of the plan's page,
// from the saved plan and the mission's people alone, without the page's
// reading of everyone's records and presence (the map is on every
// dashboard).
func (s *Service) routes(ctx context.Context, caller outpost.User, plan int64, deps []outpost.Departure, loc *time.Location) (int64, string, []mapsvg.Departure, error) {
	doc, err := s.savedPlan(ctx, plan)
	if err != nil {
		return 0, "", nil, err
	}
	own := map[string]bool{}
	named, mission := namedFor(caller)
	if named == "mission" {
		people, err := s.store.People(ctx, outpost.PeopleFilter{Mission: mission})
		if err != nil {
			return 0, "", nil, fmt.Errorf("map: read the people of %s: %w", mission, err)
		}
		for _, p := range people {
			own[p.ID] = true
		}
	} else {
		mission = ""
	}
	byID := make(map[string]outpost.Departure, len(deps))
	for _, d := range deps {
		byID[d.ID] = d
	}
	index := map[string]int{}
	var out []mapsvg.Departure
	for _, a := range doc.Assignments {
		i, ok := index[a.Departure]
		if !ok {
			d := byID[a.Departure]
			i = len(out)
			index[a.Departure] = i
			out = append(out, mapsvg.Departure{ID: a.Departure, Route: d.Route, Crossing: d.Crossing, Departs: d.Departs.In(loc)})
		}
		out[i].People += len(a.People)
		for _, id := range a.People {
			if own[id] {
				out[i].Own++
			}
		}
	}
	// In the plan page's order: by departure time, then id.
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Departs.Equal(out[j].Departs) {
			return out[i].Departs.Before(out[j].Departs)
		}
		return out[i].ID < out[j].ID
	})
	return doc.Plan, mission, out, nil
}

// newestPlanBy is the newest saved plan that starts on or before day, 0
// for none.
func (s *Service) newestPlanBy(ctx context.Context, day outpost.Date) (int64, error) {
	plans, err := s.store.Plans(ctx)
	if err != nil {
		return 0, fmt.Errorf("map: read plans: %w", err)
	}
	var best outpost.PlanSummary
	for _, p := range plans {
		if outpost.Date(p.Start) > day {
			continue
		}
		if best.ID == 0 || p.CreatedAt.After(best.CreatedAt) || (p.CreatedAt.Equal(best.CreatedAt) && p.ID > best.ID) {
			best = p
		}
	}
	return best.ID, nil
}

// MapPlanID reads the ?plan= of a map request: empty is 0 (the newest
// plan), "none" is NoMapPlan, anything else must be a plan's id.
func MapPlanID(text string) (int64, error) {
	switch text {
	case "":
		return 0, nil
	case "none":
		return NoMapPlan, nil
	}
	id, err := strconv.ParseInt(text, 10, 64)
	if err != nil || id <= 0 {
		return 0, outpost.Errorf(outpost.EINVALID, "plan %q: want a plan's number or none", text)
	}
	return id, nil
}
