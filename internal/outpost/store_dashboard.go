package outpost

import (
	"context"
	"time"
)

// DashboardStore keeps what the dashboard needs besides the other
// capabilities' records: each user's visits, and the last day each
// mission's stock ledger has an entry.
type DashboardStore interface {
	// Visit records that user opened the dashboard at now and answers
	// the moment from which the changes since their previous visit are
	// listed: a visit that comes more than gap after the one before
	// begins a new one and moves that moment on; one within gap keeps it,
	// so reloading the page does not empty the list. The zero time means
	// the user had never opened it. Visits are not audited.
	Visit(ctx context.Context, user string, now time.Time, gap time.Duration) (time.Time, error)
	// LastStockEntries answers, for each mission with a receipt or an
	// issue dated on or before asOf, the date of its latest one.
	LastStockEntries(ctx context.Context, asOf Date) (map[string]Date, error)
	// OpenRollCalls lists the open roll calls of mission and those over
	// everyone (mission "": every one), newest first, without counting
	// the people they expect (Expected is 0), and answers when the newest
	// roll call of that listing, open or closed, started (zero: none).
	OpenRollCalls(ctx context.Context, mission string) ([]RollCall, time.Time, error)
	// RollCallTally counts a roll call's answers by mission in the
	// database (and, with expected, the people it expects by mission),
	// and lists, by person id, at most names of those who asked for help
	// and of those who have not answered, of mission only ("" every
	// mission's; names 0 lists nobody): the dashboard's view of an open
	// roll call without reading everyone it expects. Counting the
	// answers reads the answers only; counting the expected reads the
	// scope, which never changes once the roll call has started, so that
	// its caller keeps it.
	RollCallTally(ctx context.Context, id int64, mission string, names int, expected bool) (RollCallTally, error)
}

// RollCallTally is a roll call's counts by mission and the first people
// who asked for help and who have not answered.
type RollCallTally struct {
	// Expected counts the people expected by mission; nil unless asked.
	Expected map[string]int
	// Answered counts the answers by mission: Safe and NeedHelp only.
	Answered             []RollCallByMission
	NeedHelp, NoResponse []ScopeEntry
}
