package auth

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// Limiter is a set of token buckets keyed by a string (a client address,
// a user name), holding at most Max keys: when full, the key used least
// recently is forgotten, so an attacker cycling through keys costs bounded
// memory.
type Limiter struct {
	// Burst is how many attempts a fresh key may make at once.
	Burst float64
	// Every is how long it takes to earn one more attempt.
	Every time.Duration
	// Max is the most keys remembered.
	Max int
	// Now is the clock.
	Now func() time.Time

	mu   sync.Mutex
	keys lru[bucket]
}

type bucket struct {
	tokens float64
	at     time.Time
}

// NewLimiter returns a limiter that allows burst attempts per key, then one
// per every, remembering at most max keys.
func NewLimiter(burst int, every time.Duration, max int) *Limiter {
	return &Limiter{Burst: float64(burst), Every: every, Max: max, Now: time.Now}
}

// Allow spends one attempt of key. When none is left it returns false and
// how long until the next one.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	key = boundKey(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	b := l.keys.get(key)
	if b != nil {
		b.tokens += float64(now.Sub(b.at)) / float64(l.Every)
		if b.tokens > l.Burst {
			b.tokens = l.Burst
		}
		b.at = now
	} else {
		b = &bucket{tokens: l.Burst, at: now}
		l.keys.add(key, b, l.Max)
	}
	if b.tokens < 1 {
		wait := time.Duration((1 - b.tokens) * float64(l.Every))
		return false, wait.Round(time.Second) + time.Second
	}
	b.tokens--
	return true, 0
}

// Len returns how many keys the limiter remembers.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.keys.len()
}

// Backoff slows guessing: each key (an address, an account at an
// address) may make Free attempts, then must wait Base, then twice as
// long after each further attempt, up to Max. Attempts are counted when
// they start (so that parallel guesses cannot slip through together) and
// given back by Forgive or Reset when they succeed. A key unused for
// Forget starts afresh. At most MaxKeys keys are remembered, the least
// recently used forgotten first, so the memory is bounded whatever an
// attacker sends.
//
// A Backoff keeps its counts in memory, or, once Shared, in an
// AttemptStore that every server on the database shares: then two
// servers behind one load balancer give an attacker no more guesses
// than one.
type Backoff struct {
	Free    int
	Base    time.Duration
	Max     time.Duration
	Forget  time.Duration
	MaxKeys int
	// Now is the clock.
	Now func() time.Time

	mu   sync.Mutex
	keys lru[attempts]

	shared AttemptStore
	scope  string
	// added counts the keys added to the shared store since it was last
	// trimmed.
	added atomic.Int64
}

// AttemptStore keeps the counts of a shared Backoff: outpost.AuthStore
// has these methods.
type AttemptStore interface {
	UpdateAttempts(ctx context.Context, key string, fn func(outpost.Attempts) (outpost.Attempts, bool)) error
	ForgetAttempts(ctx context.Context, before time.Time, keep int) (int, error)
}

// Share keeps b's counts in st from now on, under keys that scope tells
// apart from those of the other Backoffs sharing st (such as "addr" and
// "account").
func (b *Backoff) Share(st AttemptStore, scope string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.shared, b.scope = st, scope
}

// sharedKey is key as the shared store knows it: a SHA-256, so that the
// table holds neither addresses nor user names, and every key has the
// same size.
func (b *Backoff) sharedKey(key string) string {
	sum := sha256.Sum256([]byte(b.scope + "\x00" + key))
	return hex.EncodeToString(sum[:])
}

// sharedStore answers the shared store, nil when the counts are in
// memory.
func (b *Backoff) sharedStore() AttemptStore {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.shared
}

type attempts struct {
	n    int
	last time.Time
}

// maxKeyLen is the longest key kept as it is: a longer one (a 64 KiB
// user name typed into the sign-in form) is kept as its SHA-256, so that
// MaxKeys bounds the memory and not only the number of keys.
const maxKeyLen = 128

