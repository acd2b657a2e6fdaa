package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/planning"
	"github.com/outpost-org/outpost/internal/transport"
)

// DepartureInfo is a departure with what the planner will make of it.
type DepartureInfo struct {
	outpost.Departure
	// Closed gives the reason when a border closure shuts the departure's
	// crossing on its day ("crossing closed: R-12"): plans leave it out.
	Closed string `json:"closed,omitempty"`
	// Past is true once the departure has left.
	Past bool `json:"past"`
}

// DepartureList is the answer of GET /api/v1/departures.
type DepartureList struct {
	Departures []DepartureInfo `json:"departures"`
}

// RestrictionInfo is a restriction and whether it is in force on the day
// asked about.
type RestrictionInfo struct {
	outpost.Restriction
	InForce bool `json:"in_force"`
}

// RestrictionList is the answer of GET /api/v1/restrictions: On is the
// day InForce refers to.
type RestrictionList struct {
	On           outpost.Date      `json:"on"`
	Restrictions []RestrictionInfo `json:"restrictions"`
}

// PlanList is the answer of GET /api/v1/plans.
type PlanList struct {
	Plans []outpost.PlanSummary `json:"plans"`
}

// PlanRequest asks for a new plan from the start of a day.
type PlanRequest struct {
	Start string `json:"start"`
}

// evacRoutes are the routes of evacuation planning: departures,
// restrictions, saved plans, manifests and tracking boards.
func (a *API) evacRoutes() []Route {
	planParam := Param{Name: "plan", In: "path", Required: true, Type: "integer", Description: "the plan's id"}
	depParam := Param{Name: "departure", In: "path", Required: true, Description: "the departure's id, e.g. TRAIN-0225"}
	tags := []string{"evacuation"}
	return []Route{
		{Method: "GET", Path: "/api/v1/departures", Handler: a.departures, Doc: Op{
			Summary: "Departures, by time", Tags: tags,
			Description: "Every departure with its seats, crossing and eligible nationalities; closed names the border closure that shuts its crossing on its day. Every signed-in role.",
			Response:    DepartureList{}, Errors: []int{403}}},
		{Method: "GET", Path: "/api/v1/restrictions", Handler: a.restrictions, Doc: Op{
			Summary: "The host country's restrictions", Tags: tags,
			Description: "Every restriction with in_force for today in the post's time zone; with on=DATE only those in force that day.",
			Params:      []Param{{Name: "on", In: "query", Description: "only the restrictions in force on this date, YYYY-MM-DD"}},
			Response:    RestrictionList{}, Errors: []int{400, 403}}},
		{Method: "GET", Path: "/api/v1/plans", Handler: a.plans, Doc: Op{
			Summary: "Saved evacuation plans, newest first", Tags: tags,
			Response: PlanList{}, Errors: []int{403}}},
		{Method: "POST", Path: "/api/v1/plans", Handler: a.makePlan, Doc: Op{
			Summary: "Make and save a plan from the start of a day", Tags: tags,
			Description: "Plans for everyone in the country at the start of start over every departure on or after it whose crossing is open (INTERFACES.md: households whole, seats, eligibility, ready dates, minimum staff). Managers and the admin. The answer is the plan as the caller may see it.",
			Body:        PlanRequest{}, Response: planning.PlanView{}, Status: http.StatusCreated, Errors: []int{400, 403}}},
		{Method: "GET", Path: "/api/v1/plans/{plan}", Handler: a.plan, Doc: Op{
			Summary: "A saved plan, by departure", Tags: tags,
			Description: "Counts of every departure by mission for every role; households and people by name only where the caller may read them (their own mission's; the admin everyone's). Unassigned households carry their reason.",
			Params:      []Param{planParam}, Response: planning.PlanView{}, Errors: []int{403, 404}}},
		{Method: "GET", Path: "/api/v1/plans/{plan}/departures/{departure}/board", Handler: a.board, Doc: Op{
			Summary: "A departure's tracking board", Tags: tags,
			Description: "Who is manifested, assembled, departed, crossed, arrived, and unaccounted for (the departure has left without them). Counts cover every passenger; rows only the people the caller may read. Record checkpoints with POST /api/v1/people/{id}/track.",
			Params:      []Param{planParam, depParam}, Response: planning.Board{}, Errors: []int{403, 404}}},
		{Method: "GET", Path: "/api/v1/plans/{plan}/departures/{departure}/manifest", Handler: a.manifest, Doc: Op{
			Summary: "A departure's passenger manifest, CSV or PDF", Tags: tags,
			Description: "One row per passenger, by household (INTERFACES.md). Passengers of another mission than the caller's show only household and id; passports only for the caller's own mission (the admin: all). Managers, staff and the admin.",
			Params: []Param{planParam, depParam,
				{Name: "format", In: "query", Enum: []string{"csv", "pdf"}, Description: "csv (default) or pdf"}},
			Errors: []int{400, 403, 404}}},
	}
}

