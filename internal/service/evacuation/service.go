package evacuation

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
)

// Store is what evacuation planning reads and writes: the registry (people,
// their presence and checkpoints, the post's settings), departures,
// restrictions and plans, and the open medical cases that raise a
// person's level.
type Store interface {
	outpost.RegistryStore
	outpost.EvacStore
	outpost.ExitDocStore
	MedicalLevels(ctx context.Context) (map[string]int, error)
}

// Service is the evacuation capability over one store.
type Service struct {
	store Store
	now   func() time.Time
	zone  func(ctx context.Context) (*time.Location, error)
	// plans keeps the newest saved plans the dashboard reads (dashboard.go).
	plans planCache
}

// New returns the service over store; now is the clock (time.Now when
// nil); zone reads the post's time zone (nil: the store's "timezone"
// setting, UTC when unset or unknown — the command line passes its own,
// which refuses an unknown zone).
func New(store Store, now func() time.Time, zone func(ctx context.Context) (*time.Location, error)) *Service {
	s := &Service{store: store, now: now, zone: zone}
	if s.now == nil {
		s.now = time.Now
	}
	if s.zone == nil {
		s.zone = func(ctx context.Context) (*time.Location, error) { return censusservice.Location(ctx, store) }
	}
	return s
}

// DepartureInfo is a departure with what the planner will make of it.
type DepartureInfo struct {
	outpost.Departure
	// Closed gives the reason when a border closure shuts the departure's
	// crossing on its day ("crossing closed: R-12"): plans leave it out.
	Closed string `json:"closed,omitempty"`
	// Past is true once the departure has left.
	Past bool `json:"past"`
}

// RestrictionInfo is a restriction and whether it is in force on the day
// asked about.
type RestrictionInfo struct {
	outpost.Restriction
	InForce bool `json:"in_force"`
}

// RestrictionList is the restrictions as of one day: On is the day
// InForce refers to.
type RestrictionList struct {
	On           outpost.Date      `json:"on"`
	Restrictions []RestrictionInfo `json:"restrictions"`
}

// MayRead refuses a caller who may not read departures, restrictions and
// plans.
func MayRead(caller outpost.User) error {
	if !caller.Can(ReadEvacuation, "") {
		return outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not read evacuation plans", caller.Role)
	}
	return nil
}

// MayPlan refuses a caller who may not make plans. A transport checks it
// before reading a request's body, so that a refused caller learns
// nothing about what they sent.
func MayPlan(caller outpost.User) error {
	if !caller.Can(MakePlans, "") {
		return outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not make plans: managers and the admin do", caller.Role)
	}
	return nil
}

// mayReadManifests refuses a caller who may download no manifest.
func mayReadManifests(caller outpost.User) error {
	if !caller.CanSome(ReadManifests) {
		return outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not download manifests", caller.Role)
	}
	return nil
}

// ManifestPlanID reads the plan id of a manifest's path for caller: a
// caller who may download no manifest is refused first, whatever id they
// sent; then an id that is not one answers like a plan that is not there.
func ManifestPlanID(caller outpost.User, idText string) (int64, error) {
	if err := mayReadManifests(caller); err != nil {
		return 0, err
	}
	return PlanID(idText)
}

// NoPlan is the answer for an evacuation plan that is not there: the id
// as the caller gave it, a number as its number (so "06" and "6" read
// alike), anything else quoted. The store's own not-found is never passed
// on.
func NoPlan(idText string) error { return outpost.NotFound("plan", idText) }

// PlanID reads a plan id as a path gives it; anything that is not one
// answers like a plan that does not exist.
func PlanID(idText string) (int64, error) {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return 0, NoPlan(idText)
	}
	return id, nil
}

// Departures lists every departure, by time in the post's zone, with its
// closure and whether it has left.
func (s *Service) Departures(ctx context.Context, caller outpost.User) ([]DepartureInfo, error) {
	if err := MayRead(caller); err != nil {
		return nil, err
	}
	loc, err := s.zone(ctx)
	if err != nil {
		return nil, err
	}
	deps, err := s.store.Departures(ctx)
	if err != nil {
		return nil, fmt.Errorf("departures: %w", err)
	}
	rs, err := s.store.Restrictions(ctx)
	if err != nil {
		return nil, fmt.Errorf("restrictions: %w", err)
	}
	closed := ClosedOnTheDay(deps, rs, loc)
	now := s.now()
	out := make([]DepartureInfo, 0, len(deps))
	for _, d := range deps {
		d.Departs = d.Departs.In(loc)
		if d.Eligible == nil {
			d.Eligible = []string{}
		}
		out = append(out, DepartureInfo{Departure: d, Closed: closed[d.ID], Past: !d.Departs.After(now)})
	}
	return out, nil
}

