package registry

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
)

// AmendRequest amends a recorded event: the fields given replace the
// original's (At is a time or a date in the post's time zone); Reason is
// required.
type AmendRequest struct {
	At         string  `json:"at,omitempty"`
	Checkpoint string  `json:"checkpoint,omitempty"`
	Status     string  `json:"status,omitempty"`
	Note       *string `json:"note,omitempty"`
	Reason     string  `json:"reason"`
}

// VoidRequest voids a recorded event.
type VoidRequest struct {
	Reason string `json:"reason"`
}

// MaxBulk is the most people one bulk action records a checkpoint for:
// a departure's passengers.
const MaxBulk = 1000

// BulkResult is what a bulk action recorded: the action (to undo it),
// and each person's outcome in the order asked.
type BulkResult struct {
	Action  outpost.TrackAction   `json:"action"`
	Results []outpost.TrackResult `json:"results"`
	// Recorded and Flagged count the events recorded, and those among
	// them that cannot follow the person's status (to review).
	Recorded int `json:"recorded"`
	Flagged  int `json:"flagged"`
}

// EventID reads an event id from a path.
func EventID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 || len(s) > 19 {
		return 0, outpost.Errorf(outpost.ENOTFOUND, "no event %q", outpost.Clip(s))
	}
	return id, nil
}

// correctMissions are the missions whose people's events caller may
// correct, for the store to check again as it writes; nil for all.
func correctMissions(caller outpost.User) []string {
	if m, _ := caller.Restrict(outpost.CorrectPresence, ""); m != "" {
		return []string{m}
	}
	return nil
}

// correctable is the one check of who may correct event id: its person
// must be readable by the caller (another mission's event is not found,
// as one that does not exist), and the caller may correct presence in
// their mission.
func (s *Service) correctable(ctx context.Context, caller outpost.User, id int64) (outpost.Event, error) {
	notFound := outpost.Errorf(outpost.ENOTFOUND, "no event %d", id)
	if !caller.CanSome(outpost.ReadPeople) {
		return outpost.Event{}, notFound
	}
	ev, mission, err := s.store.Event(ctx, id)
	if outpost.ErrorCode(err) == outpost.ENOTFOUND {
		return outpost.Event{}, notFound
	}
	if err != nil {
		return outpost.Event{}, fmt.Errorf("read event %d: %w", id, err)
	}
	if !caller.Can(outpost.ReadPeople, mission) {
		return outpost.Event{}, notFound
	}
	if !caller.Can(outpost.CorrectPresence, mission) {
		return outpost.Event{}, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not correct presence events: a mission's manager does", caller.Role)
	}
	return ev, nil
}

// Amend replaces a recorded event by one with the fields asked, keeping
// the original voided with the reason; the caller must be a manager of
// the person's mission (or the admin).
func (s *Service) Amend(ctx context.Context, caller outpost.User, id int64, req AmendRequest) (outpost.Event, error) {
	if _, err := s.correctable(ctx, caller, id); err != nil {
		return outpost.Event{}, err
	}
	a := outpost.Amendment{Event: id, Checkpoint: outpost.Checkpoint(req.Checkpoint), Status: outpost.Status(req.Status),
		Note: req.Note, Reason: req.Reason, Missions: correctMissions(caller)}
	if req.At != "" {
		loc, err := censusservice.Location(ctx, s.store)
		if err != nil {
			return outpost.Event{}, fmt.Errorf("read location: %w", err)
		}
		at, err := outpost.ParseTime(req.At, loc)
		if err != nil {
			return outpost.Event{}, outpost.Errorf(outpost.EINVALID, "amendment: at %q: %v", outpost.Clip(req.At), err)
		}
		if msg := outpost.CheckEventTime(at, time.Time{}, s.Now()); msg != "" {
			return outpost.Event{}, outpost.Errorf(outpost.EINVALID, "amendment: at %q: %s", outpost.Clip(req.At), msg)
		}
		a.At = at
	}
	if err := a.Validate().Err("amendment"); err != nil {
		return outpost.Event{}, err
	}
	ev, err := s.store.AmendEvent(outpost.WithActor(ctx, caller.Name), a)
	if err != nil {
		return ev, fmt.Errorf("amend event %d: %w", id, err)
	}
	return ev, nil
}

