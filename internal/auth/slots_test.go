package auth

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// TestHashSlots: 50 password checks at once (sign-in is open to anyone)
// never run more than one argon2id per slot, each holding 19 MiB; a check
// that finds no free slot in time is refused as busy, not queued.
func TestHashSlots(t *testing.T) {
	slots := cap(hashSlots)
	if slots < 1 {
		t.Fatalf("got %d hashing slots", slots)
	}
	var peak atomic.Int64
	gate := make(chan struct{})
	hashHook = func(running int64) {
		for {
			p := peak.Load()
			if running <= p || peak.CompareAndSwap(p, running) {
				break
			}
		}
		<-gate
	}
	oldWait := hashWait
	hashWait = time.Minute // a hang guard: every check here must get a slot
	defer func() { hashHook, hashWait = nil, oldWait }()

	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			if i%2 == 0 {
				_, err := VerifyPassword(context.Background(), "correct horse battery", "not a hash")
				errs <- err
				return
			}
			_, err := HashPasswordContext(context.Background(), "correct horse battery")
			errs <- err
		})
	}
	// Wait until every slot is taken, then let the checks through one
	// by one.
	for hashCount.Load() < int64(slots) {
		time.Sleep(time.Millisecond)
	}
	// With every slot taken and blocked, one more check must be refused
	// as busy when its caller stops waiting.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := VerifyPassword(ctx, "x", ""); outpost.ErrorCode(err) != outpost.EUNAVAILABLE {
		t.Errorf("a check with every slot taken: got %v, want unavailable (busy)", err)
	}
	if _, err := HashPasswordContext(ctx, "correct horse battery"); outpost.ErrorCode(err) != outpost.EUNAVAILABLE {
		t.Errorf("a hash with every slot taken: got %v, want unavailable (busy)", err)
	}
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("a check: %v", err)
		}
	}
	if got := peak.Load(); got > int64(slots) || got < 1 {
		t.Errorf("at most %d hashes at once: got %d", slots, got)
	}
}

// TestBackoffKeysBounded: a key is whatever a client typed (a user name
// of up to 64 KiB in the sign-in form): the limiters keep at most a
// short form of it, so their key count bounds their memory.
func TestBackoffKeysBounded(t *testing.T) {
	b := NewBackoff(5, time.Second, time.Minute, time.Hour, 10)
	l := NewLimiter(5, time.Second, 10)
	long := strings.Repeat("x", 64<<10)
	for i := range 3 {
		key := fmt.Sprintf("%d%s\x00203.0.113.9", i, long)
		b.Try(key)
		l.Allow(key)
	}
	for k := range b.keys.keys {
		if len(k) > 256 {
			t.Errorf("Backoff keeps a key of %d bytes, want at most 256", len(k))
		}
	}
	for k := range l.keys.keys {
		if len(k) > 256 {
			t.Errorf("Limiter keeps a key of %d bytes, want at most 256", len(k))
		}
	}
	if b.Len() != 3 || l.Len() != 3 {
		t.Errorf("got %d and %d keys, want 3 distinct ones each", b.Len(), l.Len())
	}
	// The same long key is still the same key: its attempts add up.
	key := "0" + long + "\x00203.0.113.9"
	for range 4 {
		b.Try(key)
	}
	if ok, _ := b.Try(key); ok {
		t.Error("a long key's sixth attempt passed: its attempts are not counted together")
	}
	b.Reset(key)
	if ok, _ := b.Try(key); !ok {
		t.Error("Reset did not forget a long key")
	}
}