// Restrictions lists the restrictions with whether each is in force on
// the day on (empty: today in the post's zone); only keeps just those in
// force. A day that is not a date is EINVALID.
func (s *Service) Restrictions(ctx context.Context, caller outpost.User, on outpost.Date, only bool) (RestrictionList, error) {
	if err := MayRead(caller); err != nil {
		return RestrictionList{}, err
	}
	loc, err := s.zone(ctx)
	if err != nil {
		return RestrictionList{}, err
	}
	day := s.today(ctx, loc)
	if on != "" {
		if day, err = outpost.ParseDate(string(on)); err != nil {
			return RestrictionList{}, outpost.Errorf(outpost.EINVALID, "on %q: %v", string(on), err)
		}
	}
	rs, err := s.store.Restrictions(ctx)
	if err != nil {
		return RestrictionList{}, fmt.Errorf("restrictions: %w", err)
	}
	out := RestrictionList{On: day, Restrictions: []RestrictionInfo{}}
	for _, x := range rs {
		in := x.InForce(day)
		if only && !in {
			continue
		}
		out.Restrictions = append(out.Restrictions, RestrictionInfo{Restriction: x, InForce: in})
	}
	return out, nil
}

// DepartureRecords lists the departures as the store keeps them.
func (s *Service) DepartureRecords(ctx context.Context, caller outpost.User) ([]outpost.Departure, error) {
	if err := MayRead(caller); err != nil {
		return nil, err
	}
	v, err := s.store.Departures(ctx)
	if err != nil {
		return v, fmt.Errorf("read departures: %w", err)
	}
	return v, nil
}

// RestrictionRecords lists the restrictions as the store keeps them, by
// start date.
func (s *Service) RestrictionRecords(ctx context.Context, caller outpost.User) ([]outpost.Restriction, error) {
	if err := MayRead(caller); err != nil {
		return nil, err
	}
	v, err := s.store.Restrictions(ctx)
	if err != nil {
		return v, fmt.Errorf("read restrictions: %w", err)
	}
	return v, nil
}

// Plans lists the saved plans, newest first.
func (s *Service) Plans(ctx context.Context, caller outpost.User) ([]outpost.PlanSummary, error) {
	if err := MayRead(caller); err != nil {
		return nil, err
	}
	v, err := s.store.Plans(ctx)
	if err != nil {
		return v, fmt.Errorf("read plans: %w", err)
	}
	return v, nil
}

// Make plans from the start of the day start (in the post's zone) for a
// caller who may, saves the plan with the caller as its author and
// returns it as saved, every person's id in it: the command line prints
// it whole.
func (s *Service) Make(ctx context.Context, caller outpost.User, start outpost.Date) (outpost.PlanDoc, error) {
	if err := MayPlan(caller); err != nil {
		return outpost.PlanDoc{}, err
	}
	day, err := outpost.ParseDate(strings.TrimSpace(string(start)))
	if err != nil {
		return outpost.PlanDoc{}, outpost.Errorf(outpost.EINVALID, "start %q: %v", string(start), err)
	}
	loc, err := s.zone(ctx)
	if err != nil {
		return outpost.PlanDoc{}, err
	}
	return makePlan(outpost.WithActor(ctx, caller.Name), s.store, loc, day)
}

// MakePlan is Make, answered with the plan as the caller may see it.
func (s *Service) MakePlan(ctx context.Context, caller outpost.User, start outpost.Date) (PlanView, error) {
	doc, err := s.Make(ctx, caller, start)
	if err != nil {
		return PlanView{}, err
	}
	return s.viewFor(ctx, caller, doc)
}

// Plan returns the saved plan with this id as the caller may see it; a
// plan that is not there is NoPlan.
func (s *Service) Plan(ctx context.Context, caller outpost.User, id int64) (PlanView, error) {
	if err := MayRead(caller); err != nil {
		return PlanView{}, err
	}
	doc, err := s.savedPlan(ctx, id)
	if err != nil {
		return PlanView{}, err
	}
	return s.viewFor(ctx, caller, doc)
}

