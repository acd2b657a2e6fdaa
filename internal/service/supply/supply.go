// Package supply (internal/service/supply) connects the pure stock computations (internal/supply)
// to the store: it gathers the ledger up to a day, the catalogue's planned
// use and each mission's headcount, and computes the status rows, an
// item's pooling proposal and the corps-wide summary by item. The command
// line, the situation report, the JSON API and the web UI share this one
// copy, so they print the same numbers. It reads the store only through
// the outpost.Store interface; the post's time zone is passed in. Who may
// read and record stock is decided here, once.
package supply

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
	ledger "github.com/outpost-org/outpost/internal/supply"
)

// The actions of the stock ledger. Stock levels are aggregates, not
// anyone's personal data: the coordinator reads every mission's, and a
// mission's users their own.
var (
	// ReadStock is reading one mission's stock: its status rows.
	ReadStock = outpost.Action{Name: "read a mission's stock", Scope: outpost.ScopeMission,
		Roles: []outpost.Role{outpost.RoleManager, outpost.RoleStaff, outpost.RolePress}}
	// ReadCorpsStock is reading every mission's stock, the summary by
	// item and the full pooling proposals.
	ReadCorpsStock = outpost.Action{Name: "read every mission's stock and the pooling proposals", Scope: outpost.ScopeCorps,
		Roles: []outpost.Role{outpost.RoleCoordinator}}
	// RecordStock is recording a mission's receipts and issues.
	RecordStock = outpost.Action{Name: "record a mission's receipts and issues", Scope: outpost.ScopeMission,
		Roles: []outpost.Role{outpost.RoleManager, outpost.RoleStaff}}
	// GiveStock is recording an accepted transfer out of a mission's
	// stock, and reading the parts of pooling proposals that involve it.
	GiveStock = outpost.Action{Name: "record transfers a mission gives", Scope: outpost.ScopeMission,
		Roles: []outpost.Role{outpost.RoleManager}}
)

// Scope returns the mission whose status rows u reads when asking for
// requested ("" = every mission u may read), and false when u may read
// none of them: the admin and the coordinator get what they asked for, a
// mission's users their own mission (nothing if they asked for another).
func Scope(u outpost.User, requested string) (string, bool) {
	if u.Can(ReadCorpsStock, "") {
		return requested, true
	}
	return u.Restrict(ReadStock, requested)
}

// CanRead reports whether u may read some mission's stock.
func CanRead(u outpost.User) bool {
	return u.CanSome(ReadStock) || u.CanSome(ReadCorpsStock)
}

// CanPool reports whether u may see pooling proposals: all of each one
// (the admin and the coordinator) or the transfers their own mission
// gives or receives (a mission's manager).
func CanPool(u outpost.User) bool {
	return u.CanSome(ReadCorpsStock) || u.CanSome(GiveStock)
}

// Query says which status rows to compute.
type Query struct {
	// AsOf is the day at whose end the stock is taken.
	AsOf outpost.Date
	// Threshold is the shortage threshold in days; callers apply the
	// default (supply.DefaultThreshold), since 0 is a valid threshold.
	Threshold int
	// Mission and Item narrow the rows; "" for all.
	Mission, Item string
	// Headcount, when not nil, is each mission's people in the country
	// at the end of AsOf as the caller has already counted them from the
	// same census (the dashboard): the rows are computed without
	// counting again.
	Headcount map[string]int
}

// Status is the answer of `outpost supply status --json` and of GET
// /api/v1/supply/status, as INTERFACES.md ("Supplies") fixes it.
type Status struct {
	AsOf      outpost.Date `json:"as_of"`
	Threshold int          `json:"threshold"`
	Rows      []ledger.Row `json:"rows"`
}

// Post is what the service reads of the post besides the store. Loc
// returns its time zone: a day ends at midnight there (nil: UTC).
// Headcount returns each mission's people in the country at a moment, for
// the planned rate of items a mission has not issued lately; nil counts
// them from the store's presence history, a full read, where the server
// passes its in-memory census instead.
type Post struct {
	Loc       func(ctx context.Context) (*time.Location, error)
	Headcount func(ctx context.Context, at time.Time) (map[string]int, error)
}

// Zone returns a Post.Loc that is always loc.
func Zone(loc *time.Location) func(context.Context) (*time.Location, error) {
	return func(context.Context) (*time.Location, error) { return loc, nil }
}

// Service computes stock figures over a store and records entries into
// its ledger, for the JSON API, the web UI, the command line and the
// situation report alike.
type Service struct {
	store outpost.Store
	now   func() time.Time
	post  Post
}

// New returns the stock service over store, with the clock now (for
// today's date) and what it reads of the post.
func New(store outpost.Store, now func() time.Time, post Post) *Service {
	return &Service{store: store, now: now, post: post}
}

// Headcounts returns each mission's people in the country in a census.
func Headcounts(c census.Census) map[string]int {
	out := make(map[string]int, len(c.ByMission))
	for _, m := range c.ByMission {
		out[m.Code] = m.InCountry
	}
	return out
}

