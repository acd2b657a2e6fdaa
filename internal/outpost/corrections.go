package outpost

import (
	"context"
	"slices"
	"strings"
	"time"
)

// CorrectPresence is amending or voiding a recorded presence event of a
// mission's people: the manager of the mission (and the admin) may; staff
// record checkpoints but do not rewrite them.
var CorrectPresence = Action{"correct presence events", ScopeMission, []Role{RoleManager}}

// MaxReason is the longest reason for a correction, in characters.
const MaxReason = 500

// The kinds of correction of an event.
const (
	Amended = "amended"
	Voided  = "voided"
)

// UndoneReason is the reason of the events an undone bulk action voided.
const UndoneReason = "undone"

// CorrectedEvent is a presence event taken out of a person's history by a
// correction, kept as it was recorded: voided, or amended and replaced by
// the event ReplacedBy. It no longer counts anywhere.
type CorrectedEvent struct {
	Event
	Correction string    `json:"correction"`
	By         string    `json:"by"`
	On         time.Time `json:"on"`
	Reason     string    `json:"reason"`
	ReplacedBy int64     `json:"replaced_by,omitempty"`
}

// History is a person's presence history: the events that count, in
// time order (the registration among them, with id 0), and the events
// corrections took out, in the order they were recorded.
type History struct {
	Events    []Event          `json:"events"`
	Corrected []CorrectedEvent `json:"corrected"`
}

// Amendment replaces a recorded event by one with the fields given
// (zero fields keep the original's): the original stays, voided, with
// Reason.
type Amendment struct {
	Event      int64
	At         time.Time
	Checkpoint Checkpoint
	// Status is for an event without a checkpoint (an imported status).
	Status Status
	// Note, when set, replaces the note.
	Note   *string
	Reason string
	// Missions, when not nil, are the missions the caller may correct
	// the people of: the store answers not found for another's event.
	Missions []string
}

// Validate checks the amendment's own fields.
func (a *Amendment) Validate() Problems {
	var p Problems
	checkReason(&p, a.Reason)
	if a.Checkpoint != "" && !slices.Contains(Checkpoints, string(a.Checkpoint)) {
		p.Add("checkpoint", clip(string(a.Checkpoint)), "must be one of "+oneOf(Checkpoints))
	}
	if a.Status != "" && !slices.Contains(Statuses, string(a.Status)) {
		p.Add("status", clip(string(a.Status)), "must be one of "+oneOf(Statuses))
	}
	if a.Checkpoint != "" && a.Status != "" {
		p.Add("status", string(a.Status), "is set by the checkpoint; give one of them")
	}
	if !a.At.IsZero() {
		if msg := CheckEventTime(a.At, time.Time{}, time.Time{}); msg != "" {
			p.Add("at", a.At.Format(time.RFC3339), msg)
		}
	}
	if a.Note != nil {
		if msg := CheckText(*a.Note, MaxNote); msg != "" {
			p.Add("note", "", msg)
		}
	}
	if a.At.IsZero() && a.Checkpoint == "" && a.Status == "" && a.Note == nil {
		p.Add("at", "", "give at least one of at, checkpoint, status or note to change")
	}
	return p
}

// checkReason requires a reason of 1 to MaxReason characters on one line.
func checkReason(p *Problems, reason string) {
	if strings.TrimSpace(reason) == "" {
		p.Add("reason", "", "is required: say why the event is corrected")
		return
	}
	if msg := CheckLine(reason, MaxReason); msg != "" {
		p.Add("reason", clip(reason), msg)
	}
}

// CheckReason says what is wrong with a correction's reason, "" if
// nothing.
func CheckReason(reason string) string {
	var p Problems
	checkReason(&p, reason)
	if len(p) == 0 {
		return ""
	}
	return p[0].Message
}

// TrackAction is a bulk action: one checkpoint recorded for several
// people at once (a household, a departure's passengers), which can be
// undone once.
type TrackAction struct {
	ID         int64      `json:"id"`
	At         time.Time  `json:"at"`
	Actor      string     `json:"actor"`
	Checkpoint Checkpoint `json:"checkpoint"`
	// What names the group, "household H-12" or "departure BUS-1".
	What     string     `json:"what"`
	UndoneAt *time.Time `json:"undone_at,omitempty"`
	UndoneBy string     `json:"undone_by,omitempty"`
}

// Undo is what undoing a bulk action did: the events it voided, and
// those it left with why. An action is undone per event: a caller voids
// the events of the people they may correct; those of other missions'
// people are only counted (never shown) and stay undoable by those who
// may correct them. Action.UndoneAt is set once none of its events
// stands.
type Undo struct {
	Action  TrackAction `json:"action"`
	Voided  []Event     `json:"voided"`
	Skipped []Skipped   `json:"skipped"`
	// Others counts the events of the action, still standing, of people
	// the caller may not correct: left for their missions to undo.
	Others int `json:"others"`
}

// Skipped is an event an undo could not void, and why.
type Skipped struct {
	Event  Event  `json:"event"`
	Reason string `json:"reason"`
}

// CorrectionStore amends and voids presence events, and records and
// undoes bulk actions. Each write is one transaction whose audit entries
// (entity "person") keep both versions.
type CorrectionStore interface {
	// Event returns one recorded event by id (live or corrected) with
	// its person's mission, or ENOTFOUND.
	Event(ctx context.Context, id int64) (Event, string, error)
	// History returns a person's events and the corrected ones.
	History(ctx context.Context, person string) (History, error)
	// AmendEvent voids an event and records its replacement.
	AmendEvent(ctx context.Context, a Amendment) (Event, error)
	// VoidEvent voids an event with a reason.
	VoidEvent(ctx context.Context, id int64, reason string, missions []string) (CorrectedEvent, error)
	// TrackAction records ts as one bulk action, in one transaction.
	TrackAction(ctx context.Context, a TrackAction, ts []Track) (TrackAction, []TrackResult, error)
	// UndoAction voids the events of a bulk action still standing that
	// the caller may correct (people of missions, nil every mission).
	UndoAction(ctx context.Context, id int64, missions []string) (Undo, error)
	// FlaggedEvents lists the events of a mission's people ("" every
	// mission) that cannot follow the status before them, at most limit.
	FlaggedEvents(ctx context.Context, mission string, limit int) ([]Event, error)
}

// OrderFlag says why a checkpoint c cannot follow the status before it,
// "" when it can: crossed or arrived while in the country (no departed
// between), departed while already left, returned while in the country.
func OrderFlag(before Status, c Checkpoint) string {
	switch {
	case (c == Crossed || c == Arrived) && before == InCountry:
		return string(c) + " while in the country, with no departed before it"
	case c == Departed && before == Left:
		return "departed while already left"
	case c == Returned && before == InCountry:
		return "returned while in the country"
	}
	return ""
}

// FlagOrder sets the Flag of each event of a history in time order (the
// registration among them) that cannot follow the status before it.
func FlagOrder(evs []Event) {
	var before Status
	for i := range evs {
		evs[i].Flag = ""
		if before != "" && evs[i].Checkpoint != "" {
			evs[i].Flag = OrderFlag(before, evs[i].Checkpoint)
		}
		before = evs[i].Status
	}
}
