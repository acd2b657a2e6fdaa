// Package reports is the reports capability: the situation report of a
// day, gathered from every other capability's figures, for whoever may
// read it. Package report renders what it gathers (Markdown, HTML, PDF).
//
// The figures come from behind small interfaces so that the services of
// the other capabilities can provide them: Corps (the whole corps'
// population and the post's time zone, today the server's census
// snapshot) and Stock (the stock status, from the supply service); the
// rest is read from the Store.
package reports

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/mapsvg"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/report"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
	ledger "github.com/outpost-org/outpost/internal/supply"
)

// Store is what a report reads directly: the missions and presence
// history, evacuation, supply, welfare and statements records.
type Store = outpost.Store

// Population is the whole corps as a report counts it.
type Population struct {
	// Loc is the post's time zone.
	Loc *time.Location
	// Pop is the whole corps' population, with FirstDay the day of its
	// first event, when the caller holds one in memory; nil reads it from
	// the store.
	Pop      *census.Population
	FirstDay outpost.Date
}

// Corps provides the whole corps' population and the post's time zone.
type Corps interface {
	Corps(ctx context.Context) (Population, error)
}

// CorpsFunc is a function that is a Corps.
type CorpsFunc func(ctx context.Context) (Population, error)

// Corps calls f.
func (f CorpsFunc) Corps(ctx context.Context) (Population, error) { return f(ctx) }

// Stock computes the stock status rows of q with headcount, the people
// of each mission, in the time zone loc.
type Stock interface {
	StockRows(ctx context.Context, loc *time.Location, headcount map[string]int, q supplyservice.Query) ([]ledger.Row, error)
}

// StoreStock computes the stock status with the supply service over a
// store, exactly as `outpost supply status`.
type StoreStock struct{ Store outpost.Store }

// StockRows implements Stock.
func (s StoreStock) StockRows(ctx context.Context, loc *time.Location, headcount map[string]int, q supplyservice.Query) ([]ledger.Row, error) {
	svc := supplyservice.New(s.Store, time.Now, supplyservice.Post{Loc: supplyservice.Zone(loc),
		Headcount: func(context.Context, time.Time) (map[string]int, error) { return headcount, nil }})
	return svc.Rows(ctx, outpost.Operator("report"), q)
}

// Service gathers situation reports for the callers who may read them.
type Service struct {
	store Store
	corps Corps
	// Stock computes the stock section (default StoreStock).
	Stock Stock
	// Now is the clock.
	Now func() time.Time
	// Map gives the evacuation map of a day as the caller may see it
	// (default: the evacuation service's over the same store); nil
	// leaves the map out.
	Map func(ctx context.Context, caller outpost.User, q evacuation.MapQuery) (mapsvg.Map, error)
}

// New returns the service over store; corps provides the whole corps'
// population and the time zone; now is the clock (nil: time.Now).
func New(store Store, corps Corps, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, corps: corps, Stock: StoreStock{store}, Now: now, Map: evacuation.New(store, now, nil).Map}
}

// Query says which situation report to gather.
type Query struct {
	// Date is the day, "" for today in the post's time zone.
	Date outpost.Date
	// Mission is one mission's report, "" the whole corps'.
	Mission string
	// StatementURL gives the public address of a statement; nil leaves
	// the links out.
	StatementURL func(id int64) string
}

// SitrepMission returns the mission whose situation report the caller
// may read when they ask for requested ("" = the whole corps): the admin
// any; a mission's manager and staff their own (another mission answers
// 404); the coordinator the corps' only, which holds counts and no one's
// record. Other roles may read none (403).
func SitrepMission(u outpost.User, requested string) (string, error) {
	switch {
	case u.Role == outpost.RoleAdmin:
		return requested, nil
	case u.Role.MissionBound() && u.CanSome(outpost.ReadMissionSitrep):
		if requested != "" && requested != u.Mission {
			return "", outpost.Errorf(outpost.ENOTFOUND, "There is no situation report of %q for you.", requested)
		}
		return u.Mission, nil
	case u.Can(outpost.ReadCorpsSitrep, ""):
		if requested != "" {
			return "", outpost.Errorf(outpost.ENOTFOUND, "There is no situation report of %q for you: the coordinator reads the whole corps' report.", requested)
		}
		return "", nil
	}
	return "", outpost.Errorf(outpost.EFORBIDDEN, "Your role may not read situation reports.")
}

// CanRead reports whether the user may read some situation report.
func CanRead(u outpost.User) bool {
	_, err := SitrepMission(u, "")
	return err == nil
}

// Sitrep gathers the situation report q asks for, within what the
// caller may read (SitrepMission). The whole corps' report counts from
// the population Corps holds.
func (s *Service) Sitrep(ctx context.Context, caller outpost.User, q Query) (report.Input, error) {
	mission, err := SitrepMission(caller, q.Mission)
	if err != nil {
		return report.Input{}, err
	}
	corps, err := s.corps.Corps(ctx)
	if err != nil {
		return report.Input{}, fmt.Errorf("sitrep: %w", err)
	}
	now := s.Now()
	day := censusservice.Today(ctx, now, corps.Loc)
	if q.Date != "" {
		if day, err = outpost.ParseDate(string(q.Date)); err != nil {
			return report.Input{}, outpost.Errorf(outpost.EINVALID, "date %q: %v", q.Date, err)
		}
	}
	o := Options{Date: day, Loc: corps.Loc, Mission: mission, Now: now, StatementURL: q.StatementURL, Stock: s.Stock}
	if mission == "" {
		o.Pop, o.FirstDay = corps.Pop, corps.FirstDay
	}
	in, err := Gather(ctx, s.store, o)
	if err != nil || s.Map == nil {
		return in, err
	}
	// The map of the day, with the newest plan begun by then; a reader
	// whom evacuation plans are closed to gets the report without it.
	m, err := s.Map(ctx, caller, evacuation.MapQuery{On: day})
	switch {
	case outpost.ErrorCode(err) == outpost.EFORBIDDEN:
	case err != nil:
		return in, fmt.Errorf("sitrep: %w", err)
	default:
		m.ID = "sitrep-map"
		in.Map = &m
	}
	return in, nil
}

// Formats are the formats a situation report is written in as a file.
var Formats = []string{"md", "html", "pdf"}

// Document is a situation report written as a file.
type Document struct {
	// Type is its media type, Name its file name.
	Type, Name string
	Data       []byte
}

// Render writes in as a file in format (md, html or pdf).
func Render(in report.Input, format string) (Document, error) {
	var b bytes.Buffer
	var err error
	var ctype string
	switch format {
	case "md":
		ctype, err = "text/markdown; charset=utf-8", report.Markdown(&b, in)
	case "html":
		ctype, err = "text/html; charset=utf-8", report.HTML(&b, in)
	case "pdf":
		ctype, err = "application/pdf", report.PDF(&b, in)
	default:
		return Document{}, outpost.Errorf(outpost.EINVALID, "format %q: want md, html or pdf", format)
	}
	if err != nil {
		return Document{}, fmt.Errorf("sitrep: %w", err)
	}
	name := "sitrep-" + in.Date
	if in.Mission != nil {
		name += "-" + in.Mission.Code
	}
	return Document{Type: ctype, Name: name + "." + format, Data: b.Bytes()}, nil
}
