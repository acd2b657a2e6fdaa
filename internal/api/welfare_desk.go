package api

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/welfare"
)

// WelfareDesk is what the roll-call routes of the API and of the web UI
// share across requests: the server's one check-in batcher, the post's
// link secret, and each recent roll call's scope. A roll call's scope is
// fixed when it starts, so once it is cached a check-in reads nothing
// from the database before its write; whether the roll call is still open
// is checked by the store in the write's own transaction.
type WelfareDesk struct {
	store outpost.Store
	// batcher takes the answers; nil writes each one in its own
	// transaction.
	batcher *welfare.Batcher

	mu     sync.Mutex
	scopes map[int64]*scopeEntry
	order  []int64
	secret []byte
}

// scopeCacheSize bounds the roll calls whose scope the desk keeps.
const scopeCacheSize = 16

// NewWelfareDesk returns a desk over s that records answers through b
// (nil: directly).
func NewWelfareDesk(s outpost.Store, b *welfare.Batcher) *WelfareDesk {
	return &WelfareDesk{store: s, batcher: b, scopes: map[int64]*scopeEntry{}}
}

// RollScope is a roll call as it started and the people it expects.
type RollScope struct {
	RollCall outpost.RollCall
	// People maps each person expected to their mission and given name.
	People map[string]ScopePerson
}

// ScopePerson is what a roll call's scope keeps of a person.
type ScopePerson struct {
	Mission   string
	GivenName string
}

type scopeEntry struct {
	ready chan struct{}
	scope *RollScope
	err   error
}

// Scope returns a roll call and the people it expects, read once and
// kept; its Status may be out of date. An unknown roll call is
// ENOTFOUND.
func (d *WelfareDesk) Scope(ctx context.Context, id int64) (*RollScope, error) {
	d.mu.Lock()
	e, ok := d.scopes[id]
	if !ok {
		e = &scopeEntry{ready: make(chan struct{})}
		d.scopes[id] = e
		d.order = append(d.order, id)
		if len(d.order) > scopeCacheSize {
			delete(d.scopes, d.order[0])
			d.order = d.order[1:]
		}
		d.mu.Unlock()
		e.scope, e.err = d.load(context.WithoutCancel(ctx), id)
		close(e.ready)
		if e.err != nil { // not kept: the next request asks again
			d.forget(id, e)
		}
	} else {
		d.mu.Unlock()
	}
	select {
	case <-e.ready:
		return e.scope, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (d *WelfareDesk) forget(id int64, e *scopeEntry) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.scopes[id] == e {
		delete(d.scopes, id)
		for i, x := range d.order {
			if x == id {
				d.order = append(d.order[:i], d.order[i+1:]...)
				break
			}
		}
	}
}

func (d *WelfareDesk) load(ctx context.Context, id int64) (*RollScope, error) {
	rc, err := d.store.RollCall(ctx, id)
	if err != nil {
		return nil, err
	}
	entries, err := d.store.RollCallScope(ctx, id)
	if err != nil {
		return nil, err
	}
	s := &RollScope{RollCall: rc, People: make(map[string]ScopePerson, len(entries))}
	for _, e := range entries {
		s.People[e.Person] = ScopePerson{Mission: e.Mission, GivenName: e.GivenName}
	}
	return s, nil
}

// Record writes one answer, through the batcher when there is one, and
// returns it as written. The audit log names the context's actor.
func (d *WelfareDesk) Record(ctx context.Context, c outpost.Checkin) (outpost.Checkin, error) {
	if d.batcher != nil {
		c, err := d.batcher.Record(ctx, c)
		if errors.Is(err, welfare.ErrClosed) {
			err = outpost.Errorf(outpost.EUNAVAILABLE, "the server is shutting down: send the answer again in a moment")
		}
		return c, err
	}
	if c.At.IsZero() {
		c.At = time.Now()
	}
	errs, err := d.store.CheckIn(ctx, []outpost.Checkin{c})
	if err != nil {
		return c, err
	}
	return c, errs[0]
}

// Links returns the post's check-in links under baseURL. With create, a
// missing secret is made (the server's write, not the caller's);
// without, there may be none, and then no link is valid.
func (d *WelfareDesk) Links(ctx context.Context, baseURL string, create bool) (welfare.Links, error) {
	d.mu.Lock()
	secret := d.secret
	d.mu.Unlock()
	if secret == nil {
		var err error
		if create {
			secret, err = welfare.LinkSecret(outpost.WithActor(ctx, "system"), d.store)
		} else {
			secret, err = welfare.ReadLinkSecret(ctx, d.store)
		}
		if err != nil {
			return welfare.Links{}, err
		}
		d.mu.Lock()
		d.secret = secret
		d.mu.Unlock()
	}
	return welfare.Links{Secret: secret, BaseURL: baseURL}, nil
}
