package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

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

func TestTokenLifetimeAndUserStateCommands(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			seedCLI(t, db)
			mustCLI(t, db, "user", "add", "olga", "--role", "staff", "--mission", "RU")
			// Every token expires: by default after 90 days, at most after 365.
			out := mustCLI(t, db, "token", "create", "olga")
			if want := "expires " + fixedNow.AddDate(0, 0, 90).Format("2006-01-02"); !strings.Contains(out, want) {
				t.Errorf("token create: got %q, want %q", out, want)
			}
			out = mustCLI(t, db, "token", "create", "olga", "--expires", "365d")
			if want := "expires " + fixedNow.AddDate(0, 0, 365).Format("2006-01-02"); !strings.Contains(out, want) {
				t.Errorf("token create --expires 365d: got %q, want %q", out, want)
			}
			for _, bad := range [][]string{
				{"--expires", "never"}, {"--expires", "366d"}, {"--expires", "2030-01-01"}, {"--expires", "0"},
				{"--days", "0"}, {"--days", "400"}, {"--days", "30", "--expires", "30d"},
			} {
				_, errs, code := cli(t, db, "", append([]string{"token", "create", "olga"}, bad...)...)
				if code != 2 || !strings.Contains(errs, bad[0]) {
					t.Errorf("token create olga %s: got exit %d, %q; want 2 naming the flag", strings.Join(bad, " "), code, errs)
				}
			}
			var toks struct{ Tokens []outpost.Token }
			if err := json.Unmarshal([]byte(mustCLI(t, db, "token", "list", "--json")), &toks); err != nil || len(toks.Tokens) != 2 {
				t.Fatalf("token list: got %+v, %v; want the 2 made", toks, err)
			}
			for _, tk := range toks.Tokens {
				if tk.Expires.IsZero() || tk.Expires.Sub(fixedNow) > 365*24*time.Hour {
					t.Errorf("token %d expires %v", tk.ID, tk.Expires)
				}
			}
			// A new password revokes them.
			mustCLI(t, db, "user", "passwd", "olga")
			if out := mustCLI(t, db, "token", "list"); strings.Contains(out, "olga") {
				t.Errorf("after user passwd: got %q, want olga's tokens revoked", out)
			}
			// Disabling revokes and refuses; enabling lets them in again.
			mustCLI(t, db, "token", "create", "olga")
			if out := mustCLI(t, db, "user", "disable", "olga"); !strings.Contains(out, "Disabled olga") {
				t.Errorf("user disable: got %q", out)
			}
			if out := mustCLI(t, db, "token", "list"); strings.Contains(out, "olga") {
				t.Errorf("after user disable: got %q, want olga's tokens revoked", out)
			}
			if out := mustCLI(t, db, "user", "list"); !regexp.MustCompile(`olga\s+staff\s+RU\s+\S+\s+disabled`).MatchString(out) {
				t.Errorf("user list: got %q, want olga disabled", out)
			}
			if _, errs, code := cli(t, db, "", "token", "create", "olga"); code != 1 || !strings.Contains(errs, "disabled") {
				t.Errorf("a token for a disabled user: got exit %d, %q", code, errs)
			}
			if _, errs, code := cli(t, db, "", "user", "disable", "nobody"); code != 1 || !strings.Contains(errs, `no user "nobody"`) {
				t.Errorf("user disable nobody: got exit %d, %q", code, errs)
			}
			mustCLI(t, db, "user", "enable", "olga")
			mustCLI(t, db, "token", "create", "olga")
		})
	}
}

func TestServeSettingsAreChecked(t *testing.T) {
	db := filepath.Join(t.TempDir(), "o.db")
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--public-url", "ftp://outpost.example.org"}, "--public-url"},
		{[]string{"--public-url", "https://outpost.example.org/sub"}, "--public-url"},
		{[]string{"--trusted-proxy", "not-an-address"}, "--trusted-proxy"},
		{[]string{"--trusted-proxy", "10.0.0.0/99"}, "--trusted-proxy"},
	} {
		_, errs, code := cli(t, db, "", append([]string{"serve", "--addr", "127.0.0.1:0"}, c.args...)...)
		if code != 2 || !strings.Contains(errs, c.msg) {
			t.Errorf("serve %s: got exit %d, %q; want 2 naming %s", strings.Join(c.args, " "), code, errs, c.msg)
		}
	}
}
