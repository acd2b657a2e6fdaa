package reports_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/report"
	"github.com/outpost-org/outpost/internal/service/reports"
)

// A statement withdrawn is listed in the situation report as withdrawn,
// with when, and not counted as published; the report of a day before
// the withdrawal shows it as it stood then.
func TestSitrepMarksWithdrawnStatements(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			seed(t, db)
			ctx := context.Background()
			list, err := db.Statements(ctx, outpost.StatementFilter{Status: outpost.StatementPublished})
			if err != nil || len(list) != 1 {
				t.Fatalf("the seed's published statements: %+v, %v", list, err)
			}
			if _, err := db.WithdrawStatement(ctx, list[0].ID, "The advice was wrong."); err != nil {
				t.Fatal(err)
			}
			in, err := reports.Gather(ctx, db, reports.Options{Date: day, Loc: time.UTC, Now: db.Now()})
			if err != nil {
				t.Fatal(err)
			}
			s := in.Statements
			if s == nil || len(s.Rows) != 1 || s.Rows[0].Withdrawn.IsZero() {
				t.Fatalf("statements of the day of the withdrawal: got %+v, want the statement marked withdrawn", s)
			}
			var md bytes.Buffer
			if err := report.Markdown(&md, in); err != nil {
				t.Fatal(err)
			}
			text := md.String()
			if !strings.Contains(text, "Published (withdrawn 1 Apr 2021 09:00)") || strings.Contains(text, "1 statement published") ||
				!strings.Contains(text, "1 statement withdrawn") {
				t.Errorf("the report does not mark the withdrawn statement, or counts it as published:\n%s", text)
			}

			before, err := reports.Gather(ctx, db, reports.Options{Date: day.AddDays(-1), Loc: time.UTC, Now: db.Now()})
			if err != nil {
				t.Fatal(err)
			}
			if s := before.Statements; s == nil || len(s.Rows) != 1 || !s.Rows[0].Withdrawn.IsZero() {
				t.Errorf("statements of the day before the withdrawal: got %+v, want it standing", s)
			}
		})
	}
}
