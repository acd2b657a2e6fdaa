package web

import (
	"net/http"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/statements"
	"github.com/outpost-org/outpost/internal/transport"
)

// CorrectForm is the press desk's correction and withdrawal forms'
// values and their errors.
type CorrectForm struct {
	Title, Body, Note string
	Reason            string
	Error             string
	WithdrawError     string
}

// longDate is how a correction or a withdrawal is dated on the public
// page: "3 April 2021".
const longDate = "2 January 2006"

// statementCorrectionPages are the press desk's corrections of published
// statements: a new text with a note, by whoever may approve the
// statement, or a withdrawal with a reason, by whoever may publish it.
func (h *Web) statementCorrectionPages() []Page {
	return []Page{
		{Method: "POST", Path: "/press/{id}/correct", Handler: h.pressCorrect},
		{Method: "POST", Path: "/press/{id}/withdraw", Handler: h.pressWithdraw},
	}
}

// correctable fills the press page's correction forms for a statement
// that may be corrected by the caller.
func correctable(u outpost.User, p *PressStatementPage) {
	st := p.Statement
	stands := st.IsPublic() && st.Withdrawn.IsZero()
	// The service decides (statements.Correct, Withdraw); the forms show
	// where it would take them.
	p.CanCorrect = stands && u.Can(outpost.ApproveStatements, st.Mission)
	p.CanWithdraw = stands && u.Can(outpost.PublishStatements, st.Mission)
	if p.Correct.Title == "" && p.Correct.Body == "" {
		p.Correct.Title, p.Correct.Body = st.Title, st.Body
	}
}

func (h *Web) pressCorrect(w http.ResponseWriter, r *http.Request) error {
	return h.pressCorrection(w, r, "corrected", func(st outpost.Statement, f *CorrectForm) error {
		f.Title, f.Body, f.Note = r.PostForm.Get("title"), r.PostForm.Get("body"), r.PostForm.Get("note")
		_, err := h.Statements.Correct(r.Context(), transport.Caller(r), st.ID, statements.CorrectRequest{Title: f.Title, Body: f.Body, Note: f.Note})
		if err != nil {
			f.Error = outpost.ErrorMessage(err)
		}
		return err
	})
}

func (h *Web) pressWithdraw(w http.ResponseWriter, r *http.Request) error {
	return h.pressCorrection(w, r, "withdrawn", func(st outpost.Statement, f *CorrectForm) error {
		f.Reason = r.PostForm.Get("reason")
		_, err := h.Statements.Withdraw(r.Context(), transport.Caller(r), st.ID, statements.WithdrawRequest{Reason: f.Reason})
		if err != nil {
			f.WithdrawError = outpost.ErrorMessage(err)
		}
		return err
	})
}

// pressCorrection reads the form of a correction or a withdrawal, takes
// it with do, and shows the statement again with the form's error (400)
// or redirects with the confirmation done.
func (h *Web) pressCorrection(w http.ResponseWriter, r *http.Request, done string, do func(outpost.Statement, *CorrectForm) error) error {
	st, err := pressStatementOf(r, h.Statements.Managed)
	if err != nil {
		return err
	}
	if err := form(w, r); err != nil {
		return err
	}
	var f CorrectForm
	err = do(st, &f)
	if code := outpost.ErrorCode(err); code == outpost.EINVALID || code == outpost.ECONFLICT {
		p := h.pressStatementPage(r, st)
		p.Correct = f
		correctable(transport.Caller(r), &p)
		return h.Render(w, r, http.StatusBadRequest, "statements_edit", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, pressPath(st.ID)+"?done="+done, http.StatusSeeOther)
	return nil
}

// StatementHistory is what the public page of a statement shows of its
// corrections: when and why it was corrected or withdrawn, and the texts
// it had before.
type StatementHistory struct {
	CorrectedOn, WithdrawnOn string
	Versions                 []statements.PublicVersion
}

// statementHistory reads the corrections of a published statement.
func (h *Web) statementHistory(r *http.Request, st statements.PublicStatement, loc *time.Location) (StatementHistory, error) {
	var out StatementHistory
	if !st.Corrected.IsZero() {
		out.CorrectedOn = st.Corrected.In(loc).Format(longDate)
	}
	if !st.Withdrawn.IsZero() {
		out.WithdrawnOn = st.Withdrawn.In(loc).Format(longDate)
	}
	vs, err := h.Statements.PublishedVersions(r.Context(), transport.Caller(r), st.ID)
	out.Versions = vs
	return out, err
}

// entryUpdated is when a statement's feed entry last changed: its
// withdrawal, its last correction, or its publication.
func entryUpdated(s statements.PublicStatement) time.Time {
	switch {
	case !s.Withdrawn.IsZero():
		return s.Withdrawn.UTC()
	case !s.Corrected.IsZero():
		return s.Corrected.UTC()
	}
	return s.Published.UTC()
}

// correctedEntry is the title, summary and HTML content of a statement's
// feed entry: as published, or marked corrected (the note first) or
// withdrawn (the reason instead of the text).
func correctedEntry(s statements.PublicStatement, loc *time.Location, html string) (title, summary, content string) {
	switch {
	case !s.Withdrawn.IsZero():
		line := "Withdrawn on " + s.Withdrawn.In(loc).Format(longDate) + ": " + s.WithdrawnReason
		return s.Title + " (withdrawn)", line, "<p><strong>" + attrEscaper.Replace(line) + "</strong></p>"
	case !s.Corrected.IsZero():
		line := "Corrected on " + s.Corrected.In(loc).Format(longDate) + ": " + s.CorrectionNote
		return s.Title + " (corrected)", line + "\n\n" + s.Summary, "<p><strong>" + attrEscaper.Replace(line) + "</strong></p>" + html
	}
	return s.Title, s.Summary, html
}
