package statements

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"pgregory.net/rapid"
)

// TestFeedEntryIDs: an entry's id is a function of the feed's base and
// the statement alone: the same every time, different for two
// statements, and an absolute URI.
func TestFeedEntryIDs(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		base := rapid.SampledFrom([]string{"urn:uuid:6f1c1c3e-4c3b-4a59-9a0e-0d8f3f7a2b11", "https://outpost.example.org",
			"http://10.0.0.1:8080", "https://[2001:db8::1]:8443"}).Draw(t, "base")
		f := FeedIdentity{Base: base}
		a := rapid.Int64Range(1, 1<<53).Draw(t, "a")
		b := rapid.Int64Range(1, 1<<53).Draw(t, "b")
		day := time.Unix(rapid.Int64Range(0, 4e9).Draw(t, "at"), 0)
		ida := f.EntryID(a, day)
		if ida != f.EntryID(a, day) {
			t.Fatalf("two ids for statement %d", a)
		}
		if a != b && ida == f.EntryID(b, day) {
			t.Fatalf("statements %d and %d share the id %s", a, b, ida)
		}
		u, err := url.Parse(ida)
		if err != nil || (u.Scheme != "tag" && u.Scheme != "urn") || ida == f.FeedID() {
			t.Fatalf("id %q: not an absolute tag: or urn: URI of its own (%v)", ida, err)
		}
		if !validFeedBase(base) {
			t.Fatalf("base %q refused", base)
		}
	})
}

// configStore is a store of settings in memory.
type configStore struct {
	Store
	m map[string]string
}

func (c *configStore) Config(_ context.Context, k string) (string, error) { return c.m[k], nil }
func (c *configStore) InitConfig(_ context.Context, k, v string) (string, error) {
	if c.m[k] == "" {
		c.m[k] = v
	}
	return c.m[k], nil
}

// TestFeedIsMadeOnce: the first call fixes the feed's base; a later
// public URL does not change it, and a stored value that is no base is
// an error rather than new ids.
func TestFeedIsMadeOnce(t *testing.T) {
	st := &configStore{m: map[string]string{}}
	s := New(st, nil)
	ctx := context.Background()
	first, err := s.Feed(ctx, "")
	if err != nil || !validFeedBase(first.Base) {
		t.Fatalf("first feed: %+v, %v", first, err)
	}
	again, err := s.Feed(ctx, "https://outpost.example.org")
	if err != nil || again != first {
		t.Errorf("after a public URL: %+v, %v; want %+v", again, err, first)
	}
	st.m[FeedKey] = "evil"
	if _, err := s.Feed(ctx, ""); outpost.ErrorCode(err) != outpost.EINTERNAL {
		t.Errorf("a broken setting: got %v", err)
	}
}

// FuzzFeedBase: whatever stored feed.id the feed accepts gives ids that
// are absolute tag: or urn: URIs on one line.
func FuzzFeedBase(f *testing.F) {
	for _, s := range []string{"https://outpost.example.org", "urn:uuid:6f1c1c3e-4c3b-4a59-9a0e-0d8f3f7a2b11", "evil", "",
		"https://h/x", "javascript:alert(1)", "https://[::1]:80", "urn:uuid:", "http://a b", "https://h\n.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !validFeedBase(s) {
			return
		}
		id := FeedIdentity{Base: s}.EntryID(1, time.Unix(0, 0))
		u, err := url.Parse(id)
		if err != nil || (u.Scheme != "tag" && u.Scheme != "urn") || strings.ContainsAny(id, "\r\n") {
			t.Fatalf("base %q: entry id %q (%v)", s, id, err)
		}
	})
}
