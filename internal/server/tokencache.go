package server

import (
	"context"
	"sync"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// tokenTTL is how long the server trusts an API token it has looked up
// without asking the database again, when nothing tells it sooner.
// Scripts that send many requests a second (check-ins during a roll
// call) then cost one lookup per token every few seconds instead of one
// per request.
const tokenTTL = 5 * time.Second

// generationEvery is how often the cache reads the database's auth
// generation (outpost.AuthStore.AuthGeneration), which grows whenever a
// token is revoked or a user disabled or given a new password — by this
// server, another server on the same database, or the CLI. When it has
// grown the cache starts again empty, so such a token stops working on
// every server within generationEvery plus one read of one row: under a
// second. (A user disabled in this server's web UI stops at once:
// forgetUser.)
const generationEvery = 500 * time.Millisecond

// maxCachedTokens bounds the cache; when full it starts again empty.
const maxCachedTokens = 4096

// tokenCache remembers the users of recently seen API tokens, by the
// hash of the token. Only tokens that were valid are kept.
type tokenCache struct {
	mu sync.Mutex
	m  map[string]cachedToken
	// mgen is the generation the entries of m were looked up under.
	mgen int64

	// genMu is held while the generation is read, so that one request
	// reads it and the others wait for its answer.
	genMu sync.Mutex
	gen   int64
	genAt time.Time // when gen was read; zero: never
}

type cachedToken struct {
	user  outpost.User
	until time.Time
}

// sync reads the auth generation with read when it was last read
// generationEvery or more before now (or after now: a clock set back),
// and empties the cache when it grew. It answers the generation to put
// tokens under, and false when the generation could not be read: the
// cache must not be trusted then.
func (c *tokenCache) sync(ctx context.Context, now time.Time, read func(context.Context) (int64, error)) (int64, bool) {
	c.genMu.Lock()
	defer c.genMu.Unlock()
	if !c.genAt.IsZero() && now.Sub(c.genAt) < generationEvery && !now.Before(c.genAt) {
		return c.gen, true
	}
	gen, err := read(ctx)
	if err != nil {
		c.genAt = time.Time{}
		c.clear(c.gen)
		return 0, false
	}
	if gen != c.gen || c.genAt.IsZero() {
		c.clear(gen)
	}
	c.gen, c.genAt = gen, now
	return gen, true
}

// clear forgets every token; those put from now on must have been
// looked up under gen.
func (c *tokenCache) clear(gen int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m, c.mgen = nil, gen
}

// get answers the user of the token with this hash if it was looked up
// less than tokenTTL before now.
func (c *tokenCache) get(hash string, now time.Time) (outpost.User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	if !ok || !now.Before(e.until) {
		return outpost.User{}, false
	}
	return e.user, true
}

// put remembers that the token with this hash belonged to u at now,
// when it was looked up under generation gen: a lookup that began
// before a revocation another request has since seen is not kept.
func (c *tokenCache) put(hash string, u outpost.User, now time.Time, gen int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.mgen {
		return
	}
	if c.m == nil || len(c.m) >= maxCachedTokens {
		c.m = make(map[string]cachedToken)
	}
	c.m[hash] = cachedToken{user: u, until: now.Add(tokenTTL)}
}

// forgetUser drops every cached token of the user name, so that disabling
// them here takes effect at the next request.
func (c *tokenCache) forgetUser(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for h, e := range c.m {
		if e.user.Name == name {
			delete(c.m, h)
		}
	}
}
