package storetest

import (
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
)

func missionHistorySuites() []Suite {
	return []Suite{{"MissionHistory", testMissionHistory}}
}

// historyOf is the (status, since date) of each entry of a mission's
// history, "" for the entry from the beginning.
func historyOf(t *testing.T, s outpost.MissionStatusStore, code string) [][2]string {
	t.Helper()
	h, err := s.MissionHistory(Ctx(), code)
	if err != nil {
		t.Fatalf("history of %s: %v", code, err)
	}
	var out [][2]string
	for _, c := range h {
		d := ""
		if !c.Since.IsZero() {
			d = c.Since.UTC().Format(time.DateOnly)
		}
		out = append(out, [2]string{string(c.Status), d})
	}
	return out
}

func sameHistory(t *testing.T, what string, got [][2]string, want ...[2]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: history %v, want %v", what, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: history %v, want %v", what, got, want)
		}
	}
}

func testMissionHistory(t *testing.T, open Opener) {
	st := open(t)
	s, ok := st.(outpost.MissionStatusStore)
	if !ok {
		t.Fatalf("%T keeps no mission history", st)
	}
	ctx := Ctx()
	day := func(d string) time.Time { return outpost.Date(d).Start(time.UTC) }
	// Without status_since the status holds from the beginning.
	if _, err := st.ImportMissions(ctx, Batch(Missions()...)); err != nil {
		t.Fatal(err)
	}
	sameHistory(t, "RU imported", historyOf(t, s, "RU"), [2]string{"open", ""})

	// With status_since: from that date, the time before kept (a new
	// mission was open before).
	gb := outpost.Mission{Code: "GB", Name: "Embassy of the UK", Country: "GB", Kind: outpost.KindEmbassy,
		Status: outpost.MissionClosed, StatusSince: day("2020-05-27")}
	ru := Missions()[0]
	ru.Status, ru.StatusSince = outpost.MissionReduced, day("2020-09-01")
	file := []outpost.Mission{gb, ru}
	if _, err := st.ImportMissions(ctx, Batch(file...)); err != nil {
		t.Fatal(err)
	}
	sameHistory(t, "GB imported with status_since", historyOf(t, s, "GB"), [2]string{"open", ""}, [2]string{"closed", "2020-05-27"})
	sameHistory(t, "RU re-imported with status_since", historyOf(t, s, "RU"), [2]string{"open", ""}, [2]string{"reduced", "2020-09-01"})
	before, _ := s.MissionHistory(ctx, "")
	// Importing the same file again changes nothing.
	if _, err := st.ImportMissions(ctx, Batch(file...)); err != nil {
		t.Fatal(err)
	}
	again, _ := s.MissionHistory(ctx, "")
	if len(again) != len(before) {
		t.Fatalf("re-import: %d entries, want %d", len(again), len(before))
	}
	for i := range again {
		if again[i] != before[i] {
			t.Fatalf("re-import changed entry %d: %+v, was %+v", i, again[i], before[i])
		}
	}
	if m, _ := st.Mission(ctx, "GB"); m.Status != outpost.MissionClosed {
		t.Errorf("GB status now %q, want closed", m.Status)
	}

	// A change recorded by hand, before the latest: the current status
	// stays the latest one's.
	m, err := s.SetMissionStatus(ctx, outpost.MissionStatusChange{Mission: "GB", Status: outpost.MissionReduced,
		Since: day("2020-03-09").Add(10 * time.Hour), Note: "ambassador leaves"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != outpost.MissionClosed {
		t.Errorf("after an earlier change: status %q, want closed", m.Status)
	}
	sameHistory(t, "GB after a change", historyOf(t, s, "GB"), [2]string{"open", ""}, [2]string{"reduced", "2020-03-09"}, [2]string{"closed", "2020-05-27"})
	h, _ := s.MissionHistory(ctx, "GB")
	if h[1].Note != "ambassador leaves" || h[1].Actor != "tester" || h[1].Recorded.IsZero() {
		t.Errorf("entry: %+v, want its note, actor and time", h[1])
	}
	if a, _ := st.Audit(ctx, outpost.AuditFilter{Entity: "mission_status"}); len(a) != 1 || a[0].EntityID != "GB" || a[0].Actor != "tester" {
		t.Errorf("audit: %+v, want one mission_status entry of GB by tester", a)
	}
	// A later change becomes the current status.
	if m, err = s.SetMissionStatus(ctx, outpost.MissionStatusChange{Mission: "GB", Status: outpost.MissionOpen, Since: day("2023-09-01")}); err != nil || m.Status != outpost.MissionOpen {
		t.Errorf("reopening: %v, status %q, want open", err, m.Status)
	}

	// Refused: nothing would change, an unknown mission, a bad status or
	// date; and nothing written.
	n, _ := s.MissionHistory(ctx, "")
	for _, c := range []struct {
		ch   outpost.MissionStatusChange
		code string
	}{
		{outpost.MissionStatusChange{Mission: "GB", Status: outpost.MissionClosed, Since: day("2021-01-01")}, outpost.EINVALID},
		{outpost.MissionStatusChange{Mission: "XX", Status: outpost.MissionClosed, Since: day("2021-01-01")}, outpost.ENOTFOUND},
		{outpost.MissionStatusChange{Mission: "GB", Status: "shut", Since: day("2021-01-01")}, outpost.EINVALID},
		{outpost.MissionStatusChange{Mission: "GB", Status: outpost.MissionOpen, Since: time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC)}, outpost.EINVALID},
		{outpost.MissionStatusChange{Mission: "GB", Status: outpost.MissionOpen}, outpost.EINVALID},
	} {
		if _, err := s.SetMissionStatus(ctx, c.ch); outpost.ErrorCode(err) != c.code {
			t.Errorf("%+v: got %v, want %s", c.ch, err, c.code)
		}
	}
	if m, _ := s.MissionHistory(ctx, ""); len(m) != len(n) {
		t.Errorf("refused changes wrote: %d entries, want %d", len(m), len(n))
	}

	// The census of a date shows the status of then.
	ms, _ := st.Missions(ctx)
	pop, err := census.Build(ms, func(fn func(outpost.Presence) error) error { return st.Presence(ctx, fn) })
	if err != nil {
		t.Fatal(err)
	}
	hist, _ := s.MissionHistory(ctx, "")
	pop = pop.WithMissionHistory(hist)
	statusOn := func(code, d string) string {
		for _, m := range pop.At(outpost.Date(d).End(time.UTC)).ByMission {
			if m.Code == code {
				return m.Status
			}
		}
		return "(absent)"
	}
	for _, c := range []struct{ code, date, want string }{
		{"GB", "2020-01-01", "open"}, {"GB", "2020-03-09", "reduced"}, {"GB", "2020-05-26", "reduced"},
		{"GB", "2020-05-27", "closed"}, {"GB", "2021-04-01", "closed"}, {"GB", "2024-01-01", "open"},
		{"RU", "2020-08-31", "open"}, {"RU", "2020-09-01", "reduced"}, {"SE", "2020-01-01", "closed"},
	} {
		if got := statusOn(c.code, c.date); got != c.want {
			t.Errorf("census of %s: %s is %s, want %s", c.date, c.code, got, c.want)
		}
	}

	// A row without status_since that changes the status sets it from the
	// beginning, as before missions had a history.
	gb.StatusSince, gb.Status = time.Time{}, outpost.MissionSuspended
	if _, err := st.ImportMissions(ctx, Batch(gb)); err != nil {
		t.Fatal(err)
	}
	sameHistory(t, "GB re-imported without status_since", historyOf(t, s, "GB"), [2]string{"suspended", ""})
}
