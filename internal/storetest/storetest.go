// Package storetest is the conformance suite every outpost.Store engine
// must pass: the same behaviours, checked the same way, on SQLite and on
// PostgreSQL.
package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
)

// Opener returns a new, empty store for one test; it registers its own
// cleanup.
type Opener func(t *testing.T) outpost.Store

// Suite is one group of conformance tests; capabilities register theirs.
type Suite struct {
	Name string
	Run  func(t *testing.T, open Opener)
}

// Suites lists every conformance test group.
func Suites() []Suite {
	var out []Suite
	for _, ss := range [][]Suite{registrySuites(), supplySuites(), evacSuites(), authSuites(), welfareSuites(), statementSuites(), boundsSuites(), sharedSuites(), correctionSuites(), exitDocSuites(), missionHistorySuites(), dashboardSuites()} {
		out = append(out, ss...)
	}
	return out
}

func registrySuites() []Suite {
	return []Suite{
		{"Missions", testMissions},
		{"PeopleImport", testPeopleImport},
		{"ImportAllOrNothing", testAllOrNothing},
		{"Track", testTrack},
		{"PeopleListing", testPeopleListing},
		{"Config", testConfig},
		{"CensusFromPresence", testCensusFromPresence},
	}
}

// Run runs every suite against the engine.
func Run(t *testing.T, open Opener) {
	for _, s := range Suites() {
		t.Run(s.Name, func(t *testing.T) { s.Run(t, open) })
	}
}

// Batch makes a clean batch from values.
func Batch[T any](rows ...T) outpost.Batch[T] {
	return outpost.Batch[T]{Rows: slices.Values(rows), Err: func() error { return nil }}
}

// Ctx is the context tests write with.
func Ctx() context.Context { return outpost.WithActor(context.Background(), "tester") }

var day0 = time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC)

// Missions returns a small corps for tests.
func Missions() []outpost.Mission {
	return []outpost.Mission{
		{Code: "RU", Name: "Embassy of Russia", Country: "RU", Kind: outpost.KindEmbassy, Status: outpost.MissionOpen, MinStaff: 2},
		{Code: "SE", Name: "Embassy of Sweden", Country: "SE", Kind: outpost.KindEmbassy, Status: outpost.MissionClosed},
		{Code: "WFP", Name: "World Food Programme", Kind: outpost.KindUNAgency, Status: outpost.MissionSuspended, MinStaff: 1},
	}
}

// Person returns a test person of a mission, in the country since day0.
func Person(id, household, mission string) outpost.PersonRecord {
	return outpost.PersonRecord{Person: outpost.Person{
		ID: id, Household: household, GivenName: "Anna", FamilyName: "Petrova", Nationality: mission[:2],
		Mission: mission, Category: outpost.Staff, Status: outpost.InCountry, Since: day0, Passport: "P" + id,
	}, SinceGiven: true}
}

// Seed loads Missions and a few people into s.
func Seed(t *testing.T, s outpost.Store) {
	t.Helper()
	SeedMissions(t, s)
	hom := Person("RU-0001", "RU-H1", "RU")
	hom.Category = outpost.HeadOfMission
	hom.Essential = true
	people := []outpost.PersonRecord{hom, Person("RU-0002", "RU-H1", "RU"), Person("RU-0003", "RU-H2", "RU"),
		Person("SE-0001", "SE-H1", "SE"), Person("WFP-0001", "WFP-H1", "WFP")}
	people[4].Nationality = "IT"
	if _, err := s.ImportPeople(Ctx(), Batch(people...)); err != nil {
		t.Fatalf("import people: %v", err)
	}
}

// SeedMissions imports the Missions fixture, and no people.
func SeedMissions(t *testing.T, s outpost.Store) {
	t.Helper()
	if _, err := s.ImportMissions(Ctx(), Batch(Missions()...)); err != nil {
		t.Fatalf("import missions: %v", err)
	}
}

func testMissions(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	st, err := s.ImportMissions(ctx, Batch(Missions()...))
	if err != nil {
		t.Fatal(err)
	}
	if st.Inserted != 3 || st.Updated != 0 {
		t.Errorf("first import: got %+v, want 3 inserted", st)
	}
	changed := Missions()[0]
	changed.Status = outpost.MissionReduced
	changed.MinStaff = 5
	st, err = s.ImportMissions(ctx, Batch(changed))
	if err != nil {
		t.Fatal(err)
	}
	if st.Inserted != 0 || st.Updated != 1 {
		t.Errorf("re-import: got %+v, want 1 updated", st)
	}
	got, err := s.Mission(ctx, "RU")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(changed, got); diff != "" {
		t.Errorf("mission after update (-want +got):\n%s", diff)
	}
	all, err := s.Missions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].Code != "RU" || all[2].Code != "WFP" {
		t.Errorf("missions: got %v, want RU, SE, WFP in order", all)
	}
	if _, err := s.Mission(ctx, "XX"); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("unknown mission: got %v, want not found", err)
	}
	audit, err := s.Audit(ctx, outpost.AuditFilter{Entity: "missions"})
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) != 2 || audit[0].Actor != "tester" || audit[0].Action != "import" {
		t.Errorf("audit: got %+v, want two import entries by tester", audit)
	}
}

