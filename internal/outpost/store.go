package outpost

import (
	"context"
	"iter"
	"time"
)

// Batch is a stream of validated rows for a bulk write, with a final check:
// the store writes the rows as they come and, before committing, calls Err;
// a non-nil Err means some row was bad and nothing is written.
type Batch[T any] struct {
	Rows iter.Seq[T]
	Err  func() error
}

// Track is a request to record a checkpoint for a person.
type Track struct {
	Person     string
	Checkpoint Checkpoint
	At         time.Time
	Note       string
	// Missions, when not nil, are the missions the caller may track
	// people of: a batch (TrackBatch, TrackMany) refuses as RefusedPerson
	// a checkpoint of a person in another mission when it writes, so
	// that a person moved to another mission since the caller's rights
	// were checked is not tracked on the old ones.
	Missions []string
}

// TrackResult is what became of one checkpoint of a batch (TrackBatch):
// recorded as Event, a Duplicate of one already recorded (same person,
// checkpoint and second), or refused for the Reason given, with Kind one
// of the Refusal kinds.
type TrackResult struct {
	Event     Event
	Duplicate bool
	Kind      string
	Reason    string
}

// The kinds of a refused scan.
const (
	// RefusedPerson: no person the caller may track has this id.
	RefusedPerson = "unknown_person"
	// RefusedOrder: the checkpoint contradicts the order of a journey
	// recorded for the person (crossed before departed, …).
	RefusedOrder = "out_of_order"
	// RefusedInvalid: the scan is wrong on its own (checkpoint, time,
	// note).
	RefusedInvalid = "invalid"
	// RefusedForbidden: the caller may read the person but not record
	// their checkpoints.
	RefusedForbidden = "forbidden"
	// RefusedTooMany: more scans of one person in a batch than a batch
	// takes (registry.MaxScansPerPerson); the rest are recorded.
	RefusedTooMany = "too_many_for_person"
)

// Err is a refused checkpoint's error as recording it alone answers: not
// found for an unknown person, invalid otherwise; nil when recorded.
func (r TrackResult) Err() error {
	switch r.Kind {
	case "":
		return nil
	case RefusedPerson:
		return Errorf(ENOTFOUND, "%s", r.Reason)
	}
	return Errorf(EINVALID, "%s", r.Reason)
}

// JourneyStage is the place of a checkpoint in a journey (assembled 0,
// departed 1, crossed 2, arrived 3), -1 for returned, which ends one.
func (c Checkpoint) JourneyStage() int {
	switch c {
	case Assembled:
		return 0
	case Departed:
		return 1
	case Crossed:
		return 2
	case Arrived:
		return 3
	}
	return -1
}

// Presence is one person's status history in the compact form the census
// needs: History is ordered by time (ties in the order recorded).
type Presence struct {
	Person      string
	Mission     string
	Nationality string
	Category    Category
	History     []StatusAt
}

// StatusAt is a status that took effect at a Unix time in seconds.
type StatusAt struct {
	At     int64
	Status Status
}

// AuditEntry records one write: who, when, what, and the record before and
// after (as JSON, empty where there was none).
type AuditEntry struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Entity   string    `json:"entity"`
	EntityID string    `json:"entity_id"`
	Mission  string    `json:"mission,omitempty"`
	Before   string    `json:"before,omitempty"`
	After    string    `json:"after,omitempty"`
}

// AuditFilter narrows a listing of the audit log.
type AuditFilter struct {
	Mission string
	Entity  string
	Limit   int
}

// Store is the contract every storage engine fulfils: one interface per
// capability. Each method that writes is one transaction and leaves one
// audit entry; the actor is taken from the context (see WithActor).
type Store interface {
	RegistryStore
	SupplyStore
	EvacStore
	AuthStore
	WelfareStore
	StatementStore
	StatementCorrectionStore
	ImportDraftStore
	CorrectionStore
	ExitDocStore
	DashboardStore
}

// RegistryStore keeps missions, people and their presence history.
type RegistryStore interface {
	// Close releases the database.
	Close() error
	// Ping answers nil when the database answers.
	Ping(ctx context.Context) error
	// Engine names the engine: "sqlite" or "postgres".
	Engine() string
	// Check verifies the database's integrity and the registry's invariants.
	Check(ctx context.Context) error

	// Config returns a setting, "" when unset.
	Config(ctx context.Context, key string) (string, error)
	// SetConfig stores a setting.
	SetConfig(ctx context.Context, key, value string) error
	// InitConfig stores value under key unless the key holds one already,
	// and answers the value it holds: of several processes making a
	// setting at once (two servers making the link secret), all answer
	// the one that was stored first.
	InitConfig(ctx context.Context, key, value string) (string, error)

	// ImportMissions inserts or updates missions by code, all or nothing.
	ImportMissions(ctx context.Context, b Batch[Mission]) (ImportStats, error)
	// Missions lists every mission by code.
	Missions(ctx context.Context) ([]Mission, error)
	// Mission returns one mission, or ENOTFOUND.
	Mission(ctx context.Context, code string) (Mission, error)

	// ImportPeople inserts or updates people by id and records the status
	// each row asserts, all or nothing.
	ImportPeople(ctx context.Context, b Batch[PersonRecord]) (ImportStats, error)
	// Person returns one person with their current status, or ENOTFOUND.
	Person(ctx context.Context, id string) (Person, error)
	// People lists people ordered by id, filtered and paginated.
	People(ctx context.Context, f PeopleFilter) ([]Person, error)
	// CountPeople counts the people matching f (ignoring After and Limit).
	CountPeople(ctx context.Context, f PeopleFilter) (int, error)
	// Events returns a person's presence history in time order.
	Events(ctx context.Context, person string) ([]Event, error)
	// Track records a checkpoint and the status it implies.
	Track(ctx context.Context, t Track) (Event, error)
	// TrackBatch records many checkpoints in one transaction, each on its
	// own: a result per track in their order, a duplicate or a scan that
	// contradicts the person's journey refused without the others.
	TrackBatch(ctx context.Context, ts []Track) ([]TrackResult, error)
	// TrackMany records many checkpoints in one transaction, each exactly
	// as Track would (no duplicate or order checks): a result per track in
	// their order, refused ones with the kind of Track's error.
	TrackMany(ctx context.Context, ts []Track) ([]TrackResult, error)
	// Presence streams every person's status history, ordered by person id.
	Presence(ctx context.Context, fn func(Presence) error) error

	// Audit lists audit entries, newest first.
	Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}

type actorKey struct{}

// WithActor returns a context whose writes are audited as done by actor.
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// ActorFrom returns the actor of ctx, or "system" when none was set.
func ActorFrom(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return "system"
}
