package storetest

import (
	"math"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

func boundsSuites() []Suite {
	return []Suite{
		{"BoundsTrack", testBoundsTrack},
		{"BoundsQuantities", testBoundsQuantities},
		{"BoundsText", testBoundsText},
	}
}

// testBoundsTrack: a checkpoint outside the date window or before the
// person's registration is refused and leaves no event, whichever entry
// point sent it.
func testBoundsTrack(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	for _, tr := range []outpost.Track{
		{Person: "RU-0002", Checkpoint: outpost.Departed, At: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)},
		{Person: "RU-0002", Checkpoint: outpost.Departed, At: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Person: "RU-0002", Checkpoint: outpost.Departed, At: day0.Add(-time.Hour)},
		{Person: "RU-0002", Checkpoint: outpost.Assembled, At: day0.AddDate(1, 0, 0), Note: "bus\x00"},
	} {
		if _, err := s.Track(ctx, tr); outpost.ErrorCode(err) != outpost.EINVALID {
			t.Errorf("track at %v note %q: got %v, want EINVALID", tr.At, tr.Note, err)
		}
	}
	evs, err := s.Events(ctx, "RU-0002")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Source == "track" {
			t.Errorf("a refused checkpoint was recorded: %+v", e)
		}
	}
	if _, err := s.Track(ctx, outpost.Track{Person: "RU-0002", Checkpoint: outpost.Departed, At: day0}); err != nil {
		t.Errorf("track at the registration: %v", err)
	}
}

// testBoundsQuantities: NaN, ±Inf and absurd quantities are refused by
// every supply write.
func testBoundsQuantities(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	SeedSupply(t, s)
	for _, q := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e308, 2e9} {
		r := receipt("RU", "BIG", q, "2021-03-02", "", 0)
		if _, err := s.Receive(ctx, r); outpost.ErrorCode(err) != outpost.EINVALID {
			t.Errorf("receive %v: got %v, want EINVALID", q, err)
		}
		if _, err := s.IssueStock(ctx, issue("RU", q, "2021-03-02", 0)); outpost.ErrorCode(err) != outpost.EINVALID {
			t.Errorf("issue %v: got %v, want EINVALID", q, err)
		}
		if _, err := s.Transfer(ctx, outpost.Transfer{Item: "FLOUR", From: "RU", To: "SE", Quantity: q, Date: "2021-03-03"}); outpost.ErrorCode(err) != outpost.EINVALID {
			t.Errorf("transfer %v: got %v, want EINVALID", q, err)
		}
	}
	bad := Items()[0]
	bad.Code, bad.DailyPerPerson = "OIL", math.Inf(1)
	if _, err := s.ImportItems(ctx, Batch(bad)); outpost.ErrorCode(err) != outpost.EINVALID {
		t.Errorf("item with an infinite ration: got %v, want EINVALID", err)
	}
	if _, err := s.Receive(ctx, receipt("RU", "BIG", 1e9, "2021-03-02", "", 0)); err != nil {
		t.Errorf("receive the largest quantity allowed: %v", err)
	}
}

// testBoundsText: NUL and other control characters are refused in titles,
// bodies, notes and needs.
func testBoundsText(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	for name, st := range map[string]outpost.Statement{
		"NUL in title": {Mission: "RU", Title: "Evac\x00", Body: "x"},
		"ESC in title": {Mission: "RU", Title: "Evac\x1b[2J", Body: "x"},
		"NUL in body":  {Mission: "RU", Title: "Evacuation", Body: "x\x00y"},
	} {
		if _, err := s.CreateStatement(ctx, st); outpost.ErrorCode(err) != outpost.EINVALID {
			t.Errorf("%s: got %v, want EINVALID", name, err)
		}
	}
	if _, err := s.CreateStatement(ctx, outpost.Statement{Mission: "RU", Title: "Evacuation", Body: "line one\r\n\tline two"}); err != nil {
		t.Errorf("a body over several lines: %v", err)
	}
	if _, err := s.StartRollCall(ctx, outpost.RollCall{Title: "Check\x00"}); outpost.ErrorCode(err) != outpost.EINVALID {
		t.Errorf("roll call title with NUL: got %v, want EINVALID", err)
	}
	if _, err := s.OpenCase(ctx, outpost.MedicalCase{Person: "RU-0001", Precedence: outpost.Routine, Need: "in\x00sulin"}); outpost.ErrorCode(err) != outpost.EINVALID {
		t.Errorf("medical need with NUL: got %v, want EINVALID", err)
	}
}
