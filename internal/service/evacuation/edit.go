package evacuation

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/importer"
	"github.com/outpost-org/outpost/internal/outpost"
)

// EditDepartures is adding and editing departures and restrictions, by
// form or by import: they serve every mission, so the coordinator keeps
// them (and the admin).
var EditDepartures = outpost.Action{Name: "add and edit departures and restrictions", Scope: outpost.ScopeCorps,
	Roles: []outpost.Role{outpost.RoleCoordinator}}

// MayEdit refuses a caller who may not add or edit departures and
// restrictions.
func MayEdit(caller outpost.User) error {
	if !caller.Can(EditDepartures, "") {
		return outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not add or edit departures and restrictions", caller.Role)
	}
	return nil
}

// DepartureValues returns a departure as the columns of a departures
// file, its time written in loc.
func DepartureValues(d outpost.Departure, loc *time.Location) map[string]string {
	return map[string]string{"id": d.ID, "route": d.Route, "departs": d.Departs.In(loc).Format("2006-01-02T15:04"),
		"seats": strconv.Itoa(d.Seats), "crossing": d.Crossing, "eligible": strings.Join(d.Eligible, " ")}
}

// RestrictionValues returns a restriction as the columns of a
// restrictions file.
func RestrictionValues(x outpost.Restriction) map[string]string {
	days := ""
	if x.Days > 0 {
		days = strconv.Itoa(x.Days)
	}
	return map[string]string{"id": x.ID, "kind": x.Kind, "crossing": x.Crossing, "starts": string(x.Starts),
		"ends": string(x.Ends), "days": days, "note": x.Note, "source": x.Source}
}

// Restriction returns one restriction, or ENOTFOUND.
func (s *Service) Restriction(ctx context.Context, caller outpost.User, id string) (outpost.Restriction, error) {
	if err := MayRead(caller); err != nil {
		return outpost.Restriction{}, err
	}
	list, err := s.store.Restrictions(ctx)
	if err != nil {
		return outpost.Restriction{}, fmt.Errorf("read restrictions: %w", err)
	}
	for _, x := range list {
		if x.ID == id {
			return x, nil
		}
	}
	return outpost.Restriction{}, outpost.Errorf(outpost.ENOTFOUND, "no restriction %q", outpost.Clip(id))
}

// trimmed returns the values with surrounding spaces removed.
func trimmed(values map[string]string) map[string]string {
	v := make(map[string]string, len(values))
	for k, x := range values {
		v[k] = strings.TrimSpace(x)
	}
	return v
}

// SaveDeparture adds a departure (id "") or edits the one with this id
// from a form's values keyed by the columns of a departures file, with
// the checks of an import; a time without an offset is the post's.
func (s *Service) SaveDeparture(ctx context.Context, caller outpost.User, id string, values map[string]string) (outpost.Departure, error) {
	if err := MayEdit(caller); err != nil {
		return outpost.Departure{}, err
	}
	v := trimmed(values)
	var problems importer.FieldErrors
	if id != "" {
		if _, err := s.store.Departure(ctx, id); err != nil {
			return outpost.Departure{}, err
		}
		v["id"] = id
	} else if x := v["id"]; outpost.IsID(x) {
		if _, err := s.store.Departure(ctx, x); err == nil {
			problems = append(problems, outpost.FieldError{Field: "id", Message: "is already used: choose another id", Got: x})
		}
	}
	loc, err := s.zone(ctx)
	if err != nil {
		return outpost.Departure{}, fmt.Errorf("read location: %w", err)
	}
	d, more := importer.Form(importer.Departures(loc), v)
	for _, f := range more {
		problems = append(problems, f)
	}
	if err := importer.Invalid("departure", problems); err != nil {
		return outpost.Departure{}, err
	}
	b := outpost.Batch[outpost.Departure]{Rows: func(yield func(outpost.Departure) bool) { yield(d) }, Err: func() error { return nil }}
	if _, err := s.store.ImportDepartures(outpost.WithActor(ctx, caller.Name), b); err != nil {
		return outpost.Departure{}, fmt.Errorf("save departure: %w", err)
	}
	return d, nil
}

// SaveRestriction adds a restriction (id "") or edits the one with this
// id from a form's values keyed by the columns of a restrictions file,
// with the checks of an import.
func (s *Service) SaveRestriction(ctx context.Context, caller outpost.User, id string, values map[string]string) (outpost.Restriction, error) {
	if err := MayEdit(caller); err != nil {
		return outpost.Restriction{}, err
	}
	v := trimmed(values)
	var problems importer.FieldErrors
	if id != "" {
		if _, err := s.Restriction(ctx, caller, id); err != nil {
			return outpost.Restriction{}, err
		}
		v["id"] = id
	} else if x := v["id"]; outpost.IsID(x) {
		if _, err := s.Restriction(ctx, caller, x); err == nil {
			problems = append(problems, outpost.FieldError{Field: "id", Message: "is already used: choose another id", Got: x})
		}
	}
	r, more := importer.Form(importer.Restrictions(), v)
	problems = append(problems, more...)
	if err := importer.Invalid("restriction", problems); err != nil {
		return outpost.Restriction{}, err
	}
	b := outpost.Batch[outpost.Restriction]{Rows: func(yield func(outpost.Restriction) bool) { yield(r) }, Err: func() error { return nil }}
	if _, err := s.store.ImportRestrictions(outpost.WithActor(ctx, caller.Name), b); err != nil {
		return outpost.Restriction{}, fmt.Errorf("save restriction: %w", err)
	}
	return r, nil
}