// savedPlan reads the saved plan with this id; a plan that is not there
// is NoPlan.
func (s *Service) savedPlan(ctx context.Context, id int64) (outpost.PlanDoc, error) {
	doc, err := s.store.Plan(ctx, id)
	if outpost.ErrorCode(err) == outpost.ENOTFOUND {
		return doc, NoPlan(strconv.FormatInt(id, 10))
	}
	if err != nil {
		return doc, fmt.Errorf("read plan %d: %w", id, err)
	}
	return doc, nil
}

// SavedPlan returns the saved plan with this id as it was saved, every
// person's id in it, for a caller who may make plans and read everyone's
// records (the command line's operator).
func (s *Service) SavedPlan(ctx context.Context, caller outpost.User, id int64) (outpost.PlanDoc, error) {
	if err := MayPlan(caller); err != nil {
		return outpost.PlanDoc{}, err
	}
	if !caller.Can(outpost.ReadPeople, "") {
		return outpost.PlanDoc{}, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not read a whole plan", caller.Role)
	}
	v, err := s.store.Plan(ctx, id)
	if err != nil {
		return v, fmt.Errorf("read plan %d: %w", id, err)
	}
	return v, nil
}

// viewFor is a plan as the caller may see it, its times in the post's
// zone.
func (s *Service) viewFor(ctx context.Context, caller outpost.User, doc outpost.PlanDoc) (PlanView, error) {
	loc, err := s.zone(ctx)
	if err != nil {
		return PlanView{}, err
	}
	v, err := view(ctx, s.store, doc, caller, loc)
	for i := range v.Departures {
		v.Departures[i].Departs = v.Departures[i].Departs.In(loc)
	}
	return v, err
}

// Manifest returns the manifest of a departure in a saved plan as the
// caller may read it: one row per passenger, the details of another
// mission's passengers withheld and passports only where the caller may
// read them.
func (s *Service) Manifest(ctx context.Context, caller outpost.User, plan int64, departure string) (outpost.Manifest, error) {
	if err := mayReadManifests(caller); err != nil {
		return outpost.Manifest{}, err
	}
	loc, err := s.zone(ctx)
	if err != nil {
		return outpost.Manifest{}, err
	}
	m, err := manifest(ctx, s.store, loc, plan, departure)
	if err != nil {
		return outpost.Manifest{}, err
	}
	return Redact(m, caller), nil
}

// ManifestFile is Manifest written in format "csv" (also "") or "pdf"
// as a file to download.
func (s *Service) ManifestFile(ctx context.Context, caller outpost.User, plan int64, departure, format string) (*ManifestFile, error) {
	m, err := s.Manifest(ctx, caller, plan, departure)
	if err != nil {
		return nil, err
	}
	return NewManifestFile(m, format)
}

// Board returns the tracking board of a departure in a saved plan now, as
// the caller may see it: every count, the rows of the people they may
// read.
func (s *Service) Board(ctx context.Context, caller outpost.User, plan int64, departure string) (Board, error) {
	if err := MayRead(caller); err != nil {
		return Board{}, err
	}
	loc, err := s.zone(ctx)
	if err != nil {
		return Board{}, err
	}
	b, err := newBoard(ctx, s.store, loc, plan, departure, s.now())
	if err != nil {
		return Board{}, err
	}
	return b.ForUser(caller), nil
}

// TrackOnBoard records a checkpoint, from a departure's tracking board,
// for one of its passengers whom the caller may see there; anyone else is
// ENOTFOUND. record writes the checkpoint: recording one, and who may,
// is the registry's rule, so the caller's transport passes it in.
func (s *Service) TrackOnBoard(ctx context.Context, caller outpost.User, plan int64, departure, person string,
	record func(ctx context.Context) (outpost.Event, error)) (outpost.Event, error) {
	b, err := s.Board(ctx, caller, plan, departure)
	if err != nil {
		return outpost.Event{}, err
	}
	if !b.HasPassenger(person) {
		return outpost.Event{}, outpost.Errorf(outpost.ENOTFOUND, "no passenger %q on departure %s", person, departure)
	}
	return record(outpost.WithActor(ctx, caller.Name))
}

// today is the day pages show by default: the server's page day when it
// has one (the demo's 1 April 2021), else today in the post's zone loc.
func (s *Service) today(ctx context.Context, loc *time.Location) outpost.Date {
	return censusservice.Today(ctx, s.now(), loc)
}