// Void takes a recorded event out of the history with a reason; the
// event stays, marked voided. Same rights as Amend.
func (s *Service) Void(ctx context.Context, caller outpost.User, id int64, req VoidRequest) (outpost.CorrectedEvent, error) {
	if _, err := s.correctable(ctx, caller, id); err != nil {
		return outpost.CorrectedEvent{}, err
	}
	if msg := outpost.CheckReason(req.Reason); msg != "" {
		return outpost.CorrectedEvent{}, outpost.Errorf(outpost.EINVALID, "void: reason: %s", msg)
	}
	c, err := s.store.VoidEvent(outpost.WithActor(ctx, caller.Name), id, req.Reason, correctMissions(caller))
	if err != nil {
		return c, fmt.Errorf("void event %d: %w", id, err)
	}
	return c, nil
}

// TrackGroup records one checkpoint, now, for every person of people as
// one bulk action named what ("household H-12"), in one transaction; the
// caller must be able to track each of them, or nothing is recorded.
func (s *Service) TrackGroup(ctx context.Context, caller outpost.User, what string, people []string, checkpoint string) (BulkResult, error) {
	if err := MayTrack(caller); err != nil {
		return BulkResult{}, err
	}
	if len(people) == 0 {
		return BulkResult{}, outpost.Errorf(outpost.EINVALID, "nobody to record %s for", outpost.Clip(checkpoint))
	}
	if len(people) > MaxBulk {
		return BulkResult{}, outpost.Errorf(outpost.EINVALID, "%d people: one action records at most %d", len(people), MaxBulk)
	}
	now := s.Now().Truncate(time.Second)
	ts := make([]outpost.Track, 0, len(people))
	seen := map[string]bool{}
	for _, id := range people {
		if seen[id] {
			continue
		}
		seen[id] = true
		p, err := s.trackable(ctx, caller, id, checkpoint)
		if err != nil {
			return BulkResult{}, err
		}
		ts = append(ts, outpost.Track{Person: p.ID, Checkpoint: outpost.Checkpoint(checkpoint), At: now, Missions: trackMissions(caller)})
	}
	a, res, err := s.store.TrackAction(outpost.WithActor(ctx, caller.Name), outpost.TrackAction{Checkpoint: outpost.Checkpoint(checkpoint), What: what}, ts)
	if err != nil {
		return BulkResult{}, fmt.Errorf("record %s for %s: %w", checkpoint, what, err)
	}
	out := BulkResult{Action: a, Results: res}
	for _, r := range res {
		if r.Kind == "" {
			out.Recorded++
			if r.Event.Flag != "" {
				out.Flagged++
			}
		}
	}
	return out, nil
}

// Undo voids, with the reason "undone", the events of a bulk action that
// still stand, of the people the caller may record checkpoints for;
// events corrected since are left and listed. The events of other
// missions' people are only counted (Undo.Others), never shown, and stay
// for those who may correct them to undo; the action is undone once none
// of its events stands. Anyone who may track none of its people finds no
// action.
func (s *Service) Undo(ctx context.Context, caller outpost.User, id int64) (outpost.Undo, error) {
	if !caller.CanSome(outpost.TrackPeople) {
		return outpost.Undo{}, outpost.Errorf(outpost.ENOTFOUND, "no action %d", id)
	}
	u, err := s.store.UndoAction(outpost.WithActor(ctx, caller.Name), id, trackMissions(caller))
	if err != nil {
		return u, fmt.Errorf("undo action %d: %w", id, err)
	}
	return u, nil
}

// MaxFlagged is the most flagged events a review listing shows.
const MaxFlagged = 500

// Flagged lists the events of mission's people ("" every mission the
// caller may see) recorded out of order, to be reviewed: amended, voided
// or left as they are.
func (s *Service) Flagged(ctx context.Context, caller outpost.User, mission string) ([]outpost.Event, error) {
	if !caller.CanSome(outpost.ReadPeople) {
		return nil, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) sees the aggregates of every mission, not people's records", caller.Role)
	}
	m, ok := caller.Restrict(outpost.ReadPeople, mission)
	if !ok {
		return []outpost.Event{}, nil
	}
	evs, err := s.store.FlaggedEvents(ctx, m, MaxFlagged)
	if err != nil {
		return nil, fmt.Errorf("list flagged events: %w", err)
	}
	return slices.Clip(evs), nil
}
