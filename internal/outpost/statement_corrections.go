package outpost

import (
	"context"
	"strings"
	"time"
)

// StatementCorrectionStore corrects and withdraws published statements.
// A statement stays published either way: its address and its feed
// entry's id do not change, and it stays listed.
type StatementCorrectionStore interface {
	// CorrectStatement replaces the title and body of a published
	// statement that is not withdrawn, with a note saying what changed;
	// the text it replaces is kept as a StatementVersion. ENOTFOUND when
	// there is none, ECONFLICT when it is not published or is withdrawn.
	CorrectStatement(ctx context.Context, id int64, c StatementCorrection) (Statement, error)
	// WithdrawStatement withdraws a published statement with a reason;
	// ECONFLICT when it is not published or already withdrawn.
	WithdrawStatement(ctx context.Context, id int64, reason string) (Statement, error)
	// StatementVersions lists the texts a statement had before its
	// corrections, oldest first (none for a statement never corrected).
	StatementVersions(ctx context.Context, id int64) ([]StatementVersion, error)
}

// StatementCorrection is a new text for a published statement and the
// note the public reads with it ("The date of the flight was wrong").
type StatementCorrection struct {
	Title string `json:"title"`
	Body  string `json:"body"`
	Note  string `json:"note"`
}

// StatementVersion is a text a published statement had before a
// correction replaced it.
type StatementVersion struct {
	Version int    `json:"version"`
	Title   string `json:"title"`
	Body    string `json:"body"`
	// Note is the correction note this text was published with ("" for
	// the text as first published).
	Note string `json:"note,omitempty"`
	// Since is when this text was published, Replaced when the next
	// took its place, and by whom.
	Since      time.Time `json:"since"`
	Replaced   time.Time `json:"replaced"`
	ReplacedBy string    `json:"replaced_by"`
}

// MaxCorrectionNote bounds a correction note and a withdrawal's reason.
const MaxCorrectionNote = 500

// CheckCorrectionNote checks a correction note or a withdrawal's reason
// (what names it: "note", "reason"): required, one line, bounded.
func CheckCorrectionNote(what, s string) error {
	if strings.TrimSpace(s) == "" {
		return Errorf(EINVALID, "%s: say what was corrected or why, in a line", what)
	}
	if msg := CheckLine(s, MaxCorrectionNote); msg != "" {
		return Errorf(EINVALID, "%s %s", what, msg)
	}
	return nil
}
