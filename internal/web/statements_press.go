package web

import (
	"context"
	"errors"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/report"
	"github.com/outpost-org/outpost/internal/service/statements"
	"github.com/outpost-org/outpost/internal/transport"
)

// PressPage is the data of the press desk: a mission's statements of
// every status and the form for a new one.
type PressPage struct {
	// OwnMission is the caller's mission; empty for the admin, who picks
	// one from Missions (or none, for the whole corps).
	OwnMission string
	Missions   []outpost.Mission
	Statements []outpost.Statement
	CanDraft   bool
	Form       DraftForm
}

// DraftForm is the new-statement form's values and its error.
type DraftForm struct {
	Title, Body, Mission string
	Error                string
}

// PressStatementPage is the data of one statement on the press desk.
type PressStatementPage struct {
	Statement outpost.Statement
	// HTML is the body as the public will see it.
	HTML                            template.HTML
	CanEdit, CanApprove, CanPublish bool
	// Done is the step just taken, for the confirmation.
	Done       string
	Form       DraftForm
	PhotoError string
	// CanCorrect, CanWithdraw: the statement is published, stands, and
	// the caller may correct it (approve a new text) or withdraw it
	// (statements_corrections.go).
	CanCorrect, CanWithdraw bool
	Correct                 CorrectForm
}

// pressDone is the confirmation the press desk shows after a step.
func pressDone(step string) string {
	switch step {
	case "drafted":
		return "Draft saved. The mission's manager approves it next."
	case "edited":
		return "Changes saved. The statement is a draft until it is approved again."
	case "approved":
		return "Approved. It can now be published."
	case "published":
		return "Published: the statement is now public."
	case "attached":
		return "Photo attached. The statement is a draft until it is approved again."
	case "corrected":
		return "Correction published: the public page and the feed show the new text with your note."
	case "withdrawn":
		return "Withdrawn: the public page and the feed show the statement as withdrawn, without its text."
	}
	return ""
}

// pressPages are the press desk: a mission's press officer drafts and
// attaches photos, its manager approves, either publishes.
func (h *Web) pressPages() []Page {
	return []Page{
		{Method: "GET", Path: "/press", Handler: h.press, Nav: &NavItem{Label: "Statements", Order: 94,
			Show: func(u outpost.User) bool { return u.CanSome(outpost.ReadStatements) }}},
		{Method: "POST", Path: "/press", Handler: h.pressDraft},
		{Method: "GET", Path: "/press/{id}", Handler: h.pressStatement},
		{Method: "POST", Path: "/press/{id}", Handler: h.pressEdit},
		{Method: "POST", Path: "/press/{id}/approve", Handler: h.pressStep("approve")},
		{Method: "POST", Path: "/press/{id}/publish", Handler: h.pressStep("publish")},
		{Method: "POST", Path: "/press/{id}/photos", Handler: h.pressPhoto},
		{Method: "GET", Path: "/press/{id}/photos/{photo}", Handler: h.pressPhotoFile},
	}
}

