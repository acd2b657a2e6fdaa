package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/outpost-org/outpost/internal/outpost"
)

func authSuites() []Suite {
	return []Suite{
		{"Users", testUsers},
		{"Tokens", testTokens},
		{"Sessions", testSessions},
		{"LastAuditID", testLastAuditID},
	}
}

// fakeHash is a stand-in for a hash: the store keeps what it is given.
func fakeHash(s string) string { return strings.Repeat("0", 64-len(s)) + s }

func testUsers(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	cases := []struct {
		name string
		u    outpost.User
		code string
	}{
		{"admin", outpost.User{Name: "root", Role: outpost.RoleAdmin}, ""},
		{"manager", outpost.User{Name: "ivan.m", Role: outpost.RoleManager, Mission: "RU"}, ""},
		{"coordinator", outpost.User{Name: "dean", Role: outpost.RoleCoordinator}, ""},
		{"taken name", outpost.User{Name: "root", Role: outpost.RoleStaff, Mission: "RU"}, outpost.ECONFLICT},
		{"unknown mission", outpost.User{Name: "x", Role: outpost.RoleStaff, Mission: "XX"}, outpost.EINVALID},
		{"bound role without mission", outpost.User{Name: "y", Role: outpost.RoleStaff}, outpost.EINVALID},
		{"admin with mission", outpost.User{Name: "z", Role: outpost.RoleAdmin, Mission: "RU"}, outpost.EINVALID},
		{"unknown role", outpost.User{Name: "w", Role: "boss"}, outpost.EINVALID},
		{"bad name", outpost.User{Name: "a b", Role: outpost.RoleAdmin}, outpost.EINVALID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.CreateUser(ctx, c.u, fakeHash("h-"+c.u.Name))
			if code := outpost.ErrorCode(err); code != c.code {
				t.Fatalf("got error %v (code %q), want code %q", err, code, c.code)
			}
			if c.code != "" {
				return
			}
			if got.ID == 0 || got.Created.IsZero() {
				t.Errorf("got %+v, want an id and a creation time", got)
			}
			back, err := s.User(ctx, c.u.Name)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, back); diff != "" {
				t.Errorf("User (-created +read):\n%s", diff)
			}
		})
	}
	users, err := s.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range users {
		names = append(names, u.Name)
	}
	if diff := cmp.Diff([]string{"dean", "ivan.m", "root"}, names); diff != "" {
		t.Errorf("Users (-want +got):\n%s", diff)
	}
	if h, err := s.PasswordHash(ctx, "ivan.m"); err != nil || h != fakeHash("h-ivan.m") {
		t.Errorf("PasswordHash: got %q, %v", h, err)
	}
	if _, err := s.PasswordHash(ctx, "nobody"); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("PasswordHash of nobody: got %v, want not found", err)
	}
	if err := s.SetPassword(ctx, "ivan.m", fakeHash("new")); err != nil {
		t.Fatal(err)
	}
	if h, _ := s.PasswordHash(ctx, "ivan.m"); h != fakeHash("new") {
		t.Errorf("after SetPassword: got %q", h)
	}
	if err := s.SetPassword(ctx, "nobody", fakeHash("new")); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("SetPassword of nobody: got %v, want not found", err)
	}
	audit, err := s.Audit(ctx, outpost.AuditFilter{Entity: "user"})
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) != 4 || audit[0].Action != "set_password" || audit[1].EntityID != "dean" || audit[2].Mission != "RU" {
		t.Errorf("audit: got %+v, want set_password, then three creations", audit)
	}
	for _, e := range audit {
		if strings.Contains(e.Before+e.After, "h-") || strings.Contains(e.Before+e.After, "new") {
			t.Errorf("audit entry %d holds a password hash: %+v", e.ID, e)
		}
	}
}

