package store

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/testkit"
)

// A second claim on a SQLite file is refused with a message that says
// what to do, until the first is let go; PostgreSQL takes any number.
func TestLockServing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "o.db")
	release, err := LockServing(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = LockServing("sqlite:" + path)
	if outpost.ErrorCode(err) != outpost.ECONFLICT || !strings.Contains(err.Error(), "already served by another outpost serve") ||
		!strings.Contains(err.Error(), "PostgreSQL") {
		t.Fatalf("second claim: got %v, want a conflict that says to stop the other server or use PostgreSQL", err)
	}
	release()
	again, err := LockServing(path)
	if err != nil {
		t.Fatalf("after the first let go: %v", err)
	}
	again()
	if dsn := testkit.DSNs()["postgres"]; dsn != nil {
		pg := dsn(t)
		r1, err1 := LockServing(pg)
		r2, err2 := LockServing(pg)
		if err1 != nil || err2 != nil {
			t.Errorf("PostgreSQL: %v, %v; want both claims taken", err1, err2)
		} else {
			r1()
			r2()
		}
	}
}
