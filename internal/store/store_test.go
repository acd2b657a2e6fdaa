package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/storetest"
)

// OpenSQLite opens a fresh SQLite store in a test's temporary folder.
func openSQLite(t *testing.T) outpost.Store {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openPostgres opens a store in a fresh schema of the database named by
// OUTPOST_TEST_POSTGRES, dropped when the test ends.
func openPostgres(t *testing.T) outpost.Store {
	t.Helper()
	dsn := os.Getenv("OUTPOST_TEST_POSTGRES")
	db, err := OpenTestPostgres(t, dsn)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// OpenTestPostgres opens a store in a new schema of dsn that is dropped
// when t ends.
func OpenTestPostgres(t testing.TB, dsn string) (*DB, error) {
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		return nil, err
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	db, err := Open(context.Background(), dsn+sep+"search_path="+schema)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { db.Close() })
	return db, nil
}

func TestSQLite(t *testing.T) { storetest.Run(t, openSQLite) }

func TestPostgres(t *testing.T) {
	if os.Getenv("OUTPOST_TEST_POSTGRES") == "" {
		t.Skip("set OUTPOST_TEST_POSTGRES to run the conformance suite on PostgreSQL")
	}
	storetest.Run(t, openPostgres)
}

func TestRebind(t *testing.T) {
	db := &DB{dialect: Postgres}
	if got, want := db.rebind("a = ? AND b IN (?, ?)"), "a = $1 AND b IN ($2, $3)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	db.dialect = SQLite
	if got := db.rebind("a = ?"); got != "a = ?" {
		t.Errorf("sqlite: got %q", got)
	}
}
