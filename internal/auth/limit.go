package auth

import (
	"container/list"
	"sync"
	"time"
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
	keys map[string]*list.Element
	lru  list.List // of *bucket, most recently used first
}

type bucket struct {
	key    string
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
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	if l.keys == nil {
		l.keys = map[string]*list.Element{}
	}
	var b *bucket
	if el, ok := l.keys[key]; ok {
		b = el.Value.(*bucket)
		l.lru.MoveToFront(el)
		b.tokens += float64(now.Sub(b.at)) / float64(l.Every)
		if b.tokens > l.Burst {
			b.tokens = l.Burst
		}
		b.at = now
	} else {
		for l.lru.Len() >= l.Max && l.lru.Len() > 0 {
			old := l.lru.Back()
			l.lru.Remove(old)
			delete(l.keys, old.Value.(*bucket).key)
		}
		b = &bucket{key: key, tokens: l.Burst, at: now}
		l.keys[key] = l.lru.PushFront(b)
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
	return l.lru.Len()
}
