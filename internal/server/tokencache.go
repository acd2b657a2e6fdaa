package server

import (
	"sync"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// tokenTTL is how long the server trusts an API token it has looked up
// without asking the database again: a token revoked or expired with the
// CLI, or whose user was disabled or changed password with the CLI, stops
// working within this time (a user disabled in this server's web UI at
// once: forgetUser). Scripts that send many requests a
// second (check-ins during a roll call) then cost one lookup per token
// every few seconds instead of one per request.
const tokenTTL = 5 * time.Second

// maxCachedTokens bounds the cache; when full it starts again empty.
const maxCachedTokens = 4096

// tokenCache remembers the users of recently seen API tokens, by the
// hash of the token. Only tokens that were valid are kept.
type tokenCache struct {
	mu sync.Mutex
	m  map[string]cachedToken
}

type cachedToken struct {
	user  outpost.User
	until time.Time
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

// put remembers that the token with this hash belonged to u at now.
func (c *tokenCache) put(hash string, u outpost.User, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
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
