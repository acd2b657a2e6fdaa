package evacuation

import (
	"context"
	"fmt"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// Board is the tracking board of one departure in a saved plan: where
// each manifested passenger is now, by their last checkpoint. A checkpoint
// is a fact about the person, not about the plan open: every plan that
// puts someone on a departure shows them at the same checkpoint.
type Board struct {
	Plan      int64     `json:"plan"`
	Departure string    `json:"departure"`
	Route     string    `json:"route"`
	Departs   time.Time `json:"departs"`
	Seats     int       `json:"seats"`
	Crossing  string    `json:"crossing,omitempty"`
	// Counts counts every passenger by their last checkpoint
	// ("manifested" for none yet), plus "unaccounted".
	Counts map[string]int `json:"counts"`
	// Total is the number of passengers.
	Total int `json:"total"`
	// People are the rows, ordered by household then person; a board cut
	// down with ForUser keeps only the rows the user may read.
	People []BoardRow `json:"people"`
	// Hidden counts the rows left out by ForUser (they stay in Counts).
	Hidden int `json:"hidden"`
}

// BoardRow is one manifested passenger on the tracking board.
type BoardRow struct {
	Person    string `json:"person"`
	Household string `json:"household"`
	Mission   string `json:"mission"`
	Name      string `json:"name"`
	// Checkpoint is the person's last checkpoint up to now, "manifested"
	// when there is none or a later status event has superseded it.
	Checkpoint string    `json:"checkpoint"`
	At         time.Time `json:"at,omitempty"`
	Status     string    `json:"status"`
	// Unaccounted is true when the departure has left but the person has
	// no departed, crossed or arrived checkpoint.
	Unaccounted bool `json:"unaccounted"`
}

// BoardStages are the keys of Board.Counts in the order of a journey.
var BoardStages = []string{"manifested", "assembled", "departed", "crossed", "arrived", "returned", "unaccounted"}

// newBoard builds the tracking board of a departure in a saved plan at
// the moment now: events after now are not counted yet.
func newBoard(ctx context.Context, s Store, loc *time.Location, planID int64, departure string, now time.Time) (Board, error) {
	doc, err := s.Plan(ctx, planID)
	if err != nil {
		return Board{}, fmt.Errorf("read plan %d: %w", planID, err)
	}
	m, err := manifestOf(ctx, s, loc, doc, departure)
	if err != nil {
		return Board{}, err
	}
	return boardOf(ctx, s, loc, doc, m, now)
}

func boardOf(ctx context.Context, s outpost.RegistryStore, loc *time.Location, doc outpost.PlanDoc, m outpost.Manifest, now time.Time) (Board, error) {
	b := Board{Plan: doc.Plan, Departure: m.Departure, Route: m.Route, Departs: m.Departs, Seats: m.Seats,
		Crossing: m.Crossing, Counts: map[string]int{}, People: []BoardRow{}}
	for _, p := range m.Passengers {
		r := BoardRow{Person: p.ID, Household: p.Household, Mission: p.Mission, Name: p.GivenName + " " + p.FamilyName, Checkpoint: "manifested"}
		evs, err := s.Events(ctx, p.ID)
		if err != nil {
			return b, fmt.Errorf("read events of %s: %w", p.ID, err)
		}
		for _, e := range evs {
			if e.At.After(now) {
				break // not yet: a checkpoint recorded ahead of time
			}
			r.Status = string(e.Status)
			if e.Checkpoint != "" {
				r.Checkpoint, r.At = string(e.Checkpoint), e.At.In(loc)
			} else if !consistent(outpost.Checkpoint(r.Checkpoint), e.Status) {
				// The registry has since set a status this checkpoint
				// cannot be in (back in the country after an arrival):
				// that journey is over, a new one has not begun.
				r.Checkpoint, r.At = "manifested", time.Time{}
			}
		}
		gone := r.Checkpoint == "departed" || r.Checkpoint == "crossed" || r.Checkpoint == "arrived"
		r.Unaccounted = now.After(m.Departs) && !gone
		b.Counts[r.Checkpoint]++
		if r.Unaccounted {
			b.Counts["unaccounted"]++
		}
		b.People = append(b.People, r)
	}
	b.Total = len(b.People)
	return b, nil
}

// consistent reports whether a person at checkpoint c may have status st:
// departed means in transit, crossed and arrived mean left, assembled and
// returned mean in the country. No checkpoint is consistent with any
// status.
func consistent(c outpost.Checkpoint, st outpost.Status) bool {
	if c == "" || c == "manifested" {
		return true
	}
	after, ok := c.StatusAfter()
	if !ok {
		after = outpost.InCountry
	}
	return after == st
}

// ForUser returns the board as u may see it: every count, but only the
// rows of people whose records u may read.
func (b Board) ForUser(u outpost.User) Board {
	out := b
	out.People = []BoardRow{}
	out.Hidden = 0
	for _, r := range b.People {
		if u.Can(outpost.ReadPeople, r.Mission) {
			out.People = append(out.People, r)
		} else {
			out.Hidden++
		}
	}
	return out
}

// HasPassenger reports whether person is a passenger on the board.
func (b Board) HasPassenger(person string) bool {
	for _, r := range b.People {
		if r.Person == person {
			return true
		}
	}
	return false
}
