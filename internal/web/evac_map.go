package web

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/outpost-org/outpost/internal/mapsvg"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/transport"
)

// MapPart is the data of the "map" partial (templates/_map.html): the
// map's facts and where the day chooser sends its form.
type MapPart struct {
	mapsvg.Map
	// Heading is the partial's heading level, 2 unless a page nests it.
	Heading int
	// Choose, when set, is the page the partial's day chooser reloads
	// (GET ?map_on=); Keep are the query values it sends along.
	Choose string
	Keep   map[string]string
}

// evacMap is the map for the request's caller, nil for a caller who may
// not read evacuation plans, who sees no map at all. id prefixes the
// SVG's ids, unique on the page.
func (h *Web) evacMap(r *http.Request, id string, q evacuation.MapQuery) (*MapPart, error) {
	u := transport.Caller(r)
	if h.Evacuation == nil || !u.CanSome(evacuation.ReadEvacuation) {
		return nil, nil
	}
	m, err := h.Evacuation.Map(r.Context(), u, q)
	if err != nil {
		return nil, err
	}
	m.ID = id
	return &MapPart{Map: m, Heading: 2}, nil
}

// mapQuery reads the map's ?map_on= and ?map_plan= of a page that lets
// the reader choose the day and the plan.
func mapQuery(r *http.Request) (evacuation.MapQuery, error) {
	q := r.URL.Query()
	plan, err := evacuation.MapPlanID(strings.TrimSpace(q.Get("map_plan")))
	if err != nil {
		return evacuation.MapQuery{}, outpost.Errorf(outpost.EINVALID, "map_plan: %s", outpost.ErrorMessage(err))
	}
	on := strings.TrimSpace(q.Get("map_on"))
	if on != "" {
		if _, err := outpost.ParseDate(on); err != nil {
			return evacuation.MapQuery{}, outpost.Errorf(outpost.EINVALID, "map_on %q: %v", on, err)
		}
	}
	return evacuation.MapQuery{On: outpost.Date(on), Plan: plan}, nil
}

// mapSVG draws a map for a template. The SVG is written by mapsvg, which
// escapes every text it puts in, so it is trusted as HTML.
func mapSVG(m mapsvg.Map) (template.HTML, error) {
	s, err := mapsvg.SVG(m)
	return template.HTML(s), err // #nosec G203 -- mapsvg escapes every text
}

// overviewMap is the map of the evacuation overview: the crossings of
// ?map_on= (today) and the routes of ?map_plan= (the newest plan that
// has begun by then).
func (h *Web) overviewMap(r *http.Request) (*MapPart, error) {
	q, err := mapQuery(r)
	if err != nil {
		return nil, err
	}
	m, err := h.evacMap(r, "evac-map", q)
	if m != nil {
		m.Choose = "/evac"
	}
	return m, err
}

// planMap is the map of a plan's page: its routes, the crossings as on
// ?map_on= (the plan's first day).
func (h *Web) planMap(r *http.Request, v evacuation.PlanView) (*MapPart, error) {
	q, err := mapQuery(r)
	if err != nil {
		return nil, err
	}
	q.Plan = v.Plan
	if q.On == "" {
		q.On = outpost.Date(v.Start)
	}
	m, err := h.evacMap(r, "plan-map", q)
	if m != nil {
		m.Choose = r.URL.Path
	}
	return m, err
}

// DashboardMap is the map for the dashboard: the crossings on the
// dashboard's day on (the page day, or today, when empty) and the routes
// of the newest plan begun by then, without a day chooser (the
// evacuation page has one); nil for a caller who may not see it.
func (h *Web) DashboardMap(r *http.Request, on outpost.Date) (*MapPart, error) {
	return h.evacMap(r, "dashboard-map", evacuation.MapQuery{On: on})
}
