package store

import (
	"os"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// openSQLite opens a fresh SQLite store in a test's temporary folder.
func openSQLite(t *testing.T) outpost.Store { return testkit.Open(t, Open, testkit.SQLiteDSN(t)) }

// openPostgres opens a store in a fresh schema of the database named by
// OUTPOST_TEST_POSTGRES, dropped when the test ends.
func openPostgres(t *testing.T) outpost.Store { return testkit.Open(t, Open, testkit.PostgresDSN(t)) }

// engines opens a fresh store of each engine the tests run on.
func engines() map[string]func(t testing.TB) *DB { return testkit.Stores(Open) }

func TestSQLite(t *testing.T) { storetest.Run(t, openSQLite) }

func TestPostgres(t *testing.T) {
	if os.Getenv(testkit.PostgresEnv) == "" {
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
