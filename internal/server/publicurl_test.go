package server

import (
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
)

// TestLinksUseThePublicURL: the check-in links and the Atom feed are
// built on the configured public URL, whatever Host a client sends;
// without one, X-Forwarded-Proto counts only from a trusted proxy; and a
// base_url with a path, query or fragment is refused.
func TestLinksUseThePublicURL(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			rc, err := f.store.StartRollCall(storeCtx(), outpost.RollCall{Title: "Links", Mission: "RU"})
			if err != nil {
				t.Fatal(err)
			}
			links := "/api/v1/rollcalls/" + strconv.FormatInt(rc.ID, 10) + "/links"
			get := func(target, peer string, hdr http.Header) (int, string) {
				t.Helper()
				h := http.Header{"Authorization": {"Bearer " + f.users["admin"].token}}
				for k, v := range hdr {
					h[k] = v
				}
				res := f.send("GET", target, peer, h, "")
				return res.Code, res.Body.String()
			}
			// A target with a host sets the request's Host.
			evil := http.Header{"X-Forwarded-Proto": {"https"}}
			evilLinks := "http://evil.example" + links

			// No public URL: the Host is all there is, but a stranger's
			// X-Forwarded-Proto is not believed.
			reconfigure(t, f, func(c *Config) {
				c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
			})
			if code, body := get(evilLinks, "198.51.100.1:1000", evil); code != 200 || strings.Contains(body, "https://") {
				t.Errorf("X-Forwarded-Proto from an untrusted peer: got %d, https links in\n%.300s", code, body)
			}
			if code, body := get(evilLinks, "10.0.0.2:1000", evil); code != 200 || !strings.Contains(body, "https://") {
				t.Errorf("X-Forwarded-Proto from a trusted proxy: got %d, no https links in\n%.300s", code, body)
			}

			reconfigure(t, f, func(c *Config) { c.PublicURL = "https://outpost.example.org" })
			for _, peer := range []string{"198.51.100.1:1000", "10.0.0.2:1000"} {
				code, body := get(evilLinks, peer, evil)
				if code != 200 || !strings.Contains(body, "https://outpost.example.org/") || strings.Contains(body, "evil.example") {
					t.Errorf("links with a public URL from %s: got %d\n%.300s", peer, code, body)
				}
				code, body = get("http://evil.example/statements.atom", peer, nil)
				if code != 200 || !strings.Contains(body, "https://outpost.example.org/statements") || strings.Contains(body, "evil.example") || strings.Contains(body, "http://outpost") {
					t.Errorf("the feed with a public URL from %s: got %d\n%.500s", peer, code, body)
				}
			}

			for _, bad := range []string{"https://h/x?y=", "https://h/x", "https://h/#f", "https://h?", "https://u@h", "//h", "javascript:alert(1)"} {
				if code, body := get(links+"?base_url="+url.QueryEscape(bad), "198.51.100.1:1000", nil); code != http.StatusBadRequest || !strings.Contains(body, "base_url") {
					t.Errorf("base_url %q: got %d %.200s, want 400 naming base_url", bad, code, body)
				}
			}
			if code, body := get(links+"?base_url="+url.QueryEscape("https://post.example/"), "198.51.100.1:1000", nil); code != 200 || !strings.Contains(body, "https://post.example/checkin/") {
				t.Errorf("base_url https://post.example/: got %d\n%.300s", code, body)
			}
		})
	}
}
