package evacuation

import (
	"context"
	"fmt"
	"time"

	"github.com/outpost-org/outpost/internal/evac"
	"github.com/outpost-org/outpost/internal/outpost"
)

// PermitsRequired reads the post's "evac.permits" setting: true when
// every person needs a granted exit permit and a passport to be planned
// ("required"); false (the default, "if_recorded") when only the exit
// documents recorded bind, so that people with none plan as before.
func PermitsRequired(ctx context.Context, s outpost.RegistryStore) (bool, error) {
	v, err := s.Config(ctx, outpost.ConfigPermits)
	if err != nil {
		return false, fmt.Errorf("read setting %s: %w", outpost.ConfigPermits, err)
	}
	switch v {
	case "", outpost.PermitsIfRecorded:
		return false, nil
	case outpost.PermitsRequired:
		return true, nil
	}
	return false, outpost.Errorf(outpost.EINVALID, "setting %s is %q: want %s or %s (outpost config set %s %s)",
		outpost.ConfigPermits, v, outpost.PermitsRequired, outpost.PermitsIfRecorded, outpost.ConfigPermits, outpost.PermitsIfRecorded)
}

// plannerDocs is a person's exit documents as the planner reads them,
// their dates the start of the day in loc.
func plannerDocs(d outpost.ExitDocuments, passport string, loc *time.Location) evac.Documents {
	return evac.Documents{
		Staying:         d.Staying,
		Permit:          d.PermitStatus,
		PermitFrom:      day(d.PermitFrom, loc),
		PermitTo:        day(d.PermitTo, loc),
		Passport:        passport != "",
		PassportExpiry:  day(d.PassportExpiry, loc),
		QuarantineUntil: day(d.QuarantineUntil, loc),
	}
}

// leftBehindDoc turns the planner's left-behind list into the plan's.
func leftBehindDoc(lb []evac.LeftBehind) []outpost.PlanLeftBehind {
	out := make([]outpost.PlanLeftBehind, 0, len(lb))
	for _, x := range lb {
		out = append(out, outpost.PlanLeftBehind{Person: x.Person, Household: x.Household, Reason: x.Reason, Text: x.Text})
	}
	return out
}
