package web

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/service/registry"
	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
	"github.com/outpost-org/outpost/internal/service/welfare"
	"github.com/outpost-org/outpost/internal/supply"
)

// The dashboard's action part: what needs doing today, for the caller's
// mission (a mission's users) or across the missions (the coordinator and
// the admin). Every block is gathered from a service with the caller, so
// a block the caller's role may not read is not there at all (Shown
// false), and one with nothing in it says so.

// StaleAfter is how old the latest record of something may be before the
// dashboard says so in words: figures a fortnight old are not today's.
const StaleAfter = 14 * 24 * time.Hour

// Bounds of what each block lists; the rest is counted and linked.
const (
	maxNames       = 8 // people who asked for help, or have not answered
	maxCases       = 5 // cases of each precedence
	maxDepartures  = 5
	maxStockLines  = 8
	maxStatements  = 5
	maxChangeLines = 8
	maxStaleLines  = 4
)

// Actions is what needs doing, block by block.
type Actions struct {
	// Corps is the view across the missions (coordinator, admin).
	Corps bool
	// Mission is a mission user's mission.
	Mission string

	RollCalls RollCallBlock
	Cases     CaseBlock
	Departs   DepartureBlock
	Stock     StockBlock
	Press     StatementBlock
	Changes   ChangeBlock
	// Missions are the corps view's rows, the busiest first; Empty those
	// with nobody in the country (folded away); Totals their sum.
	Missions, Empty []MissionLine
	Totals          MissionLine
	// CensusStale says in words that the census has had no movement for
	// long ("" when it has).
	CensusStale string
}

// PersonLink is a person named on the dashboard, with where to deal with
// them.
type PersonLink struct {
	Name, Href, Note string
}

// RollCallBlock is the open roll calls: who asked for help and who has
// not answered.
type RollCallBlock struct {
	Shown bool
	Open  []RollCallLine
	// NeedHelp and NoAnswer sum the open roll calls' counts.
	NeedHelp, NoAnswer int
	// Stale says "No roll call since …" when the last one is old; None
	// that there has never been one.
	Stale string
	None  bool
}

// RollCallLine is one open roll call.
type RollCallLine struct {
	ID                           int64
	Title, Href                  string
	Expected, NeedHelp, NoAnswer int
	// Named says whether the caller may read who answered what; Help
	// and Silent are then the first of those who asked for help and who
	// have not answered, MoreHelp and MoreSilent the rest.
	Named                bool
	Help, Silent         []PersonLink
	MoreHelp, MoreSilent int
}

// CaseBlock is the open medical cases by precedence.
type CaseBlock struct {
	Shown bool
	// Named says whether the caller reads the cases themselves, or only
	// their counts.
	Named                     bool
	Urgent, Priority, Routine CaseGroup
}

// Groups are the three precedences, the most urgent first.
func (b CaseBlock) Groups() []CaseGroup {
	b.Urgent.Precedence, b.Priority.Precedence, b.Routine.Precedence = outpost.Urgent, outpost.Priority, outpost.Routine
	return []CaseGroup{b.Urgent, b.Priority, b.Routine}
}

// CaseGroup is the open cases of one precedence.
type CaseGroup struct {
	Precedence outpost.Precedence
	Count      int
	Cases      []PersonLink
	More       int
}

// DepartureBlock is the next departures.
type DepartureBlock struct {
	Shown bool
	Next  []DepartureLine
}

// DepartureLine is one departure and its board's counts.
type DepartureLine struct {
	evacuation.NextDeparture
	Href                                string
	Assembled, Departed, Crossed, Total int
}

// StockBlock is the items short or out, and old stock figures.
type StockBlock struct {
	Shown bool
	Lines []StockLine
	More  int
	// Stale lists the missions whose last stock entry is old, in words,
	// the first maxStockLines of them; MoreStale counts the rest.
	Stale     []string
	MoreStale int
	// None says no stock has been recorded at all.
	None bool
}

// StockLine is one item short or out at one mission.
type StockLine struct {
	Mission, Item, Name, Days string
	Out                       bool
}

// StatementBlock is the statements waiting for approval or publishing.
type StatementBlock struct {
	Shown              bool
	Drafts, Approved   []outpost.Statement
	MoreDrafts, MoreOK int
}

