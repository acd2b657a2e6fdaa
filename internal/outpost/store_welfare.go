package outpost

import (
	"context"
	"time"
)

// WelfareStore keeps the roll calls, check-ins and medical cases.
type WelfareStore interface {
	// StartRollCall opens a roll call over everyone in the country now (or
	// one mission's people) and returns it with its id and expected count.
	StartRollCall(ctx context.Context, rc RollCall) (RollCall, error)
	// RollCall returns one roll call, or ENOTFOUND.
	RollCall(ctx context.Context, id int64) (RollCall, error)
	// RollCalls lists roll calls, newest first; mission "" lists all.
	RollCalls(ctx context.Context, mission string) ([]RollCall, error)
	// CloseRollCall freezes a roll call: it takes no more answers.
	CloseRollCall(ctx context.Context, id int64) (RollCall, error)
	// ReopenRollCall opens a closed roll call again (ECONFLICT when it is
	// open); its answers and its escalation stay as they were.
	ReopenRollCall(ctx context.Context, id int64) (RollCall, error)
	// CheckIn records answers in one transaction; a later answer of the
	// same person replaces the earlier one. It returns one error per
	// answer (nil where recorded): an unknown roll call or person, a person
	// outside the scope, or a closed roll call.
	CheckIn(ctx context.Context, answers []Checkin) ([]error, error)
	// RollCallReport counts the answers.
	RollCallReport(ctx context.Context, id int64) (RollCallReport, error)
	// RollCallScope lists the people a roll call expects with their answers.
	RollCallScope(ctx context.Context, id int64) ([]ScopeEntry, error)
	// DueEscalations lists open roll calls whose escalation time has come
	// and that were not escalated yet.
	DueEscalations(ctx context.Context, now time.Time) ([]RollCall, error)
	// MarkEscalated records that a roll call's non-responders were
	// escalated.
	MarkEscalated(ctx context.Context, id int64, at time.Time) error
	// ClaimEscalation claims the sending of a roll call's escalation
	// until now+hold: true for one caller at a time (of several servers on
	// the database, the one that sends), false when the roll call was
	// escalated already or another holds the claim. A claim ends with
	// MarkEscalated, ReleaseEscalation or the end of its hold.
	ClaimEscalation(ctx context.Context, id int64, now time.Time, hold time.Duration) (bool, error)
	// ReleaseEscalation gives up a claim, so that the next attempt, by
	// any server, may send.
	ReleaseEscalation(ctx context.Context, id int64) error

	// OpenCase opens a medical case for a person.
	OpenCase(ctx context.Context, c MedicalCase) (MedicalCase, error)
	// UpdateCase changes an open case's precedence or need.
	UpdateCase(ctx context.Context, id int64, u CaseUpdate) (MedicalCase, error)
	// CloseCase closes a case.
	CloseCase(ctx context.Context, id int64) (MedicalCase, error)
	// Case returns one case, or ENOTFOUND.
	Case(ctx context.Context, id int64) (MedicalCase, error)
	// Cases lists cases, most urgent and oldest first.
	Cases(ctx context.Context, f CaseFilter) ([]MedicalCase, error)
	// MedicalLevels returns, for each person with an open case, the level
	// of their most urgent open case.
	MedicalLevels(ctx context.Context) (map[string]int, error)
}
