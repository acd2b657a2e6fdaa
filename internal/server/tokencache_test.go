package server

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// A token revoked (by the CLI, in another process) stops working within
// tokenTTL, and a request sent after that is refused.
func TestRevokedTokenStopsWorkingWithinTheTTL(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			var clock atomic.Int64
			clock.Store(testNow.UnixNano())
			f.srv.now = func() time.Time { return time.Unix(0, clock.Load()).UTC() }

			if res := f.get("/api/v1/me", "staff"); res.status != 200 {
				t.Fatalf("before revoking: got %d %s", res.status, res.body)
			}
			tokens, err := f.store.Tokens(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			revoked := false
			for _, tk := range tokens {
				if tk.User == "staff" {
					if err := f.store.RevokeToken(context.Background(), tk.ID); err != nil {
						t.Fatal(err)
					}
					revoked = true
				}
			}
			if !revoked {
				t.Fatal("the fixture has no token of staff")
			}
			clock.Add(int64(tokenTTL) - int64(time.Second))
			if res := f.get("/api/v1/me", "staff"); res.status != 200 {
				t.Errorf("within the TTL: got %d, want 200 from the cache", res.status)
			}
			clock.Add(int64(time.Second))
			if res := f.get("/api/v1/me", "staff"); res.status != 401 {
				t.Errorf("after the TTL: got %d, want 401", res.status)
			}
			if res := f.get("/api/v1/me", "admin"); res.status != 200 {
				t.Errorf("another user's token: got %d, want 200", res.status)
			}
		})
	}
}

func TestTokenCacheStartsAgainWhenFull(t *testing.T) {
	var c tokenCache
	now := testNow
	for i := range maxCachedTokens + 1 {
		c.put(string(rune(i)), outpost.User{Name: "x"}, now)
	}
	if n := len(c.m); n != 1 {
		t.Errorf("after overflowing: %d entries, want 1", n)
	}
	if _, ok := c.get(string(rune(maxCachedTokens)), now); !ok {
		t.Error("the newest entry is gone")
	}
	if _, ok := c.get(string(rune(0)), now); ok {
		t.Error("an entry from before the overflow is still there")
	}
}
