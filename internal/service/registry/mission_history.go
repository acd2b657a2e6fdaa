package registry

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
)

// StatusChangeRequest asks to record a mission's status from a date or
// time (a bare date: from the start of that day in the post's time
// zone), with a note.
type StatusChangeRequest struct {
	Status string `json:"status"`
	Since  string `json:"since"`
	Note   string `json:"note,omitempty"`
}

func (s *Service) historyStore() (outpost.MissionStatusStore, error) {
	hs, ok := s.store.(outpost.MissionStatusStore)
	if !ok {
		return nil, outpost.Errorf(outpost.EINTERNAL, "this store keeps no mission history")
	}
	return hs, nil
}

// MissionHistory returns a mission's status history, oldest first, for a
// caller who may read the missions; an unknown mission is not found.
func (s *Service) MissionHistory(ctx context.Context, caller outpost.User, code string) ([]outpost.MissionStatusChange, error) {
	if err := MayReadMissions(caller); err != nil {
		return nil, err
	}
	if _, err := s.store.Mission(ctx, code); err != nil {
		return nil, err
	}
	hs, err := s.historyStore()
	if err != nil {
		return nil, err
	}
	h, err := hs.MissionHistory(ctx, code)
	if err != nil {
		return nil, fmt.Errorf("read the history of mission %s: %w", code, err)
	}
	return h, nil
}

// SetMissionStatus records a change of a mission's status, for a caller
// who may (outpost.User.CanSetMissionStatus: the admin, the coordinator,
// the mission's own manager). To anyone else a mission they may not
// change answers as not found when they may not read it, forbidden when
// they may. The date is bounded as every date is (outpost.FirstDate to
// outpost.LastDate, and at most a day after the clock: a status is
// recorded when it happens, not planned).
func (s *Service) SetMissionStatus(ctx context.Context, caller outpost.User, code string, req StatusChangeRequest) (outpost.Mission, error) {
	if !caller.CanSetMissionStatus(code) {
		if MayReadMissions(caller) != nil {
			return outpost.Mission{}, outpost.Errorf(outpost.ENOTFOUND, "no mission %q", code)
		}
		return outpost.Mission{}, outpost.Errorf(outpost.EFORBIDDEN, "your role may not change the status of mission %s", code)
	}
	loc, err := censusservice.Location(ctx, s.store)
	if err != nil {
		return outpost.Mission{}, fmt.Errorf("read location: %w", err)
	}
	since, err := parseSince(strings.TrimSpace(req.Since), loc)
	if err != nil {
		return outpost.Mission{}, err
	}
	if since.After(s.Now().Add(outpost.MaxFuture)) {
		return outpost.Mission{}, outpost.Errorf(outpost.EINVALID, "since %q: is more than a day in the future", req.Since)
	}
	hs, err := s.historyStore()
	if err != nil {
		return outpost.Mission{}, err
	}
	return hs.SetMissionStatus(outpost.WithActor(ctx, caller.Name), outpost.MissionStatusChange{
		Mission: code, Status: outpost.MissionStatus(strings.TrimSpace(req.Status)), Since: since, Note: strings.TrimSpace(req.Note)})
}

// parseSince reads a status change's date (its start in loc) or time.
func parseSince(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, outpost.Errorf(outpost.EINVALID, "since: is required (a date, YYYY-MM-DD)")
	}
	if len(s) == len("2006-01-02") {
		d, err := outpost.ParseDate(s)
		if err != nil {
			return time.Time{}, outpost.Errorf(outpost.EINVALID, "since %q: %v", s, err)
		}
		return d.Start(loc), nil
	}
	t, err := outpost.ParseTime(s, loc)
	if err != nil {
		return time.Time{}, outpost.Errorf(outpost.EINVALID, "since %q: %v", s, err)
	}
	return t, nil
}