// loc is the post's time zone.
func (s *Service) loc(ctx context.Context) (*time.Location, error) {
	if s.post.Loc == nil {
		return time.UTC, nil
	}
	loc, err := s.post.Loc(ctx)
	if err != nil {
		return nil, fmt.Errorf("the post's time zone: %w", err)
	}
	return loc, nil
}

func (s *Service) headcount(ctx context.Context, at time.Time) (map[string]int, error) {
	if s.post.Headcount != nil {
		return s.post.Headcount(ctx, at)
	}
	ms, err := s.store.Missions(ctx)
	if err != nil {
		return nil, fmt.Errorf("read missions: %w", err)
	}
	pop, err := census.Build(ms, func(fn func(outpost.Presence) error) error { return s.store.Presence(ctx, fn) })
	if err != nil {
		return nil, fmt.Errorf("count the census: %w", err)
	}
	return Headcounts(pop.At(at)), nil
}

// Today is the day of the clock's now in the post's time zone, the day an
// entry is recorded on when none is given and a status is taken at.
func (s *Service) Today(ctx context.Context) (outpost.Date, error) {
	if d, ok := outpost.PageDayFrom(ctx); ok {
		return d, nil
	}
	loc, err := s.loc(ctx)
	if err != nil {
		return "", err
	}
	return outpost.DateOf(s.now().In(loc)), nil
}

// MayRead answers EFORBIDDEN when caller may read no mission's stock:
// the transports ask it before they read a request's parameters, so a
// caller without the right learns nothing of them.
func MayRead(caller outpost.User) error {
	if !CanRead(caller) {
		return outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not read stock", caller.Role)
	}
	return nil
}

// MayPool answers EFORBIDDEN when caller may see no pooling proposal.
func MayPool(caller outpost.User) error {
	if !CanPool(caller) {
		return outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not see pooling proposals", caller.Role)
	}
	return nil
}

// Status computes the status document of q for caller, restricted to
// what they may read: no rows when they asked for a mission they may not
// read. An unknown mission or item answers ENOTFOUND; a caller who may
// read no stock EFORBIDDEN.
func (s *Service) Status(ctx context.Context, caller outpost.User, q Query) (Status, error) {
	if err := MayRead(caller); err != nil {
		return Status{}, err
	}
	mission, ok := Scope(caller, q.Mission)
	if !ok {
		return Status{AsOf: q.AsOf, Threshold: q.Threshold, Rows: []ledger.Row{}}, nil
	}
	q.Mission = mission
	if q.Mission != "" {
		if _, err := s.store.Mission(ctx, q.Mission); err != nil {
			return Status{}, fmt.Errorf("read mission %s: %w", q.Mission, err)
		}
	}
	if q.Item != "" {
		if _, err := s.store.Item(ctx, q.Item); err != nil {
			return Status{}, fmt.Errorf("read item %s: %w", q.Item, err)
		}
	}
	rows, err := s.rows(ctx, q)
	if err != nil {
		return Status{}, err
	}
	return Status{AsOf: q.AsOf, Threshold: q.Threshold, Rows: rows}, nil
}

// Rows computes the status rows of q that caller may read (none of a
// mission they may not), without checking that its mission and item
// exist: an unknown one has no rows.
func (s *Service) Rows(ctx context.Context, caller outpost.User, q Query) ([]ledger.Row, error) {
	if err := MayRead(caller); err != nil {
		return nil, err
	}
	mission, ok := Scope(caller, q.Mission)
	if !ok {
		return []ledger.Row{}, nil
	}
	q.Mission = mission
	return s.rows(ctx, q)
}

// rows computes the status rows at the end of q.AsOf, exactly as
// INTERFACES.md defines them: the ledger rows dated on or before it, the
// items' planned use, and each mission's headcount in the country at the
// end of that day in the post's zone. The rows are sorted by mission then
// item, one per (mission, item) with a receipt by then; never nil.
func (s *Service) rows(ctx context.Context, q Query) ([]ledger.Row, error) {
	day, err := ledger.ParseDate(string(q.AsOf))
	if err != nil {
		return nil, outpost.Errorf(outpost.EINVALID, "as of %q: %v", q.AsOf, err)
	}
	loc, err := s.loc(ctx)
	if err != nil {
		return nil, err
	}
	items, err := s.store.Items(ctx)
	if err != nil {
		return nil, fmt.Errorf("read items: %w", err)
	}
	perPerson := make(map[string]float64, len(items))
	for _, it := range items {
		perPerson[it.Code] = it.DailyPerPerson
	}
	headcount := q.Headcount
	if headcount == nil {
		if headcount, err = s.headcount(ctx, q.AsOf.End(loc)); err != nil {
			return nil, err
		}
	}
	l, err := s.store.Ledger(ctx, outpost.LedgerFilter{Mission: q.Mission, Item: q.Item, AsOf: q.AsOf, Summed: true})
	if err != nil {
		return nil, fmt.Errorf("read ledger: %w", err)
	}
	rows, err := ledger.Status(l.Receipts, l.Issues, ledger.Params{AsOf: day, Threshold: q.Threshold,
		PerPerson: perPerson, Headcount: headcount, Transferred: l.Transferred})
	if err != nil {
		return nil, outpost.Errorf(outpost.EINTERNAL, "the stock ledger does not replay: %v", err)
	}
	if rows == nil {
		rows = []ledger.Row{}
	}
	return rows, nil
}