func testTokens(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	now := time.Date(2021, 3, 1, 10, 0, 0, 0, time.UTC)
	if _, err := s.CreateUser(ctx, outpost.User{Name: "olga", Role: outpost.RoleStaff, Mission: "RU"}, fakeHash("pw")); err != nil {
		t.Fatal(err)
	}
	forever, err := s.CreateToken(ctx, outpost.Token{User: "olga", Label: "scripts", Hash: fakeHash("t1")})
	if err != nil {
		t.Fatal(err)
	}
	if forever.ID == 0 || forever.Hash != "" {
		t.Errorf("CreateToken: got %+v, want an id and no hash", forever)
	}
	if _, err := s.CreateToken(ctx, outpost.Token{User: "olga", Hash: fakeHash("t2"), Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateToken(ctx, outpost.Token{User: "nobody", Hash: fakeHash("t3")}); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("token of nobody: got %v, want not found", err)
	}
	cases := []struct {
		name string
		hash string
		at   time.Time
		code string
	}{
		{"never expires", fakeHash("t1"), now.AddDate(5, 0, 0), ""},
		{"before expiry", fakeHash("t2"), now, ""},
		{"after expiry", fakeHash("t2"), now.Add(2 * time.Hour), outpost.EUNAUTHORIZED},
		{"unknown", fakeHash("t9"), now, outpost.EUNAUTHORIZED},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, err := s.UserByToken(ctx, c.hash, c.at)
			if code := outpost.ErrorCode(err); code != c.code {
				t.Fatalf("got %v, want code %q", err, c.code)
			}
			if c.code == "" && (u.Name != "olga" || u.Mission != "RU" || u.Role != outpost.RoleStaff) {
				t.Errorf("got %+v, want olga, staff of RU", u)
			}
		})
	}
	list, err := s.Tokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[1].ID != forever.ID || list[1].Label != "scripts" || list[0].Expires.IsZero() {
		t.Errorf("Tokens: got %+v", list)
	}
	if err := s.RevokeToken(ctx, forever.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByToken(ctx, fakeHash("t1"), now); outpost.ErrorCode(err) != outpost.EUNAUTHORIZED {
		t.Errorf("revoked token: got %v, want unauthorized", err)
	}
	if err := s.RevokeToken(ctx, forever.ID); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("revoking twice: got %v, want not found", err)
	}
	audit, _ := s.Audit(ctx, outpost.AuditFilter{Entity: "token"})
	if len(audit) != 3 || audit[0].Action != "revoke" || audit[0].Mission != "RU" {
		t.Errorf("audit: got %+v, want revoke and two creations for RU", audit)
	}
	for _, e := range audit {
		if strings.Contains(e.Before+e.After, fakeHash("t1")) {
			t.Errorf("audit entry holds a token hash: %+v", e)
		}
	}
}

func testSessions(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	now := time.Date(2021, 3, 1, 10, 0, 0, 0, time.UTC)
	if _, err := s.CreateUser(ctx, outpost.User{Name: "dean", Role: outpost.RoleCoordinator}, fakeHash("pw")); err != nil {
		t.Fatal(err)
	}
	for i, exp := range []time.Duration{time.Hour, 2 * time.Hour, -time.Minute} {
		sess := outpost.Session{Hash: fakeHash(string(rune('a' + i))), User: "dean", Created: now, Expires: now.Add(exp)}
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateSession(ctx, outpost.Session{Hash: fakeHash("x"), User: "nobody", Created: now, Expires: now.Add(time.Hour)}); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("session of nobody: got %v, want not found", err)
	}
	if u, err := s.UserBySession(ctx, fakeHash("a"), now); err != nil || u.Name != "dean" {
		t.Errorf("live session: got %+v, %v", u, err)
	}
	if _, err := s.UserBySession(ctx, fakeHash("c"), now); outpost.ErrorCode(err) != outpost.EUNAUTHORIZED {
		t.Errorf("expired session: got %v, want unauthorized", err)
	}
	if err := s.DeleteSession(ctx, fakeHash("a")); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSession(ctx, fakeHash("a")); err != nil {
		t.Errorf("deleting a deleted session: %v", err)
	}
	if _, err := s.UserBySession(ctx, fakeHash("a"), now); outpost.ErrorCode(err) != outpost.EUNAUTHORIZED {
		t.Errorf("signed-out session: got %v, want unauthorized", err)
	}
	if n, err := s.DeleteExpiredSessions(ctx, now); err != nil || n != 1 {
		t.Errorf("DeleteExpiredSessions: got %d, %v; want 1", n, err)
	}
	if err := s.SetPassword(ctx, "dean", fakeHash("pw2")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserBySession(ctx, fakeHash("b"), now); outpost.ErrorCode(err) != outpost.EUNAUTHORIZED {
		t.Errorf("session after a password change: got %v, want unauthorized", err)
	}
}

func testLastAuditID(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	id0, err := s.LastAuditID(ctx)
	if err != nil || id0 != 0 {
		t.Fatalf("empty store: got %d, %v; want 0", id0, err)
	}
	Seed(t, s)
	id1, _ := s.LastAuditID(ctx)
	if id1 <= id0 {
		t.Errorf("after the seed: got %d, want more than %d", id1, id0)
	}
	if id2, _ := s.LastAuditID(ctx); id2 != id1 {
		t.Errorf("reading changed it: got %d, want %d", id2, id1)
	}
	if _, err := s.Track(ctx, outpost.Track{Person: "RU-0001", Checkpoint: outpost.Departed, At: day0.AddDate(1, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	if id3, _ := s.LastAuditID(ctx); id3 <= id1 {
		t.Errorf("after a write: got %d, want more than %d", id3, id1)
	}
	entries, _ := s.Audit(ctx, outpost.AuditFilter{Limit: 1})
	if id, _ := s.LastAuditID(ctx); len(entries) != 1 || entries[0].ID != id {
		t.Errorf("got %d, want the newest entry's id %+v", id, entries)
	}
}
