package api

import (
	"net/http"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/transport"
)

// DepartureList is the answer of GET /api/v1/departures.
type DepartureList struct {
	Departures []evacuation.DepartureInfo `json:"departures"`
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
			Response:    evacuation.RestrictionList{}, Errors: []int{400, 403}}},
		{Method: "GET", Path: "/api/v1/plans", Handler: a.plans, Doc: Op{
			Summary: "Saved evacuation plans, newest first", Tags: tags,
			Response: PlanList{}, Errors: []int{403}}},
		{Method: "POST", Path: "/api/v1/plans", Handler: a.makePlan, Doc: Op{
			Summary: "Make and save a plan from the start of a day", Tags: tags,
			Description: "Plans for everyone in the country at the start of start over every departure on or after it whose crossing is open (INTERFACES.md: households whole, seats, eligibility, ready dates, minimum staff). Managers and the admin. The answer is the plan as the caller may see it.",
			Body:        PlanRequest{}, Response: evacuation.PlanView{}, Status: http.StatusCreated, Errors: []int{400, 403}}},
		{Method: "GET", Path: "/api/v1/plans/{plan}", Handler: a.plan, Doc: Op{
			Summary: "A saved plan, by departure", Tags: tags,
			Description: "Counts of every departure by mission for every role; households and people by name only where the caller may read them (their own mission's; the admin everyone's). Unassigned households carry their reason.",
			Params:      []Param{planParam}, Response: evacuation.PlanView{}, Errors: []int{403, 404}}},
		{Method: "GET", Path: "/api/v1/plans/{plan}/departures/{departure}/board", Handler: a.board, Doc: Op{
			Summary: "A departure's tracking board", Tags: tags,
			Description: "Who is manifested, assembled, departed, crossed, arrived, and unaccounted for (the departure has left without them). Counts cover every passenger; rows only the people the caller may read. Record checkpoints with POST /api/v1/people/{id}/track, or a gate scanner's queue of them with POST /api/v1/track.",
			Params:      []Param{planParam, depParam}, Response: evacuation.Board{}, Errors: []int{403, 404}}},
		{Method: "GET", Path: "/api/v1/plans/{plan}/departures/{departure}/manifest", Handler: a.manifest, Doc: Op{
			Summary: "A departure's passenger manifest, CSV or PDF", Tags: tags,
			Description: "One row per passenger, by household (INTERFACES.md). Passengers of another mission than the caller's show only household and id; passports only for the caller's own mission (the admin: all). Managers, staff and the admin.",
			Params: []Param{planParam, depParam,
				manifestFormatParam, bomParam},
			Files: []string{"text/csv", "application/pdf"}, Errors: []int{400, 403, 404}}},
	}
}

func (a *API) departures(w http.ResponseWriter, r *http.Request) error {
	list, err := a.Evacuation.Departures(r.Context(), transport.Caller(r))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, DepartureList{Departures: list})
	return nil
}

func (a *API) restrictions(w http.ResponseWriter, r *http.Request) error {
	on := r.URL.Query().Get("on")
	list, err := a.Evacuation.Restrictions(r.Context(), transport.Caller(r), outpost.Date(on), on != "")
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, list)
	return nil
}

func (a *API) plans(w http.ResponseWriter, r *http.Request) error {
	ps, err := a.Evacuation.Plans(r.Context(), transport.Caller(r))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, PlanList{Plans: ps})
	return nil
}

func (a *API) makePlan(w http.ResponseWriter, r *http.Request) error {
	u := transport.Caller(r)
	if err := evacuation.MayPlan(u); err != nil {
		return err
	}
	var req PlanRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	v, err := a.Evacuation.MakePlan(r.Context(), u, outpost.Date(req.Start))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, v)
	return nil
}

func (a *API) plan(w http.ResponseWriter, r *http.Request) error {
	id, err := evacuation.PlanID(r.PathValue("plan"))
	if err != nil {
		return err
	}
	v, err := a.Evacuation.Plan(r.Context(), transport.Caller(r), id)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, v)
	return nil
}
