package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// sharedSuites are what several servers on one database share through
// it: the auth generation, sign-in attempts, and check-ins written in
// batches.
func sharedSuites() []Suite {
	return []Suite{
		{"AuthGeneration", testAuthGeneration},
		{"SignInAttempts", testSignInAttempts},
		{"SignInAttemptsConcurrent", testSignInAttemptsConcurrent},
		{"ForgetSignInAttempts", testForgetSignInAttempts},
		{"CheckInBatch", testCheckInBatch},
		{"InitConfig", testInitConfig},
	}
}

// The auth generation grows with every way a token or a session ends
// before its time, and not with what ends nothing.
func testAuthGeneration(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	gen := func() int64 {
		t.Helper()
		g, err := s.AuthGeneration(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	now := time.Now()
	if _, err := s.CreateUser(ctx, outpost.User{Name: "vera", Role: outpost.RoleStaff, Mission: "RU"}, fakeHash("pw")); err != nil {
		t.Fatal(err)
	}
	tk, err := s.CreateToken(ctx, outpost.Token{User: "vera", Hash: fakeHash("t1")})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, outpost.Session{Hash: fakeHash("s1"), User: "vera", Created: now, Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		what string
		do   func() error
		grow bool
	}{
		{"a token made", func() error {
			_, err := s.CreateToken(ctx, outpost.Token{User: "vera", Hash: fakeHash("t2")})
			return err
		}, false},
		{"a token revoked", func() error { return s.RevokeToken(ctx, tk.ID) }, true},
		{"a session ended", func() error { return s.DeleteSession(ctx, fakeHash("s1")) }, true},
		{"no session ended", func() error { return s.DeleteSession(ctx, fakeHash("s1")) }, false},
		{"a password changed", func() error { return s.SetPassword(ctx, "vera", fakeHash("pw2")) }, true},
		{"a user disabled", func() error { return s.SetDisabled(ctx, "vera", true) }, true},
		{"a user enabled", func() error { return s.SetDisabled(ctx, "vera", false) }, false},
	}
	for _, st := range steps {
		before := gen()
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.what, err)
		}
		if after := gen(); (after > before) != st.grow || after < before {
			t.Errorf("%s: generation %d → %d, want it to grow: %v", st.what, before, after, st.grow)
		}
	}
}

