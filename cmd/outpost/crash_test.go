package main

import (
	"context"
	"database/sql"
	"maps"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/synth"
)

// TestMain lets the test binary stand in for the outpost command, so crash
// tests can run it as a child process and kill it.
func TestMain(m *testing.M) {
	if os.Getenv("OUTPOST_TEST_AS_CLI") == "1" {
		// As main does: SIGINT and SIGTERM cancel the command's context.
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, time.Now)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// TestKillDuringImportLosesNothingCommitted kills (SIGKILL) an import of
// many rows while it writes, then proves the database is intact: it passes
// its integrity check, holds every row of the import before, and none of
// the killed one.
func TestKillDuringImportLosesNothingCommitted(t *testing.T) {
	dir, db, big := crashSetup(t)
	first := writeWith(t, dir, "first.csv", func(f *os.File) error { return synth.WritePeople(f, 2000, 40, "A", 1) })
	mustCLI(t, db, "import", "people", first)

	killImportMidway(t, db, big)

	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if err := s.Check(ctx); err != nil {
		t.Fatalf("after kill -9: %v", err)
	}
	all, _ := s.CountPeople(ctx, outpost.PeopleFilter{})
	if all != 2000 {
		t.Errorf("after kill -9: %d people, want the 2000 of the first import and none of the killed one", all)
	}
	if _, err := s.Person(ctx, "B1"); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("a row of the killed import is there: %v", err)
	}
	if p, err := s.Person(ctx, "A2000"); err != nil || p.ID != "A2000" {
		t.Errorf("the last row of the first import is missing: %v", err)
	}
}

// crashSetup skips with -short; otherwise it makes a folder, a database
// in it with 40 missions imported, and a file of 400,000 people (big) for
// an import to be killed in.
func crashSetup(t *testing.T) (dir, db, big string) {
	t.Helper()
	if testing.Short() {
		t.Skip("writes a large file; skipped with -short")
	}
	dir = t.TempDir()
	db = filepath.Join(dir, "o.db")
	missions := writeWith(t, dir, "missions.csv", func(f *os.File) error { return synth.WriteMissions(f, 40) })
	big = writeWith(t, dir, "big.csv", func(f *os.File) error { return synth.WritePeople(f, 400_000, 40, "B", 2) })
	mustCLI(t, db, "import", "missions", missions)
	return dir, db, big
}

// writeWith writes the file name in dir with fn and returns its path.
func writeWith(t *testing.T, dir, name string, fn func(*os.File) error) string {
	t.Helper()
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := fn(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// killImportMidway runs `outpost import people file` on db as a child
// process and kills it (SIGKILL) once it has written a good part of its
// transaction to the write-ahead log: the crash lands mid-write.
func killImportMidway(t *testing.T, db, file string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "--db", db, "import", "people", file)
	cmd.Env = append(os.Environ(), "OUTPOST_TEST_AS_CLI=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case err := <-done:
			t.Fatalf("the import ended (%v) before it could be killed; make the file larger", err)
		case <-time.After(20 * time.Millisecond):
			if st, err := os.Stat(db + "-wal"); err == nil && st.Size() > 8<<20 {
				cmd.Process.Signal(syscall.SIGKILL)
				<-done
				return
			}
		}
	}
}

// TestKillDuringFirstImportKeepsTheIndexes: a first import into an empty
// table builds the secondary indexes after the rows, inside its
// transaction. Killed mid-way it leaves no person and every index; run
// to the end it leaves every index too.
func TestKillDuringFirstImportKeepsTheIndexes(t *testing.T) {
	dir, db, big := crashSetup(t)
	small := writeWith(t, dir, "small.csv", func(f *os.File) error { return synth.WritePeople(f, 3000, 40, "S", 3) })
	killImportMidway(t, db, big)

	indexes := func() map[string]bool {
		t.Helper()
		conn, err := sql.Open("sqlite", "file:"+db)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		rows, err := conn.Query(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'people' AND name LIKE 'people_%'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		got := map[string]bool{}
		for rows.Next() {
			var n string
			rows.Scan(&n)
			got[n] = true
		}
		return got
	}
	want := map[string]bool{"people_mission": true, "people_household": true, "people_pending": true}
	check := func(when string, people int) {
		t.Helper()
		s, err := store.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		ctx := context.Background()
		if err := s.Check(ctx); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if n, _ := s.CountPeople(ctx, outpost.PeopleFilter{}); n != people {
			t.Errorf("%s: %d people, want %d", when, n, people)
		}
		if n, _ := s.CountPeople(ctx, outpost.PeopleFilter{Mission: "M001"}); people > 0 && n == 0 {
			t.Errorf("%s: nobody found by mission", when)
		}
		if got := indexes(); !maps.Equal(got, want) {
			t.Errorf("%s: indexes of people %v, want %v", when, got, want)
		}
	}
	check("after kill -9 of a first import", 0)
	mustCLI(t, db, "import", "people", small)
	check("after a first import", 3000)
}
