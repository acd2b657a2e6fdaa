package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
)

// BenchmarkCheckIns measures the server time of a check-in through the
// whole handler (authentication, rights, the shared batcher, the write),
// without the network, from many goroutines at once, over the database
// OUTPOST_BENCH_DB (made by bench/checkin.sh). It adds a user and a roll
// call.
//
//	OUTPOST_BENCH_DB=$PWD/bench/out/checkin/o.db go test ./internal/server -run - -bench CheckIns -cpu 2
//
// OUTPOST_BENCH_LANES sets the batcher's lanes (default: the server's).
func BenchmarkCheckIns(b *testing.B) {
	dsn := os.Getenv("OUTPOST_BENCH_DB")
	if dsn == "" {
		b.Skip("set OUTPOST_BENCH_DB to a database made by bench/checkin.sh")
	}
	ctx := outpost.WithActor(context.Background(), "bench")
	db, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	name := fmt.Sprintf("bench-%d", time.Now().UnixNano())
	if _, err := db.CreateUser(ctx, outpost.User{Name: name, Role: outpost.RoleAdmin}, "not-a-real-hash"); err != nil {
		b.Fatal(err)
	}
	token, th := auth.NewSecret(auth.TokenPrefix)
	if _, err := db.CreateToken(ctx, outpost.Token{User: name, Hash: th}); err != nil {
		b.Fatal(err)
	}
	rc, err := db.StartRollCall(ctx, outpost.RollCall{Title: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	scope, err := db.RollCallScope(ctx, rc.ID)
	if err != nil || len(scope) == 0 {
		b.Fatalf("roll call over %d people: %v", len(scope), err)
	}
	lanes, _ := strconv.Atoi(os.Getenv("OUTPOST_BENCH_LANES"))
	srv, err := New(Config{Store: db, CheckinLanes: lanes})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	path := fmt.Sprintf("/api/v1/rollcalls/%d/checkins", rc.ID)
	var i atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := i.Add(1)
			body := fmt.Sprintf(`{"person": %q, "status": "safe", "note": "b%d"}`, scope[n%int64(len(scope))].Person, n)
			req := httptest.NewRequest("POST", path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, req)
			if rec.Code != http.StatusCreated {
				b.Errorf("got %d %s", rec.Code, rec.Body)
				return
			}
		}
	})
}
