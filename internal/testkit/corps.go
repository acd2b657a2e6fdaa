package testkit

import (
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/storetest"
)

// SeedPeople imports storetest.Missions and one person for each id: id
// "RU-0002" is staff of mission RU in household RU-H1 (RU-0003 lives apart,
// in RU-H2), and people of WFP are Italian. Each record goes through edit
// (when not nil) first, so that a fixture can give its people marker
// names.
func SeedPeople(t testing.TB, s outpost.Store, ids []string, edit func(i int, p *outpost.PersonRecord)) {
	t.Helper()
	ctx := storetest.Ctx()
	if _, err := s.ImportMissions(ctx, storetest.Batch(storetest.Missions()...)); err != nil {
		t.Fatalf("seed missions: %v", err)
	}
	recs := make([]outpost.PersonRecord, 0, len(ids))
	for i, id := range ids {
		mission, _, _ := strings.Cut(id, "-")
		household := mission + "-H1"
		if id == "RU-0003" {
			household = "RU-H2"
		}
		p := storetest.Person(id, household, mission)
		if mission == "WFP" {
			p.Nationality = "IT"
		}
		if edit != nil {
			edit(i, &p)
		}
		recs = append(recs, p)
	}
	if _, err := s.ImportPeople(ctx, storetest.Batch(recs...)); err != nil {
		t.Fatalf("seed people: %v", err)
	}
}

// Departures are the corps' ways out: TRAIN-1 to Khasan over the TUMEN
// crossing on 2 April 2021, and BUS-1 to Dandong over SINUIJU a day later,
// ten seats each.
func Departures() []outpost.Departure {
	return []outpost.Departure{
		{ID: "TRAIN-1", Route: "Pyongyang - Khasan", Departs: time.Date(2021, 4, 2, 9, 0, 0, 0, time.UTC), Seats: 10, Crossing: "TUMEN", Eligible: []string{}},
		{ID: "BUS-1", Route: "Pyongyang - Dandong", Departs: time.Date(2021, 4, 3, 9, 0, 0, 0, time.UTC), Seats: 10, Crossing: "SINUIJU", Eligible: []string{}},
	}
}

// Restrictions close SINUIJU from March 2021, which leaves BUS-1 without a
// way across.
func Restrictions() []outpost.Restriction {
	return []outpost.Restriction{{ID: "R-1", Kind: "border_closure", Crossing: "SINUIJU", Starts: "2021-03-01", Note: "Sinuiju closed"}}
}

// SeedEvacuation imports departures and restrictions.
func SeedEvacuation(t testing.TB, s outpost.Store, deps []outpost.Departure, rs []outpost.Restriction) {
	t.Helper()
	ctx := storetest.Ctx()
	if _, err := s.ImportDepartures(ctx, storetest.Batch(deps...)); err != nil {
		t.Fatalf("seed departures: %v", err)
	}
	if _, err := s.ImportRestrictions(ctx, storetest.Batch(rs...)); err != nil {
		t.Fatalf("seed restrictions: %v", err)
	}
}

// Roles is one user of each role, the mission-bound ones of RU, followed
// by extra.
func Roles(extra ...outpost.User) []outpost.User {
	return append([]outpost.User{
		{Name: "admin", Role: outpost.RoleAdmin},
		{Name: "coordinator", Role: outpost.RoleCoordinator},
		{Name: "manager", Role: outpost.RoleManager, Mission: "RU"},
		{Name: "staff", Role: outpost.RoleStaff, Mission: "RU"},
		{Name: "press", Role: outpost.RolePress, Mission: "RU"},
	}, extra...)
}

// NoPassword stands for a password hash where a fixture's users sign in
// by token only.
const NoPassword = "not-a-real-hash"

// Member is a user of a fixture, as created, with the secret of an API
// token.
type Member struct {
	outpost.User
	Token string
}

// Members are a fixture's users by name.
type Members map[string]Member

// Tokens returns the API token secret of each user by name.
func (m Members) Tokens() map[string]string {
	out := make(map[string]string, len(m))
	for name, u := range m {
		out[name] = u.Token
	}
	return out
}

// SeedUsers creates each user with the password hash given and an API
// token.
func SeedUsers(t testing.TB, s outpost.Store, hash string, users []outpost.User) Members {
	t.Helper()
	ctx := storetest.Ctx()
	out := Members{}
	for _, u := range users {
		created, err := s.CreateUser(ctx, u, hash)
		if err != nil {
			t.Fatalf("seed user %s: %v", u.Name, err)
		}
		secret, th := auth.NewSecret(auth.TokenPrefix)
		if _, err := s.CreateToken(ctx, outpost.Token{User: u.Name, Hash: th}); err != nil {
			t.Fatalf("seed token of %s: %v", u.Name, err)
		}
		out[u.Name] = Member{User: created, Token: secret}
	}
	return out
}
