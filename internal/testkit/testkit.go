// Package testkit is what the tests of several packages share: the
// databases a test runs on (SQLite always, PostgreSQL when
// OUTPOST_TEST_POSTGRES is set), the corps their fixtures seed, and
// golden files.
//
// It imports neither the store nor the server nor the reports, so that
// their own (internal) tests can use it too: a caller passes store.Open.
package testkit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	_ "github.com/jackc/pgx/v5/stdlib"
)

// PostgresEnv names the variable that holds the address of the PostgreSQL
// database the tests may use; each test gets its own schema in it.
const PostgresEnv = "OUTPOST_TEST_POSTGRES"

// DSNs returns, by engine name, how to get the address of a new, empty
// database for one test: "sqlite" always, and "postgres" when
// OUTPOST_TEST_POSTGRES is set.
func DSNs() map[string]func(t testing.TB) string {
	out := map[string]func(t testing.TB) string{"sqlite": SQLiteDSN}
	if os.Getenv(PostgresEnv) != "" {
		out["postgres"] = PostgresDSN
	}
	return out
}

// SQLiteDSN returns the path of a new SQLite file in t's temporary folder.
func SQLiteDSN(t testing.TB) string { return filepath.Join(t.TempDir(), "o.db") }

// PostgresDSN creates a schema for t in the database OUTPOST_TEST_POSTGRES
// names, drops it when t ends, and returns an address that uses it. It
// skips t when the variable is not set.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		t.Skip("set " + PostgresEnv + " to run on PostgreSQL")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("open %s: %v", PostgresEnv, err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	return WithSchema(dsn, schema)
}

// WithSchema returns dsn with its search path set to schema.
func WithSchema(dsn, schema string) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

// Opener opens the database at an address, as store.Open does.
type Opener[S io.Closer] func(ctx context.Context, dsn string) (S, error)

// Open opens dsn and closes it when t ends.
func Open[S io.Closer](t testing.TB, open Opener[S], dsn string) S {
	t.Helper()
	db, err := open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Stores returns, by engine name, how to open a new, empty store for one
// test (see DSNs); it is closed, and its schema dropped, when the test
// ends.
func Stores[S io.Closer](open Opener[S]) map[string]func(t testing.TB) S {
	out := map[string]func(t testing.TB) S{}
	for name, dsn := range DSNs() {
		out[name] = func(t testing.TB) S {
			t.Helper()
			return Open(t, open, dsn(t))
		}
	}
	return out
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Golden compares got with testdata/NAME.golden of the package under
// test, or rewrites that file when the tests run with -update.
func Golden[T string | []byte](t testing.TB, name string, got T) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatalf("update golden file: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from %s (-want +got; run go test -update after a deliberate change):\n%s", name, path, diff)
	}
}
