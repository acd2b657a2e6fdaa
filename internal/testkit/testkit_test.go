package testkit

import (
	"database/sql"
	"os"
	"strings"
	"testing"
)

func TestWithSchema(t *testing.T) {
	for _, c := range []struct{ dsn, want string }{
		{"postgres:///db", "postgres:///db?search_path=s1"},
		{"postgres:///db?host=/run", "postgres:///db?host=/run&search_path=s1"},
	} {
		if got := WithSchema(c.dsn, "s1"); got != c.want {
			t.Errorf("WithSchema(%q): got %q, want %q", c.dsn, got, c.want)
		}
	}
}

// A test's PostgreSQL schema exists while it runs and is gone after.
func TestPostgresSchemaIsDroppedAtCleanup(t *testing.T) {
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		t.Skip("set " + PostgresEnv + " to run on PostgreSQL")
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	exists := func(schema string) bool {
		var n int
		if err := admin.QueryRow(`SELECT count(*) FROM information_schema.schemata WHERE schema_name = $1`, schema).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	var schema string
	t.Run("inner", func(t *testing.T) {
		_, after, _ := strings.Cut(PostgresDSN(t), "search_path=")
		schema = after
		if !exists(schema) {
			t.Errorf("schema %q does not exist during the test", schema)
		}
	})
	if schema == "" || exists(schema) {
		t.Errorf("schema %q is still there after the test", schema)
	}
}

func TestDSNs(t *testing.T) {
	dsns := DSNs()
	if _, ok := dsns["sqlite"]; !ok {
		t.Error("no sqlite engine")
	}
	if _, ok := dsns["postgres"]; ok != (os.Getenv(PostgresEnv) != "") {
		t.Errorf("postgres listed: %v, want it exactly when %s is set", ok, PostgresEnv)
	}
}
