package api

import (
	"net/http"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/transport"
)

// planRoutes are the routes that explain plans: two plans compared, and
// the joint manifest of a shared convoy.
func (a *API) planRoutes() []Route {
	planParam := Param{Name: "plan", In: "path", Required: true, Type: "integer", Description: "the plan's id"}
	depParam := Param{Name: "departure", In: "path", Required: true, Description: "the departure's id, e.g. TRAIN-0225"}
	tags := []string{"evacuation"}
	return []Route{
		{Method: "GET", Path: "/api/v1/plans/compare", Handler: a.comparePlans, Doc: Op{
			Summary: "Two saved plans side by side", Tags: tags,
			Description: "The households that moved from one departure to another, those newly placed in b and those no longer placed, each departure's people in both, and the difference in words. Households by name only where the caller may read them, the others counted by mission (the rights of reading a plan).",
			Params: []Param{
				{Name: "a", In: "query", Required: true, Type: "integer", Description: "the first plan's id"},
				{Name: "b", In: "query", Required: true, Type: "integer", Description: "the second plan's id"}},
			Response: evacuation.Comparison{}, Errors: []int{400, 403, 404}}},
		{Method: "GET", Path: "/api/v1/plans/{plan}/departures/{departure}/joint-manifest", Handler: a.jointManifest, Doc: Op{
			Summary: "A shared convoy's joint manifest, CSV or PDF", Tags: tags,
			Description: "Every mission's passengers on the departure, by mission then household; the CSV is a manifest with a mission column first. The coordinator gets one row per passenger with the person id, mission, household, nationality and medical level, and never a name, birth date or passport (each mission prints its own passengers' names); the admin everything; a manager or staff member only their own mission's passengers (404 when the departure carries none).",
			Params: []Param{planParam, depParam,
				manifestFormatParam, bomParam},
			Files: []string{"text/csv", "application/pdf"}, Errors: []int{400, 403, 404}}},
	}
}

func (a *API) comparePlans(w http.ResponseWriter, r *http.Request) error {
	u := transport.Caller(r)
	if err := evacuation.MayRead(u); err != nil {
		return err
	}
	q := r.URL.Query()
	pa, pb, err := evacuation.CompareIDs(q.Get("a"), q.Get("b"))
	if err != nil {
		return err
	}
	c, err := a.Evacuation.Compare(r.Context(), u, pa, pb)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, c)
	return nil
}

func (a *API) jointManifest(w http.ResponseWriter, r *http.Request) error {
	u := transport.Caller(r)
	if _, err := evacuation.JointCut(outpost.Manifest{}, u); err != nil {
		return err
	}
	format, err := manifestFormat(r)
	if err != nil {
		return err
	}
	id, err := evacuation.PlanID(r.PathValue("plan"))
	if err != nil {
		return err
	}
	f, err := a.Evacuation.JointManifestFile(r.Context(), u, id, r.PathValue("departure"), format)
	if err != nil {
		return err
	}
	return transport.WriteAttachment(w, r, f.Name, f.ContentType, &f.Body)
}
