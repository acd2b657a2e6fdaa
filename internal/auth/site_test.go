package auth

import (
	"crypto/tls"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// TestSiteBaseURL: the base of the links the server sends is its public
// URL when it has one; otherwise https only over TLS or when a trusted
// proxy says so: X-Forwarded-Proto from anyone else proves nothing.
func TestSiteBaseURL(t *testing.T) {
	proxies := Proxies{netip.MustParsePrefix("10.0.0.0/8")}
	cases := []struct {
		name, public, peer, proto string
		tls                       bool
		want                      string
	}{
		{"public URL beats the Host", "https://outpost.example.org", "198.51.100.1:1", "", false, "https://outpost.example.org"},
		{"public URL beats the proxy", "https://outpost.example.org", "10.0.0.2:1", "http", false, "https://outpost.example.org"},
		{"stranger says https", "", "198.51.100.1:1", "https", false, "http://evil.example"},
		{"trusted proxy says https", "", "10.0.0.2:1", "https", false, "https://evil.example"},
		{"trusted proxy, appended list", "", "10.0.0.2:1", "http, https", false, "https://evil.example"},
		{"client wrote https before the proxy's http", "", "10.0.0.2:1", "https, http", false, "http://evil.example"},
		{"direct TLS", "", "198.51.100.1:1", "", true, "https://evil.example"},
		{"plain", "", "127.0.0.1:1", "", false, "http://evil.example"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "http://evil.example/x", nil)
		r.RemoteAddr = c.peer
		if c.proto != "" {
			r.Header.Set("X-Forwarded-Proto", c.proto)
		}
		if c.tls {
			r.TLS = &tls.ConnectionState{}
		}
		r = r.WithContext(WithSite(r.Context(), Site{PublicURL: c.public, Proxies: proxies}))
		if got := BaseURL(r); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	// No site in the context: nothing is trusted.
	r := httptest.NewRequest("GET", "http://h.example/x", nil)
	r.RemoteAddr = "10.0.0.2:1"
	r.Header.Set("X-Forwarded-Proto", "https")
	if got := BaseURL(r); got != "http://h.example" {
		t.Errorf("no site: got %q", got)
	}
}

var badOrigins = []string{"https://h/x?y=", "https://h/x", "https://h/#f", "https://h#", "https://h?", "https://u@h",
	"//h", "javascript:alert(1)", "ftp://h", "https://", "https://:80", "http:h", "https:/h/", ""}

func TestParseOrigin(t *testing.T) {
	for _, s := range badOrigins {
		if got, err := ParseOrigin(s); err == nil {
			t.Errorf("ParseOrigin(%q): got %q, want an error", s, got)
		}
	}
	for in, want := range map[string]string{"https://post.example": "https://post.example",
		"https://post.example/": "https://post.example", "http://127.0.0.1:8080": "http://127.0.0.1:8080"} {
		if got, err := ParseOrigin(in); err != nil || got != want {
			t.Errorf("ParseOrigin(%q): got %q, %v; want %q", in, got, err, want)
		}
	}
}

// FuzzParseOrigin: what ParseOrigin accepts is scheme://host and nothing
// more, and accepting it again gives the same.
func FuzzParseOrigin(f *testing.F) {
	for _, s := range badOrigins {
		f.Add(s)
	}
	f.Add("https://outpost.example.org/")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseOrigin(s)
		if err != nil {
			return
		}
		scheme, host, ok := strings.Cut(got, "://")
		if !ok || (scheme != "http" && scheme != "https") || host == "" || strings.ContainsAny(host, "/?#@") {
			t.Fatalf("ParseOrigin(%q) = %q", s, got)
		}
		if again, err := ParseOrigin(got); err != nil || again != got {
			t.Fatalf("ParseOrigin(%q) = %q, then %q, %v", s, got, again, err)
		}
	})
}

// TestTrustedProxyEveryone: a /0 would believe every peer's
// X-Forwarded-For and X-Forwarded-Proto.
func TestTrustedProxyEveryone(t *testing.T) {
	for _, s := range []string{"0.0.0.0/0", "::/0", " 1.2.3.4/0 ", "::ffff:0.0.0.0/0"} {
		if _, err := ParseTrustedProxy(s); err == nil || !strings.Contains(err.Error(), "every address") {
			t.Errorf("ParseTrustedProxy(%q): got %v, want a refusal saying it is every address", s, err)
		}
	}
	if _, err := ParseTrustedProxy("10.0.0.0/8"); err != nil {
		t.Errorf("10.0.0.0/8: %v", err)
	}
}
