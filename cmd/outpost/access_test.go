package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// cliTicking runs the command line with a clock that moves on by a
// millisecond at each reading from half a second past fixedNow, as a real
// one does between the command's reading and the store's.
func cliTicking(t *testing.T, db string, args ...string) (string, string, int) {
	t.Helper()
	var mu sync.Mutex
	now := fixedNow.Add(500 * time.Millisecond)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Millisecond)
		return now
	}
	var out, errb bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, now: clock}
	root := a.rootCommand()
	root.SetArgs(append([]string{"--db", db}, args...))
	root.SetOut(&out)
	root.SetErr(&errb)
	err := root.ExecuteContext(context.Background())
	if a.db != nil {
		a.db.Close()
	}
	code := a.report(err)
	return out.String(), errb.String(), code
}

// TestTokenCreateLongestAndPastExpiry: the documented longest lifetime is
// accepted however the command's clock and the store's fall within a
// second, and an expiry that is already past when stored is refused.
func TestTokenCreateLongestAndPastExpiry(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			seedCLI(t, db)
			mustCLI(t, db, "user", "add", "olga", "--role", "staff", "--mission", "RU")
			for _, longest := range [][]string{{"--days", "365"}, {"--expires", "365d"}, {"--expires", "52w"}} {
				if out, errs, code := cliTicking(t, db, append([]string{"token", "create", "olga"}, longest...)...); code != 0 {
					t.Errorf("token create olga %s: exit %d %s %s", strings.Join(longest, " "), code, out, errs)
				}
			}
			for _, past := range []string{"1ns", "100ms"} {
				if out, errs, code := cliTicking(t, db, "token", "create", "olga", "--expires", past); code == 0 || !strings.Contains(errs, "not in the future") {
					t.Errorf("token create olga --expires %s: exit %d %s %s; want a refusal saying it is not in the future", past, code, out, errs)
				}
			}
		})
	}
}

// TestRestoreSignsEveryoneOutAndCountsTokens: restore says how many API
// tokens came back with the backup and how to review them.
func TestRestoreSignsEveryoneOutAndCountsTokens(t *testing.T) {
	db := engines(t)["sqlite"](t)
	seedCLI(t, db)
	mustCLI(t, db, "user", "add", "olga", "--role", "staff", "--mission", "RU")
	mustCLI(t, db, "token", "create", "olga")
	mustCLI(t, db, "token", "create", "olga")
	file := filepath.Join(t.TempDir(), "backup")
	mustCLI(t, db, "backup", file)
	out := mustCLI(t, db, "restore", file)
	for _, want := range []string{"check ok", "signed out", "2 API token", "outpost token list"} {
		if !strings.Contains(out, want) {
			t.Errorf("restore: got %q, want it to say %q", out, want)
		}
	}
}

// TestRollcallLinksBaseURL: the links' base is a scheme and a host; one
// with a path, query, fragment or user would send people elsewhere.
func TestRollcallLinksBaseURL(t *testing.T) {
	db := engines(t)["sqlite"](t)
	for _, bad := range []string{"https://h/x?y=", "https://h/x", "https://h/#f", "https://u@h", "javascript:alert(1)"} {
		if _, errs, code := cli(t, db, "", "rollcall", "links", "1", "--base-url", bad); code != exitUsage || !strings.Contains(errs, "--base-url") {
			t.Errorf("--base-url %s: exit %d %s; want 2 naming --base-url", bad, code, errs)
		}
	}
}

// TestServeRefusesTrustingEveryone: --trusted-proxy 0.0.0.0/0 (or ::/0)
// would let any client write its own address and scheme.
func TestServeRefusesTrustingEveryone(t *testing.T) {
	for _, p := range []string{"0.0.0.0/0", "::/0"} {
		f := serveFlags{proxies: []string{p}}
		if _, err := f.config(); err == nil || !strings.Contains(err.Error(), "every address") {
			t.Errorf("--trusted-proxy %s: got %v, want a refusal", p, err)
		}
	}
}
