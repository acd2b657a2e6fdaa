package outpost

import (
	"context"
	"slices"
	"time"
)

// MissionStatusChange is one entry of a mission's status history: the
// status the mission took at Since. The entry whose Since is the zero
// time is the status the mission had from the beginning; every mission
// has one, and a mission's status at a moment is that of its latest entry
// at or before it.
type MissionStatusChange struct {
	ID      int64         `json:"id"`
	Mission string        `json:"mission"`
	Status  MissionStatus `json:"status"`
	// Since is when the status took effect; zero for "from the beginning".
	Since time.Time `json:"since,omitzero"`
	Note  string    `json:"note,omitempty"`
	// Actor is who recorded it, Recorded when.
	Actor    string    `json:"actor,omitempty"`
	Recorded time.Time `json:"recorded,omitzero"`
}

// SetMissionStatus is recording a change of a mission's status: the
// mission's own manager for their mission; the coordinator and the admin
// for any mission (see CanSetMissionStatus).
var SetMissionStatus = Action{"record a mission's status", ScopeMission, []Role{RoleManager}}

// CanSetMissionStatus reports whether u may record a status change of
// mission. The coordinator, who never reads a mission's records, may: a
// mission's status is a corps-level fact the coordinator keeps (which
// embassies are closed), not a record of its people.
func (u User) CanSetMissionStatus(mission string) bool {
	return u.Role == RoleCoordinator || u.Can(SetMissionStatus, mission)
}

// MissionStatusStore is the part of a Store that keeps missions' status
// histories. internal/store is one.
type MissionStatusStore interface {
	// MissionHistory returns the status history of one mission (every
	// mission when code is ""), ordered by mission and Since.
	MissionHistory(ctx context.Context, code string) ([]MissionStatusChange, error)
	// SetMissionStatus records that the mission took the status at since
	// (replacing an entry at the same moment), audited, and returns the
	// mission as it is now.
	SetMissionStatus(ctx context.Context, c MissionStatusChange) (Mission, error)
}

// Validate checks a status change as it is asked for: a known status, a
// date in the domain window, a note within bounds.
func (c MissionStatusChange) Validate() Problems {
	var p Problems
	if !slices.Contains(MissionStatuses, string(c.Status)) {
		p.Add("status", string(c.Status), "must be one of open, reduced, suspended, closed")
	}
	if c.Since.IsZero() {
		p.Add("since", "", "is required")
	} else if !TimeInWindow(c.Since) {
		p.Add("since", c.Since.Format(time.RFC3339), "must lie between "+string(FirstDate)+" and "+string(LastDate))
	}
	p.Text("note", c.Note, MaxNote)
	return p
}

// MissionStatusAt returns the status in effect at t in a history ordered
// by Since (one mission's), and "" when there is none.
func MissionStatusAt(history []MissionStatusChange, t time.Time) MissionStatus {
	for i := len(history) - 1; i >= 0; i-- {
		if !history[i].Since.After(t) {
			return history[i].Status
		}
	}
	return ""
}
