package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
)

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

var generatedPassword = regexp.MustCompile(`^[a-z2-9]{5}(-[a-z2-9]{5}){3}$`)

func TestUsersAndTokens(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			seedCLI(t, db)
			out := mustCLI(t, db, "user", "add", "olga", "--role", "staff", "--mission", "RU")
			if !strings.HasPrefix(out, "Created user olga (staff of RU).") || !generatedPassword.MatchString(lastLine(out)) {
				t.Errorf("user add: got %q, want the generated password alone on the last line", out)
			}
			out, errs, code := cli(t, db, "a long passphrase\n", "user", "add", "dean", "--role", "coordinator", "--password-stdin")
			if code != 0 || strings.Contains(out, "passphrase") || strings.Contains(out, "Password") {
				t.Errorf("user add --password-stdin: exit %d, %q %q", code, out, errs)
			}
			bad := []struct {
				args []string
				code int
				msg  string
			}{
				{[]string{"user", "add", "x", "--role", "king"}, 1, "role: must be one of admin, coordinator, manager, staff, press"},
				{[]string{"user", "add", "x", "--role", "staff"}, 1, "mission: is required for the role staff"},
				{[]string{"user", "add", "x", "--role", "staff", "--mission", "XX"}, 1, `no mission "XX"`},
				{[]string{"user", "add", "olga", "--role", "admin"}, 1, `already a user named "olga"`},
				{[]string{"user", "add", "x"}, 2, "--role is required"},
				{[]string{"token", "create", "nobody"}, 1, `no user "nobody"`},
				{[]string{"token", "revoke", "abc"}, 2, "not a token id"},
				{[]string{"audit", "--limit", "0"}, 2, "--limit 0"},
			}
			for _, b := range bad {
				_, errs, code := cli(t, db, "", b.args...)
				if code != b.code || !strings.Contains(errs, b.msg) {
					t.Errorf("outpost %s: got exit %d, %q; want %d and %q", strings.Join(b.args, " "), code, errs, b.code, b.msg)
				}
			}
			var users struct{ Users []outpost.User }
			if err := json.Unmarshal([]byte(mustCLI(t, db, "user", "list", "--json")), &users); err != nil || len(users.Users) != 2 {
				t.Errorf("user list --json: got %+v, %v", users, err)
			}
			out = mustCLI(t, db, "token", "create", "olga", "--label", "scripts", "--days", "30")
			token := lastLine(out)
			if !strings.HasPrefix(token, "opt_") || len(token) != 47 {
				t.Errorf("token create: got last line %q, want the token", token)
			}
			list := mustCLI(t, db, "token", "list")
			if strings.Contains(list, token) || !strings.Contains(list, "scripts") {
				t.Errorf("token list: got %q, want the label and never the token", list)
			}
			mustCLI(t, db, "token", "revoke", "1")
			var audit struct{ Entries []outpost.AuditEntry }
			if err := json.Unmarshal([]byte(mustCLI(t, db, "audit", "--json", "--mission", "RU")), &audit); err != nil {
				t.Fatal(err)
			}
			var what []string
			for _, e := range audit.Entries {
				what = append(what, e.Action+" "+e.Entity+" by "+e.Actor)
			}
			if want := "revoke token by cli,create token by cli,create user by cli"; strings.Join(what, ",") != want {
				t.Errorf("audit --mission RU: got %v, want %s", what, want)
			}
			if out := mustCLI(t, db, "audit", "--limit", "2"); strings.Count(out, "\n") != 3 || !strings.Contains(out, "ACTOR") {
				t.Errorf("audit --limit 2: got %q", out)
			}
		})
	}
}

func TestDemoSignInsAreIdempotent(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	first := mustCLI(t, db, "demo", "--no-serve")
	second := mustCLI(t, db, "demo", "--no-serve")
	for _, u := range []string{"admin", "coordinator", "ru-manager", "ru-staff", "ru-press"} {
		re := regexp.MustCompile(`(?m)^  ` + u + `\s+([a-z2-9-]{23})\s`)
		m1, m2 := re.FindStringSubmatch(first), re.FindStringSubmatch(second)
		if m1 == nil || m2 == nil || m1[1] == m2[1] {
			t.Errorf("%s: got %v then %v, want a new password printed on each run", u, m1, m2)
		}
	}
	var users struct{ Users []outpost.User }
	if err := json.Unmarshal([]byte(mustCLI(t, db, "user", "list", "--json")), &users); err != nil || len(users.Users) != 5 {
		t.Errorf("after two demo runs: got %d users (%v), want 5", len(users.Users), err)
	}
	if !strings.Contains(second, "already in") {
		t.Errorf("second run: got %q, want the scenario loaded once", second)
	}
}
