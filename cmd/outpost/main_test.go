package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/testkit"
)

// fixedNow is the clock of CLI tests, so output does not depend on the day.
var fixedNow = time.Date(2021, 6, 1, 12, 0, 0, 0, time.UTC)

// cli runs the command line against db and returns its output and status.
func cli(t *testing.T, db string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"--db", db}, args...), strings.NewReader(stdin), &out, &errb,
		func() time.Time { return fixedNow })
	return out.String(), errb.String(), code
}

// mustCLI runs the command line and fails the test unless it exits 0.
func mustCLI(t *testing.T, db string, args ...string) string {
	t.Helper()
	out, errs, code := cli(t, db, "", args...)
	if code != 0 {
		t.Fatalf("outpost %s: exit %d\n%s", strings.Join(args, " "), code, errs)
	}
	return out
}

// writeFile writes content to a file in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// engines returns the databases a CLI test runs on: a SQLite file always,
// and a fresh PostgreSQL schema when OUTPOST_TEST_POSTGRES is set.
func engines(*testing.T) map[string]func(t testing.TB) string { return testkit.DSNs() }
