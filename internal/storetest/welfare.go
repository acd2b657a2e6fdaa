package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

func welfareSuites() []Suite {
	return []Suite{
		{"RollCall", testRollCall},
		{"RollCallScopeAndState", testRollCallScopeAndState},
		{"Escalation", testEscalation},
		{"RollCallReopen", testRollCallReopen},
		{"MedicalCases", testMedicalCases},
	}
}

func testRollCall(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	// SE-0001 leaves: not expected by a roll call started afterwards.
	if _, err := s.Track(ctx, outpost.Track{Person: "SE-0001", Checkpoint: outpost.Crossed, At: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	rc, err := s.StartRollCall(ctx, outpost.RollCall{Title: "Morning check"})
	if err != nil {
		t.Fatal(err)
	}
	if rc.Expected != 4 || rc.Status != outpost.RollCallOpen || rc.ID == 0 {
		t.Fatalf("started: got %+v, want 4 expected, open", rc)
	}
	errs, err := s.CheckIn(ctx, []outpost.Checkin{
		{RollCall: rc.ID, Person: "RU-0001", Status: outpost.NeedHelp, Via: "cli"},
		{RollCall: rc.ID, Person: "RU-0001", Status: outpost.Safe, Via: "cli"}, // the later answer wins
		{RollCall: rc.ID, Person: "RU-0002", Status: outpost.NeedHelp, Note: "insulin", Via: "cli"},
		{RollCall: rc.ID, Person: "SE-0001", Status: outpost.Safe},      // not in scope
		{RollCall: rc.ID + 99, Person: "RU-0003", Status: outpost.Safe}, // no such roll call
		{RollCall: rc.ID, Person: "RU-0003", Status: "maybe"},           // not an answer
	})
	if err != nil {
		t.Fatal(err)
	}
	wantCodes := []string{"", "", "", outpost.ENOTFOUND, outpost.ENOTFOUND, outpost.EINVALID}
	for i, e := range errs {
		if outpost.ErrorCode(e) != wantCodes[i] {
			t.Errorf("answer %d: got %v, want code %q", i, e, wantCodes[i])
		}
	}
	rep, err := s.RollCallReport(ctx, rc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Expected != 4 || rep.Safe != 1 || rep.NeedHelp != 1 || rep.NoResponse != 2 {
		t.Errorf("report: got %d/%d/%d/%d, want 4 expected, 1 safe, 1 need help, 2 silent", rep.Expected, rep.Safe, rep.NeedHelp, rep.NoResponse)
	}
	if !slices.Equal(rep.NoResponseIDs, []string{"RU-0003", "WFP-0001"}) || !slices.Equal(rep.NeedHelpIDs, []string{"RU-0002"}) {
		t.Errorf("ids: silent %v, need help %v", rep.NoResponseIDs, rep.NeedHelpIDs)
	}
	if len(rep.ByMission) != 2 || rep.ByMission[0].Mission != "RU" || rep.ByMission[0].Expected != 3 {
		t.Errorf("by mission: got %+v", rep.ByMission)
	}
	scope, _ := s.RollCallScope(ctx, rc.ID)
	if len(scope) != 4 || scope[1].Person != "RU-0002" || scope[1].Note != "insulin" {
		t.Errorf("scope: got %+v", scope)
	}
	if _, err := s.StartRollCall(ctx, outpost.RollCall{Title: "x", Mission: "XX"}); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("unknown mission: got %v", err)
	}
	if _, err := s.StartRollCall(ctx, outpost.RollCall{Title: " "}); outpost.ErrorCode(err) != outpost.EINVALID {
		t.Errorf("blank title: got %v", err)
	}
}

func testRollCallScopeAndState(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	rc, err := s.StartRollCall(ctx, outpost.RollCall{Title: "RU only", Mission: "RU"})
	if err != nil {
		t.Fatal(err)
	}
	if rc.Expected != 3 || rc.Mission != "RU" {
		t.Errorf("mission roll call: got %+v, want 3 expected", rc)
	}
	errs, _ := s.CheckIn(ctx, []outpost.Checkin{{RollCall: rc.ID, Person: "WFP-0001", Status: outpost.Safe}})
	if outpost.ErrorCode(errs[0]) != outpost.ENOTFOUND {
		t.Errorf("person of another mission: got %v", errs[0])
	}
	if _, err := s.CloseRollCall(ctx, rc.ID); err != nil {
		t.Fatal(err)
	}
	errs, _ = s.CheckIn(ctx, []outpost.Checkin{{RollCall: rc.ID, Person: "RU-0001", Status: outpost.Safe}})
	if outpost.ErrorCode(errs[0]) != outpost.ECONFLICT {
		t.Errorf("closed roll call: got %v, want a conflict", errs[0])
	}
	if _, err := s.CloseRollCall(ctx, rc.ID); outpost.ErrorCode(err) != outpost.ECONFLICT {
		t.Errorf("closing twice: got %v", err)
	}
	list, _ := s.RollCalls(ctx, "WFP")
	if len(list) != 0 {
		t.Errorf("WFP sees RU's roll call: %+v", list)
	}
	list, _ = s.RollCalls(ctx, "")
	if len(list) != 1 || list[0].Status != outpost.RollCallClosed || list[0].ClosedAt == nil {
		t.Errorf("list: got %+v", list)
	}
}

func testEscalation(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	rc, err := s.StartRollCall(ctx, outpost.RollCall{Title: "x", EscalateAfter: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueEscalations(ctx, rc.StartedAt.Add(59*time.Minute)); len(due) != 0 {
		t.Errorf("due before its time: %+v", due)
	}
	due, err := s.DueEscalations(ctx, rc.StartedAt.Add(61*time.Minute))
	if err != nil || len(due) != 1 || due[0].ID != rc.ID {
		t.Fatalf("due after its time: got %+v, %v", due, err)
	}
	if err := s.MarkEscalated(ctx, rc.ID, rc.StartedAt.Add(61*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueEscalations(ctx, rc.StartedAt.Add(2*time.Hour)); len(due) != 0 {
		t.Errorf("escalated twice: %+v", due)
	}
}

func testMedicalCases(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	routine, err := s.OpenCase(ctx, outpost.MedicalCase{Person: "RU-0002", Precedence: outpost.Routine, Need: "daily insulin"})
	if err != nil {
		t.Fatal(err)
	}
	if routine.Mission != "RU" || routine.Status != "open" {
		t.Errorf("opened: got %+v", routine)
	}
	urgent, _ := s.OpenCase(ctx, outpost.MedicalCase{Person: "RU-0003", Precedence: outpost.Priority, Need: "dialysis"})
	levels, _ := s.MedicalLevels(ctx)
	if levels["RU-0002"] != 1 || levels["RU-0003"] != 2 || len(levels) != 2 {
		t.Errorf("levels: got %v", levels)
	}
	up := outpost.Urgent
	if _, err := s.UpdateCase(ctx, urgent.ID, outpost.CaseUpdate{Precedence: &up}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseCase(ctx, routine.ID); err != nil {
		t.Fatal(err)
	}
	levels, _ = s.MedicalLevels(ctx)
	if levels["RU-0003"] != 3 || len(levels) != 1 {
		t.Errorf("after update and close: got %v, want RU-0003 at 3 only", levels)
	}
	openCases, _ := s.Cases(ctx, outpost.CaseFilter{})
	all, _ := s.Cases(ctx, outpost.CaseFilter{All: true, Mission: "RU"})
	if len(openCases) != 1 || len(all) != 2 || all[0].Precedence != outpost.Urgent {
		t.Errorf("listing: open %+v, all %+v", openCases, all)
	}
	bad := outpost.Precedence("soon")
	if _, err := s.UpdateCase(ctx, urgent.ID, outpost.CaseUpdate{Precedence: &bad}); outpost.ErrorCode(err) != outpost.EINVALID {
		t.Errorf("bad precedence: got %v", err)
	}
	need := "more insulin"
	if _, err := s.UpdateCase(ctx, routine.ID, outpost.CaseUpdate{Need: &need}); outpost.ErrorCode(err) != outpost.ECONFLICT {
		t.Errorf("updating a closed case: got %v", err)
	}
	if _, err := s.OpenCase(ctx, outpost.MedicalCase{Person: "NOPE", Precedence: outpost.Routine}); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("unknown person: got %v", err)
	}
}