// UpdateAttempts reads what it last stored, stores only when asked, and
// removes a key counted down to zero.
func testSignInAttempts(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	at := time.Date(2021, 5, 1, 8, 0, 0, 123e6, time.UTC)
	var seen []outpost.Attempts
	step := func(next outpost.Attempts, write bool) {
		t.Helper()
		err := s.UpdateAttempts(ctx, "k", func(a outpost.Attempts) (outpost.Attempts, bool) {
			seen = append(seen, a)
			return next, write
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	step(outpost.Attempts{N: 1, Last: at}, true)
	step(outpost.Attempts{N: 9, Last: at.Add(time.Hour)}, false)
	step(outpost.Attempts{N: 2, Last: at.Add(time.Second)}, true)
	step(outpost.Attempts{}, true)
	step(outpost.Attempts{}, false)
	want := []outpost.Attempts{{}, {N: 1, Last: at}, {N: 1, Last: at}, {N: 2, Last: at.Add(time.Second)}, {}}
	if len(seen) != len(want) {
		t.Fatalf("got %d reads, want %d", len(seen), len(want))
	}
	for i := range want {
		if seen[i].N != want[i].N || !seen[i].Last.Equal(want[i].Last) {
			t.Errorf("read %d: got %+v, want %+v", i, seen[i], want[i])
		}
	}
}

// Updates of one key from many connections at once all count: none is
// lost to another (the row is locked from read to write, and a key
// inserted meanwhile is read again).
func testSignInAttemptsConcurrent(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for range workers {
		wg.Go(func() {
			for range each {
				errs <- s.UpdateAttempts(ctx, "same", func(a outpost.Attempts) (outpost.Attempts, bool) {
					return outpost.Attempts{N: a.N + 1, Last: time.Now()}, true
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int
	s.UpdateAttempts(ctx, "same", func(a outpost.Attempts) (outpost.Attempts, bool) {
		n = a.N
		return a, false
	})
	if n != workers*each {
		t.Errorf("got %d attempts counted, want %d", n, workers*each)
	}
}

// ForgetAttempts removes the keys unused since a time, then the least
// recently used beyond the bound.
func testForgetSignInAttempts(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	base := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	for i := range 10 {
		err := s.UpdateAttempts(ctx, fmt.Sprintf("k%d", i), func(outpost.Attempts) (outpost.Attempts, bool) {
			return outpost.Attempts{N: 1, Last: base.Add(time.Duration(i) * time.Minute)}, true
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.ForgetAttempts(ctx, base.Add(2*time.Minute), 5)
	if err != nil || n != 5 {
		t.Errorf("forgot %d keys (%v), want 2 stale and 3 beyond 5", n, err)
	}
	for i := range 10 {
		var got int
		s.UpdateAttempts(ctx, fmt.Sprintf("k%d", i), func(a outpost.Attempts) (outpost.Attempts, bool) {
			got = a.N
			return a, false
		})
		if want := map[bool]int{true: 1, false: 0}[i >= 5]; got != want {
			t.Errorf("key k%d: %d attempts left, want %d", i, got, want)
		}
	}
}

// A batch of answers, a person answering several times among them,
// leaves each person's last answer and one audit entry per answer
// written; refused answers leave nothing.
func testCheckInBatch(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	rc, err := s.StartRollCall(ctx, outpost.RollCall{Title: "batch"})
	if err != nil {
		t.Fatal(err)
	}
	before, err := s.LastAuditID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	people := []string{"RU-0001", "RU-0002", "RU-0003", "SE-0001", "WFP-0001"}
	var answers []outpost.Checkin
	at := time.Date(2021, 6, 1, 9, 0, 0, 0, time.UTC)
	for i := range 40 {
		status := outpost.Safe
		if i%3 == 0 {
			status = outpost.NeedHelp
		}
		answers = append(answers, outpost.Checkin{RollCall: rc.ID, Person: people[i%len(people)], Status: status,
			Note: fmt.Sprintf("n%d", i), Via: "api", At: at.Add(time.Duration(i) * time.Second)})
	}
	answers = append(answers, outpost.Checkin{RollCall: rc.ID, Person: "XX-9", Status: outpost.Safe})
	errs, err := s.CheckIn(ctx, answers)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range errs[:40] {
		if e != nil {
			t.Errorf("answer %d: %v", i, e)
		}
	}
	if outpost.ErrorCode(errs[40]) != outpost.ENOTFOUND {
		t.Errorf("a person not expected: got %v", errs[40])
	}
	scope, err := s.RollCallScope(ctx, rc.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range scope {
		last := -1
		for i := range 40 {
			if answers[i].Person == e.Person {
				last = i
			}
		}
		if e.Note != answers[last].Note || e.Status != answers[last].Status {
			t.Errorf("%s: kept %s %q, want the last answer %s %q", e.Person, e.Status, e.Note, answers[last].Status, answers[last].Note)
		}
	}
	after, err := s.LastAuditID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after-before != 40 {
		t.Errorf("audit: %d entries written, want one per answer written (40)", after-before)
	}
}

// InitConfig keeps the first value stored under a key, whoever stores
// it, and answers it to everyone.
func testInitConfig(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	const workers = 6
	got := make([]string, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			v, err := s.InitConfig(ctx, "k_secret", fmt.Sprintf("v%d", i))
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		})
	}
	wg.Wait()
	stored, err := s.Config(ctx, "k_secret")
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range got {
		if v != stored || v == "" {
			t.Errorf("worker %d: got %q, stored %q", i, v, stored)
		}
	}
	if v, err := s.InitConfig(ctx, "k_secret", "later"); err != nil || v != stored {
		t.Errorf("later: got %q, %v; want the first value %q", v, err, stored)
	}
	// A value emptied (Config answers "" as for none) is made again.
	if err := s.SetConfig(ctx, "k_secret", ""); err != nil {
		t.Fatal(err)
	}
	if v, err := s.InitConfig(ctx, "k_secret", "again"); err != nil || v != "again" {
		t.Errorf("after emptying: got %q, %v; want the new value", v, err)
	}
	if v, err := s.Config(ctx, "k_secret"); err != nil || v != "again" {
		t.Errorf("after emptying, stored: %q, %v", v, err)
	}
}
