package storetest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
)

func correctionSuites() []Suite {
	return []Suite{
		{"AmendKeepsTheOriginal", testAmendKeepsTheOriginal},
		{"VoidedEventNeverCounts", testVoidedEventNeverCounts},
		{"AmendMovesTheCount", testAmendMovesTheCount},
		{"CorrectOnlyOnce", testCorrectOnlyOnce},
		{"CorrectionKeepsToMissions", testCorrectionKeepsToMissions},
		{"OutOfOrderIsFlagged", testOutOfOrderIsFlagged},
		{"BulkActionUndo", testBulkActionUndo},
		{"BulkActionUndoPerMission", testBulkActionUndoPerMission},
		{"UndoLeavesTheSkippedAlone", testUndoLeavesTheSkippedAlone},
		{"ScanOfAVoidedEventIsADuplicate", testScanOfAVoidedEventIsADuplicate},
	}
}

var corrAt = time.Date(2021, 3, 1, 12, 0, 0, 0, time.UTC)

// track records a checkpoint or fails t.
func track(t *testing.T, s outpost.Store, person string, c outpost.Checkpoint, at time.Time) outpost.Event {
	t.Helper()
	ev, err := s.Track(Ctx(), outpost.Track{Person: person, Checkpoint: c, At: at})
	if err != nil {
		t.Fatalf("track %s %s: %v", person, c, err)
	}
	return ev
}

// statusAt is person's status in the census at at ("" when not counted).
func statusAt(t *testing.T, s outpost.Store, person string, at time.Time) outpost.Status {
	t.Helper()
	ms, _ := s.Missions(Ctx())
	pop, err := census.Build(ms, func(fn func(outpost.Presence) error) error { return s.Presence(Ctx(), fn) })
	if err != nil {
		t.Fatal(err)
	}
	p, ok := pop.Person(person)
	if !ok {
		return ""
	}
	var st outpost.Status
	for _, e := range p.History {
		if e.At <= at.Unix() {
			st = e.Status
		}
	}
	return st
}

