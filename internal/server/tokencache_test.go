package server

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// underASecond is how long after a revocation the tests ask again: a
// revoked token must be refused by then, on every server.
const underASecond = time.Second - time.Millisecond

// A token revoked (by the CLI, in another process, on another server)
// stops working within a second (generationEvery), although the
// server had it cached: the revocation grows the auth generation that
// the cache reads. Before the generation, it worked on for tokenTTL
// (5 s).
func TestRevokedTokenStopsWorkingWithinASecond(t *testing.T) {
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
			clock.Add(int64(underASecond))
			if res := f.get("/api/v1/me", "staff"); res.status != 401 {
				t.Errorf("%v after revoking: got %d, want 401", underASecond, res.status)
			}
			if res := f.get("/api/v1/me", "admin"); res.status != 200 {
				t.Errorf("another user's token: got %d, want 200", res.status)
			}
		})
	}
}

// The cache is kept while the generation stays, emptied when it grows,
// and not trusted when it cannot be read; a lookup made under an older
// generation is not kept.
func TestTokenCacheFollowsTheGeneration(t *testing.T) {
	var c tokenCache
	ctx := context.Background()
	gen, fail := int64(7), false
	read := func(context.Context) (int64, error) {
		if fail {
			return 0, errors.New("database gone")
		}
		return gen, nil
	}
	now := testNow
	g, ok := c.sync(ctx, now, read)
	if !ok || g != 7 {
		t.Fatalf("first sync: got %d %v", g, ok)
	}
	c.put("a", outpost.User{Name: "a"}, now, g)
	now = now.Add(generationEvery)
	if _, ok := c.sync(ctx, now, read); !ok {
		t.Fatal("sync with the same generation failed")
	}
	if _, ok := c.get("a", now); !ok {
		t.Error("same generation: the token was forgotten")
	}
	gen++
	if _, ok := c.sync(ctx, now.Add(generationEvery/2), read); !ok {
		t.Fatal("sync failed")
	}
	if _, ok := c.get("a", now); !ok {
		t.Error("the generation was read again before generationEvery")
	}
	now = now.Add(generationEvery)
	g2, _ := c.sync(ctx, now, read)
	if _, ok := c.get("a", now); ok || g2 != 8 {
		t.Errorf("generation grew: the token is still cached (gen %d)", g2)
	}
	c.put("b", outpost.User{Name: "b"}, now, g) // looked up under 7
	if _, ok := c.get("b", now); ok {
		t.Error("a lookup made before the generation grew was kept")
	}
	fail = true
	if _, ok := c.sync(ctx, now.Add(generationEvery), read); ok {
		t.Error("an unreadable generation: the cache is trusted")
	}
}

func TestTokenCacheStartsAgainWhenFull(t *testing.T) {
	var c tokenCache
	now := testNow
	for i := range maxCachedTokens + 1 {
		c.put(string(rune(i)), outpost.User{Name: "x"}, now, 0)
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
