package statements_test

import (
	"context"
	"sync"
	"testing"

	"github.com/outpost-org/outpost/internal/service/statements"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/testkit"
)

// gatedStore holds every server's first read of the settings until both
// servers have read, so both find no feed id and both make one: the race
// of two servers started together, made certain.
type gatedStore struct {
	*store.DB
	read *sync.WaitGroup
	once sync.Once
}

func (g *gatedStore) Config(ctx context.Context, key string) (string, error) {
	v, err := g.DB.Config(ctx, key)
	g.once.Do(func() {
		g.read.Done()
		g.read.Wait()
	})
	return v, err
}

// TestFeedIDOneForTwoServers: two servers on one database with no public
// URL, asked for the feed at once, answer one id, the one stored, and
// keep answering it.
func TestFeedIDOneForTwoServers(t *testing.T) {
	for engine, dsn := range testkit.DSNs() {
		t.Run(engine, func(t *testing.T) {
			addr := dsn(t)
			var read sync.WaitGroup
			read.Add(2)
			var servers [2]*statements.Service
			for i := range servers {
				servers[i] = statements.New(&gatedStore{DB: testkit.Open(t, store.Open, addr), read: &read}, nil)
			}
			ctx := context.Background()
			var got [2]statements.FeedIdentity
			var wg sync.WaitGroup
			for i, s := range servers {
				wg.Go(func() {
					f, err := s.Feed(ctx, "")
					if err != nil {
						t.Error(err)
					}
					got[i] = f
				})
			}
			wg.Wait()
			if got[0].Base == "" || got[0] != got[1] {
				t.Fatalf("two servers made two feeds: %q and %q", got[0].Base, got[1].Base)
			}
			for i, s := range servers {
				if f, err := s.Feed(ctx, "https://outpost.example.org"); err != nil || f != got[0] {
					t.Errorf("server %d later: %+v, %v; want %+v", i, f, err, got[0])
				}
			}
		})
	}
}
