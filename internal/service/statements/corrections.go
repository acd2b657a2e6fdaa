package statements

import (
	"context"
	"fmt"
	"html/template"
	"strconv"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/report"
)

// PublicVersion is a text a published statement had before a correction,
// as the public reads it.
type PublicVersion struct {
	Version int           `json:"version"`
	Title   string        `json:"title"`
	HTML    template.HTML `json:"html"`
	Body    string        `json:"body"`
	// Note is the correction note this text carried ("" for the first).
	Note     string    `json:"note,omitempty"`
	Since    time.Time `json:"since"`
	Replaced time.Time `json:"replaced"`
}

// CorrectRequest is a correction of a published statement: its new
// title and body, and the note the public reads with them.
type CorrectRequest = outpost.StatementCorrection

// WithdrawRequest is the withdrawal of a published statement.
type WithdrawRequest struct {
	Reason string `json:"reason"`
}

// correctable returns a statement the caller may correct or withdraw
// with right: a correction publishes a text no one approved, so it needs
// the right to approve one (the mission's manager, the admin); a
// withdrawal only removes text, so whoever may publish may withdraw (the
// press officer too). Anyone else who may read it is refused; anyone who
// may not, answered as if it did not exist.
func (s *Service) correctable(ctx context.Context, caller outpost.User, id int64, right outpost.Action, refusal string) (outpost.Statement, error) {
	st, err := s.Managed(ctx, caller, id)
	if err != nil {
		return st, err
	}
	if !caller.Can(right, st.Mission) {
		return st, outpost.Errorf(outpost.EFORBIDDEN, "%s", refusal)
	}
	return st, nil
}

// Correct replaces the text of a published statement the caller may
// approve, with a note the public reads ("Corrected on 3 April 2021:
// the flight leaves at 9, not 8"). The text it replaces stays readable.
func (s *Service) Correct(ctx context.Context, caller outpost.User, id int64, req CorrectRequest) (outpost.Statement, error) {
	st, err := s.correctable(ctx, caller, id, outpost.ApproveStatements,
		"your role may not correct statements: a correction publishes a new text, so who approves statements (the manager) corrects them")
	if err != nil {
		return st, err
	}
	v, err := s.store.CorrectStatement(outpost.WithActor(ctx, caller.Name), st.ID, req)
	if err != nil {
		return v, fmt.Errorf("correct statement %d: %w", st.ID, err)
	}
	return v, nil
}

// Withdraw withdraws a published statement the caller may publish, with
// a reason: it stays listed, shown as withdrawn, without its text.
func (s *Service) Withdraw(ctx context.Context, caller outpost.User, id int64, req WithdrawRequest) (outpost.Statement, error) {
	st, err := s.correctable(ctx, caller, id, outpost.PublishStatements,
		"your role may not withdraw statements: who publishes them does")
	if err != nil {
		return st, err
	}
	v, err := s.store.WithdrawStatement(outpost.WithActor(ctx, caller.Name), st.ID, req.Reason)
	if err != nil {
		return v, fmt.Errorf("withdraw statement %d: %w", st.ID, err)
	}
	return v, nil
}

// PublishedVersions lists the earlier texts of a published statement,
// oldest first, for anyone: none for one that was withdrawn (its text,
// in any version, is no longer shown).
func (s *Service) PublishedVersions(ctx context.Context, caller outpost.User, id int64) ([]PublicVersion, error) {
	st, err := s.published(ctx, caller, id)
	if err != nil {
		return nil, err
	}
	out := []PublicVersion{}
	if !st.Withdrawn.IsZero() || st.Corrected.IsZero() {
		return out, nil
	}
	vs, err := s.store.StatementVersions(ctx, st.ID)
	if err != nil {
		return nil, fmt.Errorf("read the versions of statement %d: %w", st.ID, err)
	}
	for _, v := range vs {
		out = append(out, PublicVersion{Version: v.Version, Title: v.Title, Body: v.Body, HTML: report.StatementHTML(v.Body),
			Note: v.Note, Since: v.Since, Replaced: v.Replaced})
	}
	return out, nil
}

// withdrawnPhoto refuses a photo of a withdrawn statement as one that
// does not exist: its text and pictures are no longer shown.
func withdrawnPhoto(st outpost.Statement, photo int64) error {
	if !st.Withdrawn.IsZero() {
		return NoPhoto(strconv.FormatInt(photo, 10))
	}
	return nil
}
