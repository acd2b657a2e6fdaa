package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

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

// golden compares got with testdata/NAME.golden (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -update after a deliberate change)\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
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
func engines(t *testing.T) map[string]func(t *testing.T) string {
	out := map[string]func(t *testing.T) string{
		"sqlite": func(t *testing.T) string { return filepath.Join(t.TempDir(), "o.db") },
	}
	if dsn := os.Getenv("OUTPOST_TEST_POSTGRES"); dsn != "" {
		out["postgres"] = func(t *testing.T) string { return testPostgresDSN(t, dsn) }
	}
	return out
}
