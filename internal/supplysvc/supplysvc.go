// Package supplysvc connects the pure stock computations (internal/supply)
// to the store: it gathers the ledger up to a day, the catalogue's planned
// use and each mission's headcount, and computes the status rows, an
// item's pooling proposal and the corps-wide summary by item. The command
// line, the situation report, the JSON API and the web UI share this one
// copy, so they print the same numbers. It reads the store only through
// the outpost.Store interface; the post's time zone is passed in.
package supplysvc

import (
	"context"
	"math"
	"time"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/supply"
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
}

// Status is the answer of `outpost supply status --json` and of GET
// /api/v1/supply/status, as INTERFACES.md ("Supplies") fixes it.
type Status struct {
	AsOf      outpost.Date `json:"as_of"`
	Threshold int          `json:"threshold"`
	Rows      []supply.Row `json:"rows"`
}

// Service computes stock figures over a store.
type Service struct {
	Store outpost.Store
	// Loc is the post's time zone: a day ends at midnight there.
	Loc *time.Location
	// Headcount returns each mission's people in the country at a moment,
	// for the planned rate of items a mission has not issued lately. Nil
	// counts them from the store's presence history, a full read; the
	// server passes its in-memory census instead.
	Headcount func(ctx context.Context, at time.Time) (map[string]int, error)
}

// Headcounts returns each mission's people in the country in a census.
func Headcounts(c census.Census) map[string]int {
	out := make(map[string]int, len(c.ByMission))
	for _, m := range c.ByMission {
		out[m.Code] = m.InCountry
	}
	return out
}

func (s *Service) loc() *time.Location {
	if s.Loc == nil {
		return time.UTC
	}
	return s.Loc
}

func (s *Service) headcount(ctx context.Context, at time.Time) (map[string]int, error) {
	if s.Headcount != nil {
		return s.Headcount(ctx, at)
	}
	ms, err := s.Store.Missions(ctx)
	if err != nil {
		return nil, err
	}
	pop, err := census.Build(ms, func(fn func(outpost.Presence) error) error { return s.Store.Presence(ctx, fn) })
	if err != nil {
		return nil, err
	}
	return Headcounts(pop.At(at)), nil
}

// Status computes the status document of q.
func (s *Service) Status(ctx context.Context, q Query) (Status, error) {
	rows, err := s.Rows(ctx, q)
	if err != nil {
		return Status{}, err
	}
	return Status{AsOf: q.AsOf, Threshold: q.Threshold, Rows: rows}, nil
}

// Rows computes the status rows at the end of q.AsOf, exactly as
// INTERFACES.md defines them: the ledger rows dated on or before it, the
// items' planned use, and each mission's headcount in the country at the
// end of that day in the post's zone. The rows are sorted by mission then
// item, one per (mission, item) with a receipt by then; never nil.
func (s *Service) Rows(ctx context.Context, q Query) ([]supply.Row, error) {
	day, err := supply.ParseDate(string(q.AsOf))
	if err != nil {
		return nil, outpost.Errorf(outpost.EINVALID, "as of %q: %v", q.AsOf, err)
	}
	items, err := s.Store.Items(ctx)
	if err != nil {
		return nil, err
	}
	perPerson := make(map[string]float64, len(items))
	for _, it := range items {
		perPerson[it.Code] = it.DailyPerPerson
	}
	headcount, err := s.headcount(ctx, q.AsOf.End(s.loc()))
	if err != nil {
		return nil, err
	}
	l, err := s.Store.Ledger(ctx, outpost.LedgerFilter{Mission: q.Mission, Item: q.Item, AsOf: q.AsOf, Summed: true})
	if err != nil {
		return nil, err
	}
	rows, err := supply.Status(l.Receipts, l.Issues, supply.Params{AsOf: day, Threshold: q.Threshold,
		PerPerson: perPerson, Headcount: headcount, Transferred: l.Transferred})
	if err != nil {
		return nil, outpost.Errorf(outpost.EINTERNAL, "the stock ledger does not replay: %v", err)
	}
	if rows == nil {
		rows = []supply.Row{}
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
	Rows     []supply.Row
	Proposal supply.Proposal
}

// Pool proposes transfers of item between the missions with their stock
// at the end of asOf, as `outpost supply pool` does: ENOTFOUND for an
// unknown item, EINVALID for a target that is not above 0.
func (s *Service) Pool(ctx context.Context, item string, asOf outpost.Date, target float64) (Pooling, error) {
	if !(target > 0) || math.IsInf(target, 0) {
		return Pooling{}, outpost.Errorf(outpost.EINVALID, "target %v: want a number of days above 0", target)
	}
	it, err := s.Store.Item(ctx, item)
	if err != nil {
		return Pooling{}, err
	}
	rows, err := s.Rows(ctx, Query{AsOf: asOf, Threshold: supply.DefaultThreshold, Item: it.Code})
	if err != nil {
		return Pooling{}, err
	}
	return Pooling{Item: it, AsOf: asOf, Target: target, Rows: rows, Proposal: supply.Pool(it.Code, rows, target)}, nil
}

// Involving returns the proposal cut down to the transfers mission gives
// or receives; the level reached is the corps' and stays.
func (p Pooling) Involving(mission string) supply.Proposal {
	out := supply.Proposal{Item: p.Proposal.Item, LevelDays: p.Proposal.LevelDays, Transfers: []supply.Transfer{}}
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
