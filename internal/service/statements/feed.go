package statements

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/outpost-org/outpost/internal/outpost"
)

// FeedKey is the setting that holds what the ids of the Atom feed are
// built on (see FeedIdentity).
const FeedKey = "feed.id"

// FeedIdentity is what the ids of the Atom feed are built on. Atom ids
// never change (RFC 4287 4.2.6): a reader that saw an entry under one id
// takes an entry under another for a new one. So they come from no
// request (whose Host header any client chooses), and not even from the
// public URL of the day: the base is fixed the first time the feed is
// made, and kept in the setting feed.id.
type FeedIdentity struct {
	// Base is the public URL configured when the feed was first made
	// ("https://outpost.example.org"), or "urn:uuid:…", made at random
	// when none was.
	Base string
}

// FeedID is the feed's own id: the address of the statements under the
// public URL ("https://outpost.example.org/statements", as it was before
// ids were fixed), or the urn:uuid itself.
func (f FeedIdentity) FeedID() string {
	if strings.HasPrefix(f.Base, "urn:uuid:") {
		return f.Base
	}
	return f.Base + "/statements"
}

// EntryID is a published statement's id: a tag: URI (RFC 4151) of the
// public URL's host and the day the statement was published
// ("tag:outpost.example.org,2021-04-02:/statements/3"), or a name-based
// (SHA-1) UUID in the feed's own urn:uuid namespace.
func (f FeedIdentity) EntryID(id int64, published time.Time) string {
	if ns, ok := strings.CutPrefix(f.Base, "urn:uuid:"); ok {
		return "urn:uuid:" + uuid.NewSHA1(uuid.MustParse(ns), []byte(StatementPath(id))).String()
	}
	host := f.Base
	if u, err := url.Parse(f.Base); err == nil && u.Hostname() != "" {
		host = u.Hostname() // a tag: URI names a host without a port
	}
	return fmt.Sprintf("tag:%s,%s:%s", host, published.UTC().Format(time.DateOnly), StatementPath(id))
}

// validFeedBase says whether a stored feed.id is one FeedIdentity reads.
func validFeedBase(v string) bool {
	if ns, ok := strings.CutPrefix(v, "urn:uuid:"); ok {
		_, err := uuid.Parse(ns)
		return err == nil
	}
	u, err := url.Parse(v)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Hostname() != "" && u.Path == ""
}

// Feed returns the feed's identity: the one stored in feed.id, or, the
// first time, one made from publicURL (scheme://host as the server is
// configured, "" for none) and stored. It is the server's write, done
// for whoever asks first. The store keeps the first value written, so
// two servers on one database making it at once (each with its own
// urn:uuid) both answer the one stored: the feed's id never changes.
func (s *Service) Feed(ctx context.Context, publicURL string) (FeedIdentity, error) {
	v, err := s.store.Config(ctx, FeedKey)
	if err != nil {
		return FeedIdentity{}, fmt.Errorf("read the setting %s: %w", FeedKey, err)
	}
	if v == "" {
		made := publicURL
		if made == "" {
			made = "urn:uuid:" + uuid.New().String()
		}
		if v, err = s.store.InitConfig(outpost.WithActor(ctx, "system"), FeedKey, made); err != nil {
			if publicURL != "" {
				// Not stored, but built on the configuration alone, so the
				// same next time.
				return FeedIdentity{Base: publicURL}, nil
			}
			return FeedIdentity{}, fmt.Errorf("store the setting %s: %w", FeedKey, err)
		}
	}
	if !validFeedBase(v) {
		return FeedIdentity{}, outpost.Errorf(outpost.EINTERNAL, "the setting %s is %q: want a public URL or urn:uuid:UUID", FeedKey, v)
	}
	return FeedIdentity{Base: v}, nil
}