func testAmendKeepsTheOriginal(t *testing.T, open Opener) {
	s := open(t)
	Seed(t, s)
	ctx := Ctx()
	orig := track(t, s, "RU-0002", outpost.Crossed, corrAt)
	note := "the bus left on the 2nd"
	rep, err := s.AmendEvent(ctx, outpost.Amendment{Event: orig.ID, Checkpoint: outpost.Departed, At: corrAt.Add(24 * time.Hour), Note: &note, Reason: "wrong day and checkpoint"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ID == orig.ID || rep.Amends != orig.ID || rep.Status != outpost.InTransit || rep.Checkpoint != outpost.Departed || !rep.At.Equal(corrAt.Add(24*time.Hour)) {
		t.Fatalf("replacement %+v, want departed (in transit) a day later amending %d", rep, orig.ID)
	}
	h, err := s.History(ctx, "RU-0002")
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Corrected) != 1 {
		t.Fatalf("corrected %+v, want the original", h.Corrected)
	}
	c := h.Corrected[0]
	if c.ID != orig.ID || c.Correction != outpost.Amended || c.ReplacedBy != rep.ID || c.By != "tester" || c.Reason != "wrong day and checkpoint" || c.Checkpoint != outpost.Crossed {
		t.Errorf("original %+v, want crossed, amended by tester, replaced by %d", c, rep.ID)
	}
	var live []int64
	for _, e := range h.Events {
		live = append(live, e.ID)
		if e.ID == rep.ID && e.Amends != orig.ID {
			t.Errorf("replacement in the history %+v does not name the original %d", e, orig.ID)
		}
	}
	if len(live) != 2 || live[1] != rep.ID {
		t.Errorf("live events %v, want the registration and %d", live, rep.ID)
	}
	if p, _ := s.Person(ctx, "RU-0002"); p.Status != outpost.InTransit {
		t.Errorf("current status %s, want in_transit", p.Status)
	}
	// The audit log has both versions.
	entries, err := s.Audit(ctx, outpost.AuditFilter{Mission: "RU", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 || entries[0].Action != "amend" || entries[0].EntityID != "RU-0002" {
		t.Fatalf("audit %+v, want an amend of RU-0002 first", entries)
	}
	var before, after map[string]any
	if err := json.Unmarshal([]byte(entries[0].Before), &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(entries[0].After), &after); err != nil {
		t.Fatal(err)
	}
	if before["checkpoint"] != "crossed" || after["checkpoint"] != "departed" || after["reason"] != "wrong day and checkpoint" {
		t.Errorf("audit before %v after %v, want crossed then departed with the reason", before, after)
	}
}

func testVoidedEventNeverCounts(t *testing.T, open Opener) {
	s := open(t)
	Seed(t, s)
	ctx := Ctx()
	ev := track(t, s, "RU-0003", outpost.Departed, corrAt)
	assembled := track(t, s, "RU-0003", outpost.Assembled, corrAt.Add(time.Hour))
	if assembled.Status != outpost.InTransit {
		t.Fatalf("assembled while in transit recorded %s", assembled.Status)
	}
	c, err := s.VoidEvent(ctx, ev.ID, "scanned the wrong badge", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Correction != outpost.Voided || c.Reason != "scanned the wrong badge" {
		t.Errorf("void %+v", c)
	}
	for _, at := range []time.Time{corrAt.Add(-time.Second), corrAt, corrAt.Add(time.Hour), corrAt.Add(48 * time.Hour)} {
		if st := statusAt(t, s, "RU-0003", at); st != outpost.InCountry {
			t.Errorf("census at %s: %s, want in_country: a voided event never counts", at, st)
		}
	}
	if p, _ := s.Person(ctx, "RU-0003"); p.Status != outpost.InCountry {
		t.Errorf("current status %s, want in_country", p.Status)
	}
	evs, _ := s.Events(ctx, "RU-0003")
	for _, e := range evs {
		if e.ID == ev.ID {
			t.Errorf("the voided event is still in Events: %+v", evs)
		}
		if e.ID == assembled.ID && e.Status != outpost.InCountry {
			t.Errorf("assembled after the voided departure keeps %s, want in_country", e.Status)
		}
	}
	entries, _ := s.Audit(ctx, outpost.AuditFilter{Mission: "RU", Limit: 1})
	if len(entries) != 1 || entries[0].Action != "void" || !strings.Contains(entries[0].Before, `"departed"`) || !strings.Contains(entries[0].After, "scanned the wrong badge") {
		t.Errorf("audit %+v, want the void with the event and the reason", entries)
	}
	if _, err := s.VoidEvent(ctx, ev.ID, "", nil); outpost.ErrorCode(err) != outpost.EINVALID {
		t.Errorf("void without a reason: %v, want invalid", err)
	}
}

func testAmendMovesTheCount(t *testing.T, open Opener) {
	s := open(t)
	Seed(t, s)
	ctx := Ctx()
	ev := track(t, s, "RU-0002", outpost.Departed, corrAt)
	// Later: the count moves from corrAt to a day later.
	later, err := s.AmendEvent(ctx, outpost.Amendment{Event: ev.ID, At: corrAt.Add(24 * time.Hour), Reason: "left a day later"})
	if err != nil {
		t.Fatal(err)
	}
	if st := statusAt(t, s, "RU-0002", corrAt.Add(time.Hour)); st != outpost.InCountry {
		t.Errorf("after amending later: at the old time %s, want in_country", st)
	}
	if st := statusAt(t, s, "RU-0002", corrAt.Add(25*time.Hour)); st != outpost.InTransit {
		t.Errorf("after amending later: at the new time %s, want in_transit", st)
	}
	// Earlier: it moves before the original time.
	if _, err := s.AmendEvent(ctx, outpost.Amendment{Event: later.ID, At: corrAt.Add(-24 * time.Hour), Reason: "no, a day earlier"}); err != nil {
		t.Fatal(err)
	}
	if st := statusAt(t, s, "RU-0002", corrAt.Add(-23*time.Hour)); st != outpost.InTransit {
		t.Errorf("after amending earlier: %s, want in_transit", st)
	}
	h, _ := s.History(ctx, "RU-0002")
	if len(h.Corrected) != 2 || h.Corrected[1].ReplacedBy == 0 {
		t.Errorf("corrected %+v, want both amended versions", h.Corrected)
	}
	// Before the registration: refused, nothing written.
	if _, err := s.AmendEvent(ctx, outpost.Amendment{Event: h.Events[len(h.Events)-1].ID, At: day0.Add(-time.Hour), Reason: "x"}); outpost.ErrorCode(err) != outpost.EINVALID {
		t.Errorf("amend before the registration: %v, want invalid", err)
	}
}

func testCorrectOnlyOnce(t *testing.T, open Opener) {
	s := open(t)
	Seed(t, s)
	ctx := Ctx()
	ev := track(t, s, "RU-0002", outpost.Departed, corrAt)
	if _, err := s.VoidEvent(ctx, ev.ID, "wrong", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VoidEvent(ctx, ev.ID, "again", nil); outpost.ErrorCode(err) != outpost.ECONFLICT {
		t.Errorf("void twice: %v, want conflict", err)
	}
	if _, err := s.AmendEvent(ctx, outpost.Amendment{Event: ev.ID, At: corrAt, Reason: "again"}); outpost.ErrorCode(err) != outpost.ECONFLICT {
		t.Errorf("amend a voided event: %v, want conflict", err)
	}
	if _, err := s.VoidEvent(ctx, 987654, "no such", nil); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("void of no event: %v, want not found", err)
	}
}

func testCorrectionKeepsToMissions(t *testing.T, open Opener) {
	s := open(t)
	Seed(t, s)
	ctx := Ctx()
	ev := track(t, s, "SE-0001", outpost.Departed, corrAt)
	if _, err := s.VoidEvent(ctx, ev.ID, "not mine", []string{"RU"}); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("void of another mission's event: %v, want not found", err)
	}
	if _, err := s.AmendEvent(ctx, outpost.Amendment{Event: ev.ID, At: corrAt, Reason: "not mine", Missions: []string{"RU"}}); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("amend of another mission's event: %v, want not found", err)
	}
	if h, _ := s.History(ctx, "SE-0001"); len(h.Corrected) != 0 {
		t.Errorf("another mission's event was corrected: %+v", h.Corrected)
	}
}

func testOutOfOrderIsFlagged(t *testing.T, open Opener) {
	s := open(t)
	Seed(t, s)
	ctx := Ctx()
	crossed := track(t, s, "RU-0002", outpost.Crossed, corrAt)
	if crossed.Flag == "" {
		t.Errorf("crossed while in the country, no departed: not flagged (%+v)", crossed)
	}
	if ok := track(t, s, "RU-0003", outpost.Departed, corrAt); ok.Flag != "" {
		t.Errorf("departed from the country flagged: %q", ok.Flag)
	}
	// Recorded before a later one: the status before comes from the history.
	if back := track(t, s, "RU-0003", outpost.Returned, corrAt.Add(-time.Hour)); back.Flag == "" {
		t.Errorf("returned while in the country (before the departure): not flagged")
	}
	flagged, err := s.FlaggedEvents(ctx, "RU", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(flagged) != 2 || flagged[0].ID != crossed.ID {
		t.Fatalf("flagged %+v, want the crossed of RU-0002 and the returned of RU-0003", flagged)
	}
	if other, _ := s.FlaggedEvents(ctx, "SE", 10); len(other) != 0 {
		t.Errorf("flagged in SE: %+v", other)
	}
	// Amending the checkpoint to departed clears the flag.
	if _, err := s.AmendEvent(ctx, outpost.Amendment{Event: crossed.ID, Checkpoint: outpost.Departed, Reason: "it was the departure"}); err != nil {
		t.Fatal(err)
	}
	if flagged, _ := s.FlaggedEvents(ctx, "RU", 10); len(flagged) != 1 || flagged[0].Person != "RU-0003" {
		t.Errorf("after the amendment: flagged %+v, want RU-0003's only", flagged)
	}
	h, _ := s.History(ctx, "RU-0003")
	n := 0
	for _, e := range h.Events {
		if e.Flag != "" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("history of RU-0003 has %d flagged events, want 1: %+v", n, h.Events)
	}
}

func testBulkActionUndo(t *testing.T, open Opener) {
	s := open(t)
	Seed(t, s)
	ctx := Ctx()
	var ts []outpost.Track
	for _, p := range []string{"RU-0001", "RU-0002"} {
		ts = append(ts, outpost.Track{Person: p, Checkpoint: outpost.Departed, At: corrAt})
	}
	a, res, err := s.TrackAction(ctx, outpost.TrackAction{Checkpoint: outpost.Departed, What: "household RU-H1"}, ts)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 || len(res) != 2 || res[0].Event.Action != a.ID || res[1].Kind != "" {
		t.Fatalf("action %+v results %+v", a, res)
	}
	for _, p := range []string{"RU-0001", "RU-0002"} {
		if st := statusAt(t, s, p, corrAt); st != outpost.InTransit {
			t.Fatalf("%s after the action: %s", p, st)
		}
	}
	// Someone amends one of its events before the undo: the undo leaves
	// it and says so; a later event on the other person stays.
	if _, err := s.AmendEvent(ctx, outpost.Amendment{Event: res[0].Event.ID, At: corrAt.Add(-time.Hour), Reason: "earlier"}); err != nil {
		t.Fatal(err)
	}
	later := track(t, s, "RU-0002", outpost.Crossed, corrAt.Add(2*time.Hour))
	if _, err := s.UndoAction(ctx, a.ID, []string{"SE"}); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("undo by another mission: %v, want not found", err)
	}
	u, err := s.UndoAction(ctx, a.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Voided) != 1 || u.Voided[0].Person != "RU-0002" || len(u.Skipped) != 1 || !strings.Contains(u.Skipped[0].Reason, "already amended") {
		t.Fatalf("undo %+v, want RU-0002's event voided and RU-0001's left as amended", u)
	}
	if st := statusAt(t, s, "RU-0002", corrAt.Add(time.Hour)); st != outpost.InCountry {
		t.Errorf("RU-0002 after the undo: %s, want in_country", st)
	}
	if st := statusAt(t, s, "RU-0002", later.At); st != outpost.Left {
		t.Errorf("RU-0002's later crossing after the undo: %s, want left", st)
	}
	if _, err := s.UndoAction(ctx, a.ID, nil); outpost.ErrorCode(err) != outpost.ECONFLICT {
		t.Errorf("undo twice: %v, want conflict", err)
	}
	h, _ := s.History(ctx, "RU-0002")
	if len(h.Corrected) != 1 || h.Corrected[0].Reason != outpost.UndoneReason {
		t.Errorf("RU-0002's corrected %+v, want the undone event", h.Corrected)
	}
}

func testScanOfAVoidedEventIsADuplicate(t *testing.T, open Opener) {
	s := open(t)
	Seed(t, s)
	ctx := Ctx()
	scan := outpost.Track{Person: "RU-0002", Checkpoint: outpost.Departed, At: corrAt}
	res, err := s.TrackBatch(ctx, []outpost.Track{scan})
	if err != nil || res[0].Kind != "" {
		t.Fatalf("scan: %v %+v", err, res)
	}
	if _, err := s.VoidEvent(ctx, res[0].Event.ID, "wrong person", nil); err != nil {
		t.Fatal(err)
	}
	res, err = s.TrackBatch(ctx, []outpost.Track{scan})
	if err != nil || !res[0].Duplicate {
		t.Fatalf("the same scan again after the void: %v %+v, want a duplicate", err, res)
	}
	if st := statusAt(t, s, "RU-0002", corrAt); st != outpost.InCountry {
		t.Errorf("status %s, want in_country: the voided scan came back", st)
	}
}