// ChangeBlock is what changed since the caller's previous visit.
type ChangeBlock struct {
	registry.Changes
	Lines []ChangeLine
}

// ChangeLine is one audit entry in words.
type ChangeLine struct {
	At         time.Time
	Actor      string
	What, Href string
}

// MissionLine is one mission of the corps view.
type MissionLine struct {
	registry.MissionSummary
	NeedHelp, NoAnswer        int
	Urgent, Priority, Routine int
	Short, Out                int
	StockStale                string
}

// staleSince says "<what> since 23 July 2021" when last is more than
// StaleAfter before the page's moment, "" otherwise.
func staleSince(what string, last, page time.Time, loc *time.Location) string {
	if last.IsZero() || page.Sub(last) <= StaleAfter {
		return ""
	}
	return what + " " + last.In(loc).Format("2 January 2006")
}

// actions gathers the action part of the dashboard for u at the page's
// moment at (the as-of date's end, or now) and the clock's now (for the
// visit).
// c is the census at at, whose headcounts the supplies block reuses when
// at is the end of a day.
func (h *Web) actions(ctx context.Context, u outpost.User, at, now time.Time, loc *time.Location, c census.Census, missions []registry.MissionSummary, lastChange string) (Actions, error) {
	a := Actions{Corps: !u.Role.MissionBound(), Mission: u.Mission}
	if lastChange != "" {
		last := outpost.Date(lastChange).Start(loc)
		a.CensusStale = staleSince("Census: last movement recorded", last, at, loc)
	}
	byMission := map[string]*MissionLine{}
	for _, m := range missions {
		byMission[m.Code] = &MissionLine{MissionSummary: m}
	}
	line := func(code string) *MissionLine {
		if l := byMission[code]; l != nil {
			return l
		}
		return &MissionLine{} // a roll call over everyone counts no mission
	}

	// Roll calls.
	if u.CanSome(welfare.ReadRollCalls) {
		open, last, err := h.Welfare.OpenRollCalls(ctx, u, maxNames)
		if err != nil {
			return a, fmt.Errorf("dashboard: roll calls: %w", err)
		}
		a.RollCalls.Shown = true
		a.RollCalls.None = last.IsZero()
		a.RollCalls.Stale = staleSince("No roll call since", last, at, loc)
		for _, v := range open {
			l := RollCallLine{ID: v.ID, Title: v.Title, Href: fmt.Sprintf("/rollcalls/%d", v.ID)}
			for _, m := range v.ByMission {
				// A mission's users act on their own people: the counts
				// of a roll call over everyone are cut to their mission.
				if u.Role.MissionBound() && m.Mission != u.Mission {
					continue
				}
				l.Expected += m.Expected
				l.NeedHelp += m.NeedHelp
				l.NoAnswer += m.NoResponse
				ml := line(m.Mission)
				ml.NeedHelp += m.NeedHelp
				ml.NoAnswer += m.NoResponse
			}
			a.RollCalls.NeedHelp += l.NeedHelp
			a.RollCalls.NoAnswer += l.NoAnswer
			if v.Shown != "" {
				l.Named = true
				pick := func(es []outpost.ScopeEntry, count int) ([]PersonLink, int) {
					var out []PersonLink
					for _, e := range es {
						out = append(out, PersonLink{Name: e.GivenName + " " + e.FamilyName, Href: "/people/" + url.PathEscape(e.Person), Note: e.Note})
					}
					return out, count - len(out)
				}
				l.Help, l.MoreHelp = pick(v.NeedHelp, l.NeedHelp)
				l.Silent, l.MoreSilent = pick(v.NoResponse, l.NoAnswer)
			}
			a.RollCalls.Open = append(a.RollCalls.Open, l)
		}
	}

	// Medical cases.
	if u.CanSome(welfare.CountCases) {
		list, err := h.Welfare.Cases(ctx, u, "", false)
		if err != nil {
			return a, fmt.Errorf("dashboard: medical cases: %w", err)
		}
		a.Cases.Shown = true
		a.Cases.Named = u.CanSome(welfare.ReadCases)
		for _, c := range list.Counts {
			if u.Role.MissionBound() && c.Mission != u.Mission {
				continue
			}
			a.Cases.Urgent.Count += c.Urgent
			a.Cases.Priority.Count += c.Priority
			a.Cases.Routine.Count += c.Routine
			ml := line(c.Mission)
			ml.Urgent, ml.Priority, ml.Routine = c.Urgent, c.Priority, c.Routine
		}
		slices.SortStableFunc(list.Cases, func(x, y outpost.MedicalCase) int { return x.OpenedAt.Compare(y.OpenedAt) })
		for _, c := range list.Cases {
			g := &a.Cases.Routine
			switch c.Precedence {
			case outpost.Urgent:
				g = &a.Cases.Urgent
			case outpost.Priority:
				g = &a.Cases.Priority
			}
			if len(g.Cases) == maxCases {
				g.More++
				continue
			}
			name := h.Welfare.PersonName(ctx, u, c.Person)
			if name == "" {
				name = c.Person
			}
			g.Cases = append(g.Cases, PersonLink{Name: name, Href: fmt.Sprintf("/medical/%d", c.ID), Note: c.Need})
		}
	}

	// Next departures.
	if evacuation.MayRead(u) == nil {
		next, err := h.Evacuation.NextDepartures(ctx, u, at, maxDepartures)
		if err != nil {
			return a, fmt.Errorf("dashboard: departures: %w", err)
		}
		a.Departs.Shown = true
		for _, d := range next {
			l := DepartureLine{NextDeparture: d, Href: "/evac", Total: d.Board.Total}
			if d.Plan != 0 {
				l.Href = fmt.Sprintf("/evac/plans/%d/departures/%s", d.Plan, url.PathEscape(d.ID))
				l.Assembled = d.Board.Counts["assembled"]
				l.Departed = d.Board.Counts["departed"]
				l.Crossed = d.Board.Counts["crossed"] + d.Board.Counts["arrived"]
			}
			a.Departs.Next = append(a.Departs.Next, l)
		}
	}

	// Supplies.
	if supplyservice.CanRead(u) {
		day := outpost.DateOf(at.In(loc))
		q := supplyservice.Query{AsOf: day, Threshold: supply.DefaultThreshold}
		if at.Equal(day.End(loc)) {
			q.Headcount = supplyservice.Headcounts(c)
		}
		att, err := h.Supply.Attention(ctx, u, q)
		if err != nil {
			return a, fmt.Errorf("dashboard: supplies: %w", err)
		}
		a.Stock.Shown = true
		a.Stock.None = len(att.LastEntry) == 0
		names := map[string]string{}
		if items, err := h.Supply.Items(ctx, u); err == nil {
			for _, it := range items {
				names[it.Code] = it.Name
			}
		}
		for _, r := range att.Rows {
			out := r.OnHand <= 0
			ml := line(r.Mission)
			if out {
				ml.Out++
			} else {
				ml.Short++
			}
			if len(a.Stock.Lines) == maxStockLines {
				a.Stock.More++
				continue
			}
			days := "—"
			if r.DaysOfSupply != nil {
				days = fmt.Sprint(*r.DaysOfSupply)
			}
			a.Stock.Lines = append(a.Stock.Lines, StockLine{Mission: r.Mission, Item: r.Item, Name: cmp.Or(names[r.Item], r.Item), Days: days, Out: out})
		}
		codes := make([]string, 0, len(att.LastEntry))
		for m := range att.LastEntry {
			codes = append(codes, m)
		}
		slices.Sort(codes)
		for _, m := range codes {
			s := staleSince("no stock recorded since", att.LastEntry[m].Start(loc), at, loc)
			if s == "" {
				continue
			}
			line(m).StockStale = s
			if !a.Corps {
				s = "No stock recorded since " + att.LastEntry[m].Start(loc).Format("2 January 2006")
			} else {
				s = m + ": " + s
			}
			if len(a.Stock.Stale) == maxStaleLines {
				a.Stock.MoreStale++
				continue
			}
			a.Stock.Stale = append(a.Stock.Stale, s)
		}
	}

	// Statements waiting.
	if u.CanSome(outpost.ReadStatements) {
		a.Press.Shown = true
		var err error
		if a.Press.Drafts, a.Press.MoreDrafts, err = h.waiting(ctx, u, outpost.StatementDraft); err != nil {
			return a, err
		}
		if a.Press.Approved, a.Press.MoreOK, err = h.waiting(ctx, u, outpost.StatementApproved); err != nil {
			return a, err
		}
	}

	// What changed since the last visit.
	ch, err := h.Registry.Visit(ctx, u, now, maxChangeLines)
	if err != nil {
		return a, fmt.Errorf("dashboard: %w", err)
	}
	a.Changes.Changes = ch
	for _, e := range ch.Entries {
		a.Changes.Lines = append(a.Changes.Lines, changeLine(e))
	}

	// The corps view: the missions by headcount, the empty ones apart.
	if a.Corps {
		for _, m := range missions {
			l := *byMission[m.Code]
			if l.InCountry == 0 {
				a.Empty = append(a.Empty, l)
			} else {
				a.Missions = append(a.Missions, l)
			}
			t := &a.Totals
			t.InCountry += l.InCountry
			t.InTransit += l.InTransit
			t.NeedHelp += l.NeedHelp
			t.NoAnswer += l.NoAnswer
			t.Urgent += l.Urgent
			t.Priority += l.Priority
			t.Routine += l.Routine
			t.Short += l.Short
			t.Out += l.Out
		}
		slices.SortStableFunc(a.Missions, func(x, y MissionLine) int {
			return cmp.Or(cmp.Compare(y.InCountry, x.InCountry), cmp.Compare(x.Code, y.Code))
		})
	}
	return a, nil
}