func (h *Web) pressPage(r *http.Request) (PressPage, error) {
	u := transport.Caller(r)
	list, mission, err := h.Statements.List(r.Context(), u, outpost.StatementFilter{})
	if outpost.ErrorCode(err) == outpost.EFORBIDDEN {
		return PressPage{}, outpost.Errorf(outpost.EFORBIDDEN, "Your role may not read unpublished statements.")
	}
	p := PressPage{OwnMission: mission, CanDraft: u.CanSome(outpost.DraftStatements), Statements: list}
	if err != nil {
		return p, err
	}
	if u.Role == outpost.RoleAdmin {
		if p.Missions, err = h.Store.Missions(r.Context()); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (h *Web) press(w http.ResponseWriter, r *http.Request) error {
	p, err := h.pressPage(r)
	if err != nil {
		return err
	}
	return h.Render(w, r, http.StatusOK, "statements_press", p)
}

// form reads a small urlencoded form.
func form(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, outpost.MaxBody+64<<10)
	if err := r.ParseForm(); err != nil {
		return outpost.Errorf(outpost.EINVALID, "The form could not be read.")
	}
	return nil
}

func (h *Web) pressDraft(w http.ResponseWriter, r *http.Request) error {
	if err := form(w, r); err != nil {
		return err
	}
	f := DraftForm{Title: r.PostForm.Get("title"), Body: r.PostForm.Get("body"), Mission: r.PostForm.Get("mission")}
	st, err := h.Statements.Draft(r.Context(), transport.Caller(r), statements.DraftRequest{Title: f.Title, Body: f.Body, Mission: f.Mission}, time.Time{})
	if outpost.ErrorCode(err) == outpost.EINVALID {
		p, perr := h.pressPage(r)
		if perr != nil {
			return perr
		}
		f.Error = outpost.ErrorMessage(err)
		p.Form = f
		return h.Render(w, r, http.StatusBadRequest, "statements_press", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, pressPath(st.ID)+"?done=drafted", http.StatusSeeOther)
	return nil
}

func pressPath(id int64) string { return "/press/" + strconv.FormatInt(id, 10) }

func (h *Web) pressStatementPage(r *http.Request, st outpost.Statement) PressStatementPage {
	u := transport.Caller(r)
	p := PressStatementPage{Statement: st, HTML: report.StatementHTML(st.Body),
		CanEdit:    !st.IsPublic() && u.Can(outpost.DraftStatements, st.Mission),
		CanApprove: st.Status == outpost.StatementDraft && u.Can(outpost.ApproveStatements, st.Mission),
		CanPublish: st.Status == outpost.StatementApproved && u.Can(outpost.PublishStatements, st.Mission),
		Form:       DraftForm{Title: st.Title, Body: st.Body},
	}
	correctable(u, &p)
	return p
}

// pressID reads the statement id of a press desk page's path.
func pressID(r *http.Request) (int64, error) { return statements.ID(r.PathValue("id")) }

// pressStatementOf reads the statement of the path with look, the
// service's check of what the caller may do with it (manage, edit,
// attach to).
func pressStatementOf(r *http.Request, look func(context.Context, outpost.User, int64) (outpost.Statement, error)) (outpost.Statement, error) {
	id, err := pressID(r)
	if err != nil {
		return outpost.Statement{}, err
	}
	return look(r.Context(), transport.Caller(r), id)
}

func (h *Web) pressStatement(w http.ResponseWriter, r *http.Request) error {
	st, err := pressStatementOf(r, h.Statements.Managed)
	if err != nil {
		return err
	}
	p := h.pressStatementPage(r, st)
	p.Done = pressDone(r.URL.Query().Get("done"))
	return h.Render(w, r, http.StatusOK, "statements_edit", p)
}

func (h *Web) pressEdit(w http.ResponseWriter, r *http.Request) error {
	st, err := pressStatementOf(r, h.Statements.Editable)
	if err != nil {
		return err
	}
	if err := form(w, r); err != nil {
		return err
	}
	f := DraftForm{Title: r.PostForm.Get("title"), Body: r.PostForm.Get("body")}
	_, err = h.Statements.Edit(r.Context(), transport.Caller(r), st.ID, f.Title, f.Body)
	if code := outpost.ErrorCode(err); code == outpost.EINVALID || code == outpost.ECONFLICT {
		p := h.pressStatementPage(r, st)
		f.Error = outpost.ErrorMessage(err)
		p.Form = f
		return h.Render(w, r, http.StatusBadRequest, "statements_edit", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, pressPath(st.ID)+"?done=edited", http.StatusSeeOther)
	return nil
}

// pressStepDone is the word of pressDone for each step the press desk
// takes: spelled out, since "publish" + "d" is no word pressDone knows.
var pressStepDone = map[string]string{"approve": "approved", "publish": "published"}

func (h *Web) pressStep(step string) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pressID(r)
		if err != nil {
			return err
		}
		st, err := h.Statements.Step(r.Context(), transport.Caller(r), id, step, time.Time{})
		if err != nil {
			return err
		}
		http.Redirect(w, r, pressPath(st.ID)+"?done="+pressStepDone[step], http.StatusSeeOther)
		return nil
	}
}

func (h *Web) pressPhoto(w http.ResponseWriter, r *http.Request) error {
	st, err := pressStatementOf(r, h.Statements.Attachable)
	if err != nil {
		return err
	}
	photo, err := readUpload(w, r)
	if err == nil {
		_, err = h.Statements.Attach(r.Context(), transport.Caller(r), st.ID, photo)
	}
	if code := outpost.ErrorCode(err); code == outpost.EINVALID || code == outpost.ECONFLICT {
		p := h.pressStatementPage(r, st)
		p.PhotoError = outpost.ErrorMessage(err)
		return h.Render(w, r, http.StatusBadRequest, "statements_edit", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, pressPath(st.ID)+"?done=attached", http.StatusSeeOther)
	return nil
}

// readUpload reads the photo of a multipart form, refusing a body over
// the photo limit (plus room for the form's other fields) before it is
// read whole.
func readUpload(w http.ResponseWriter, r *http.Request) (outpost.Photo, error) {
	r.Body = http.MaxBytesReader(w, r.Body, outpost.MaxPhotoBytes+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return outpost.Photo{}, outpost.Errorf(outpost.EINVALID, "The photo is larger than the limit of 5 MB.")
		}
		return outpost.Photo{}, outpost.Errorf(outpost.EINVALID, "Choose a photo to attach (JPEG, PNG or WebP, at most 5 MB).")
	}
	defer r.MultipartForm.RemoveAll()
	f, hdr, err := r.FormFile("photo")
	if err != nil {
		return outpost.Photo{}, outpost.Errorf(outpost.EINVALID, "Choose a photo to attach (JPEG, PNG or WebP, at most 5 MB).")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, outpost.MaxPhotoBytes+1))
	if err != nil {
		return outpost.Photo{}, outpost.Errorf(outpost.EINVALID, "The photo could not be read.")
	}
	return outpost.Photo{PhotoInfo: outpost.PhotoInfo{Name: hdr.Filename, Caption: r.FormValue("caption")}, Data: data}, nil
}

func (h *Web) pressPhotoFile(w http.ResponseWriter, r *http.Request) error {
	p, err := photoOf(r, h.Statements.ManagedPhoto, func(id int64) error {
		_, err := h.Statements.Managed(r.Context(), transport.Caller(r), id)
		return err
	})
	if err != nil {
		return err
	}
	servePhoto(w, p, "private, no-store")
	return nil
}
