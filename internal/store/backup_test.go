package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/testkit"
)

// TestBackupDuringWritesThenRestore takes a backup of a SQLite database
// while another store (a server) writes to it, then restores it: the
// restore is refused while the server has the database open, and once it
// is closed the restored database passes its check and holds every write
// acknowledged before the backup began, and none begun after it ended.
func TestBackupDuringWritesThenRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "o.db")
	server, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var started, acked atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr error
	wg.Go(func() {
		for i := int64(1); ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			started.Store(i)
			if err := server.SetConfig(ctx, fmt.Sprintf("k%07d", i), "v"); err != nil {
				writeErr = err
				return
			}
			acked.Store(i)
		}
	})
	waitFor := func(n int64) {
		t.Helper()
		deadline := time.Now().Add(time.Minute) // hang guard
		for acked.Load() < n {
			if time.Now().After(deadline) || writeErr != nil {
				t.Fatalf("the writer is stuck at %d writes: %v", acked.Load(), writeErr)
			}
			time.Sleep(time.Millisecond)
		}
	}
	waitFor(50)
	before := acked.Load()
	backup := filepath.Join(dir, "backup.db")
	if err := admin.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	after := started.Load()
	waitFor(after + 3)
	close(stop)
	wg.Wait()
	if writeErr != nil {
		t.Fatal(writeErr)
	}
	if st, err := os.Stat(backup); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v, mode %v; want mode 0600", err, st.Mode().Perm())
	}

	if err := Restore(ctx, path, backup); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("restore while the server has the database open: got %v, want a refusal saying it is in use", err)
	}
	if v, _ := admin.Config(ctx, fmt.Sprintf("k%07d", after+1)); v != "v" {
		t.Error("the refused restore changed the database")
	}
	server.Close()
	admin.Close()
	if err := Restore(ctx, path, backup); err != nil {
		t.Fatal(err)
	}
	restored, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if err := restored.Check(ctx); err != nil {
		t.Fatalf("the restored database fails its check: %v", err)
	}
	var n int64
	if err := restored.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM config WHERE key LIKE 'k%' AND key <= ?`, fmt.Sprintf("k%07d", before)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != before {
		t.Errorf("the backup holds %d of the %d writes acknowledged before it began", n, before)
	}
	if v, _ := restored.Config(ctx, fmt.Sprintf("k%07d", after+1)); v != "" {
		t.Errorf("a write begun after the backup ended is in it")
	}
	if es, _ := filepath.Glob(filepath.Join(dir, ".*")); len(es) > 0 {
		t.Errorf("temporary files left: %v", es)
	}
}

// TestRestoreRefusesABadBackup: a file that is not a database, or not an
// Outpost one, or a damaged one, is refused and the database is left as
// it was.
func TestRestoreRefusesABadBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "o.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.SetConfig(ctx, "mark", "original")
	db.Close()

	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, []byte(strings.Repeat("not a database ", 1000)), 0o600)
	other := filepath.Join(dir, "other.db")
	o, _ := sql.Open(sqliteDriver, sqliteDSN(other, true))
	o.Exec(`CREATE TABLE t (x INTEGER)`)
	o.Close()
	broken := filepath.Join(dir, "broken.db")
	b, _ := Open(ctx, broken)
	b.Close()
	raw, _ := sql.Open(sqliteDriver, "file:"+broken)
	raw.Exec(`INSERT INTO users (name, role, mission, password_hash, created) VALUES ('x', 'staff', 'NOPE', 'h', 0)`)
	raw.Close()

	for _, tc := range []struct{ file, want string }{
		{garbage, "not a good backup"},
		{other, "not an Outpost database"},
		{broken, "foreign key"},
		{filepath.Join(dir, "missing.db"), "cannot open"},
		{path, "the database itself"},
	} {
		if err := Restore(ctx, path, tc.file); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("restore %s: got %v, want an error saying %q", filepath.Base(tc.file), err, tc.want)
		}
	}
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _ := db.Config(ctx, "mark"); v != "original" {
		t.Errorf("the database was changed by a refused restore: mark = %q", v)
	}
}

// TestCheckFindsProblems: a fresh database passes its check on both
// engines; a foreign key broken behind SQLite's back, or a PostgreSQL
// constraint never validated, fails it with the problem named.
func TestCheckFindsProblems(t *testing.T) {
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "o.db")
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Check(ctx); err != nil {
			t.Fatalf("a fresh database: %v", err)
		}
		raw, _ := sql.Open(sqliteDriver, "file:"+path)
		if _, err := raw.Exec(`INSERT INTO users (name, role, mission, password_hash, created) VALUES ('x', 'staff', 'NOPE', 'h', 0)`); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		err = db.Check(ctx)
		if outpost.ErrorCode(err) != outpost.EINTERNAL || !strings.Contains(err.Error(), "foreign key: row 1 of users refers to a missing row of missions") {
			t.Errorf("got %v, want the broken foreign key named", err)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		db := testkit.Open(t, Open, testkit.PostgresDSN(t))
		if err := db.Check(ctx); err != nil {
			t.Fatalf("a fresh database: %v", err)
		}
		if err := db.Backup(ctx, filepath.Join(t.TempDir(), "b")); err == nil || !strings.Contains(err.Error(), "pg_dump") {
			t.Errorf("backup on PostgreSQL: got %v, want an error naming pg_dump", err)
		}
		if _, err := db.write.ExecContext(ctx, `ALTER TABLE missions ADD CONSTRAINT min_staff_small CHECK (min_staff < 1000) NOT VALID`); err != nil {
			t.Fatal(err)
		}
		err := db.Check(ctx)
		if outpost.ErrorCode(err) != outpost.EINTERNAL || !strings.Contains(err.Error(), "min_staff_small on missions is not validated") {
			t.Errorf("got %v, want the constraint named", err)
		}
	})
}
