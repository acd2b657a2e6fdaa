package web

import (
	"net/http"
	"time"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/transport"
)

// DashboardPage is the data of the dashboard.
type DashboardPage struct {
	AsOf     time.Time
	AsOfDate string
	// Asked is the as_of of the request, "" for now.
	Asked    string
	Census   census.Census
	Missions []registry.MissionSummary
	Chart    Chart
	// LastChange is the last day anyone's presence changed.
	LastChange string
	// Map is the country's crossings on the page's day and the routes of
	// the newest plan begun by then; nil for who may not read evacuation.
	Map *MapPart
	// Actions is what needs doing, for the caller's mission or across the
	// missions (dashboard_actions.go).
	Actions Actions
}

// chartMonths is how far back the headcount chart looks.
const chartMonths = 18

// registryPages are the dashboard, people and missions.
func (h *Web) registryPages() []Page {
	people := func(u outpost.User) bool { return u.CanSome(outpost.ReadPeople) }
	return []Page{
		{Method: "GET", Path: "/{$}", Handler: h.dashboard, Nav: &NavItem{Label: "Dashboard", Order: 10, Href: "/"}},
		{Method: "GET", Path: "/people", Handler: h.people, Nav: &NavItem{Label: "People", Order: 20, Show: people}},
		{Method: "GET", Path: "/people/{id}", Handler: h.person},
		{Method: "POST", Path: "/people/{id}/track", Handler: h.track},
		{Method: "GET", Path: "/missions", Handler: h.missions, Nav: &NavItem{Label: "Missions", Order: 30}},
		{Method: "GET", Path: "/missions/{code}", Handler: h.mission},
	}
}

func (h *Web) dashboard(w http.ResponseWriter, r *http.Request) error {
	snap, err := h.Snapshot(r)
	if err != nil {
		return err
	}
	if censusservice.MayRead(transport.Caller(r)) != nil {
		return outpost.Errorf(outpost.EFORBIDDEN, "Your role may not read the census.")
	}
	t, err := transport.AsOf(r, h.Now(), snap.Loc)
	if err != nil {
		return err
	}
	c := snap.Census(t)
	// Asked names the day shown: the as_of asked for, or the server's
	// page day (the demo's day of the past).
	p := DashboardPage{AsOf: t, AsOfDate: t.Format(time.DateOnly), Asked: asked(r),
		Census: c, Missions: registry.Summaries(snap, c)}
	if n := len(snap.Days); n > 0 {
		p.LastChange = snap.Days[n-1].Date
		end := outpost.Date(p.AsOfDate)
		if limit := outpost.Date(p.LastChange).AddDays(30); end > limit {
			end = limit
		}
		start := outpost.DateOf(end.Start(time.UTC).AddDate(0, -chartMonths, 0))
		if first := outpost.Date(snap.Days[0].Date); start < first {
			start = first
		}
		marker := ""
		if p.Asked != "" {
			marker = p.AsOfDate
		}
		p.Chart = HeadcountChart(snap.Headcount(start, end), marker)
	}
	if p.Actions, err = h.actions(r.Context(), transport.Caller(r), t, h.Now(), snap.Loc, c, p.Missions, p.LastChange); err != nil {
		return err
	}
	if p.Map, err = h.DashboardMap(r, outpost.Date(p.AsOfDate)); err != nil {
		return err
	}
	return h.Render(w, r, http.StatusOK, "dashboard", p)
}