// canReadEvacuation refuses a caller who may not read plans.
func canReadEvacuation(r *http.Request) error {
	if u := transport.Caller(r); !u.Can(planning.ReadEvacuation, "") {
		return outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not read evacuation plans", u.Role)
	}
	return nil
}

// Departures lists every departure with its closure and whether it left
// before now.
func Departures(r *http.Request, s outpost.Store, now time.Time) ([]DepartureInfo, error) {
	if err := canReadEvacuation(r); err != nil {
		return nil, err
	}
	loc, err := Location(r.Context(), s)
	if err != nil {
		return nil, err
	}
	deps, err := s.Departures(r.Context())
	if err != nil {
		return nil, err
	}
	rs, err := s.Restrictions(r.Context())
	if err != nil {
		return nil, err
	}
	closed := planning.ClosedOnTheDay(deps, rs, loc)
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

func (a *API) departures(w http.ResponseWriter, r *http.Request) error {
	list, err := Departures(r, a.Store, a.Now())
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, DepartureList{Departures: list})
	return nil
}

// Restrictions lists the restrictions with whether each is in force on
// the day on (empty: today in the post's zone); only reports whether to
// keep just those in force.
func Restrictions(r *http.Request, s outpost.Store, now time.Time, on string, only bool) (RestrictionList, error) {
	if err := canReadEvacuation(r); err != nil {
		return RestrictionList{}, err
	}
	loc, err := Location(r.Context(), s)
	if err != nil {
		return RestrictionList{}, err
	}
	day := outpost.Date(now.In(loc).Format(time.DateOnly))
	if on != "" {
		if day, err = outpost.ParseDate(on); err != nil {
			return RestrictionList{}, outpost.Errorf(outpost.EINVALID, "on %q: %v", on, err)
		}
	}
	rs, err := s.Restrictions(r.Context())
	if err != nil {
		return RestrictionList{}, err
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

func (a *API) restrictions(w http.ResponseWriter, r *http.Request) error {
	on := r.URL.Query().Get("on")
	list, err := Restrictions(r, a.Store, a.Now(), on, on != "")
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, list)
	return nil
}

func (a *API) plans(w http.ResponseWriter, r *http.Request) error {
	if err := canReadEvacuation(r); err != nil {
		return err
	}
	ps, err := a.Store.Plans(r.Context())
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, PlanList{Plans: ps})
	return nil
}

// MakePlan plans from the start of the day start (in the post's zone)
// for a caller who may, saves the plan with the caller as its author and
// returns it as the caller may see it.
func MakePlan(r *http.Request, s outpost.Store, start string) (planning.PlanView, error) {
	u := transport.Caller(r)
	if !u.Can(planning.MakePlans, "") {
		return planning.PlanView{}, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not make plans: managers and the admin do", u.Role)
	}
	day, err := outpost.ParseDate(strings.TrimSpace(start))
	if err != nil {
		return planning.PlanView{}, outpost.Errorf(outpost.EINVALID, "start %q: %v", start, err)
	}
	loc, err := Location(r.Context(), s)
	if err != nil {
		return planning.PlanView{}, err
	}
	doc, err := planning.Make(transport.Actor(r), s, loc, day)
	if err != nil {
		return planning.PlanView{}, err
	}
	return planView(r, s, doc, loc)
}

// planView is a plan as the caller may see it, its times in loc.
func planView(r *http.Request, s outpost.Store, doc outpost.PlanDoc, loc *time.Location) (planning.PlanView, error) {
	v, err := planning.View(r.Context(), s, doc, transport.Caller(r))
	for i := range v.Departures {
		v.Departures[i].Departs = v.Departures[i].Departs.In(loc)
	}
	return v, err
}

func (a *API) makePlan(w http.ResponseWriter, r *http.Request) error {
	if u := transport.Caller(r); !u.Can(planning.MakePlans, "") {
		return outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not make plans: managers and the admin do", u.Role)
	}
	var req PlanRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	v, err := MakePlan(r, a.Store, req.Start)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, v)
	return nil
}

// planID reads a plan id from the path; anything that is not one answers
// 404, like a plan that does not exist.
func planID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, NoPlan(s)
	}
	return id, nil
}

// PlanFor returns the saved plan with this id as the caller may see it.
func PlanFor(r *http.Request, s outpost.Store, idText string) (planning.PlanView, error) {
	if err := canReadEvacuation(r); err != nil {
		return planning.PlanView{}, err
	}
	id, err := planID(idText)
	if err != nil {
		return planning.PlanView{}, err
	}
	doc, err := s.Plan(r.Context(), id)
	if err != nil {
		return planning.PlanView{}, hiddenAs(err, NoPlan(idText))
	}
	loc, err := Location(r.Context(), s)
	if err != nil {
		return planning.PlanView{}, err
	}
	return planView(r, s, doc, loc)
}

func (a *API) plan(w http.ResponseWriter, r *http.Request) error {
	v, err := PlanFor(r, a.Store, r.PathValue("plan"))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, v)
	return nil
}
