package outpost

import "context"

// EvacStore keeps the restrictions, departures and saved plans.
type EvacStore interface {
	// ImportRestrictions inserts or updates restrictions by id, all or nothing.
	ImportRestrictions(ctx context.Context, b Batch[Restriction]) (ImportStats, error)
	// Restrictions lists every restriction by start date.
	Restrictions(ctx context.Context) ([]Restriction, error)
	// ImportDepartures inserts or updates departures by id, all or nothing.
	ImportDepartures(ctx context.Context, b Batch[Departure]) (ImportStats, error)
	// Departures lists every departure by time.
	Departures(ctx context.Context) ([]Departure, error)
	// Departure returns one departure, or ENOTFOUND.
	Departure(ctx context.Context, id string) (Departure, error)
	// SavePlan stores a plan and returns it with its new id.
	SavePlan(ctx context.Context, p PlanDoc) (PlanDoc, error)
	// Plan returns a saved plan, or ENOTFOUND.
	Plan(ctx context.Context, id int64) (PlanDoc, error)
	// Plans lists saved plans, newest first.
	Plans(ctx context.Context) ([]PlanSummary, error)
}
