package evacuation

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// NextDeparture is a departure still to leave, with the counts of its
// tracking board in the newest saved plan that puts people on it.
type NextDeparture struct {
	DepartureInfo
	// Plan is that plan, 0 when no saved plan puts anyone on it (Board
	// is then empty).
	Plan int64
	// Board has the counts only: its People are left out, as the
	// dashboard shows no names of them.
	Board Board
}

// plansLooked bounds the saved plans read to find the one of each
// departure: the newest few are those a mission works from.
const plansLooked = 3

// NextDepartures lists at most n departures leaving after at, the soonest
// first, each with its board counts at at in the newest of the last
// plansLooked saved plans that puts people on it. The counts are
// aggregates every reader of plans may see; the board's rows are left
// out.
func (s *Service) NextDepartures(ctx context.Context, caller outpost.User, at time.Time, n int) ([]NextDeparture, error) {
	deps, err := s.Departures(ctx, caller)
	if err != nil {
		return nil, err
	}
	var next []DepartureInfo
	for _, d := range deps {
		if d.Departs.After(at) {
			next = append(next, d)
		}
	}
	sort.SliceStable(next, func(i, j int) bool { return next[i].Departs.Before(next[j].Departs) })
	if len(next) > n {
		next = next[:n]
	}
	out := make([]NextDeparture, 0, len(next))
	if len(next) == 0 {
		return out, nil
	}
	loc, err := s.zone(ctx)
	if err != nil {
		return nil, err
	}
	plans, err := s.store.Plans(ctx)
	if err != nil {
		return nil, fmt.Errorf("read plans: %w", err)
	}
	var docs []outpost.PlanDoc
	for _, p := range plans[:min(len(plans), plansLooked)] {
		doc, err := s.plans.get(ctx, s.store, p)
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
	for _, d := range next {
		nd := NextDeparture{DepartureInfo: d}
		for _, doc := range docs {
			if !carries(doc, d.ID) {
				continue
			}
			m, err := manifestOf(ctx, s.store, loc, doc, d.ID)
			if err != nil {
				return nil, err
			}
			b, err := boardOf(ctx, s.store, loc, doc, m, at)
			if err != nil {
				return nil, err
			}
			b.People = []BoardRow{}
			nd.Plan, nd.Board = doc.Plan, b
			break
		}
		out = append(out, nd)
	}
	return out, nil
}

// carries reports whether the plan puts anyone on the departure.
func carries(doc outpost.PlanDoc, departure string) bool {
	for _, a := range doc.Assignments {
		if a.Departure == departure && len(a.People) > 0 {
			return true
		}
	}
	return false
}

// planCache keeps the last plansLooked saved plans read, so that a
// dashboard does not decode a plan of a hundred thousand people on every
// request. A saved plan never changes; an entry is still checked against
// the plan's creation time, so a database restored under the server
// cannot serve another plan of the same id.
type planCache struct {
	mu   sync.Mutex
	docs []outpost.PlanDoc
}

func (c *planCache) get(ctx context.Context, s Store, p outpost.PlanSummary) (outpost.PlanDoc, error) {
	c.mu.Lock()
	for _, d := range c.docs {
		if d.Plan == p.ID && d.CreatedAt.Equal(p.CreatedAt) {
			c.mu.Unlock()
			return d, nil
		}
	}
	c.mu.Unlock()
	doc, err := s.Plan(ctx, p.ID)
	if err != nil {
		return doc, fmt.Errorf("read plan %d: %w", p.ID, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.docs = append(c.docs, doc)
	if len(c.docs) > plansLooked {
		c.docs = c.docs[len(c.docs)-plansLooked:]
	}
	return doc, nil
}
