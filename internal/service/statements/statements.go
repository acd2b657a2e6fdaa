// Package statements is the statements capability: the public
// statements a mission drafts, its manager approves and either of them
// publishes, with their photos. The JSON API, the web UI and the command
// line all call it, so who may see and change which statement is decided
// here, once.
package statements

import (
	"context"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/report"
)

// Store is what the service reads and writes: the statements and the
// missions' names.
type Store interface {
	outpost.StatementStore
	outpost.StatementCorrectionStore
	Missions(ctx context.Context) ([]outpost.Mission, error)
	// Config and InitConfig keep the Atom feed's identity (FeedKey):
	// InitConfig stores it unless another server stored one first.
	Config(ctx context.Context, key string) (string, error)
	InitConfig(ctx context.Context, key, value string) (string, error)
}

// Service decides who may read, draft, approve and publish statements.
type Service struct {
	store Store
	// Now is the clock.
	Now func() time.Time
}

// New returns the service over store with the clock now (nil: time.Now).
func New(store Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, Now: now}
}

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
	// Corrected is when the text was last corrected (zero: never), with
	// the note; Withdrawn when the statement was withdrawn (zero: it
	// stands), with the reason: a withdrawn statement has no body, HTML,
	// summary or photos, only its title.
	Corrected       time.Time `json:"corrected,omitzero"`
	CorrectionNote  string    `json:"correction_note,omitempty"`
	Withdrawn       time.Time `json:"withdrawn,omitzero"`
	WithdrawnReason string    `json:"withdrawn_reason,omitempty"`
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
	p.Corrected, p.CorrectionNote = s.Corrected, s.CorrectionNote
	if !s.Withdrawn.IsZero() {
		p.Withdrawn, p.WithdrawnReason = s.Withdrawn, s.WithdrawnReason
		p.Body, p.HTML, p.Summary = "", "", ""
		return p
	}
	for _, ph := range s.Photos {
		p.Photos = append(p.Photos, PublicPhoto{ID: ph.ID, URL: PhotoPath(s.ID, ph.ID), Caption: ph.Caption,
			Type: ph.Type, Width: ph.Width, Height: ph.Height})
	}
	return p
}

// MissionNames maps every mission's code to its name.
func MissionNames(ctx context.Context, s interface {
	Missions(context.Context) ([]outpost.Mission, error)
}) (map[string]string, error) {
	ms, err := s.Missions(ctx)
	if err != nil {
		return nil, fmt.Errorf("mission names: %w", err)
	}
	out := make(map[string]string, len(ms))
	for _, m := range ms {
		out[m.Code] = m.Name
	}
	return out, nil
}

