package api

import (
	"net/http"
	"strconv"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/welfare"
	"github.com/outpost-org/outpost/internal/transport"
)

// RollCallList is the answer of GET /api/v1/rollcalls.
type RollCallList struct {
	RollCalls []welfare.RollCallView `json:"rollcalls"`
}

// welfareRoutes are the routes of roll calls and check-ins.
func (a *API) welfareRoutes() []Route {
	rcParam := Param{Name: "rollcall", In: "path", Required: true, Type: "integer", Description: "the roll call's id"}
	tags := []string{"welfare"}
	return []Route{
		{Method: "GET", Path: "/api/v1/rollcalls", Handler: a.rollCalls, Doc: Op{
			Summary: "Roll calls, newest first, with their counts", Tags: tags,
			Description: "A mission's users see the roll calls over everyone and their own mission's; the admin and the coordinator every one. Counts only: the answers are on each roll call.",
			Params:      []Param{{Name: "limit", In: "query", Type: "integer", Description: "at most this many, 1 to 100 (default 20)"}},
			Response:    RollCallList{}, Errors: []int{400, 403}}},
		{Method: "POST", Path: "/api/v1/rollcalls", Handler: a.startRollCall, Doc: Op{
			Summary: "Start a roll call", Tags: tags,
			Description: "Over everyone in the country (the admin, mission empty) or one mission's people (the admin, or that mission's manager). escalate_after (e.g. \"2h\") sends each mission's non-responders to its manager once that time has passed.",
			Body:        welfare.RollCallRequest{}, Response: welfare.RollCallView{}, Status: http.StatusCreated, Errors: []int{400, 403, 404}}},
		{Method: "GET", Path: "/api/v1/rollcalls/{rollcall}", Handler: a.rollCall, Doc: Op{
			Summary: "A roll call's status: counts by mission, and the answers the caller may read", Tags: tags,
			Description: "The shape of `outpost rollcall status --json` and more. The coordinator and press get counts only; a mission's manager and staff their own mission's answers and non-responders; the admin everyone's.",
			Params:      []Param{rcParam}, Response: welfare.RollCallView{}, Errors: []int{404}}},
		{Method: "POST", Path: "/api/v1/rollcalls/{rollcall}/close", Handler: a.closeRollCall, Doc: Op{
			Summary: "Close a roll call: it takes no more answers", Tags: tags,
			Params: []Param{rcParam}, Response: welfare.RollCallView{}, Errors: []int{403, 404, 409}}},
		{Method: "POST", Path: "/api/v1/rollcalls/{rollcall}/checkins", Handler: a.checkIn, Doc: Op{
			Summary: "Record a person's answer", Tags: tags,
			Description: "status is safe or need_help; a later answer of the same person replaces the earlier one (the answer with the latest at is kept). Managers and staff for their mission's people, the admin for anyone. Answers of many clients are written together in few transactions; each request returns once its answer is committed.",
			Params:      []Param{rcParam}, Body: welfare.CheckinRequest{}, Response: outpost.Checkin{}, Status: http.StatusCreated,
			Errors: []int{400, 403, 404, 409}}},
		{Method: "GET", Path: "/api/v1/rollcalls/{rollcall}/links", Handler: a.rollCallLinks, Doc: Op{
			Summary: "Export the one-tap check-in links as CSV", Tags: tags,
			Description: "One row per person in scope (a manager: their mission's people): person, given_name, family_name, mission, link. A link needs no sign-in and works while the roll call is open.",
			Params: []Param{rcParam, {Name: "base_url", In: "query",
				Description: "where people reach the server, e.g. https://outpost.post.example (default: the address of this request)"}, bomParam},
			Files: []string{"text/csv"}, Errors: []int{400, 403, 404}}},
	}
}

func (a *API) rollCalls(w http.ResponseWriter, r *http.Request) error {
	limit, err := transport.QueryInt(r, "limit", 20, 100)
	if err != nil {
		return err
	}
	list, err := a.Welfare.RollCalls(r.Context(), transport.Caller(r), limit)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, RollCallList{RollCalls: list})
	return nil
}

func (a *API) startRollCall(w http.ResponseWriter, r *http.Request) error {
	u := transport.Caller(r)
	if err := a.Welfare.MayStart(u); err != nil {
		return err
	}
	var req welfare.RollCallRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	rc, err := a.Welfare.StartRollCall(r.Context(), u, req)
	if err != nil {
		return err
	}
	return a.writeRollCall(w, r, http.StatusCreated, rc)
}

// writeRollCall answers with a roll call's status as the caller may see it.
func (a *API) writeRollCall(w http.ResponseWriter, r *http.Request, status int, rc outpost.RollCall) error {
	v, err := a.Welfare.RollCallStatus(r.Context(), transport.Caller(r), rc)
	if err != nil {
		return err
	}
	WriteJSON(w, status, v)
	return nil
}

// visibleRollCall returns the roll call of the path if the caller may see
// it: anything else is the one not-found answer.
func (a *API) visibleRollCall(r *http.Request) (outpost.RollCall, error) {
	id, err := welfare.RollCallID(r.PathValue("rollcall"))
	if err != nil {
		return outpost.RollCall{}, err
	}
	return a.Welfare.RollCall(r.Context(), transport.Caller(r), id)
}

func (a *API) rollCall(w http.ResponseWriter, r *http.Request) error {
	rc, err := a.visibleRollCall(r)
	if err != nil {
		return err
	}
	return a.writeRollCall(w, r, http.StatusOK, rc)
}

func (a *API) closeRollCall(w http.ResponseWriter, r *http.Request) error {
	id, err := welfare.RollCallID(r.PathValue("rollcall"))
	if err != nil {
		return err
	}
	rc, err := a.Welfare.CloseRollCall(r.Context(), transport.Caller(r), id)
	if err != nil {
		return err
	}
	return a.writeRollCall(w, r, http.StatusOK, rc)
}

func (a *API) checkIn(w http.ResponseWriter, r *http.Request) error {
	var req welfare.CheckinRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	id, err := welfare.RollCallID(r.PathValue("rollcall"))
	if err != nil {
		return err
	}
	c, err := a.Welfare.RecordAnswer(r.Context(), transport.Caller(r), id, req, "api")
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, c)
	return nil
}

func (a *API) rollCallLinks(w http.ResponseWriter, r *http.Request) error {
	rc, err := a.visibleRollCall(r)
	if err != nil {
		return err
	}
	csv, err := a.Welfare.LinksCSV(r.Context(), transport.Caller(r), rc, r.URL.Query().Get("base_url"), transport.RequestBase(r))
	if err != nil {
		return err
	}
	return transport.WriteCSV(w, r, "checkin-links-"+strconv.FormatInt(rc.ID, 10)+".csv", csv)
}
