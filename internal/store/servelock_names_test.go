//go:build unix

package store

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
)

// TestServeLockHolder is not a test: run by TestLockServingEveryName as
// another process, it serves the database OUTPOST_TEST_SERVE_LOCK names
// until its standard input closes.
func TestServeLockHolder(t *testing.T) {
	path := os.Getenv("OUTPOST_TEST_SERVE_LOCK")
	if path == "" {
		t.Skip("run by TestLockServingEveryName")
	}
	release, err := LockServing(path)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	os.Stdout.WriteString("locked\n")
	io.Copy(io.Discard, os.Stdin)
}

// While another process serves a database, serving it under any other
// name of it is refused: a symbolic link, a relative path, ./path, a
// file: URI, a hard link. (Each name once had a lock file of its own.)
func TestLockServingEveryName(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	db := filepath.Join(dir, "o.db")
	if err := os.WriteFile(db, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(db, filepath.Join(dir, "link.db")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir("sub", 0o700); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "sub", "hard.db")
	if err := os.Link(db, hard); err != nil {
		t.Fatal(err)
	}
	names := []string{"o.db", "./o.db", "sub/../o.db", "link.db", "sqlite:" + filepath.Join(dir, "link.db"),
		"file:o.db", "file:" + db + "?cache=shared", "sqlite:file:./o.db", hard}
	if !hardLinksLocked {
		names = names[:len(names)-1]
	}

	holder := exec.Command(os.Args[0], "-test.run=^TestServeLockHolder$")
	holder.Env = append(os.Environ(), "OUTPOST_TEST_SERVE_LOCK="+db)
	in, err := holder.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	holder.Stderr = os.Stderr
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer holder.Wait()
	defer in.Close()
	if line, err := bufio.NewReader(out).ReadString('\n'); line != "locked\n" {
		t.Fatalf("the other server did not lock: %q, %v", line, err)
	}
	for _, name := range names {
		release, err := LockServing(name)
		if err == nil {
			release()
		}
		if outpost.ErrorCode(err) != outpost.ECONFLICT || !strings.Contains(err.Error(), "already served") {
			t.Errorf("serve %s while another process serves %s: got %v, want a conflict", name, db, err)
		}
	}
	in.Close()
	holder.Wait()

	// In one process too, and the claim is free again once let go.
	release, err := LockServing("link.db")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if _, err := LockServing(name); outpost.ErrorCode(err) != outpost.ECONFLICT {
			t.Errorf("serve %s while this process serves link.db: got %v, want a conflict", name, err)
		}
	}
	release()
	again, err := LockServing("./o.db")
	if err != nil {
		t.Fatalf("after the first let go: %v", err)
	}
	again()
	for _, mem := range []string{":memory:", "sqlite::memory:", "file:x?mode=memory", "file:/x?vfs=memdb"} {
		if r, err := LockServing(mem); err != nil {
			t.Errorf("%s: %v", mem, err)
		} else {
			r()
		}
	}
}

// The lock file beside a database (where the database file itself is
// not locked) follows no symbolic link planted at its name, and is the
// same file whatever link names the database.
func TestLockBesideFollowsNoLink(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "o.db")
	os.WriteFile(db, nil, 0o600)
	victim := filepath.Join(dir, "victim")
	if err := os.Symlink(victim, db+ServeLockSuffix); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := lockBeside(db); !errors.Is(err, syscall.ELOOP) {
		t.Errorf("lock through a planted link: got %v, want ELOOP", err)
	}
	if _, err := os.Lstat(victim); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the link's target was made: %v", err)
	}
	os.Remove(db + ServeLockSuffix)
	os.Symlink(db, filepath.Join(dir, "link.db"))
	release, _, held, err := lockBeside(db)
	if err != nil || held {
		t.Fatalf("first: held %v, %v", held, err)
	}
	defer release()
	if _, locked, held, err := lockBeside(filepath.Join(dir, "link.db")); err != nil || !held {
		t.Errorf("through a link (%s): held %v, %v; want held", locked, held, err)
	}
}
