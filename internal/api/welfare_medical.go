package api

import (
	"net/http"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/welfare"
	"github.com/outpost-org/outpost/internal/transport"
)

// medicalRoutes are the routes of medical cases.
func (a *API) medicalRoutes() []Route {
	caseParam := Param{Name: "case", In: "path", Required: true, Type: "integer", Description: "the case's id"}
	tags := []string{"welfare"}
	return []Route{
		{Method: "GET", Path: "/api/v1/medical/cases", Handler: a.cases, Doc: Op{
			Summary: "Medical cases, most urgent and oldest first, and the open cases' counts", Tags: tags,
			Description: "A mission's manager and staff read their mission's cases, the admin every one; counts cover every mission (the coordinator gets counts only). An open case raises the person's medical level for the planner: urgent 3, priority 2, routine 1.",
			Params: []Param{
				{Name: "mission", In: "query", Description: "only this mission's cases"},
				{Name: "all", In: "query", Type: "boolean", Description: "include closed cases"},
			}, Response: welfare.CaseList{}, Errors: []int{403}}},
		{Method: "POST", Path: "/api/v1/medical/cases", Handler: a.openCase, Doc: Op{
			Summary: "Open a medical case for a person", Tags: tags,
			Description: "precedence is urgent, priority or routine. Managers and staff for their mission's people, the admin for anyone.",
			Body:        welfare.CaseRequest{}, Response: outpost.MedicalCase{}, Status: http.StatusCreated, Errors: []int{400, 403, 404}}},
		{Method: "GET", Path: "/api/v1/medical/cases/{case}", Handler: a.medicalCase, Doc: Op{
			Summary: "A medical case", Tags: tags,
			Params: []Param{caseParam}, Response: outpost.MedicalCase{}, Errors: []int{404}}},
		{Method: "PATCH", Path: "/api/v1/medical/cases/{case}", Handler: a.updateCase, Doc: Op{
			Summary: "Change an open case's precedence or need", Tags: tags,
			Params: []Param{caseParam}, Body: welfare.CaseUpdateRequest{}, Response: outpost.MedicalCase{}, Errors: []int{400, 403, 404, 409}}},
		{Method: "POST", Path: "/api/v1/medical/cases/{case}/close", Handler: a.closeCase, Doc: Op{
			Summary: "Close a case", Tags: tags,
			Params: []Param{caseParam}, Response: outpost.MedicalCase{}, Errors: []int{403, 404, 409}}},
	}
}

func (a *API) cases(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	list, err := a.Welfare.Cases(r.Context(), transport.Caller(r), q.Get("mission"), q.Get("all") == "true" || q.Get("all") == "1")
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, list)
	return nil
}

func (a *API) openCase(w http.ResponseWriter, r *http.Request) error {
	var req welfare.CaseRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	c, err := a.Welfare.OpenCase(r.Context(), transport.Caller(r), req)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, c)
	return nil
}

func (a *API) medicalCase(w http.ResponseWriter, r *http.Request) error {
	id, err := welfare.CaseID(r.PathValue("case"))
	if err != nil {
		return err
	}
	c, err := a.Welfare.Case(r.Context(), transport.Caller(r), id)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, c)
	return nil
}

func (a *API) updateCase(w http.ResponseWriter, r *http.Request) error {
	id, err := welfare.CaseID(r.PathValue("case"))
	if err != nil {
		return err
	}
	// A case the caller may not read is not found before its body is read.
	if _, err := a.Welfare.Case(r.Context(), transport.Caller(r), id); err != nil {
		return err
	}
	var req welfare.CaseUpdateRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	c, err := a.Welfare.UpdateCase(r.Context(), transport.Caller(r), id, req)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, c)
	return nil
}

func (a *API) closeCase(w http.ResponseWriter, r *http.Request) error {
	id, err := welfare.CaseID(r.PathValue("case"))
	if err != nil {
		return err
	}
	c, err := a.Welfare.CloseCase(r.Context(), transport.Caller(r), id)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, c)
	return nil
}
