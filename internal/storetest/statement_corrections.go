package storetest

import (
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
)

// publishedStatement drafts, approves and publishes a statement of RU.
func publishedStatement(t *testing.T, s outpost.Store, title, body string) outpost.Statement {
	t.Helper()
	ctx := Ctx()
	st, err := s.CreateStatement(ctx, outpost.Statement{Mission: "RU", Title: title, Body: body})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApproveStatement(ctx, st.ID, day0); err != nil {
		t.Fatal(err)
	}
	st, err = s.PublishStatement(ctx, st.ID, day0)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// testStatementCorrections: a published statement is corrected (the text
// it replaced kept, in order) and withdrawn (it stays published and
// listed); each step is audited with both texts; what is not published,
// or withdrawn, is neither; a bad note writes nothing.
func testStatementCorrections(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	st := publishedStatement(t, s, "Flight on Monday", "The flight leaves at 8.")
	draft, err := s.CreateStatement(ctx, outpost.Statement{Mission: "RU", Title: "Draft", Body: "x"})
	if err != nil {
		t.Fatal(err)
	}
	before := auditCount(t, s)
	for _, c := range []struct {
		id   int64
		req  outpost.StatementCorrection
		code string
	}{
		{draft.ID, outpost.StatementCorrection{Title: "D", Body: "y", Note: "n"}, outpost.ECONFLICT},
		{st.ID + 100, outpost.StatementCorrection{Title: "D", Body: "y", Note: "n"}, outpost.ENOTFOUND},
		{st.ID, outpost.StatementCorrection{Title: "Flight on Monday", Body: "The flight leaves at 9.", Note: " "}, outpost.EINVALID},
		{st.ID, outpost.StatementCorrection{Title: "Flight on Monday", Body: "The flight leaves at 9.", Note: "a\nb"}, outpost.EINVALID},
		{st.ID, outpost.StatementCorrection{Title: "Flight on Monday", Body: "The flight leaves at 9.", Note: strings.Repeat("n", outpost.MaxCorrectionNote+1)}, outpost.EINVALID},
		{st.ID, outpost.StatementCorrection{Title: " ", Body: "The flight leaves at 9.", Note: "time"}, outpost.EINVALID},
		{st.ID, outpost.StatementCorrection{Title: "Flight on Monday", Body: "The flight leaves at 8.", Note: "same"}, outpost.EINVALID},
	} {
		if _, err := s.CorrectStatement(ctx, c.id, c.req); outpost.ErrorCode(err) != c.code {
			t.Errorf("correct %d %+v: got %v, want %s", c.id, c.req, err, c.code)
		}
	}
	if n := auditCount(t, s); n != before {
		t.Errorf("refused corrections left %d audit entries", n-before)
	}

	c1, err := s.CorrectStatement(ctx, st.ID, outpost.StatementCorrection{Title: "Flight on Monday", Body: "The flight leaves at 9.", Note: "The time was wrong."})
	if err != nil {
		t.Fatal(err)
	}
	if c1.Status != outpost.StatementPublished || c1.Body != "The flight leaves at 9." || c1.CorrectionNote != "The time was wrong." || c1.Corrected.IsZero() || !c1.Published.Equal(st.Published) {
		t.Errorf("corrected: got %+v", c1)
	}
	if _, err := s.CorrectStatement(ctx, st.ID, outpost.StatementCorrection{Title: "Flight on Tuesday", Body: "The flight leaves at 9.", Note: "The day was wrong."}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Statement(ctx, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Flight on Tuesday" || got.CorrectionNote != "The day was wrong." {
		t.Errorf("read back: got %+v", got)
	}
	vs, err := s.StatementVersions(ctx, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].Version != 1 || vs[0].Body != "The flight leaves at 8." || vs[0].Note != "" || !vs[0].Since.Equal(st.Published) ||
		vs[1].Body != "The flight leaves at 9." || vs[1].Note != "The time was wrong." || vs[1].ReplacedBy != "tester" {
		t.Errorf("versions: got %+v", vs)
	}
	if vs, _ := s.StatementVersions(ctx, draft.ID); len(vs) != 0 {
		t.Errorf("a draft has versions: %+v", vs)
	}

	if _, err := s.WithdrawStatement(ctx, st.ID, ""); outpost.ErrorCode(err) != outpost.EINVALID {
		t.Errorf("withdraw without a reason: got %v", err)
	}
	if _, err := s.WithdrawStatement(ctx, draft.ID, "wrong"); outpost.ErrorCode(err) != outpost.ECONFLICT {
		t.Errorf("withdraw a draft: got %v", err)
	}
	w, err := s.WithdrawStatement(ctx, st.ID, "The flight was cancelled.")
	if err != nil {
		t.Fatal(err)
	}
	if w.Withdrawn.IsZero() || w.WithdrawnReason != "The flight was cancelled." || w.WithdrawnBy != "tester" || !w.IsPublic() {
		t.Errorf("withdrawn: got %+v", w)
	}
	if _, err := s.WithdrawStatement(ctx, st.ID, "again"); outpost.ErrorCode(err) != outpost.ECONFLICT {
		t.Errorf("withdraw twice: got %v", err)
	}
	if _, err := s.CorrectStatement(ctx, st.ID, outpost.StatementCorrection{Title: "T", Body: "B", Note: "n"}); outpost.ErrorCode(err) != outpost.ECONFLICT {
		t.Errorf("correct a withdrawn statement: got %v", err)
	}
	list, err := s.Statements(ctx, outpost.StatementFilter{Status: outpost.StatementPublished})
	if err != nil || len(list) != 1 || list[0].ID != st.ID || list[0].Withdrawn.IsZero() {
		t.Errorf("the withdrawn statement is not listed as published: %+v, %v", list, err)
	}

	es, err := s.Audit(ctx, outpost.AuditFilter{Entity: "statement", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for _, e := range es {
		if e.Action == "correct" || e.Action == "withdraw" {
			seen = append(seen, e.Action)
			if e.Action == "correct" && e.Before != "" && strings.Contains(e.Before, "at 8.") && !strings.Contains(e.After, "at 9.") {
				t.Errorf("correction audit: %s → %s", e.Before, e.After)
			}
			if e.Action == "withdraw" && !strings.Contains(e.After, "cancelled") {
				t.Errorf("withdrawal audit: %s", e.After)
			}
		}
	}
	if len(seen) != 3 {
		t.Errorf("audit: got %v, want two corrections and a withdrawal", seen)
	}
}
