package storetest

import (
	"strconv"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// testRollCallReopen: a reopened roll call takes answers again, keeps
// those given before it closed, is audited, and escalates only if it had
// not yet; a closed one refuses answers and is not escalated.
func testRollCallReopen(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	rc, err := s.StartRollCall(ctx, outpost.RollCall{Title: "RU only", Mission: "RU", EscalateAfter: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReopenRollCall(ctx, rc.ID); outpost.ErrorCode(err) != outpost.ECONFLICT {
		t.Errorf("reopening an open roll call: got %v, want a conflict", err)
	}
	if _, err := s.ReopenRollCall(ctx, rc.ID+1000); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("reopening no roll call: got %v, want not found", err)
	}
	if errs, err := s.CheckIn(ctx, []outpost.Checkin{{RollCall: rc.ID, Person: "RU-0001", Status: outpost.Safe, At: rc.StartedAt}}); err != nil || errs[0] != nil {
		t.Fatalf("answer while open: %v %v", err, errs)
	}
	if _, err := s.CloseRollCall(ctx, rc.ID); err != nil {
		t.Fatal(err)
	}
	late := rc.StartedAt.Add(2 * time.Hour)
	if due, _ := s.DueEscalations(ctx, late); len(due) != 0 {
		t.Errorf("a closed roll call is due for escalation: %+v", due)
	}
	errs, _ := s.CheckIn(ctx, []outpost.Checkin{{RollCall: rc.ID, Person: "RU-0002", Status: outpost.Safe, At: rc.StartedAt}})
	if outpost.ErrorCode(errs[0]) != outpost.ECONFLICT {
		t.Errorf("answer while closed: got %v, want a conflict", errs[0])
	}

	again, err := s.ReopenRollCall(ctx, rc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Status != outpost.RollCallOpen || again.ClosedAt != nil {
		t.Errorf("reopened: got %+v, want open with no closing time", again)
	}
	if errs, err := s.CheckIn(ctx, []outpost.Checkin{{RollCall: rc.ID, Person: "RU-0002", Status: outpost.NeedHelp, At: rc.StartedAt}}); err != nil || errs[0] != nil {
		t.Errorf("answer after reopening: %v %v", err, errs)
	}
	rep, err := s.RollCallReport(ctx, rc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Safe != 1 || rep.NeedHelp != 1 || rep.Status != outpost.RollCallOpen {
		t.Errorf("after reopening: got %+v, want RU-0001 safe (before closing) and RU-0002 needing help", rep)
	}
	// Closed before its escalation time, reopened after it: it is due.
	due, err := s.DueEscalations(ctx, late)
	if err != nil || len(due) != 1 || due[0].ID != rc.ID {
		t.Fatalf("due after reopening: got %+v, %v", due, err)
	}
	if err := s.MarkEscalated(ctx, rc.ID, late); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseRollCall(ctx, rc.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReopenRollCall(ctx, rc.ID); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueEscalations(ctx, late.Add(time.Hour)); len(due) != 0 {
		t.Errorf("an escalated roll call, reopened, is escalated again: %+v", due)
	}

	var actions []string
	entries, err := s.Audit(ctx, outpost.AuditFilter{Entity: "rollcall"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Action == "reopen" && e.EntityID == strconv.FormatInt(rc.ID, 10) && e.Actor == "tester" {
			actions = append(actions, e.Actor+" "+e.Before+" → "+e.After)
		}
	}
	if len(actions) != 2 {
		t.Errorf("audit of the reopenings: got %q, want two", actions)
	}
}
