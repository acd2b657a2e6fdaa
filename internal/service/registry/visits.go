package registry

import (
	"context"
	"fmt"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// VisitGap is how long after a user last opened the dashboard their
// visit lasts: within it the list of changes since the previous visit
// stays as it was (a reload does not empty it); after it, a new visit
// begins and the list starts where the last one ended.
const VisitGap = time.Hour

// maxChangesRead bounds the audit entries read to list what changed
// since a visit: the list is short, and a longer absence says so.
const maxChangesRead = 200

// Changes is what changed in the records a user may audit since their
// previous visit to the dashboard.
type Changes struct {
	// Since is the end of the previous visit; zero on a first visit,
	// when Entries are simply the latest changes.
	Since time.Time
	// Shown is false for a caller who may not read the audit log: they
	// get no list at all.
	Shown bool
	// Entries are the newest changes, newest first, at most the limit
	// asked for; More counts those left out, and AtLeast says More is
	// a lower bound (the absence was longer than maxChangesRead changes).
	Entries []outpost.AuditEntry
	More    int
	AtLeast bool
}

// Visit records that caller opened the dashboard at now and answers the
// changes since their previous visit that they may read in the audit log
// (their own mission's for a manager, everyone's for the admin), at most
// limit of them. The visit is kept per user in the store, not in the
// browser, so that a change of device does not lose it.
func (s *Service) Visit(ctx context.Context, caller outpost.User, now time.Time, limit int) (Changes, error) {
	if caller.Name == "" {
		return Changes{}, outpost.Errorf(outpost.EFORBIDDEN, "an anonymous caller has no visits")
	}
	since, err := s.store.Visit(ctx, caller.Name, now, VisitGap)
	if err != nil {
		return Changes{}, fmt.Errorf("dashboard visit: %w", err)
	}
	out := Changes{Since: since, Entries: []outpost.AuditEntry{}}
	if MayReadAudit(caller) != nil {
		return out, nil
	}
	out.Shown = true
	f, ok, err := AuditFilter(caller, "", "", maxChangesRead)
	if err != nil {
		return out, err
	}
	all, err := s.Audit(ctx, caller, f, ok)
	if err != nil {
		return out, err
	}
	n := 0
	for _, e := range all {
		if !since.IsZero() && !e.At.After(since) {
			break // newest first: the rest are older still
		}
		n++
		if len(out.Entries) < limit {
			out.Entries = append(out.Entries, e)
		}
	}
	if since.IsZero() {
		// A first visit lists the latest changes, and no count of the rest.
		return out, nil
	}
	out.More = n - len(out.Entries)
	out.AtLeast = n == len(all) && len(all) == maxChangesRead
	return out, nil
}
