package reports

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/report"
	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
	ledger "github.com/outpost-org/outpost/internal/supply"
)

// Options says which report to gather.
type Options struct {
	// Date is the day reported on; figures are at its end in Loc.
	Date outpost.Date
	Loc  *time.Location
	// Mission is the mission reported on; "" for the whole corps.
	Mission string
	// Now is when the report is made.
	Now time.Time
	// Pop is the whole corps' population, when the caller already holds
	// one (the server's snapshot), with FirstDay the day of its first
	// event; nil reads it from the store. A mission's report always reads
	// its own.
	Pop      *census.Population
	FirstDay outpost.Date
	// StatementURL gives the public address of a statement; nil leaves
	// the links out.
	StatementURL func(id int64) string
	// Threshold is the shortage threshold in days (0: the default, 14).
	Threshold int
	// Stock computes the stock status; nil computes it with the supply service.
	Stock Stock
}

// seriesMonths is how far back the headcount chart reaches.
const seriesMonths = 14

// Gather fills a situation report's report.Input from the store: the
// census (from everyone's presence history), the departures and
// restrictions, the stock status, the roll calls, the medical cases and
// the published statements, each as of the end of the report's day. The
// command line, the API and the web UI all use it, so that they print the
// same report.
//
// A section whose capability holds no data at all stays nil, and the
// report says "not recorded yet"; a section with data but nothing in the
// period is empty.
func Gather(ctx context.Context, s Store, o Options) (report.Input, error) {
	if o.Loc == nil {
		o.Loc = time.UTC
	}
	if !o.Date.InWindow() {
		return report.Input{}, outpost.Errorf(outpost.EINVALID, "date %q: %s", o.Date, outpost.DateWindow)
	}
	asOf := o.Date.End(o.Loc)
	in := report.Input{Date: string(o.Date), AsOf: asOf, Generated: o.Now}
	missions, err := s.Missions(ctx)
	if err != nil {
		return in, fmt.Errorf("read missions: %w", err)
	}
	if o.Mission != "" {
		i := slices.IndexFunc(missions, func(m outpost.Mission) bool { return m.Code == o.Mission })
		if i < 0 {
			return in, outpost.Errorf(outpost.ENOTFOUND, "no mission %q (see `outpost missions list`)", o.Mission)
		}
		m := missions[i]
		in.Mission = &report.Mission{Code: m.Code, Name: m.Name, Status: string(m.Status)}
	}
	pop, first, err := population(ctx, s, missions, o)
	if err != nil {
		return in, err
	}
	now := pop.At(asOf)
	if in.Mission != nil {
		for _, m := range now.ByMission {
			if m.Code == in.Mission.Code && m.Status != "" {
				in.Mission.Status = m.Status
			}
		}
	}
	if pop.Len() > 0 && first != "" && first <= o.Date {
		in.Census = censusSection(pop, now, first, o)
	}
	steps := []func(context.Context, Store, Options, *report.Input, census.Census) error{
		departures, stock, rollCalls, medical, restrictions, statements,
	}
	for _, step := range steps {
		if err := step(ctx, s, o, &in, now); err != nil {
			return in, err
		}
	}
	return in, nil
}

// population returns the people the report counts and the day of their
// first event.
func population(ctx context.Context, s Store, missions []outpost.Mission, o Options) (*census.Population, outpost.Date, error) {
	if o.Pop != nil && o.Mission == "" {
		return o.Pop, o.FirstDay, nil
	}
	var firstAt int64
	pop, err := census.Build(missions, func(fn func(outpost.Presence) error) error {
		return s.Presence(ctx, func(p outpost.Presence) error {
			if o.Mission != "" && p.Mission != o.Mission {
				return nil
			}
			if len(p.History) > 0 && (firstAt == 0 || p.History[0].At < firstAt) {
				firstAt = p.History[0].At
			}
			return fn(p)
		})
	})
	if err != nil {
		return pop, "", fmt.Errorf("count the census: %w", err)
	}
	// A report of a past date shows the missions as they were then.
	if hs, ok := s.(interface {
		MissionHistory(ctx context.Context, code string) ([]outpost.MissionStatusChange, error)
	}); ok {
		h, err := hs.MissionHistory(ctx, o.Mission)
		if err != nil {
			return pop, "", fmt.Errorf("read the missions' history: %w", err)
		}
		pop = pop.WithMissionHistory(h)
	}
	if firstAt == 0 {
		return pop, "", nil
	}
	return pop, outpost.DateOf(time.Unix(firstAt, 0).In(o.Loc)), nil
}

