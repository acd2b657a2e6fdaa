package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
)

func missionHistorySuites() []Suite {
	return []Suite{{"MissionHistory", testMissionHistory}, {"MissionHistoryImportKeepsDates", testMissionHistoryImportKeepsDates}}
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
	SeedMissions(t, st)
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
	if a := auditOf(t, st, "GB"); len(a) != 1 || a[0].Action != "set" || a[0].Actor != "tester" {
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

	// A row without status_since that changes the status of a mission
	// with dated changes records a change at the import's moment: the
	// dates stay, and the new entry is audited.
	gb.StatusSince, gb.Status = time.Time{}, outpost.MissionSuspended
	audited := len(auditOf(t, st, "GB"))
	from := time.Now().Add(-time.Second)
	if _, err := st.ImportMissions(ctx, Batch(gb)); err != nil {
		t.Fatal(err)
	}
	to := time.Now().Add(time.Second)
	h, _ = s.MissionHistory(ctx, "GB")
	got := historyOf(t, s, "GB")
	sameHistory(t, "GB re-imported without status_since", got[:len(got)-1],
		[2]string{"open", ""}, [2]string{"reduced", "2020-03-09"}, [2]string{"closed", "2020-05-27"}, [2]string{"open", "2023-09-01"})
	if last := h[len(h)-1]; last.Status != outpost.MissionSuspended || last.Since.Before(from) || last.Since.After(to) {
		t.Errorf("GB re-imported without status_since: last entry %+v, want suspended since the import", last)
	}
	if m, _ := st.Mission(ctx, "GB"); m.Status != outpost.MissionSuspended {
		t.Errorf("GB status now %q, want suspended", m.Status)
	}
	if a := auditOf(t, st, "GB"); len(a) != audited+1 || !strings.Contains(a[0].Before, `"open"`) || !strings.Contains(a[0].After, `"suspended"`) {
		t.Errorf("GB audit: %+v, want one more entry, open to suspended", a)
	}
}

// auditOf returns the mission_status audit entries of a mission, newest
// first.
func auditOf(t *testing.T, st outpost.Store, code string) []outpost.AuditEntry {
	t.Helper()
	a, err := st.Audit(Ctx(), outpost.AuditFilter{Entity: "mission_status"})
	if err != nil {
		t.Fatal(err)
	}
	var out []outpost.AuditEntry
	for _, e := range a {
		if e.EntityID == code {
			out = append(out, e)
		}
	}
	return out
}

// An import without status_since never silently erases a mission's
// dated history: the status from the beginning is replaced (and audited)
// only for a mission that has nothing else; an entry an import with
// status_since removes is audited too. Importing the same file twice
// changes nothing the second time.
func testMissionHistoryImportKeepsDates(t *testing.T, open Opener) {
	st := open(t)
	s := st.(outpost.MissionStatusStore)
	ctx := Ctx()
	day := func(d string) time.Time { return outpost.Date(d).Start(time.UTC) }
	SeedMissions(t, st)
	// RU has only its status from the beginning: a new status replaces it,
	// as before missions had a history (the census of a past date shows
	// it), and the replacement is audited.
	ru := Missions()[0]
	ru.Status = outpost.MissionReduced
	if _, err := st.ImportMissions(ctx, Batch(ru)); err != nil {
		t.Fatal(err)
	}
	sameHistory(t, "RU undated, re-imported", historyOf(t, s, "RU"), [2]string{"reduced", ""})
	if a := auditOf(t, st, "RU"); len(a) != 1 || a[0].Action != "import" || !strings.Contains(a[0].Before, `"open"`) || !strings.Contains(a[0].After, `"reduced"`) {
		t.Errorf("RU audit: %+v, want the replaced entry", a)
	}
	// A change by hand with a note, then an old file again (no
	// status_since, the status of before): the change stays.
	if _, err := s.SetMissionStatus(ctx, outpost.MissionStatusChange{Mission: "RU", Status: outpost.MissionSuspended,
		Since: day("2021-03-01"), Note: "staff evacuated"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportMissions(ctx, Batch(ru)); err != nil {
		t.Fatal(err)
	}
	h, _ := s.MissionHistory(ctx, "RU")
	if len(h) != 3 || h[1].Note != "staff evacuated" || h[1].Status != outpost.MissionSuspended || h[2].Status != outpost.MissionReduced || h[2].Since.IsZero() {
		t.Fatalf("RU after an old file: %+v, want the change kept and reduced recorded now", h)
	}
	n := len(auditOf(t, st, "RU"))
	if _, err := st.ImportMissions(ctx, Batch(ru)); err != nil {
		t.Fatal(err)
	}
	if h2, _ := s.MissionHistory(ctx, "RU"); len(h2) != len(h) {
		t.Errorf("the same file twice: %d entries, want %d", len(h2), len(h))
	}
	if len(auditOf(t, st, "RU")) != n {
		t.Errorf("the same file twice: audited again")
	}
	// A row with status_since saying nothing changed then removes the
	// entry there, audited.
	ru.Status, ru.StatusSince = outpost.MissionReduced, day("2021-03-01")
	if _, err := st.ImportMissions(ctx, Batch(ru)); err != nil {
		t.Fatal(err)
	}
	if a := auditOf(t, st, "RU"); len(a) != n+1 || !strings.Contains(a[0].Before, `"suspended"`) || !strings.Contains(a[0].After, `"removed"`) {
		t.Errorf("RU audit after a removal: %+v, want the removed entry", a)
	}
}
