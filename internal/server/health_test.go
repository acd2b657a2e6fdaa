package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// probedStore counts the write probes and fails them on demand.
type probedStore struct {
	outpost.Store
	probes atomic.Int64
	fail   atomic.Bool
}

func (p *probedStore) PingWrite(ctx context.Context) error {
	p.probes.Add(1)
	if p.fail.Load() {
		return errors.New("disk full")
	}
	return p.Store.PingWrite(ctx)
}

// TestHealthzProbesWritesAtMostEveryFewSeconds: /healthz answers anyone,
// and its write probe holds SQLite's one writer; many checks at once
// write once, and a disk that starts failing is reported once the last
// probe is older than probeTTL, by the server's clock.
func TestHealthzProbesWritesAtMostEveryFewSeconds(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			const ttl = 5 * time.Second // probeTTL, as documented
			f := newFixture(t, open(t))
			ps := &probedStore{Store: f.store}
			var mu sync.Mutex
			now := testNow
			clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
			advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
			f.store = ps
			reconfigure(t, f, func(c *Config) { c.Now = clock })
			health := func() (int, string) {
				res := f.send("GET", "/healthz", "198.51.100.1:1000", nil, "")
				return res.Code, res.Body.String()
			}
			var wg sync.WaitGroup
			for range 50 {
				wg.Go(func() {
					if code, body := health(); code != 200 {
						t.Errorf("healthy: got %d %s", code, body)
					}
				})
			}
			wg.Wait()
			if n := ps.probes.Load(); n != 1 {
				t.Errorf("50 health checks at once: %d write probes, want 1", n)
			}
			ps.fail.Store(true)
			advance(ttl - time.Second)
			if code, _ := health(); code != 200 {
				t.Errorf("within %v of a good probe: got %d, want the remembered 200", ttl, code)
			}
			advance(time.Second)
			if code, body := health(); code != http.StatusServiceUnavailable || !strings.Contains(body, `"degraded"`) {
				t.Errorf("writes failing, %v after the last probe: got %d %s, want 503 degraded", ttl, code, body)
			}
			ps.fail.Store(false)
			if code, _ := health(); code != http.StatusServiceUnavailable {
				t.Errorf("right after a failed probe: got %d, want the remembered 503", code)
			}
			advance(ttl)
			if code, body := health(); code != 200 {
				t.Errorf("writes work again: got %d %s", code, body)
			}
			if n := ps.probes.Load(); n != 3 {
				t.Errorf("got %d write probes, want 3", n)
			}
		})
	}
}
