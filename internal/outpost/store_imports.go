package outpost

import (
	"context"
	"time"
)

// ImportDraft is an import file uploaded in the browser and waiting for
// its owner to commit or cancel it after the preview.
type ImportDraft struct {
	ID      int64
	Owner   string
	Kind    string
	Name    string
	Created time.Time
	Data    []byte
	// Committed is when a commit claimed the draft (zero while it
	// waits): a claimed draft is kept, without effect, until it expires,
	// so that a second commit is told it was already committed.
	Committed time.Time
}

// ImportDraftStore keeps import drafts between the preview and the
// commit, in the database that every server of a post shares.
type ImportDraftStore interface {
	// SaveImportDraft stores d and returns it with its id; in the same
	// transaction it removes every draft created before expired and the
	// owner's oldest drafts beyond keep-1, so that the new one makes keep.
	SaveImportDraft(ctx context.Context, d ImportDraft, expired time.Time, keep int) (ImportDraft, error)
	// ImportDraft returns one draft, or ENOTFOUND.
	ImportDraft(ctx context.Context, id int64) (ImportDraft, error)
	// ClaimImportDraft marks a waiting draft of owner created at or
	// after expired as committed at at, in one statement, and reports
	// whether this call claimed it: of several concurrent commits of a
	// draft exactly one claims it and writes it.
	ClaimImportDraft(ctx context.Context, id int64, owner string, at, expired time.Time) (bool, error)
	// ReleaseImportDraft makes a draft claimed at at wait again, for a
	// commit whose write failed.
	ReleaseImportDraft(ctx context.Context, id int64, owner string, at time.Time) error
	// DeleteImportDraft removes a draft of owner; removing one that is
	// gone is not an error.
	DeleteImportDraft(ctx context.Context, id int64, owner string) error
	// PeopleByID returns the people with these ids that exist, by id,
	// for the preview of a people import.
	PeopleByID(ctx context.Context, ids []string) (map[string]Person, error)
}
