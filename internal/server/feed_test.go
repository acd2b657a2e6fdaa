package server

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/storetest"
)

// quotedCaption is a photo caption with every character that HTML
// escapes.
const quotedCaption = `Say "cheese" & <wave> at 'them'`

// publishForFeed publishes a statement with a photo captioned
// quotedCaption and returns its id.
func publishForFeed(t *testing.T, f *fixture) int64 {
	t.Helper()
	ctx := storeCtx()
	st, err := f.store.CreateStatement(ctx, outpost.Statement{Mission: "RU", Title: "Feed", Body: "A statement."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.AddPhoto(ctx, st.ID, outpost.Photo{PhotoInfo: outpost.PhotoInfo{Name: "p.png", Caption: quotedCaption},
		Data: storetest.PNG(3, 2)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.ApproveStatement(ctx, st.ID, testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.PublishStatement(ctx, st.ID, testNow.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	return st.ID
}

// atomDoc is what the test reads of an Atom feed.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Links   []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	} `xml:"link"`
	Entries []struct {
		ID   string `xml:"id"`
		Link struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Content string `xml:"content"`
	} `xml:"entry"`
}

// strictAtom parses a feed with a strict XML decoder, token by token
// (well-formed, every entity known), then reads it as Atom.
func strictAtom(t *testing.T, body []byte) atomDoc {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, body)
		}
	}
	var doc atomDoc
	if err := xml.Unmarshal(body, &doc); err != nil {
		t.Fatalf("not an Atom feed: %v", err)
	}
	return doc
}

// feedIDs are a feed's id and its entries' ids.
func feedIDs(doc atomDoc) []string {
	ids := []string{doc.ID}
	for _, e := range doc.Entries {
		ids = append(ids, e.ID)
	}
	return ids
}

// TestAtomIDsComeFromNoRequest: whatever Host, X-Forwarded-Proto or peer
// a request has, the feed is the same, names no host the client chose,
// and its ids never change: not with the request, not when a public URL
// is configured later, not when the public URL changes. With a public
// URL from the start, the ids are what they were before they were fixed
// (tag:HOST,DATE:/statements/N), and links follow the public URL.
func TestAtomIDsComeFromNoRequest(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			id := publishForFeed(t, f)
			reconfigure(t, f, func(c *Config) {
				c.TrustedProxies = trustedProxies("10.0.0.0/8")
			})
			feed := func() ([]byte, []atomDoc) {
				t.Helper()
				var first []byte
				var docs []atomDoc
				for _, r := range []struct {
					target, peer string
					hdr          http.Header
				}{
					{"/statements.atom", "192.0.2.1:1000", nil},
					{"http://evil.example/statements.atom", "198.51.100.1:1000", http.Header{"X-Forwarded-Proto": {"https"}, "X-Forwarded-Host": {"evil.example"}}},
					{"http://evil.example:8443/statements.atom", "10.0.0.2:1000", http.Header{"X-Forwarded-Proto": {"https"}}},
					{"http://outpost.example.org/statements.atom", "10.0.0.2:1000", http.Header{"X-Forwarded-Proto": {"http"}}},
				} {
					res := f.send("GET", r.target, r.peer, r.hdr, "")
					body := res.Body.Bytes()
					if res.Code != 200 {
						t.Fatalf("%s from %s: got %d", r.target, r.peer, res.Code)
					}
					if bytes.Contains(body, []byte("evil.example")) {
						t.Errorf("%s from %s: the feed names the request's host:\n%s", r.target, r.peer, body)
					}
					if first == nil {
						first = body
					} else if !bytes.Equal(body, first) {
						t.Errorf("%s from %s: the feed differs from the first request's", r.target, r.peer)
					}
					docs = append(docs, strictAtom(t, body))
				}
				return first, docs
			}

			// No public URL: ids from a urn:uuid made once, links relative.
			body, docs := feed()
			ids := feedIDs(docs[0])
			uuidRe := regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
			if len(ids) != 2 || !uuidRe.MatchString(ids[0]) || !uuidRe.MatchString(ids[1]) || ids[0] == ids[1] {
				t.Fatalf("ids without a public URL: %q, want two urn:uuid", ids)
			}
			if l := docs[0].Entries[0].Link.Href; l != "/statements/"+itoa(id) {
				t.Errorf("entry link without a public URL: %q, want /statements/%d", l, id)
			}
			if noNS := bytes.ReplaceAll(body, []byte(`xmlns="http://www.w3.org/2005/Atom"`), nil); bytes.Contains(noNS, []byte("http://")) || bytes.Contains(noNS, []byte("https://")) {
				t.Errorf("an absolute link without a public URL:\n%s", body)
			}
			// The caption's quotes are &quot; in the entry's HTML.
			if c := docs[0].Entries[0].Content; !strings.Contains(c, `alt="Say &quot;cheese&quot; &amp; &lt;wave&gt; at &#39;them&#39;"`) {
				t.Errorf("the caption in the entry's HTML: %q", c)
			}

			// A public URL, set later: links follow it, ids stay.
			reconfigure(t, f, func(c *Config) {
				c.PublicURL = "https://outpost.example.org"
				c.TrustedProxies = trustedProxies("10.0.0.0/8")
			})
			body, docs = feed()
			if got := feedIDs(docs[0]); strings.Join(got, " ") != strings.Join(ids, " ") {
				t.Errorf("ids after a public URL was set: %q, want %q", got, ids)
			}
			if l := docs[0].Entries[0].Link.Href; l != "https://outpost.example.org/statements/"+itoa(id) {
				t.Errorf("entry link with a public URL: %q", l)
			}
			if bytes.Contains(bytes.ReplaceAll(body, []byte(`xmlns="http://www.w3.org/2005/Atom"`), nil), []byte("http://")) {
				t.Errorf("an http link under an https public URL:\n%s", body)
			}

			// A store whose feed was first made under a public URL keeps
			// the ids it had before they were fixed, even when the public
			// URL changes.
			if err := f.store.SetConfig(storeCtx(), "feed.id", ""); err != nil {
				t.Fatal(err)
			}
			_, docs = feed()
			want := []string{"https://outpost.example.org/statements", "tag:outpost.example.org,2021-04-01:/statements/" + itoa(id)}
			if got := feedIDs(docs[0]); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("ids under a public URL: %q, want %q", got, want)
			}
			reconfigure(t, f, func(c *Config) { c.PublicURL = "https://new.example:8443" })
			_, docs = feed()
			if got := feedIDs(docs[0]); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("ids after the public URL changed: %q, want %q", got, want)
			}
			if l := docs[0].Entries[0].Link.Href; l != "https://new.example:8443/statements/"+itoa(id) {
				t.Errorf("entry link after the public URL changed: %q", l)
			}
		})
	}
}

