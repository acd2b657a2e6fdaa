package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
)

// TestSIGTERMStopsAnImport sends SIGTERM to an import while it writes: the
// command ends with status 1 saying it was interrupted, writes nothing and
// leaves no temporary file.
func TestSIGTERMStopsAnImport(t *testing.T) {
	dir, db, big := crashSetup(t)
	tmp := filepath.Join(dir, "tmp")
	os.Mkdir(tmp, 0o700)
	cmd := exec.Command(os.Args[0], "--db", db, "import", "people", big)
	cmd.Env = append(os.Environ(), "OUTPOST_TEST_AS_CLI=1", "TMPDIR="+tmp)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
wait:
	for {
		select {
		case err = <-done:
			t.Fatalf("the import ended (%v) before the signal; make the file larger", err)
		case <-time.After(20 * time.Millisecond):
			if st, serr := os.Stat(db + "-wal"); serr == nil && st.Size() > 4<<20 {
				cmd.Process.Signal(syscall.SIGTERM)
				break wait
			}
		}
	}
	select {
	case err = <-done:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatal("the import did not stop on SIGTERM (hang guard)")
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInput || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("after SIGTERM: %v, %q; want exit status 1 and a message saying it was interrupted", err, stderr.String())
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _ := s.CountPeople(context.Background(), outpost.PeopleFilter{}); n != 0 {
		t.Errorf("the interrupted import wrote %d people", n)
	}
	if es, _ := os.ReadDir(tmp); len(es) > 0 {
		t.Errorf("temporary files left: %v", es[0].Name())
	}
}