func counts(c census.Census) report.Counts {
	return report.Counts{InCountry: c.InCountry, InTransit: c.InTransit, Left: c.Left, HeadsOfMission: c.HeadsOfMissionInCountry}
}

func censusSection(pop *census.Population, now census.Census, first outpost.Date, o Options) *report.Census {
	before := pop.At(o.Date.AddDays(-1).End(o.Loc))
	c := &report.Census{Now: counts(now), Before: counts(before)}
	if o.Mission == "" {
		for _, st := range outpost.MissionStatuses {
			if n := now.Missions[st]; n > 0 {
				c.MissionsByStatus = append(c.MissionsByStatus, report.StatusCount{Status: st, N: n})
			}
		}
		was := map[string]int{}
		for _, m := range before.ByMission {
			was[m.Code] = m.InCountry
		}
		for _, m := range now.ByMission {
			c.ByMission = append(c.ByMission, report.MissionCount{Code: m.Code, Name: m.Name, Status: m.Status,
				InCountry: m.InCountry, InTransit: m.InTransit, Left: m.Left, InCountryBefore: was[m.Code],
				HeadOfMission: m.HeadOfMissionInCountry})
		}
	}
	was := map[string]int{}
	for _, k := range before.ByCategory {
		was[k.Category] = k.InCountry
	}
	seen := map[string]bool{}
	for _, k := range now.ByCategory {
		c.ByCategory = append(c.ByCategory, report.CategoryCount{Category: k.Category, InCountry: k.InCountry, Before: was[k.Category]})
		seen[k.Category] = true
	}
	for _, k := range before.ByCategory {
		if !seen[k.Category] {
			c.ByCategory = append(c.ByCategory, report.CategoryCount{Category: k.Category, Before: k.InCountry})
		}
	}
	sort.Slice(c.ByCategory, func(i, j int) bool { return c.ByCategory[i].Category < c.ByCategory[j].Category })
	from := outpost.DateOf(o.Date.Start(time.UTC).AddDate(0, -seriesMonths, 0))
	if first > from {
		from = first
	}
	for _, d := range pop.Series(from, o.Date, o.Loc) {
		c.Series = append(c.Series, report.Day{Date: d.Date, InCountry: d.InCountry, HeadsOfMission: d.HeadsOfMission})
	}
	return c
}

// departures are those of the Window days before and after the end of
// the date; the passengers are those of the newest saved plan that uses
// the departure.
func departures(ctx context.Context, s Store, o Options, in *report.Input, _ census.Census) error {
	all, err := s.Departures(ctx)
	if err != nil {
		return fmt.Errorf("read departures: %w", err)
	}
	if len(all) == 0 {
		return nil
	}
	rs, err := s.Restrictions(ctx)
	if err != nil {
		return fmt.Errorf("read restrictions: %w", err)
	}
	planned, err := plannedPassengers(ctx, s)
	if err != nil {
		return err
	}
	lo := o.Date.AddDays(-report.Window + 1).Start(o.Loc)
	hi := o.Date.AddDays(report.Window).End(o.Loc)
	sec := &report.Departures{}
	for _, d := range all {
		if d.Departs.Before(lo) || d.Departs.After(hi) {
			continue
		}
		row := report.Departure{ID: d.ID, Route: d.Route, Crossing: d.Crossing, Departs: d.Departs, Seats: d.Seats,
			Passengers: -1, Note: closedBy(d, rs, o.Loc)}
		if n, ok := planned[d.ID]; ok {
			row.Passengers = n
		}
		for i, e := range d.Eligible {
			if i > 0 {
				row.Eligible += " "
			}
			row.Eligible += e
		}
		sec.Rows = append(sec.Rows, row)
	}
	in.Departures = sec
	return nil
}

