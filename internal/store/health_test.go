package store

import (
	"context"
	"testing"
)

// A SQLite database that can no longer be written (here made read-only
// on its one writing connection, as a full disk or a read-only mount
// would) still answers Ping, but PingWrite reports it.
func TestPingWriteOnAReadOnlySQLite(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t).(*DB)
	if err := db.PingWrite(ctx); err != nil {
		t.Fatalf("PingWrite on a writable database: %v", err)
	}
	if _, err := db.write.ExecContext(ctx, `PRAGMA query_only = 1`); err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(ctx); err != nil {
		t.Errorf("Ping: %v, want the database to answer reads", err)
	}
	if err := db.PingWrite(ctx); err == nil {
		t.Error("PingWrite on a read-only database: got nil, want an error")
	}
}
