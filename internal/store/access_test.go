package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// TestRestoreEndsSessions: a backup holds the sessions of its day; the
// restored database must not sign anyone in with them (a browser signed
// out since, or a user disabled since, would be back). Its tokens stay,
// for the admin to review.
func TestRestoreEndsSessions(t *testing.T) {
	ctx := outpost.WithActor(context.Background(), "tester")
	dir := t.TempDir()
	path := filepath.Join(dir, "o.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	hash := strings.Repeat("a", 64)
	if _, err := db.CreateUser(ctx, outpost.User{Name: "root", Role: outpost.RoleAdmin}, "h"); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSession(ctx, outpost.Session{Hash: hash, User: "root", Created: now, Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateToken(ctx, outpost.Token{User: "root", Hash: strings.Repeat("b", 64)}); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := Restore(ctx, path, backup); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.UserBySession(ctx, hash, now); outpost.ErrorCode(err) != outpost.EUNAUTHORIZED {
		t.Errorf("a session of the backup works after the restore: %v", err)
	}
	if list, err := db.Tokens(ctx); err != nil || len(list) != 1 {
		t.Errorf("the backup's tokens: got %d, %v; want 1", len(list), err)
	}
	if es, _ := filepath.Glob(filepath.Join(dir, ".*")); len(es) > 0 {
		t.Errorf("temporary files left: %v", es)
	}
}

// TestNewDatabaseIsPrivate: a new SQLite database holds personal data:
// only its owner may read it, and its journal files, which SQLite gives
// the database's mode, too.
func TestNewDatabaseIsPrivate(t *testing.T) {
	ctx := outpost.WithActor(context.Background(), "tester")
	dir := t.TempDir()
	path := filepath.Join(dir, "new.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetConfig(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(name)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(name), err)
			continue
		}
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: mode %v, want no access for group or others", filepath.Base(name), st.Mode().Perm())
		}
	}
	// An existing file keeps the mode its owner gave it.
	shared := filepath.Join(dir, "shared.db")
	if err := os.WriteFile(shared, nil, 0o640); err != nil {
		t.Fatal(err)
	}
	os.Chmod(shared, 0o640)
	db2, err := Open(ctx, shared)
	if err != nil {
		t.Fatal(err)
	}
	db2.Close()
	if st, _ := os.Stat(shared); st.Mode().Perm() != 0o640 {
		t.Errorf("an existing database: mode %v, want 0640 kept", st.Mode().Perm())
	}
}