// PublishedList lists the published statements in their public form,
// newest first: mission "" is every mission's and the corps', limit the
// most. Anyone may read them, signed in or not.
func (s *Service) PublishedList(ctx context.Context, _ outpost.User, mission string, limit int) ([]PublicStatement, error) {
	list, err := s.store.Statements(ctx, outpost.StatementFilter{Status: outpost.StatementPublished, Mission: mission, Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("read statements: %w", err)
	}
	names, err := MissionNames(ctx, s.store)
	if err != nil {
		return nil, err
	}
	out := []PublicStatement{}
	for _, st := range list {
		if st.IsPublic() { // the filter already says so; this keeps it true
			out = append(out, Public(st, names))
		}
	}
	return out, nil
}

// Published returns a statement in its public form only if it is
// published: a draft or approved one answers NoStatement exactly like one
// that does not exist, whoever asks.
func (s *Service) Published(ctx context.Context, caller outpost.User, id int64) (PublicStatement, error) {
	st, err := s.published(ctx, caller, id)
	if err != nil {
		return PublicStatement{}, err
	}
	names, err := MissionNames(ctx, s.store)
	if err != nil {
		return PublicStatement{}, err
	}
	return Public(st, names), nil
}

func (s *Service) published(ctx context.Context, caller outpost.User, id int64) (outpost.Statement, error) {
	st, err := s.store.Statement(ctx, id)
	if err != nil {
		err = fmt.Errorf("read statement %d: %w", id, err)
	}
	if err == nil && !st.IsPublic() {
		return outpost.Statement{}, NoStatement(strconv.FormatInt(id, 10))
	}
	return st, hiddenAs(caller, err, NoStatement(strconv.FormatInt(id, 10)))
}

// PublishedPhoto returns a photo of a published statement, or the one
// not-found of its kind.
func (s *Service) PublishedPhoto(ctx context.Context, caller outpost.User, statement, photo int64) (outpost.Photo, error) {
	st, err := s.published(ctx, caller, statement)
	if err != nil {
		return outpost.Photo{}, err
	}
	if err := withdrawnPhoto(st, photo); err != nil {
		return outpost.Photo{}, err
	}
	return s.photo(ctx, caller, st, photo)
}

// photo returns a photo of st, a statement the caller may see, or the
// one not-found of photos.
func (s *Service) photo(ctx context.Context, caller outpost.User, st outpost.Statement, photo int64) (outpost.Photo, error) {
	p, err := s.store.Photo(ctx, st.ID, photo)
	if err != nil {
		err = fmt.Errorf("read photo %d of statement %d: %w", photo, st.ID, err)
	}
	return p, hiddenAs(caller, err, NoPhoto(strconv.FormatInt(photo, 10)))
}

// Managed returns a statement of any status to a caller who may read the
// unpublished statements of its mission, and NoStatement to anyone else,
// as if it did not exist.
func (s *Service) Managed(ctx context.Context, caller outpost.User, id int64) (outpost.Statement, error) {
	st, err := s.store.Statement(ctx, id)
	if err != nil {
		return outpost.Statement{}, hiddenAs(caller, fmt.Errorf("read statement %d: %w", id, err), NoStatement(strconv.FormatInt(id, 10)))
	}
	if !caller.Can(outpost.ReadStatements, st.Mission) {
		return outpost.Statement{}, NoStatement(strconv.FormatInt(id, 10))
	}
	return st, nil
}

// ManagedPhoto returns a photo of a statement the caller may manage.
func (s *Service) ManagedPhoto(ctx context.Context, caller outpost.User, statement, photo int64) (outpost.Photo, error) {
	st, err := s.Managed(ctx, caller, statement)
	if err != nil {
		return outpost.Photo{}, err
	}
	return s.photo(ctx, caller, st, photo)
}

// List lists the statements of every status of f.Mission that the caller
// may read, and returns the mission it listed: a mission-bound caller's
// own whatever they asked, any for the admin ("" is all). A caller who
// may read no unpublished statement is refused; a status that is none
// is invalid.
func (s *Service) List(ctx context.Context, caller outpost.User, f outpost.StatementFilter) ([]outpost.Statement, string, error) {
	mission, ok := caller.Restrict(outpost.ReadStatements, f.Mission)
	if !ok {
		return nil, "", outpost.Errorf(outpost.EFORBIDDEN, "your role may not read unpublished statements")
	}
	if f.Status != "" && !slices.Contains(outpost.StatementStatuses, string(f.Status)) {
		return nil, "", outpost.Errorf(outpost.EINVALID, "status %q: want draft, approved or published", f.Status)
	}
	f.Mission = mission
	list, err := s.store.Statements(ctx, f)
	if err != nil {
		return list, mission, fmt.Errorf("read statements: %w", err)
	}
	return list, mission, nil
}

// Draft saves a new draft for the caller: a mission-bound user drafts
// for their own mission, the admin for any mission or the whole corps.
// created dates a statement written earlier (zero: now).
func (s *Service) Draft(ctx context.Context, caller outpost.User, req DraftRequest, created time.Time) (outpost.Statement, error) {
	mission := req.Mission
	if caller.Role.MissionBound() {
		if mission != "" && mission != caller.Mission {
			return outpost.Statement{}, outpost.Errorf(outpost.EFORBIDDEN, "you may draft statements for your own mission, %s, only", caller.Mission)
		}
		mission = caller.Mission
	}
	if !caller.Can(outpost.DraftStatements, mission) {
		return outpost.Statement{}, outpost.Errorf(outpost.EFORBIDDEN, "your role may not draft statements")
	}
	ctx = outpost.WithActor(ctx, caller.Name)
	v, err := s.store.CreateStatement(ctx, outpost.Statement{Mission: mission, Title: req.Title, Body: req.Body, Created: created})
	if err != nil {
		return v, fmt.Errorf("create statement: %w", err)
	}
	return v, nil
}

// Editable returns a statement whose title and body the caller may
// change.
func (s *Service) Editable(ctx context.Context, caller outpost.User, id int64) (outpost.Statement, error) {
	return s.draftable(ctx, caller, id, "Your role may not change statements.")
}

// Attachable returns a statement the caller may attach photos to.
func (s *Service) Attachable(ctx context.Context, caller outpost.User, id int64) (outpost.Statement, error) {
	return s.draftable(ctx, caller, id, "Your role may not attach photos.")
}

func (s *Service) draftable(ctx context.Context, caller outpost.User, id int64, refusal string) (outpost.Statement, error) {
	st, err := s.Managed(ctx, caller, id)
	if err != nil {
		return st, err
	}
	if !caller.Can(outpost.DraftStatements, st.Mission) {
		return st, outpost.Errorf(outpost.EFORBIDDEN, "%s", refusal)
	}
	return st, nil
}

// Edit replaces the title and body of a draft or approved statement the
// caller may change; an approved one goes back to draft.
func (s *Service) Edit(ctx context.Context, caller outpost.User, id int64, title, body string) (outpost.Statement, error) {
	st, err := s.Editable(ctx, caller, id)
	if err != nil {
		return st, err
	}
	ctx = outpost.WithActor(ctx, caller.Name)
	v, err := s.store.EditStatement(ctx, st.ID, title, body)
	if err != nil {
		return v, fmt.Errorf("edit statement %d: %w", st.ID, err)
	}
	return v, nil
}

// Attach checks a photo (photo.Check, in the store) and attaches it to a
// statement the caller may change; an approved one goes back to draft.
// The operator may attach to any statement, so the store alone answers
// them, checking the photo before it looks for the statement.
func (s *Service) Attach(ctx context.Context, caller outpost.User, id int64, p outpost.Photo) (outpost.PhotoInfo, error) {
	if !isOperator(caller) {
		if _, err := s.Attachable(ctx, caller, id); err != nil {
			return outpost.PhotoInfo{}, err
		}
	}
	ctx = outpost.WithActor(ctx, caller.Name)
	v, err := s.store.AddPhoto(ctx, id, p)
	if err != nil {
		return v, fmt.Errorf("add photo %d: %w", id, err)
	}
	return v, nil
}

// Step approves or publishes a statement the caller may manage, at the
// time at (zero: now); a statement they may read but not take this step
// on is refused.
func (s *Service) Step(ctx context.Context, caller outpost.User, id int64, step string, at time.Time) (outpost.Statement, error) {
	st, err := s.Managed(ctx, caller, id)
	if err != nil {
		return st, err
	}
	ctx = outpost.WithActor(ctx, caller.Name)
	switch step {
	case "approve":
		if !caller.Can(outpost.ApproveStatements, st.Mission) {
			return st, outpost.Errorf(outpost.EFORBIDDEN, "only the mission's manager may approve a statement")
		}
		v, err := s.store.ApproveStatement(ctx, st.ID, at)
		if err != nil {
			return v, fmt.Errorf("approve statement %d: %w", st.ID, err)
		}
		return v, nil
	case "publish":
		if !caller.Can(outpost.PublishStatements, st.Mission) {
			return st, outpost.Errorf(outpost.EFORBIDDEN, "your role may not publish statements")
		}
		v, err := s.store.PublishStatement(ctx, st.ID, at)
		if err != nil {
			return v, fmt.Errorf("publish statement %d: %w", st.ID, err)
		}
		return v, nil
	}
	return st, outpost.Errorf(outpost.EINVALID, "unknown step %q", step)
}
