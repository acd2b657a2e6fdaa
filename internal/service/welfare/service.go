package welfare

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// Store is what the welfare service reads and writes: roll calls and
// medical cases, the post's settings (the link secret, the escalation
// channels) and a person's record (whose mission a case belongs to).
type Store interface {
	outpost.WelfareStore
	ConfigStore
	Person(ctx context.Context, id string) (outpost.Person, error)
	RollCallTally(ctx context.Context, id int64, mission string, names int, expected bool) (outpost.RollCallTally, error)
	OpenRollCalls(ctx context.Context, mission string) ([]outpost.RollCall, time.Time, error)
}

// Service is roll calls, check-ins, medical cases and escalation for
// every surface: the JSON API, the web UI and the command line call the
// same methods, which check the caller's rights.
//
// It also keeps what the roll-call routes share across requests: the
// server's one check-in batcher, the post's link secret, and each recent
// roll call's scope. A roll call's scope is fixed when it starts, so once
// it is cached a check-in reads nothing from the database before its
// write; whether the roll call is still open is checked by the store in
// the write's own transaction.
type Service struct {
	store Store
	// batcher takes the answers; nil writes each one in its own
	// transaction.
	batcher *Batcher
	// Now is the clock.
	Now func() time.Time

	mu     sync.Mutex
	scopes map[int64]*scopeEntry
	order  []int64
	// expected keeps each open roll call's people expected by mission
	// for the dashboard (dashboard.go): fixed at the start, like a scope.
	expected expectedCache
	secret   []byte
}

// scopeCacheSize bounds the roll calls whose scope the service keeps.
const scopeCacheSize = 16

// New returns the service over s that records answers through b (nil:
// directly); now is the clock (nil: time.Now).
func New(s Store, b *Batcher, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: s, batcher: b, Now: now, scopes: map[int64]*scopeEntry{}}
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
func (s *Service) Scope(ctx context.Context, id int64) (*RollScope, error) {
	s.mu.Lock()
	e, ok := s.scopes[id]
	if !ok {
		e = &scopeEntry{ready: make(chan struct{})}
		s.scopes[id] = e
		s.order = append(s.order, id)
		if len(s.order) > scopeCacheSize {
			delete(s.scopes, s.order[0])
			s.order = s.order[1:]
		}
		s.mu.Unlock()
		e.scope, e.err = s.load(context.WithoutCancel(ctx), id)
		close(e.ready)
		if e.err != nil { // not kept: the next request asks again
			s.forget(id, e)
		}
	} else {
		s.mu.Unlock()
	}
	select {
	case <-e.ready:
		return e.scope, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *Service) forget(id int64, e *scopeEntry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.scopes[id] == e {
		delete(s.scopes, id)
		for i, x := range s.order {
			if x == id {
				s.order = append(s.order[:i], s.order[i+1:]...)
				break
			}
		}
	}
}

func (s *Service) load(ctx context.Context, id int64) (*RollScope, error) {
	rc, err := s.store.RollCall(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("read roll call %d: %w", id, err)
	}
	entries, err := s.store.RollCallScope(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("read roll call scope %d: %w", id, err)
	}
	sc := &RollScope{RollCall: rc, People: make(map[string]ScopePerson, len(entries))}
	for _, e := range entries {
		sc.People[e.Person] = ScopePerson{Mission: e.Mission, GivenName: e.GivenName}
	}
	return sc, nil
}

// record writes one answer, through the batcher when there is one, and
// returns it as written. The audit log names the context's actor.
func (s *Service) record(ctx context.Context, c outpost.Checkin) (outpost.Checkin, error) {
	if s.batcher != nil {
		c, err := s.batcher.Record(ctx, c)
		if errors.Is(err, ErrClosed) {
			err = outpost.Errorf(outpost.EUNAVAILABLE, "the server is shutting down: send the answer again in a moment")
		}
		return c, err
	}
	if c.At.IsZero() {
		c.At = time.Now()
	}
	errs, err := s.store.CheckIn(ctx, []outpost.Checkin{c})
	if err != nil {
		return c, fmt.Errorf("check in: %w", err)
	}
	return c, errs[0]
}

// Links returns the post's check-in links under baseURL. With create, a
// missing secret is made (the server's write, not the caller's);
// without, there may be none, and then no link is valid.
func (s *Service) Links(ctx context.Context, baseURL string, create bool) (Links, error) {
	s.mu.Lock()
	secret := s.secret
	s.mu.Unlock()
	if secret == nil {
		var err error
		if create {
			secret, err = LinkSecret(outpost.WithActor(ctx, "system"), s.store)
		} else {
			secret, err = ReadLinkSecret(ctx, s.store)
		}
		if err != nil {
			return Links{}, err
		}
		s.mu.Lock()
		s.secret = secret
		s.mu.Unlock()
	}
	return Links{Secret: secret, BaseURL: baseURL}, nil
}

// The answers below are the one not-found of each kind of record this
// service keeps. A roll call or medical case the caller may not see and
// one that does not exist must answer with the same status and the same
// words, signed in or not, over the API and the web: any difference tells
// an outsider that the record exists. So every path that refuses one
// builds its error here, from the id as the caller gave it (which tells
// them nothing they did not send), and never passes on the store's own
// not-found message.

// NoRollCall is the answer for a roll call the caller may not see.
func NoRollCall(idText string) error { return outpost.NotFound("roll call", idText) }

// NoMedicalCase is the answer for a medical case the caller may not read.
func NoMedicalCase(idText string) error { return outpost.NotFound("medical case", idText) }

// RollCallID reads a roll call id as a path gives it; anything that is
// not one is the answer for a roll call that does not exist.
func RollCallID(idText string) (int64, error) {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return 0, NoRollCall(idText)
	}
	return id, nil
}

// CaseID reads a medical case id as a path gives it; anything that is
// not one is the answer for a case that does not exist.
func CaseID(idText string) (int64, error) {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return 0, NoMedicalCase(idText)
	}
	return id, nil
}

func idText(id int64) string { return strconv.FormatInt(id, 10) }