func testPeopleImport(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	p, err := s.Person(ctx, "RU-0001")
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != outpost.InCountry || !p.Since.Equal(day0) || p.Category != outpost.HeadOfMission || !p.Essential {
		t.Errorf("person: got %+v", p)
	}
	// Re-importing the same rows changes nothing and adds no event.
	again := Person("RU-0002", "RU-H1", "RU")
	st, err := s.ImportPeople(ctx, Batch(again))
	if err != nil {
		t.Fatal(err)
	}
	if st.Updated != 1 || st.Inserted != 0 || st.Events != 0 {
		t.Errorf("identical re-import: got %+v, want 1 updated, 0 events", st)
	}
	// A corrected row with a new status and date records an event.
	left := Person("RU-0002", "RU-H1", "RU")
	left.Status, left.Since, left.GivenName = outpost.Left, day0.AddDate(0, 1, 0), "Anya"
	if st, err = s.ImportPeople(ctx, Batch(left)); err != nil {
		t.Fatal(err)
	}
	if st.Events != 1 {
		t.Errorf("status change: got %d events, want 1", st.Events)
	}
	p, _ = s.Person(ctx, "RU-0002")
	if p.Status != outpost.Left || p.GivenName != "Anya" || !p.Since.Equal(day0.AddDate(0, 1, 0)) {
		t.Errorf("after status change: got %+v", p)
	}
	evs, err := s.Events(ctx, "RU-0002")
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Status != outpost.InCountry || evs[1].Status != outpost.Left {
		t.Errorf("history: got %+v, want in_country then left", evs)
	}
	// A row without since whose status equals the current one adds nothing.
	same := Person("RU-0002", "RU-H1", "RU")
	same.Status, same.SinceGiven, same.Since = outpost.Left, false, day0.AddDate(1, 0, 0)
	if st, err = s.ImportPeople(ctx, Batch(same)); err != nil {
		t.Fatal(err)
	}
	if st.Events != 0 {
		t.Errorf("same status without since: got %d events, want 0", st.Events)
	}
	if err := s.Check(ctx); err != nil {
		t.Errorf("check: %v", err)
	}
}

func testAllOrNothing(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	bad := errors.New("line 3 was bad")
	b := outpost.Batch[outpost.PersonRecord]{
		Rows: slices.Values([]outpost.PersonRecord{Person("RU-0100", "RU-H9", "RU"), Person("RU-0101", "RU-H9", "RU")}),
		Err:  func() error { return bad },
	}
	if _, err := s.ImportPeople(ctx, b); !errors.Is(err, bad) {
		t.Fatalf("import with a bad row: got %v, want the batch's error", err)
	}
	if _, err := s.Person(ctx, "RU-0100"); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("a row of a failed import was written: %v", err)
	}
	mb := outpost.Batch[outpost.Mission]{Rows: slices.Values([]outpost.Mission{{Code: "CN", Name: "China", Kind: "embassy", Status: "open"}}),
		Err: func() error { return bad }}
	if _, err := s.ImportMissions(ctx, mb); !errors.Is(err, bad) {
		t.Fatalf("missions import with a bad row: got %v", err)
	}
	if _, err := s.Mission(ctx, "CN"); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("a mission of a failed import was written: %v", err)
	}
	n, err := s.CountPeople(ctx, outpost.PeopleFilter{})
	if err != nil || n != 5 {
		t.Errorf("people after failed import: got %d (%v), want 5", n, err)
	}
}

