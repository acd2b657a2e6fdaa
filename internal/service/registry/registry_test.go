package registry

import (
	"context"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// fakeStore holds two people of two missions; the methods the tests do
// not reach stay nil and would panic.
type fakeStore struct {
	Store
	people  []outpost.Person
	tracked []outpost.Track
	actor   string
}

func (f *fakeStore) Person(_ context.Context, id string) (outpost.Person, error) {
	for _, p := range f.people {
		if p.ID == id {
			return p, nil
		}
	}
	return outpost.Person{}, outpost.Errorf(outpost.ENOTFOUND, "the store's own words for %s", id)
}

func (f *fakeStore) People(_ context.Context, pf outpost.PeopleFilter) ([]outpost.Person, error) {
	var out []outpost.Person
	for _, p := range f.people {
		if pf.Mission == "" || p.Mission == pf.Mission {
			out = append(out, p)
		}
	}
	return out, nil
}

func (f *fakeStore) Track(ctx context.Context, t outpost.Track) (outpost.Event, error) {
	f.tracked = append(f.tracked, t)
	f.actor = outpost.ActorFrom(ctx)
	return outpost.Event{Person: t.Person, Checkpoint: t.Checkpoint, At: t.At}, nil
}

func (f *fakeStore) TrackMany(ctx context.Context, ts []outpost.Track) ([]outpost.TrackResult, error) {
	out := make([]outpost.TrackResult, len(ts))
	for i, t := range ts {
		ev, err := f.Track(ctx, t)
		if err != nil {
			return nil, err
		}
		out[i].Event = ev
	}
	return out, nil
}

func (f *fakeStore) Engine() string { return "fake" }

var testNow = time.Date(2021, 6, 1, 12, 0, 0, 0, time.UTC)

func newTestService() (*Service, *fakeStore) {
	st := &fakeStore{people: []outpost.Person{
		{ID: "RU-0002", Mission: "RU", Passport: "P1"},
		{ID: "SE-0001", Mission: "SE", Passport: "P2"},
	}}
	return New(st, nil, func() time.Time { return testNow }), st
}

func TestAnotherMissionsPersonIsAsIfAbsent(t *testing.T) {
	s, _ := newTestService()
	staff := outpost.User{Name: "olga", Role: outpost.RoleStaff, Mission: "RU"}
	_, hidden := s.VisiblePerson(context.Background(), staff, "SE-0001")
	if outpost.ErrorCode(hidden) != outpost.ENOTFOUND || outpost.ErrorMessage(hidden) != outpost.ErrorMessage(NoPerson("SE-0001")) {
		t.Errorf("another mission's person: got %v, want the answer for one who does not exist", hidden)
	}
	if _, absent := s.VisiblePerson(context.Background(), staff, "SE-0999"); outpost.ErrorMessage(absent) != outpost.ErrorMessage(NoPerson("SE-0999")) {
		t.Errorf("one who does not exist: got %v, not the store's words", absent)
	}
	if p, err := s.VisiblePerson(context.Background(), staff, "RU-0002"); err != nil || p.Passport != "P1" {
		t.Errorf("own mission: %+v, %v", p, err)
	}
	press := outpost.User{Name: "pat", Role: outpost.RolePress, Mission: "RU"}
	if p, err := s.VisiblePerson(context.Background(), press, "RU-0002"); err != nil || p.Passport != "" {
		t.Errorf("press: %+v, %v; want the person without the passport", p, err)
	}
}

func TestPeopleListingsKeepToTheCallersRights(t *testing.T) {
	s, _ := newTestService()
	press := outpost.User{Name: "pat", Role: outpost.RolePress, Mission: "RU"}
	if list, err := s.People(context.Background(), press, outpost.PeopleFilter{Mission: "SE"}); err != nil || len(list) != 0 {
		t.Errorf("press of RU asking for SE: %+v, %v; want nobody", list, err)
	}
	list, err := s.People(context.Background(), press, outpost.PeopleFilter{})
	if err != nil || len(list) != 1 || list[0].ID != "RU-0002" || list[0].Passport != "" {
		t.Errorf("press of RU: %+v, %v; want their mission's person without the passport", list, err)
	}
	all, err := s.People(context.Background(), outpost.Operator("cli"), outpost.PeopleFilter{})
	if err != nil || len(all) != 2 || all[1].Passport != "P2" {
		t.Errorf("the operator: %+v, %v", all, err)
	}
	if _, err := s.People(context.Background(), outpost.User{Name: "c", Role: outpost.RoleCoordinator}, outpost.PeopleFilter{}); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
		t.Errorf("the coordinator: got %v, want forbidden", err)
	}
}

func TestRecordChecksTheCallerAndActsAsThem(t *testing.T) {
	s, st := newTestService()
	at := testNow.Add(-time.Hour)
	press := outpost.User{Name: "pat", Role: outpost.RolePress, Mission: "RU"}
	if _, err := s.Record(context.Background(), press, outpost.Track{Person: "RU-0002", Checkpoint: "departed", At: at}); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
		t.Errorf("press: got %v, want forbidden", err)
	}
	if _, err := s.Record(context.Background(), outpost.Operator("cli"), outpost.Track{Person: "RU-0002", Checkpoint: "flew", At: at}); outpost.ErrorCode(err) != outpost.EINVALID {
		t.Errorf("an unknown checkpoint: got %v, want invalid", err)
	}
	if len(st.tracked) != 0 {
		t.Fatalf("refused tracks were written: %+v", st.tracked)
	}
	if _, err := s.Record(context.Background(), outpost.Operator("cli"), outpost.Track{Person: "RU-0002", Checkpoint: "departed", At: at}); err != nil {
		t.Fatal(err)
	}
	if len(st.tracked) != 1 || st.actor != "cli" {
		t.Errorf("tracked %+v as %q, want one track as cli", st.tracked, st.actor)
	}
}