// Pooling is an item's pooling proposal with what it was made from.
type Pooling struct {
	Item outpost.Item
	AsOf outpost.Date
	// Target is the days of supply every donor keeps, and the most the
	// level is raised to.
	Target float64
	// Rows are every mission's status rows of the item.
	Rows     []ledger.Row
	Proposal ledger.Proposal
}

// PoolView is a pooling proposal as one user may see it.
type PoolView struct {
	Pooling
	// Visible is the proposal the caller may see: all of it, or the
	// transfers their mission gives or receives.
	Visible ledger.Proposal
	// Whole says whether Visible is the whole proposal, and the caller
	// may see every mission's part (Pooling.Shares).
	Whole bool
}

// Pool proposes transfers of item between the missions with their stock
// at the end of asOf, as `outpost supply pool` does, cut down to what
// caller may see: EFORBIDDEN for a caller who may see no proposal,
// ENOTFOUND for an unknown item, EINVALID for a target that is not
// above 0.
func (s *Service) Pool(ctx context.Context, caller outpost.User, item string, asOf outpost.Date, target float64) (PoolView, error) {
	if err := MayPool(caller); err != nil {
		return PoolView{}, err
	}
	if !(target > 0) || math.IsInf(target, 0) {
		return PoolView{}, outpost.Errorf(outpost.EINVALID, "target %v: want a number of days above 0", target)
	}
	it, err := s.store.Item(ctx, item)
	if err != nil {
		return PoolView{}, fmt.Errorf("read item %s: %w", item, err)
	}
	rows, err := s.rows(ctx, Query{AsOf: asOf, Threshold: ledger.DefaultThreshold, Item: it.Code})
	if err != nil {
		return PoolView{}, err
	}
	p := Pooling{Item: it, AsOf: asOf, Target: target, Rows: rows, Proposal: ledger.Pool(it.Code, rows, target)}
	if caller.Can(ReadCorpsStock, "") {
		return PoolView{Pooling: p, Visible: p.Proposal, Whole: true}, nil
	}
	return PoolView{Pooling: p, Visible: p.Involving(caller.Mission)}, nil
}

// Items is the supply catalogue, by code.
func (s *Service) Items(ctx context.Context, caller outpost.User) ([]outpost.Item, error) {
	if err := MayRead(caller); err != nil {
		return nil, err
	}
	v, err := s.store.Items(ctx)
	if err != nil {
		return v, fmt.Errorf("read items: %w", err)
	}
	return v, nil
}

// Transfers lists the recorded transfers caller may see, newest first:
// those of the mission asked for ("" every one), within what they may
// read.
func (s *Service) Transfers(ctx context.Context, caller outpost.User, requested string) ([]outpost.Transfer, error) {
	if err := MayRead(caller); err != nil {
		return nil, err
	}
	mission, ok := Scope(caller, requested)
	if !ok {
		return []outpost.Transfer{}, nil
	}
	v, err := s.store.Transfers(ctx, mission)
	if err != nil {
		return v, fmt.Errorf("read transfers %s: %w", mission, err)
	}
	return v, nil
}

// Involving returns the proposal cut down to the transfers mission gives
// or receives; the level reached is the corps' and stays.
func (p Pooling) Involving(mission string) ledger.Proposal {
	out := ledger.Proposal{Item: p.Proposal.Item, LevelDays: p.Proposal.LevelDays, Transfers: []ledger.Transfer{}}
	for _, tr := range p.Proposal.Transfers {
		if tr.From == mission || tr.To == mission {
			out.Transfers = append(out.Transfers, tr)
		}
	}
	return out
}

// Share is one mission's part in a pooling proposal.
type Share struct {
	Mission   string
	OnHand    float64
	DailyRate float64
	// Change is what the mission receives (above 0) or gives (below 0).
	Change float64
	// DaysNow and DaysAfter are on hand ÷ daily rate before and after
	// the transfers, the simple measure pooling works with.
	DaysNow, DaysAfter float64
}

// Shares lists the part of every mission that uses the item (daily rate
// above 0), in the order of the rows: by mission.
func (p Pooling) Shares() []Share {
	change := map[string]float64{}
	for _, tr := range p.Proposal.Transfers {
		change[tr.From] -= tr.Quantity
		change[tr.To] += tr.Quantity
	}
	var out []Share
	for _, r := range p.Rows {
		if !(r.DailyRate > 0) {
			continue
		}
		c := change[r.Mission]
		out = append(out, Share{Mission: r.Mission, OnHand: r.OnHand, DailyRate: r.DailyRate, Change: c,
			DaysNow: r.OnHand / r.DailyRate, DaysAfter: (r.OnHand + c) / r.DailyRate})
	}
	return out
}
