package server

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
)

// BenchmarkPages measures the server time of the main pages and API
// routes, without the network, over the database OUTPOST_BENCH_DB (made by
// bench/server.sh: people P1…PN of bench/peoplegen). It adds a user.
//
//	OUTPOST_BENCH_DB=$PWD/bench/out/server/o.db go test ./internal/server -run - -bench Pages
func BenchmarkPages(b *testing.B) {
	dsn := os.Getenv("OUTPOST_BENCH_DB")
	if dsn == "" {
		b.Skip("set OUTPOST_BENCH_DB to a database made by bench/server.sh")
	}
	ctx := outpost.WithActor(context.Background(), "bench")
	db, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	n, err := db.CountPeople(ctx, outpost.PeopleFilter{})
	if err != nil {
		b.Fatal(err)
	}
	name := fmt.Sprintf("bench-%d", time.Now().UnixNano())
	hash, _ := auth.HashPassword("bench password")
	if _, err := db.CreateUser(ctx, outpost.User{Name: name, Role: outpost.RoleAdmin}, hash); err != nil {
		b.Fatal(err)
	}
	secret, sh := auth.NewSecret(auth.SessionPrefix)
	if err := db.CreateSession(ctx, outpost.Session{Hash: sh, User: name, Created: time.Now(), Expires: time.Now().Add(time.Hour)}); err != nil {
		b.Fatal(err)
	}
	srv, err := New(Config{Store: db})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if _, err := srv.Snapshot(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d people; snapshot built in %v", n, time.Since(start))
	id := func() string { return fmt.Sprintf("P%d", 1+rand.IntN(n)) }
	for _, c := range []struct {
		name   string
		target func() string
	}{
		{"dashboard", func() string { return "/" }},
		{"dashboard-2021-04-01", func() string { return "/?as_of=2021-04-01" }},
		{"people", func() string { return "/people" }},
		{"people-after", func() string { return "/people?after=" + id() }},
		{"people-mission", func() string { return "/people?mission=M001" }},
		{"person", func() string { return "/people/" + id() }},
		{"api-census", func() string { return "/api/v1/census" }},
		{"api-person", func() string { return "/api/v1/people/" + id() }},
		{"api-people", func() string { return "/api/v1/people?after=" + id() }},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest("GET", c.target(), nil)
				req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: secret})
				rec := httptest.NewRecorder()
				srv.Handler().ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatalf("%s: %d", req.URL, rec.Code)
				}
			}
		})
	}
}
