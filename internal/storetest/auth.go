package storetest

import (
	"fmt"
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
		{"TokenLifetime", testTokenLifetime},
		{"AccessEndsWithPasswordAndDisable", testAccessEnds},
		{"SessionNeedsTheCheckedPassword", testSessionPasswordChanged},
		{"TokenNeedsItsSession", testTokenSessionEnded},
		{"TokenLifetimeEdges", testTokenLifetimeEdges},
		{"PingWrite", testPingWrite},
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
	// A token that has expired already is refused: now is now.
	now := time.Now().Truncate(time.Second)
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
		{"no expiry asked: the default lifetime", fakeHash("t1"), forever.Created.Add(outpost.DefaultTokenLifetime - time.Minute), ""},
		{"no expiry asked: past the default lifetime", fakeHash("t1"), forever.Created.Add(outpost.DefaultTokenLifetime), outpost.EUNAUTHORIZED},
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
	if len(list) != 2 || list[1].ID != forever.ID || list[1].Label != "scripts" || list[0].Expires.IsZero() || list[1].Expires.IsZero() {
		t.Errorf("Tokens: got %+v", list)
	}
	if err := s.RevokeToken(ctx, forever.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByToken(ctx, fakeHash("t1"), forever.Created); outpost.ErrorCode(err) != outpost.EUNAUTHORIZED {
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

// testTokenLifetime: no token lasts longer than MaxTokenLifetime, and one
// asked for without an expiry gets DefaultTokenLifetime, never "forever".
func testTokenLifetime(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	if _, err := s.CreateUser(ctx, outpost.User{Name: "olga", Role: outpost.RoleStaff, Mission: "RU"}, fakeHash("pw")); err != nil {
		t.Fatal(err)
	}
	real := time.Now()
	if _, err := s.CreateToken(ctx, outpost.Token{User: "olga", Hash: fakeHash("t1"),
		Expires: real.Add(outpost.MaxTokenLifetime + 48*time.Hour)}); outpost.ErrorCode(err) != outpost.EINVALID {
		t.Errorf("a token past the longest lifetime: got %v, want invalid", err)
	}
	if _, err := s.UserByToken(ctx, fakeHash("t1"), real); outpost.ErrorCode(err) != outpost.EUNAUTHORIZED {
		t.Errorf("a refused token works: %v", err)
	}
	tk, err := s.CreateToken(ctx, outpost.Token{User: "olga", Hash: fakeHash("t2")})
	if err != nil {
		t.Fatal(err)
	}
	if got := tk.Expires.Sub(tk.Created); got != outpost.DefaultTokenLifetime {
		t.Errorf("a token without expiry: got a lifetime of %v, want %v", got, outpost.DefaultTokenLifetime)
	}
	if _, err := s.UserByToken(ctx, fakeHash("t2"), tk.Created.AddDate(10, 0, 0)); outpost.ErrorCode(err) != outpost.EUNAUTHORIZED {
		t.Errorf("a token ten years on: got %v, want unauthorized", err)
	}
	// A label is one line of text: PostgreSQL would refuse a NUL with an
	// internal error, and a terminal would run an escape sequence.
	for i, label := range []string{"a\x00b", "\x1b]0;owned\x07", strings.Repeat("x", outpost.MaxLabel+1)} {
		if _, err := s.CreateToken(ctx, outpost.Token{User: "olga", Hash: fakeHash(fmt.Sprintf("l%d", i)), Label: label}); outpost.ErrorCode(err) != outpost.EINVALID {
			t.Errorf("token label %q: got %v, want invalid", outpost.Clip(label), err)
		}
	}
}

// testAccessEnds: a password change ends the user's sessions and revokes
// their tokens; disabling a user does too, and refuses new ones until
// they are enabled again.
func testAccessEnds(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	now := time.Now()
	for _, name := range []string{"olga", "ivan"} {
		if _, err := s.CreateUser(ctx, outpost.User{Name: name, Role: outpost.RoleStaff, Mission: "RU"}, fakeHash("pw")); err != nil {
			t.Fatal(err)
		}
	}
	grant := func(name, key string) {
		t.Helper()
		if _, err := s.CreateToken(ctx, outpost.Token{User: name, Hash: fakeHash("t" + key)}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSession(ctx, outpost.Session{Hash: fakeHash("s" + key), User: name, Created: now, Expires: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	works := func(key string) (token, session bool) {
		_, terr := s.UserByToken(ctx, fakeHash("t"+key), now)
		_, serr := s.UserBySession(ctx, fakeHash("s"+key), now)
		return terr == nil, serr == nil
	}
	grant("olga", "1")
	grant("ivan", "2")
	if err := s.SetPassword(ctx, "olga", fakeHash("pw2")); err != nil {
		t.Fatal(err)
	}
	if tok, ses := works("1"); tok || ses {
		t.Errorf("after a password change: token works %v, session works %v; want neither", tok, ses)
	}
	if tok, ses := works("2"); !tok || !ses {
		t.Errorf("another user's access ended with olga's password: token %v, session %v", tok, ses)
	}
	grant("olga", "3")
	if err := s.SetDisabled(ctx, "olga", true); err != nil {
		t.Fatal(err)
	}
	if tok, ses := works("3"); tok || ses {
		t.Errorf("after disabling: token works %v, session works %v; want neither", tok, ses)
	}
	if u, err := s.User(ctx, "olga"); err != nil || !u.Disabled {
		t.Errorf("User after disabling: got %+v, %v", u, err)
	}
	if _, err := s.CreateToken(ctx, outpost.Token{User: "olga", Hash: fakeHash("t4")}); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
		t.Errorf("a token for a disabled user: got %v, want forbidden", err)
	}
	if err := s.CreateSession(ctx, outpost.Session{Hash: fakeHash("s4"), User: "olga", Created: now, Expires: now.Add(time.Hour)}); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
		t.Errorf("a session for a disabled user: got %v, want forbidden", err)
	}
	if err := s.SetDisabled(ctx, "nobody", true); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("disabling nobody: got %v, want not found", err)
	}
	if err := s.SetDisabled(ctx, "olga", false); err != nil {
		t.Fatal(err)
	}
	grant("olga", "5")
	if tok, ses := works("5"); !tok || !ses {
		t.Errorf("after enabling again: token %v, session %v; want both", tok, ses)
	}
	audit, _ := s.Audit(ctx, outpost.AuditFilter{Entity: "user"})
	var actions []string
	for _, e := range audit {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); !strings.HasPrefix(got, "enable,disable,set_password") {
		t.Errorf("audit: got %s, want enable, disable, set_password first", got)
	}
}

func testPingWrite(t *testing.T, open Opener) {
	s := open(t)
	if err := s.PingWrite(Ctx()); err != nil {
		t.Errorf("PingWrite on a healthy store: %v", err)
	}
	if id, _ := s.LastAuditID(Ctx()); id != 0 {
		t.Errorf("PingWrite wrote to the audit log: last id %d", id)
	}
}

// testSessionPasswordChanged: a sign-in checks the password against the
// hash it read, then stores the session; a password changed in between
// must end that session too, so it is refused, not stored.
func testSessionPasswordChanged(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	now := time.Now()
	if _, err := s.CreateUser(ctx, outpost.User{Name: "olga", Role: outpost.RoleStaff, Mission: "RU"}, fakeHash("pw1")); err != nil {
		t.Fatal(err)
	}
	checked, err := s.PasswordHash(ctx, "olga")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetPassword(ctx, "olga", fakeHash("pw2")); err != nil {
		t.Fatal(err)
	}
	err = s.CreateSession(ctx, outpost.Session{Hash: fakeHash("s1"), User: "olga", Created: now, Expires: now.Add(time.Hour), PasswordHash: checked})
	if outpost.ErrorCode(err) != outpost.EUNAUTHORIZED {
		t.Errorf("a session checked against the old password: got %v, want unauthorized", err)
	}
	if _, err := s.UserBySession(ctx, fakeHash("s1"), now); outpost.ErrorCode(err) != outpost.EUNAUTHORIZED {
		t.Errorf("the refused session works: %v", err)
	}
	if err := s.CreateSession(ctx, outpost.Session{Hash: fakeHash("s2"), User: "olga", Created: now, Expires: now.Add(time.Hour), PasswordHash: fakeHash("pw2")}); err != nil {
		t.Errorf("a session checked against the current password: %v", err)
	}
	if u, err := s.UserBySession(ctx, fakeHash("s2"), now); err != nil || u.Name != "olga" {
		t.Errorf("the current session: got %+v, %v", u, err)
	}
}

// testTokenSessionEnded: a token minted through a session is stored only
// while that session exists, so a password change (or a sign-out) made
// while it was being minted does not leave it behind.
func testTokenSessionEnded(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	now := time.Now()
	for _, name := range []string{"olga", "ivan"} {
		if _, err := s.CreateUser(ctx, outpost.User{Name: name, Role: outpost.RoleStaff, Mission: "RU"}, fakeHash("pw1")); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSession(ctx, outpost.Session{Hash: fakeHash("s" + name), User: name, Created: now, Expires: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateToken(ctx, outpost.Token{User: "olga", Hash: fakeHash("t1"), Session: fakeHash("solga")}); err != nil {
		t.Errorf("a token minted through a live session: %v", err)
	}
	// Another user's session does not vouch for olga.
	if _, err := s.CreateToken(ctx, outpost.Token{User: "olga", Hash: fakeHash("t2"), Session: fakeHash("sivan")}); outpost.ErrorCode(err) != outpost.EUNAUTHORIZED {
		t.Errorf("a token for olga through ivan's session: got %v, want unauthorized", err)
	}
	if err := s.SetPassword(ctx, "olga", fakeHash("pw2")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateToken(ctx, outpost.Token{User: "olga", Hash: fakeHash("t3"), Session: fakeHash("solga")}); outpost.ErrorCode(err) != outpost.EUNAUTHORIZED {
		t.Errorf("a token minted through a session the password change ended: got %v, want unauthorized", err)
	}
	if _, err := s.UserByToken(ctx, fakeHash("t3"), now); outpost.ErrorCode(err) != outpost.EUNAUTHORIZED {
		t.Errorf("the refused token works: %v", err)
	}
	if err := s.DeleteSession(ctx, fakeHash("sivan")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateToken(ctx, outpost.Token{User: "ivan", Hash: fakeHash("t4"), Session: fakeHash("sivan")}); outpost.ErrorCode(err) != outpost.EUNAUTHORIZED {
		t.Errorf("a token minted through a signed-out session: got %v, want unauthorized", err)
	}
}

// testTokenLifetimeEdges: a token asked for with the longest lifetime,
// counted from the caller's own clock reading (which has more than
// seconds), is accepted; one that expires now or earlier is refused.
func testTokenLifetimeEdges(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	if _, err := s.CreateUser(ctx, outpost.User{Name: "olga", Role: outpost.RoleStaff, Mission: "RU"}, fakeHash("pw")); err != nil {
		t.Fatal(err)
	}
	// A reading with a fraction of a second, as time.Now nearly always
	// has, while the store counts from its own whole second.
	now := time.Now()
	tk, err := s.CreateToken(ctx, outpost.Token{User: "olga", Hash: fakeHash("t1"), Expires: now.Add(outpost.MaxTokenLifetime)})
	if err != nil {
		t.Fatalf("a token of the longest lifetime: %v", err)
	}
	if got := tk.Expires.Sub(tk.Created); got > outpost.MaxTokenLifetime {
		t.Errorf("got a lifetime of %v, want at most %v", got, outpost.MaxTokenLifetime)
	}
	for i, exp := range []time.Time{time.Now().Add(time.Nanosecond), time.Now().Add(-time.Hour), time.Unix(1, 0)} {
		if _, err := s.CreateToken(ctx, outpost.Token{User: "olga", Hash: fakeHash(fmt.Sprintf("p%d", i)), Expires: exp}); outpost.ErrorCode(err) != outpost.EINVALID {
			t.Errorf("a token expiring at %s: got %v, want invalid", exp.Format(time.RFC3339Nano), err)
		}
	}
}
