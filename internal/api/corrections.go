package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/transport"
)

// The corrections' requests and answers are the registry's.
type (
	AmendRequest = registry.AmendRequest
	VoidRequest  = registry.VoidRequest
	BulkResult   = registry.BulkResult
)

// GroupRequest records one checkpoint, now, for several people as one
// bulk action that can be undone.
type GroupRequest struct {
	// What names the group in the action, "household RU-H1".
	What       string   `json:"what"`
	People     []string `json:"people"`
	Checkpoint string   `json:"checkpoint"`
}

// FlaggedList is the events to review.
type FlaggedList struct {
	Events []outpost.Event `json:"events"`
}

// correctionRoutes are the routes that correct presence events and
// record or undo bulk actions.
func (a *API) correctionRoutes() []Route {
	eventParam := Param{Name: "event", In: "path", Required: true, Type: "integer", Description: "the event's id (the id of an entry of a person's events)"}
	return []Route{
		{Method: "POST", Path: "/api/v1/events/{event}/amend", Handler: a.amendEvent, Doc: Op{
			Summary: "Amend a presence event (a wrong time or checkpoint)", Tags: []string{"people"},
			Description: "The original is kept, voided, with the reason, and names the replacement recorded with the fields given (at, checkpoint; status for an imported status; note). " +
				"The audit log keeps both versions and the census follows. A manager of the person's mission, and the admin; another mission's event answers 404.",
			Params: []Param{eventParam},
			Body:   AmendRequest{}, Response: outpost.Event{}, Status: http.StatusCreated, Errors: []int{400, 403, 404, 409}}},
		{Method: "POST", Path: "/api/v1/events/{event}/void", Handler: a.voidEvent, Doc: Op{
			Summary: "Void a presence event, with a reason", Tags: []string{"people"},
			Description: "The event stays in the person's history, marked voided (by whom, when, why), and no longer counts. Same rights as amend.",
			Params:      []Param{eventParam},
			Body:        VoidRequest{}, Response: outpost.CorrectedEvent{}, Errors: []int{400, 403, 404, 409}}},
		{Method: "GET", Path: "/api/v1/events/flagged", Handler: a.flaggedEvents, Doc: Op{
			Summary: "Events recorded out of order, to review", Tags: []string{"people"},
			Description: "Checkpoints that cannot follow the person's status at their time (crossed or arrived while in the country with no departed, departed while already left, returned while in the country) are recorded and flagged, not refused; this lists them until they are amended or voided. " +
				fmt.Sprintf("At most %d; mission-bound roles see their mission's.", registry.MaxFlagged),
			Params:   []Param{{Name: "mission", In: "query", Description: "only this mission's people"}},
			Response: FlaggedList{}, Errors: []int{403}}},
		{Method: "POST", Path: "/api/v1/track/group", Handler: a.trackGroup, Doc: Op{
			Summary: "Record one checkpoint, now, for several people in one action", Tags: []string{"people"},
			Description: fmt.Sprintf("A household or a departure's passengers (at most %d people), in one transaction; the answer's action id undoes it. ", registry.MaxBulk) +
				"Managers and staff (their mission's people) and the admin; a person of another mission answers 404 and nothing is recorded.",
			Body: GroupRequest{}, Response: BulkResult{}, Status: http.StatusCreated, Errors: []int{400, 403, 404}}},
		{Method: "POST", Path: "/api/v1/track/actions/{action}/undo", Handler: a.undoAction, Doc: Op{
			Summary: "Undo a bulk action", Tags: []string{"people"},
			Description: "Voids, with the reason \"undone\", the events of the action that still stand, of the people the caller may record checkpoints for; an event corrected since is left and listed in skipped. " +
				"The events of other missions' people are not shown: others counts those still standing, which their missions may undo in turn. " +
				"The action is undone (undone_at) once none of its events stands; undoing it again, or one's own part again, answers 409. " +
				"Whoever may record checkpoints for some of its people.",
			Params:   []Param{{Name: "action", In: "path", Required: true, Type: "integer", Description: "the action's id"}},
			Response: outpost.Undo{}, Errors: []int{403, 404, 409}}},
	}
}

func (a *API) amendEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := registry.EventID(r.PathValue("event"))
	if err != nil {
		return err
	}
	var req AmendRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	ev, err := a.Registry.Amend(r.Context(), transport.Caller(r), id, req)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, ev)
	return nil
}

func (a *API) voidEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := registry.EventID(r.PathValue("event"))
	if err != nil {
		return err
	}
	var req VoidRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	c, err := a.Registry.Void(r.Context(), transport.Caller(r), id, req)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, c)
	return nil
}

func (a *API) flaggedEvents(w http.ResponseWriter, r *http.Request) error {
	evs, err := a.Registry.Flagged(r.Context(), transport.Caller(r), r.URL.Query().Get("mission"))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, FlaggedList{Events: evs})
	return nil
}

func (a *API) trackGroup(w http.ResponseWriter, r *http.Request) error {
	u := transport.Caller(r)
	if err := registry.MayTrack(u); err != nil {
		return err
	}
	var req GroupRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	if len(req.People) > registry.MaxBulk {
		return outpost.Errorf(outpost.EINVALID, "people: %d, at most %d", len(req.People), registry.MaxBulk)
	}
	what := strings.TrimSpace(req.What)
	if what == "" {
		what = strconv.Itoa(len(req.People)) + " people"
	}
	res, err := a.Registry.TrackGroup(r.Context(), u, what, req.People, req.Checkpoint)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, res)
	return nil
}

func (a *API) undoAction(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("action"), 10, 64)
	if err != nil || id <= 0 {
		return outpost.Errorf(outpost.ENOTFOUND, "no action %q", outpost.Clip(r.PathValue("action")))
	}
	u, err := a.Registry.Undo(r.Context(), transport.Caller(r), id)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, u)
	return nil
}