// TestStatementPagesAnnounceTheFeed: the public statements pages name
// their feed in <head>, for readers that discover it, and escape a
// caption's quotes as &quot;.
func TestStatementPagesAnnounceTheFeed(t *testing.T) {
	f := newFixture(t, engines(t)["sqlite"](t))
	id := publishForFeed(t, f)
	head := regexp.MustCompile(`(?s)<head>.*<link rel="alternate" type="application/atom\+xml" href="/statements.atom" title="[^"]+">.*</head>`)
	for _, target := range []string{"/statements", "/statements/" + itoa(id)} {
		res := f.get(target, "")
		if res.status != 200 || !head.MatchString(res.body) {
			t.Errorf("%s: got %d, no Atom link in <head>:\n%.600s", target, res.status, res.body)
		}
	}
	res := f.get("/statements/"+itoa(id), "")
	if !strings.Contains(res.body, `alt="Say &quot;cheese&quot; &amp; &lt;wave&gt; at &#39;them&#39;"`) || strings.Contains(res.body, "&#34;") {
		t.Errorf("the caption's quotes on the page:\n%s", res.body)
	}
}

// TestFeedparserReadsTheFeed parses the feed with Python's feedparser
// (Debian's python3-feedparser), as feed readers built on it do: no
// "bozo" error, the ids and links as sent, and relative links resolved
// against the feed's address. Outside CI it is skipped when feedparser
// is missing; in CI it must be there.
func TestFeedparserReadsTheFeed(t *testing.T) {
	py := ""
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import feedparser").Run() == nil {
			py = p
			break
		}
	}
	if py == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 with feedparser is needed to check the Atom feed (apt-get install python3-feedparser)")
		}
		t.Skip("no python3 with feedparser: install python3-feedparser to run this test")
	}
	f := newFixture(t, engines(t)["sqlite"](t))
	id := publishForFeed(t, f)
	for _, public := range []string{"", "https://outpost.example.org"} {
		reconfigure(t, f, func(c *Config) { c.PublicURL = public })
		res := f.send("GET", "http://evil.example/statements.atom", "192.0.2.1:1000", nil, "")
		file := filepath.Join(t.TempDir(), "statements.atom")
		if err := os.WriteFile(file, res.Body.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		// The feed's address, against which feedparser resolves relative
		// links: where a reader would have fetched it from.
		const script = `
import sys, feedparser
d = feedparser.parse(open(sys.argv[1], 'rb').read(), response_headers={'content-location': 'https://reader.example/statements.atom', 'content-type': 'application/atom+xml; charset=utf-8'})
if d.bozo:
    print('bozo', d.bozo_exception); sys.exit(1)
print(d.version)
print(d.feed.id)
for e in d.entries:
    print(e.id)
    print(e.link)
    print(e.content[0].value.replace('\n', ' '))
`
		out, err := exec.Command(py, "-c", script, file).CombinedOutput()
		if err != nil {
			t.Fatalf("feedparser (public URL %q): %v\n%s", public, err, out)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) < 5 || lines[0] != "atom10" {
			t.Fatalf("feedparser (public URL %q):\n%s", public, out)
		}
		wantLink := "https://reader.example/statements/" + itoa(id)
		if public != "" {
			wantLink = public + "/statements/" + itoa(id)
		}
		if lines[3] != wantLink || strings.Contains(string(out), "evil.example") {
			t.Errorf("feedparser (public URL %q): entry link %q, want %q\n%s", public, lines[3], wantLink, out)
		}
		if !strings.Contains(lines[4], `Say "cheese" &amp; &lt;wave&gt;`) && !strings.Contains(lines[4], `Say &quot;cheese&quot;`) {
			t.Errorf("feedparser: the caption in the content: %q", lines[4])
		}
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func trustedProxies(cidrs ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, c := range cidrs {
		out = append(out, netip.MustParsePrefix(c))
	}
	return out
}