func testTrack(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	at := time.Date(2021, 2, 25, 9, 0, 0, 0, time.UTC)
	steps := []struct {
		cp   outpost.Checkpoint
		at   time.Time
		want outpost.Status
	}{
		{outpost.Assembled, at, outpost.InCountry},
		{outpost.Departed, at.Add(time.Hour), outpost.InTransit},
		{outpost.Crossed, at.Add(26 * time.Hour), outpost.Left},
		{outpost.Returned, at.Add(90 * 24 * time.Hour), outpost.InCountry},
	}
	for _, st := range steps {
		ev, err := s.Track(ctx, outpost.Track{Person: "RU-0003", Checkpoint: st.cp, At: st.at, Note: "n"})
		if err != nil {
			t.Fatalf("%s: %v", st.cp, err)
		}
		if ev.Status != st.want {
			t.Errorf("%s: event status %s, want %s", st.cp, ev.Status, st.want)
		}
		p, _ := s.Person(ctx, "RU-0003")
		if p.Status != st.want {
			t.Errorf("after %s: person status %s, want %s", st.cp, p.Status, st.want)
		}
	}
	// A back-dated checkpoint does not override a later status.
	if _, err := s.Track(ctx, outpost.Track{Person: "RU-0003", Checkpoint: outpost.Departed, At: at.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Person(ctx, "RU-0003"); p.Status != outpost.InCountry {
		t.Errorf("back-dated checkpoint changed current status to %s", p.Status)
	}
	if _, err := s.Track(ctx, outpost.Track{Person: "NOPE", Checkpoint: outpost.Departed, At: at}); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("unknown person: got %v, want not found", err)
	}
	evs, _ := s.Events(ctx, "RU-0003")
	if len(evs) != 6 {
		t.Errorf("history: got %d events, want 6", len(evs))
	}
	for i := 1; i < len(evs); i++ {
		if evs[i].At.Before(evs[i-1].At) {
			t.Errorf("history out of order at %d", i)
		}
	}
	if err := s.Check(ctx); err != nil {
		t.Errorf("check: %v", err)
	}
	audit, _ := s.Audit(ctx, outpost.AuditFilter{Mission: "RU"})
	if len(audit) != 5 || audit[0].Action != "track" || audit[0].EntityID != "RU-0003" {
		t.Errorf("audit for RU: got %d entries (%+v), want 5 track entries", len(audit), audit)
	}
}

func testPeopleListing(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	ids := func(ps []outpost.Person) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.ID)
		}
		return out
	}
	cases := []struct {
		name string
		f    outpost.PeopleFilter
		want []string
	}{
		{"all", outpost.PeopleFilter{}, []string{"RU-0001", "RU-0002", "RU-0003", "SE-0001", "WFP-0001"}},
		{"mission", outpost.PeopleFilter{Mission: "RU"}, []string{"RU-0001", "RU-0002", "RU-0003"}},
		{"page", outpost.PeopleFilter{After: "RU-0002", Limit: 2}, []string{"RU-0003", "SE-0001"}},
		{"query id", outpost.PeopleFilter{Query: "wfp"}, []string{"WFP-0001"}},
		{"query passport", outpost.PeopleFilter{Query: "PSE-0001", Passports: true}, []string{"SE-0001"}},
		{"query passport not allowed", outpost.PeopleFilter{Query: "PSE-0001"}, nil},
		{"query passport not allowed, paged", outpost.PeopleFilter{Query: "PRU", Limit: 1}, nil},
		{"query like chars", outpost.PeopleFilter{Query: "%"}, nil},
		{"status", outpost.PeopleFilter{Status: outpost.Left}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.People(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, ids(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			n, err := s.CountPeople(ctx, outpost.PeopleFilter{Mission: c.f.Mission, Status: c.f.Status, Query: c.f.Query, Passports: c.f.Passports})
			if err != nil {
				t.Fatal(err)
			}
			if c.f.Limit == 0 && n != len(c.want) {
				t.Errorf("count: got %d, want %d", n, len(c.want))
			}
		})
	}
}

func testConfig(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	if v, err := s.Config(ctx, "timezone"); err != nil || v != "" {
		t.Errorf("unset: got %q, %v", v, err)
	}
	for _, v := range []string{"Asia/Pyongyang", "UTC"} {
		if err := s.SetConfig(ctx, "timezone", v); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Config(ctx, "timezone"); got != v {
			t.Errorf("got %q, want %q", got, v)
		}
	}
}

func testCensusFromPresence(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	at := time.Date(2021, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tr := range []outpost.Track{
		{Person: "SE-0001", Checkpoint: outpost.Departed, At: at},
		{Person: "SE-0001", Checkpoint: outpost.Crossed, At: at.Add(time.Hour)},
		{Person: "WFP-0001", Checkpoint: outpost.Departed, At: at},
	} {
		if _, err := s.Track(ctx, tr); err != nil {
			t.Fatal(err)
		}
	}
	ms, _ := s.Missions(ctx)
	pop, err := census.Build(ms, func(fn func(outpost.Presence) error) error { return s.Presence(ctx, fn) })
	if err != nil {
		t.Fatal(err)
	}
	before := pop.At(at.Add(-time.Second))
	after := pop.At(at.Add(2 * time.Hour))
	if before.InCountry != 5 || before.HeadsOfMissionInCountry != 1 {
		t.Errorf("before: got %d in country, %d heads; want 5, 1", before.InCountry, before.HeadsOfMissionInCountry)
	}
	if after.InCountry != 3 || after.InTransit != 1 || after.Left != 1 {
		t.Errorf("after: got %d/%d/%d, want 3/1/1", after.InCountry, after.InTransit, after.Left)
	}
	if early := pop.At(day0.Add(-time.Second)); early.InCountry+early.InTransit+early.Left != 0 {
		t.Errorf("before anyone arrived: got %+v, want nobody", early)
	}
}
