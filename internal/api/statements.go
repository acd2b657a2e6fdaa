package api

import (
	"context"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/report"
	"github.com/outpost-org/outpost/internal/transport"
)

// PublicStatement is a published statement as the public sees it: no
// workflow details, the body both as Markdown and as safe HTML.
type PublicStatement struct {
	ID          int64         `json:"id"`
	Mission     string        `json:"mission,omitempty"`
	MissionName string        `json:"mission_name,omitempty"`
	Title       string        `json:"title"`
	Published   time.Time     `json:"published"`
	Body        string        `json:"body"`
	HTML        template.HTML `json:"html"`
	Summary     string        `json:"summary"`
	Photos      []PublicPhoto `json:"photos"`
}

// PublicPhoto is a photo of a published statement and where to get it.
type PublicPhoto struct {
	ID      int64  `json:"id"`
	URL     string `json:"url"`
	Caption string `json:"caption,omitempty"`
	Type    string `json:"type"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
}

// PublicStatementList is the answer of GET /api/v1/statements.
type PublicStatementList struct {
	Statements []PublicStatement `json:"statements"`
}

// StatementList is a listing of statements of every status, for those
// who draft and approve them.
type StatementList struct {
	Statements []outpost.Statement `json:"statements"`
}

// DraftRequest is a new statement: Mission "" is the caller's own
// mission (or, for the admin, the whole corps).
type DraftRequest struct {
	Title   string `json:"title"`
	Body    string `json:"body"`
	Mission string `json:"mission,omitempty"`
}

// StatementPath is the public page of a statement.
func StatementPath(id int64) string { return "/statements/" + strconv.FormatInt(id, 10) }

// PhotoPath is the public address of a published statement's photo.
func PhotoPath(statement, photo int64) string {
	return StatementPath(statement) + "/photos/" + strconv.FormatInt(photo, 10)
}

// Public turns a published statement into its public form; missions
// names the missions by code.
func Public(s outpost.Statement, missions map[string]string) PublicStatement {
	p := PublicStatement{ID: s.ID, Mission: s.Mission, MissionName: missions[s.Mission], Title: s.Title,
		Published: s.Published, Body: s.Body, HTML: report.StatementHTML(s.Body),
		Summary: report.StatementText(s.Body, 280), Photos: []PublicPhoto{}}
	for _, ph := range s.Photos {
		p.Photos = append(p.Photos, PublicPhoto{ID: ph.ID, URL: PhotoPath(s.ID, ph.ID), Caption: ph.Caption,
			Type: ph.Type, Width: ph.Width, Height: ph.Height})
	}
	return p
}

// MissionNames maps every mission's code to its name.
func MissionNames(ctx context.Context, s outpost.RegistryStore) (map[string]string, error) {
	ms, err := s.Missions(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(ms))
	for _, m := range ms {
		out[m.Code] = m.Name
	}
	return out, nil
}

// statementID reads a statement id from the path; anything that is not
// one answers 404, like an id that does not exist.
func statementID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, NoStatement(s)
	}
	return id, nil
}

// PublishedStatement returns a statement only if it is published: a
// draft or approved one answers 404 exactly like one that does not exist,
// whoever asks.
func PublishedStatement(ctx context.Context, s outpost.StatementStore, idText string) (outpost.Statement, error) {
	id, err := statementID(idText)
	if err != nil {
		return outpost.Statement{}, err
	}
	st, err := s.Statement(ctx, id)
	if err == nil && !st.IsPublic() {
		return outpost.Statement{}, NoStatement(idText)
	}
	return st, hiddenAs(err, NoStatement(idText))
}

// PublishedPhoto returns a photo of a published statement, or 404.
func PublishedPhoto(ctx context.Context, s outpost.StatementStore, statement, photo string) (outpost.Photo, error) {
	st, err := PublishedStatement(ctx, s, statement)
	if err != nil {
		return outpost.Photo{}, err
	}
	return StatementPhoto(ctx, s, st, photo)
}

// StatementPhoto returns a photo of st, a statement the caller may see,
// or the one not-found of photos.
func StatementPhoto(ctx context.Context, s outpost.StatementStore, st outpost.Statement, photo string) (outpost.Photo, error) {
	id, err := strconv.ParseInt(photo, 10, 64)
	if err != nil || id <= 0 {
		return outpost.Photo{}, NoPhoto(photo)
	}
	p, err := s.Photo(ctx, st.ID, id)
	return p, hiddenAs(err, NoPhoto(photo))
}

// ManagedStatement returns a statement of any status to a caller who may
// read the unpublished statements of its mission, and 404 to anyone else,
// as if it did not exist.
func ManagedStatement(r *http.Request, s outpost.StatementStore, idText string) (outpost.Statement, error) {
	id, err := statementID(idText)
	if err != nil {
		return outpost.Statement{}, err
	}
	st, err := s.Statement(r.Context(), id)
	if err != nil {
		return outpost.Statement{}, hiddenAs(err, NoStatement(idText))
	}
	if !transport.Caller(r).Can(outpost.ReadStatements, st.Mission) {
		return outpost.Statement{}, NoStatement(idText)
	}
	return st, nil
}

// Draft saves a new draft for the caller: a mission-bound user drafts
// for their own mission, the admin for any mission or the whole corps.
func Draft(r *http.Request, s outpost.StatementStore, req DraftRequest) (outpost.Statement, error) {
	u := transport.Caller(r)
	mission := req.Mission
	if u.Role.MissionBound() {
		if mission != "" && mission != u.Mission {
			return outpost.Statement{}, outpost.Errorf(outpost.EFORBIDDEN, "you may draft statements for your own mission, %s, only", u.Mission)
		}
		mission = u.Mission
	}
	if !u.Can(outpost.DraftStatements, mission) {
		return outpost.Statement{}, outpost.Errorf(outpost.EFORBIDDEN, "your role may not draft statements")
	}
	return s.CreateStatement(transport.Actor(r), outpost.Statement{Mission: mission, Title: req.Title, Body: req.Body})
}

// Step approves or publishes a statement the caller may manage; a
// statement they may read but not take this step on answers 403.
func Step(r *http.Request, s outpost.StatementStore, idText, step string) (outpost.Statement, error) {
	st, err := ManagedStatement(r, s, idText)
	if err != nil {
		return st, err
	}
	u := transport.Caller(r)
	switch step {
	case "approve":
		if !u.Can(outpost.ApproveStatements, st.Mission) {
			return st, outpost.Errorf(outpost.EFORBIDDEN, "only the mission's manager may approve a statement")
		}
		return s.ApproveStatement(transport.Actor(r), st.ID, time.Time{})
	case "publish":
		if !u.Can(outpost.PublishStatements, st.Mission) {
			return st, outpost.Errorf(outpost.EFORBIDDEN, "your role may not publish statements")
		}
		return s.PublishStatement(transport.Actor(r), st.ID, time.Time{})
	}
	return st, outpost.Errorf(outpost.EINVALID, "unknown step %q", step)
}

// statementRoutes are the public statements and their drafting,
// approval and publication.
func (a *API) statementRoutes() []Route {
	tags := []string{"statements"}
	idParam := Param{Name: "id", In: "path", Required: true, Type: "integer", Description: "the statement's id"}
	return []Route{
		{Method: "GET", Path: "/api/v1/statements", Public: true, Handler: a.publicStatements, Doc: Op{
			Summary: "Published statements, newest first", Tags: tags,
			Description: "Public: no sign-in. Only published statements are ever listed; drafts and approved statements never are.",
			Params: []Param{{Name: "mission", In: "query", Description: "only this mission's statements"},
				{Name: "limit", In: "query", Type: "integer", Description: "at most this many, 1 to 200 (default 50)"}},
			Response: PublicStatementList{}, Errors: []int{400}}},
		{Method: "GET", Path: "/api/v1/statements/{id}", Public: true, Handler: a.publicStatement, Doc: Op{
			Summary: "One published statement", Tags: tags,
			Description: "Public: no sign-in. A statement that is not published answers 404, as if it did not exist.",
			Params:      []Param{idParam}, Response: PublicStatement{}, Errors: []int{404}}},
		{Method: "GET", Path: "/api/v1/press/statements", Handler: a.pressStatements, Doc: Op{
			Summary: "Every statement of the caller's mission, of any status", Tags: tags,
			Description: "For the mission's manager, staff and press officer (the admin sees every mission's and the corps').",
			Params: []Param{{Name: "status", In: "query", Description: "only statements with this status", Enum: outpost.StatementStatuses},
				{Name: "mission", In: "query", Description: "only this mission's statements (the admin)"}},
			Response: StatementList{}, Errors: []int{400, 403}}},
		{Method: "POST", Path: "/api/v1/statements", Handler: a.draftStatement, Doc: Op{
			Summary: "Draft a statement (Markdown body)", Tags: tags,
			Description: "The press officer or manager drafts for their mission; the admin for any mission or, without one, the corps.",
			Body:        DraftRequest{}, Response: outpost.Statement{}, Status: http.StatusCreated, Errors: []int{400, 403}}},
		{Method: "POST", Path: "/api/v1/statements/{id}/approve", Handler: a.stepStatement("approve"), Doc: Op{
			Summary: "Approve a draft for publication", Tags: tags,
			Description: "The mission's manager (or the admin). A statement that is not a draft answers 409.",
			Params:      []Param{idParam}, Response: outpost.Statement{}, Errors: []int{403, 404, 409}}},
		{Method: "POST", Path: "/api/v1/statements/{id}/publish", Handler: a.stepStatement("publish"), Doc: Op{
			Summary: "Publish an approved statement", Tags: tags,
			Description: "The mission's manager or press officer (or the admin). A statement that is not approved answers 409.",
			Params:      []Param{idParam}, Response: outpost.Statement{}, Errors: []int{403, 404, 409}}},
	}
}

func (a *API) publicStatements(w http.ResponseWriter, r *http.Request) error {
	limit, err := transport.QueryInt(r, "limit", 50, 200)
	if err != nil {
		return err
	}
	list, err := a.Store.Statements(r.Context(), outpost.StatementFilter{Status: outpost.StatementPublished,
		Mission: r.URL.Query().Get("mission"), Limit: limit})
	if err != nil {
		return err
	}
	names, err := MissionNames(r.Context(), a.Store)
	if err != nil {
		return err
	}
	out := PublicStatementList{Statements: []PublicStatement{}}
	for _, s := range list {
		if s.IsPublic() {
			out.Statements = append(out.Statements, Public(s, names))
		}
	}
	WriteJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) publicStatement(w http.ResponseWriter, r *http.Request) error {
	st, err := PublishedStatement(r.Context(), a.Store, r.PathValue("id"))
	if err != nil {
		return err
	}
	names, err := MissionNames(r.Context(), a.Store)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, Public(st, names))
	return nil
}

func (a *API) pressStatements(w http.ResponseWriter, r *http.Request) error {
	u := transport.Caller(r)
	mission, ok := u.Restrict(outpost.ReadStatements, r.URL.Query().Get("mission"))
	if !ok {
		return outpost.Errorf(outpost.EFORBIDDEN, "your role may not read unpublished statements")
	}
	f := outpost.StatementFilter{Mission: mission}
	if st := r.URL.Query().Get("status"); st != "" {
		if !slices.Contains(outpost.StatementStatuses, st) {
			return outpost.Errorf(outpost.EINVALID, "status %q: want draft, approved or published", st)
		}
		f.Status = outpost.StatementStatus(st)
	}
	list, err := a.Store.Statements(r.Context(), f)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, StatementList{Statements: list})
	return nil
}

func (a *API) draftStatement(w http.ResponseWriter, r *http.Request) error {
	var req DraftRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	st, err := Draft(r, a.Store, req)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, st)
	return nil
}

func (a *API) stepStatement(step string) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		st, err := Step(r, a.Store, r.PathValue("id"), step)
		if err != nil {
			return err
		}
		WriteJSON(w, http.StatusOK, st)
		return nil
	}
}
