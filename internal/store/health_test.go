package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
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

// Upgrading a database whose tokens never expired (or lasted past the
// longest lifetime) gives them the default lifetime from the upgrade, and
// leaves shorter ones alone.
func TestUpgradeGivesEveryTokenAnExpiry(t *testing.T) {
	for name, open := range engines() {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db := open(t)
			// Back to the schema before tokens expired.
			for _, q := range []string{`ALTER TABLE users DROP COLUMN disabled`, `DROP TABLE health_probe`,
				`DELETE FROM schema_version WHERE version = 8`,
				`INSERT INTO users (name, role, password_hash, created) VALUES ('olga', 'admin', 'h', 0)`} {
				if _, err := db.write.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			now := time.Now().Unix()
			soon := now + 86400
			for i, exp := range []int64{0, now + 3*365*86400, soon} {
				if _, err := db.write.ExecContext(ctx, db.rebind(`INSERT INTO api_tokens (user_id, hash, created, expires)
					SELECT id, ?, ?, ? FROM users WHERE name = 'olga'`), fmt.Sprint("hash", i), now, exp); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.migrate(ctx); err != nil {
				t.Fatal(err)
			}
			toks, err := db.Tokens(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(toks) != 3 {
				t.Fatalf("got %d tokens, want 3", len(toks))
			}
			for _, tk := range toks {
				exp := tk.Expires.Unix()
				switch {
				case tk.Expires.IsZero():
					t.Errorf("token %d never expires", tk.ID)
				case exp-now > int64(outpost.MaxTokenLifetime.Seconds()):
					t.Errorf("token %d lasts %d days", tk.ID, (exp-now)/86400)
				}
			}
			if toks[0].Expires.Unix() != soon {
				t.Errorf("a token expiring tomorrow: got %v, want it kept", toks[0].Expires)
			}
			if u, err := db.User(ctx, "olga"); err != nil || u.Disabled {
				t.Errorf("after the upgrade: got %+v, %v; want olga enabled", u, err)
			}
		})
	}
}
