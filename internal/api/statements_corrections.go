package api

import (
	"net/http"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/statements"
	"github.com/outpost-org/outpost/internal/transport"
)

// PublicVersionList is the answer of GET /api/v1/statements/{id}/versions.
type PublicVersionList struct {
	Versions []statements.PublicVersion `json:"versions"`
}

// statementCorrectionRoutes correct and withdraw published statements,
// and read the texts a correction replaced.
func (a *API) statementCorrectionRoutes() []Route {
	tags := []string{"statements"}
	return []Route{
		{Method: "GET", Path: "/api/v1/statements/{id}/versions", Public: true, Handler: a.statementVersions, Doc: Op{
			Summary: "The earlier texts of a published statement, oldest first", Tags: tags,
			Description: "Public: no sign-in. Each text a correction replaced, with the note it carried; none for a statement never corrected or withdrawn. A statement that is not published answers 404.",
			Params:      []Param{statementIDParam}, Response: PublicVersionList{}, Errors: []int{404}}},
		{Method: "POST", Path: "/api/v1/statements/{id}/correct", Handler: a.correctStatement, Doc: Op{
			Summary: "Correct a published statement: a new title and body, with a note", Tags: tags,
			Description: "Whoever may approve it (the mission's manager, the admin): a correction publishes a new text, so the press officer, who publishes only what a manager approved, is refused (403). The public page and the feed show \"Corrected on DATE: NOTE\"; the text replaced stays public (GET …/versions), so a detail that must leave public view needs a withdrawal. A statement that is not published, or was withdrawn, answers 409.",
			Params:      []Param{statementIDParam}, Body: statements.CorrectRequest{}, Response: outpost.Statement{}, Errors: []int{400, 403, 404, 409}}},
		{Method: "POST", Path: "/api/v1/statements/{id}/withdraw", Handler: a.withdrawStatement, Doc: Op{
			Summary: "Withdraw a published statement, with a reason", Tags: tags,
			Description: "Whoever may publish it (the mission's manager or press officer, the admin). It stays listed and in the feed, shown as withdrawn with the date and reason, without its text or photos. A statement that is not published, or already withdrawn, answers 409.",
			Params:      []Param{statementIDParam}, Body: statements.WithdrawRequest{}, Response: outpost.Statement{}, Errors: []int{400, 403, 404, 409}}},
	}
}

func (a *API) statementVersions(w http.ResponseWriter, r *http.Request) error {
	id, err := statements.ID(r.PathValue("id"))
	if err != nil {
		return err
	}
	vs, err := a.Statements.PublishedVersions(r.Context(), transport.Caller(r), id)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, PublicVersionList{Versions: vs})
	return nil
}

func (a *API) correctStatement(w http.ResponseWriter, r *http.Request) error {
	id, err := statements.ID(r.PathValue("id"))
	if err != nil {
		return err
	}
	var req statements.CorrectRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	st, err := a.Statements.Correct(r.Context(), transport.Caller(r), id, req)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, st)
	return nil
}

func (a *API) withdrawStatement(w http.ResponseWriter, r *http.Request) error {
	id, err := statements.ID(r.PathValue("id"))
	if err != nil {
		return err
	}
	var req statements.WithdrawRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	st, err := a.Statements.Withdraw(r.Context(), transport.Caller(r), id, req)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, st)
	return nil
}
