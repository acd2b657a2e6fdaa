package api

import (
	"net/http"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/statements"
	"github.com/outpost-org/outpost/internal/transport"
)

// statementIDParam is the {id} of a statement's routes.
var statementIDParam = Param{Name: "id", In: "path", Required: true, Type: "integer", Description: "the statement's id"}

// statementRoutes are the public statements and their drafting,
// approval and publication.
func (a *API) statementRoutes() []Route {
	tags := []string{"statements"}
	return []Route{
		{Method: "GET", Path: "/api/v1/statements", Public: true, Handler: a.publicStatements, Doc: Op{
			Summary: "Published statements, newest first", Tags: tags,
			Description: "Public: no sign-in. Only published statements are ever listed; drafts and approved statements never are.",
			Params: []Param{{Name: "mission", In: "query", Description: "only this mission's statements"},
				{Name: "limit", In: "query", Type: "integer", Description: "at most this many, 1 to 200 (default 50)"}},
			Response: statements.PublicStatementList{}, Errors: []int{400}}},
		{Method: "GET", Path: "/api/v1/statements/{id}", Public: true, Handler: a.publicStatement, Doc: Op{
			Summary: "One published statement", Tags: tags,
			Description: "Public: no sign-in. A statement that is not published answers 404, as if it did not exist.",
			Params:      []Param{statementIDParam}, Response: statements.PublicStatement{}, Errors: []int{404}}},
		{Method: "GET", Path: "/api/v1/press/statements", Handler: a.pressStatements, Doc: Op{
			Summary: "Every statement of the caller's mission, of any status", Tags: tags,
			Description: "For the mission's manager, staff and press officer (the admin sees every mission's and the corps').",
			Params: []Param{{Name: "status", In: "query", Description: "only statements with this status", Enum: outpost.StatementStatuses},
				{Name: "mission", In: "query", Description: "only this mission's statements (the admin)"}},
			Response: statements.StatementList{}, Errors: []int{400, 403}}},
		{Method: "POST", Path: "/api/v1/statements", Handler: a.draftStatement, Doc: Op{
			Summary: "Draft a statement (Markdown body)", Tags: tags,
			Description: "The press officer or manager drafts for their mission; the admin for any mission or, without one, the corps.",
			Body:        statements.DraftRequest{}, Response: outpost.Statement{}, Status: http.StatusCreated, Errors: []int{400, 403}}},
		{Method: "POST", Path: "/api/v1/statements/{id}/approve", Handler: a.stepStatement("approve"), Doc: Op{
			Summary: "Approve a draft for publication", Tags: tags,
			Description: "The mission's manager (or the admin). A statement that is not a draft answers 409.",
			Params:      []Param{statementIDParam}, Response: outpost.Statement{}, Errors: []int{403, 404, 409}}},
		{Method: "POST", Path: "/api/v1/statements/{id}/publish", Handler: a.stepStatement("publish"), Doc: Op{
			Summary: "Publish an approved statement", Tags: tags,
			Description: "The mission's manager or press officer (or the admin). A statement that is not approved answers 409.",
			Params:      []Param{statementIDParam}, Response: outpost.Statement{}, Errors: []int{403, 404, 409}}},
	}
}

func (a *API) publicStatements(w http.ResponseWriter, r *http.Request) error {
	limit, err := transport.QueryInt(r, "limit", 50, 200)
	if err != nil {
		return err
	}
	list, err := a.Statements.PublishedList(r.Context(), transport.Caller(r), r.URL.Query().Get("mission"), limit)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, statements.PublicStatementList{Statements: list})
	return nil
}

func (a *API) publicStatement(w http.ResponseWriter, r *http.Request) error {
	id, err := statements.ID(r.PathValue("id"))
	if err != nil {
		return err
	}
	st, err := a.Statements.Published(r.Context(), transport.Caller(r), id)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, st)
	return nil
}

func (a *API) pressStatements(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := outpost.StatementFilter{Mission: q.Get("mission"), Status: outpost.StatementStatus(q.Get("status"))}
	list, _, err := a.Statements.List(r.Context(), transport.Caller(r), f)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, statements.StatementList{Statements: list})
	return nil
}

func (a *API) draftStatement(w http.ResponseWriter, r *http.Request) error {
	var req statements.DraftRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	st, err := a.Statements.Draft(r.Context(), transport.Caller(r), req, time.Time{})
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, st)
	return nil
}

func (a *API) stepStatement(step string) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := statements.ID(r.PathValue("id"))
		if err != nil {
			return err
		}
		st, err := a.Statements.Step(r.Context(), transport.Caller(r), id, step, time.Time{})
		if err != nil {
			return err
		}
		WriteJSON(w, http.StatusOK, st)
		return nil
	}
}