func boundKey(key string) string {
	if len(key) <= maxKeyLen {
		return key
	}
	sum := sha256.Sum256([]byte(key))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// NewBackoff returns a Backoff with these settings and the system clock.
func NewBackoff(free int, base, max, forget time.Duration, maxKeys int) *Backoff {
	return &Backoff{Free: free, Base: base, Max: max, Forget: forget, MaxKeys: maxKeys, Now: time.Now}
}

// wait is how long after its last attempt a key with n attempts waits.
func (b *Backoff) wait(n int) time.Duration {
	if n < b.Free {
		return 0
	}
	d := b.Base
	for i := b.Free; i < n && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

// get returns the live entry of key, nil when there is none.
func (b *Backoff) get(key string, now time.Time) *attempts {
	a := b.keys.peek(key)
	if a == nil {
		return nil
	}
	if now.Sub(a.last) >= b.Forget {
		b.keys.remove(key)
		return nil
	}
	return b.keys.get(key)
}

// live returns key's bounded form, its live entry (nil when there is
// none) and the time now; b is locked.
func (b *Backoff) live(key string) (string, *attempts, time.Time) {
	key = boundKey(key)
	now := b.Now()
	return key, b.get(key, now), now
}

// Wait returns how long key must wait before its next attempt (0: it may
// try now), without counting an attempt.
func (b *Backoff) Wait(key string) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, a, now := b.live(key)
	if a == nil {
		return 0
	}
	return max(0, a.last.Add(b.wait(a.n)).Sub(now))
}

// Try counts an attempt of key when it may make one now; otherwise it
// answers false and how long to wait.
func (b *Backoff) Try(key string) (bool, time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	key, a, now := b.live(key)
	if a == nil {
		a = &attempts{}
		b.keys.add(key, a, b.MaxKeys)
	} else if w := a.last.Add(b.wait(a.n)).Sub(now); w > 0 {
		return false, w
	}
	a.n++
	a.last = now
	return true, 0
}

// TryContext is Try, through the shared store when there is one; an
// error is the store's (the attempt was not counted: refuse it).
func (b *Backoff) TryContext(ctx context.Context, key string) (ok bool, wait time.Duration, err error) {
	st := b.sharedStore()
	if st == nil {
		ok, wait = b.Try(key)
		return ok, wait, nil
	}
	now := b.Now()
	added := false
	err = st.UpdateAttempts(ctx, b.sharedKey(key), func(a outpost.Attempts) (outpost.Attempts, bool) {
		ok, wait, added = false, 0, false
		if a.N > 0 && now.Sub(a.Last) >= b.Forget {
			a = outpost.Attempts{}
		}
		if a.N > 0 {
			if w := a.Last.Add(b.wait(a.N)).Sub(now); w > 0 {
				wait = w
				return a, false
			}
		}
		added = a.N == 0
		ok = true
		return outpost.Attempts{N: a.N + 1, Last: now}, true
	})
	if err != nil {
		return false, 0, fmt.Errorf("sign-in throttling: %w", err)
	}
	if added {
		b.trim(ctx, st, now)
	}
	return ok, wait, nil
}

// trim bounds the shared store: after every MaxKeys/8 keys added by this
// server, it removes the keys unused for Forget and the least recently
// used beyond MaxKeys. Between trims the store holds at most MaxKeys and
// MaxKeys/8 for each server.
func (b *Backoff) trim(ctx context.Context, st AttemptStore, now time.Time) {
	every := int64(max(b.MaxKeys/8, 1))
	if b.added.Add(1) < every {
		return
	}
	b.added.Store(0)
	// A failed trim is retried after the next batch of keys; the
	// sign-in it rides on is not refused for it.
	st.ForgetAttempts(ctx, now.Add(-b.Forget), b.MaxKeys)
}

// ForgiveContext is Forgive, through the shared store when there is one.
func (b *Backoff) ForgiveContext(ctx context.Context, key string) error {
	st := b.sharedStore()
	if st == nil {
		b.Forgive(key)
		return nil
	}
	err := st.UpdateAttempts(ctx, b.sharedKey(key), func(a outpost.Attempts) (outpost.Attempts, bool) {
		if a.N <= 0 {
			return a, false
		}
		a.N--
		return a, true
	})
	if err != nil {
		return fmt.Errorf("sign-in throttling: %w", err)
	}
	return nil
}

// ResetContext is Reset, through the shared store when there is one.
func (b *Backoff) ResetContext(ctx context.Context, key string) error {
	st := b.sharedStore()
	if st == nil {
		b.Reset(key)
		return nil
	}
	err := st.UpdateAttempts(ctx, b.sharedKey(key), func(a outpost.Attempts) (outpost.Attempts, bool) {
		return outpost.Attempts{}, a.N > 0
	})
	if err != nil {
		return fmt.Errorf("sign-in throttling: %w", err)
	}
	return nil
}

// Forgive gives back one attempt of key: it succeeded.
func (b *Backoff) Forgive(key string) {
	key = boundKey(key)
	b.mu.Lock()
	defer b.mu.Unlock()
	if a := b.keys.peek(key); a != nil && a.n > 0 {
		a.n--
	}
}

// Reset forgets key's attempts.
func (b *Backoff) Reset(key string) {
	key = boundKey(key)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.keys.remove(key)
}

// Len returns how many keys the backoff remembers.
func (b *Backoff) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.keys.len()
}

// lru maps keys to values of T and forgets the least recently used key
// first when it would hold more than it may: the one piece of memory
// bookkeeping that Limiter and Backoff share. The zero value is empty.
type lru[T any] struct {
	keys  map[string]*list.Element
	order list.List // of *lruEntry[T], most recently used first
}

type lruEntry[T any] struct {
	key string
	val *T
}

// peek returns the value of key, nil when there is none, leaving its
// place in the order alone.
func (c *lru[T]) peek(key string) *T {
	if el, ok := c.keys[key]; ok {
		return el.Value.(*lruEntry[T]).val
	}
	return nil
}

// get returns the value of key, nil when there is none, and marks it
// the most recently used.
func (c *lru[T]) get(key string) *T {
	if el, ok := c.keys[key]; ok {
		c.order.MoveToFront(el)
	}
	return c.peek(key)
}

// add puts a new key first, forgetting the least recently used ones
// until fewer than max remain.
func (c *lru[T]) add(key string, v *T, max int) {
	if c.keys == nil {
		c.keys = map[string]*list.Element{}
	}
	for c.order.Len() >= max && c.order.Len() > 0 {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.keys, old.Value.(*lruEntry[T]).key)
	}
	c.keys[key] = c.order.PushFront(&lruEntry[T]{key: key, val: v})
}

// remove forgets key.
func (c *lru[T]) remove(key string) {
	if el, ok := c.keys[key]; ok {
		c.order.Remove(el)
		delete(c.keys, key)
	}
}

func (c *lru[T]) len() int { return c.order.Len() }