// waiting lists the caller's statements of one status, oldest first, at
// most maxStatements, and how many more there are.
func (h *Web) waiting(ctx context.Context, u outpost.User, st outpost.StatementStatus) ([]outpost.Statement, int, error) {
	list, _, err := h.Statements.List(ctx, u, outpost.StatementFilter{Status: st})
	if err != nil {
		return nil, 0, fmt.Errorf("dashboard: statements: %w", err)
	}
	if len(list) > maxStatements {
		return list[:maxStatements], len(list) - maxStatements, nil
	}
	return list, 0, nil
}

// changeWords are the audit actions the dashboard says in words, by
// "action entity".
var changeWords = map[string]string{
	"track person": "recorded a checkpoint of", "checkin rollcall": "recorded an answer to roll call",
	"start rollcall": "started roll call", "close rollcall": "closed roll call", "escalate rollcall": "escalated roll call",
	"open medical_case": "opened medical case", "update medical_case": "updated medical case", "close medical_case": "closed medical case",
	"draft statement": "drafted statement", "edit statement": "edited statement", "approve statement": "approved statement",
	"publish statement": "published statement", "receive receipt": "recorded a receipt", "issue issue": "recorded an issue",
	"transfer transfer": "recorded a transfer", "plan plan": "made plan", "create user": "created user",
	"create token": "issued API token", "revoke token": "revoked API token", "set_password user": "set the password of",
	"attach statement": "attached a photo to statement", "detach statement": "removed a photo from statement",
}

// changeLine writes an audit entry in words, linked to where its record
// is dealt with (the audit log when there is no page of its own).
func changeLine(e outpost.AuditEntry) ChangeLine {
	l := ChangeLine{At: e.At, Actor: e.Actor, Href: "/audit" + query("entity", e.Entity)}
	what := changeWords[e.Action+" "+e.Entity]
	if what == "" {
		what = strings.ReplaceAll(e.Action+" "+e.Entity, "_", " ")
	}
	l.What = what + " " + e.EntityID
	switch e.Entity {
	case "person":
		l.Href = "/people/" + url.PathEscape(e.EntityID)
	case "rollcall":
		l.Href = "/rollcalls/" + url.PathEscape(e.EntityID)
	case "medical_case":
		l.Href = "/medical/" + url.PathEscape(e.EntityID)
	case "statement":
		l.Href = "/press/" + url.PathEscape(e.EntityID)
	case "plan":
		l.Href = "/evac/plans/" + url.PathEscape(e.EntityID)
	case "receipt", "issue", "transfer":
		l.Href = "/supply"
	}
	return l
}