// closedBy names the border closure in force on the departure's day that
// closes its crossing, as the planner would.
func closedBy(d outpost.Departure, rs []outpost.Restriction, loc *time.Location) string {
	day := outpost.DateOf(d.Departs.In(loc))
	for _, r := range rs {
		if r.Kind == "border_closure" && r.InForce(day) && (r.Crossing == "" || r.Crossing == d.Crossing) {
			return "crossing closed: " + r.ID
		}
	}
	return ""
}

func plannedPassengers(ctx context.Context, s Store) (map[string]int, error) {
	plans, err := s.Plans(ctx)
	if err != nil {
		return nil, fmt.Errorf("read plans: %w", err)
	}
	if len(plans) == 0 {
		return nil, nil
	}
	p, err := s.Plan(ctx, plans[0].ID)
	if err != nil {
		return nil, fmt.Errorf("read plan %d: %w", plans[0].ID, err)
	}
	out := map[string]int{}
	for _, a := range p.Assignments {
		out[a.Departure] += len(a.People)
	}
	return out, nil
}

// stock is the supply status of every (mission, item) at the end of the
// date, computed by the supply service exactly as `outpost supply status`.
func stock(ctx context.Context, s Store, o Options, in *report.Input, now census.Census) error {
	threshold := o.Threshold
	if threshold <= 0 {
		threshold = ledger.DefaultThreshold
	}
	headcount := supplyservice.Headcounts(now)
	src := o.Stock
	if src == nil {
		src = StoreStock{s}
	}
	rows, err := src.StockRows(ctx, o.Loc, headcount, supplyservice.Query{AsOf: o.Date, Threshold: threshold, Mission: o.Mission})
	if err != nil {
		return fmt.Errorf("read stock rows: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	items, err := s.Items(ctx)
	if err != nil {
		return fmt.Errorf("read items: %w", err)
	}
	byCode := map[string]outpost.Item{}
	for _, it := range items {
		byCode[it.Code] = it
	}
	sec := &report.Supply{Threshold: threshold}
	for _, r := range rows {
		if headcount[r.Mission] == 0 {
			// Nobody uses the stock of a mission that has left.
			if !slices.Contains(sec.Vacant, r.Mission) {
				sec.Vacant = append(sec.Vacant, r.Mission)
			}
			continue
		}
		it := byCode[r.Item]
		sec.Rows = append(sec.Rows, report.Stock{Mission: r.Mission, Item: r.Item, Name: it.Name, Unit: it.Unit,
			OnHand: r.OnHand, DailyRate: r.DailyRate, DaysOfSupply: r.DaysOfSupply, Shortage: r.Shortage,
			NearExpiry30: r.NearExpiry30d, NearExpiry90: r.NearExpiry90d})
	}
	in.Supply = sec
	return nil
}

// rollCalls are those open at the end of the date or started in the
// Window days up to it, with their answers so far; a mission's report
// counts its own people in roll calls of the whole corps.
func rollCalls(ctx context.Context, s Store, o Options, in *report.Input, _ census.Census) error {
	all, err := s.RollCalls(ctx, "")
	if err != nil {
		return fmt.Errorf("read roll calls: %w", err)
	}
	if len(all) == 0 {
		return nil
	}
	asOf := o.Date.End(o.Loc)
	since := o.Date.AddDays(-report.Window + 1).Start(o.Loc)
	sec := &report.RollCalls{}
	for _, rc := range all {
		if rc.StartedAt.After(asOf) || (o.Mission != "" && rc.Mission != "" && rc.Mission != o.Mission) {
			continue
		}
		open := rc.ClosedAt == nil || rc.ClosedAt.After(asOf)
		if !open && rc.StartedAt.Before(since) {
			continue
		}
		rep, err := s.RollCallReport(ctx, rc.ID)
		if err != nil {
			return fmt.Errorf("read roll call report %d: %w", rc.ID, err)
		}
		row := report.RollCall{ID: rc.ID, Title: rc.Title, Mission: rc.Mission, Started: rc.StartedAt, Open: open,
			Expected: rep.Expected, Safe: rep.Safe, NeedHelp: rep.NeedHelp, NoResponse: rep.NoResponse}
		if o.Mission != "" && rc.Mission == "" {
			row.Expected, row.Safe, row.NeedHelp, row.NoResponse = 0, 0, 0, 0
			for _, m := range rep.ByMission {
				if m.Mission == o.Mission {
					row.Expected, row.Safe, row.NeedHelp, row.NoResponse = m.Expected, m.Safe, m.NeedHelp, m.NoResponse
				}
			}
		}
		sec.Rows = append(sec.Rows, row)
	}
	in.RollCalls = sec
	return nil
}

// medical counts the cases open at the end of the date; a mission's
// report also lists them.
func medical(ctx context.Context, s Store, o Options, in *report.Input, _ census.Census) error {
	cases, err := s.Cases(ctx, outpost.CaseFilter{Mission: o.Mission, All: true})
	if err != nil {
		return fmt.Errorf("read cases: %w", err)
	}
	if len(cases) == 0 {
		return nil
	}
	asOf := o.Date.End(o.Loc)
	sec := &report.Medical{}
	byMission := map[string]*report.MedicalCount{}
	for _, c := range cases {
		if c.OpenedAt.After(asOf) || (c.ClosedAt != nil && !c.ClosedAt.After(asOf)) {
			continue
		}
		mc := byMission[c.Mission]
		if mc == nil {
			mc = &report.MedicalCount{Mission: c.Mission}
			byMission[c.Mission] = mc
		}
		switch c.Precedence {
		case outpost.Urgent:
			sec.Urgent++
			mc.Urgent++
		case outpost.Priority:
			sec.Priority++
			mc.Priority++
		default:
			sec.Routine++
			mc.Routine++
		}
		if o.Mission != "" {
			row := report.MedicalCase{Person: c.Person, Precedence: string(c.Precedence), Need: c.Need, Opened: c.OpenedAt}
			if p, err := s.Person(ctx, c.Person); err == nil {
				row.Name = p.GivenName + " " + p.FamilyName
			}
			sec.Cases = append(sec.Cases, row)
		}
	}
	if o.Mission == "" {
		for _, mc := range byMission {
			sec.ByMission = append(sec.ByMission, *mc)
		}
		sort.Slice(sec.ByMission, func(i, j int) bool { return sec.ByMission[i].Mission < sec.ByMission[j].Mission })
	}
	in.Medical = sec
	return nil
}

func restrictions(ctx context.Context, s Store, o Options, in *report.Input, _ census.Census) error {
	all, err := s.Restrictions(ctx)
	if err != nil {
		return fmt.Errorf("read restrictions: %w", err)
	}
	if len(all) == 0 {
		return nil
	}
	sec := &report.Restrictions{}
	for _, r := range all {
		if r.InForce(o.Date) {
			sec.Rows = append(sec.Rows, report.Restriction{ID: r.ID, Kind: r.Kind, Crossing: r.Crossing,
				Starts: string(r.Starts), Ends: string(r.Ends), Days: r.Days, Note: r.Note, Source: r.Source})
		}
	}
	in.Restrictions = sec
	return nil
}

// statements are those published in the Window days up to the end of the
// date, those withdrawn since marked so: the mission's own in a
// mission's report.
func statements(ctx context.Context, s Store, o Options, in *report.Input, _ census.Census) error {
	list, err := s.Statements(ctx, outpost.StatementFilter{Mission: o.Mission, Status: outpost.StatementPublished,
		PublishedFrom: o.Date.AddDays(-report.Window + 1).Start(o.Loc), PublishedTo: o.Date.End(o.Loc)})
	if err != nil {
		return fmt.Errorf("read statements: %w", err)
	}
	sec := &report.Statements{}
	for _, st := range list {
		row := report.Statement{ID: st.ID, Mission: st.Mission, Title: st.Title, Published: st.Published}
		// Listed, as the public list keeps it, but marked withdrawn when
		// it was by the end of the day: a report of an earlier day
		// shows it as it stood then.
		if !st.Withdrawn.IsZero() && st.Withdrawn.Before(o.Date.AddDays(1).Start(o.Loc)) {
			row.Withdrawn = st.Withdrawn
		}
		if o.StatementURL != nil {
			row.URL = o.StatementURL(st.ID)
		}
		sec.Rows = append(sec.Rows, row)
	}
	in.Statements = sec
	return nil
}
