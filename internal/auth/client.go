package auth

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// ParseTrustedProxy reads a --trusted-proxy value: a CIDR range
// ("10.0.0.0/8", "fd00::/8") or one address ("127.0.0.1", a /32 or /128).
// A /0 (0.0.0.0/0, ::/0) is refused: it would trust every peer.
func ParseTrustedProxy(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("trusted proxy %q: want an address or a CIDR range such as 10.0.0.0/8", s)
		}
		if p.Bits() == 0 {
			return netip.Prefix{}, fmt.Errorf("trusted proxy %q: that is every address, so any client could write its own address and scheme; give the proxy's address or its network, such as 10.0.0.0/8", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("trusted proxy %q: want an address or a CIDR range such as 10.0.0.0/8", s)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// Proxies are the addresses of the reverse proxies whose X-Forwarded-For
// header the server believes.
type Proxies []netip.Prefix

func (ps Proxies) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ClientAddr returns the address of the client of a request that came
// from peer (its RemoteAddr) with these X-Forwarded-For headers. When the
// peer is not a trusted proxy the headers are ignored: anyone can write
// them. Otherwise the address is the rightmost one that is not a trusted
// proxy (each proxy appends the address it was reached from; the ones to
// its left were written by the client and prove nothing); when every one
// is trusted, the leftmost. An unreadable entry stops the walk there, and
// the last good address is taken.
func (ps Proxies) ClientAddr(peer string, forwarded []string) netip.Addr {
	addr := parseHostAddr(peer)
	if !addr.IsValid() || len(ps) == 0 || !ps.trusted(addr) {
		return addr
	}
	var hops []string
	for _, h := range forwarded {
		for f := range strings.SplitSeq(h, ",") {
			hops = append(hops, strings.TrimSpace(f))
		}
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a := parseHostAddr(hops[i])
		if !a.IsValid() {
			return addr
		}
		addr = a
		if !ps.trusted(a) {
			return a
		}
	}
	return addr
}

// parseHostAddr reads "1.2.3.4", "1.2.3.4:80", "[::1]:80" or "::1".
func parseHostAddr(s string) netip.Addr {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap()
	}
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	a, err := netip.ParseAddr(strings.Trim(s, "[]"))
	if err != nil {
		return netip.Addr{}
	}
	return a.WithZone("").Unmap()
}

// ParseOrigin reads an address of the server as users reach it (the
// --public-url, a base_url for links): http or https, a host, and nothing
// else (no user, path, query or fragment: Outpost is served at the root
// of its host, and a link built on "https://h/x?y=" would go elsewhere).
// It returns the address as scheme://host.
func ParseOrigin(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Hostname() == "" || u.Opaque != "" {
		return "", fmt.Errorf("%q: want http(s)://HOST[:PORT], such as https://outpost.example.org", s)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery || strings.HasSuffix(s, "#") || (u.Path != "" && u.Path != "/") {
		return "", fmt.Errorf("%q: want only the scheme and the host (Outpost is served at the root of its host)", s)
	}
	return u.Scheme + "://" + u.Host, nil
}

// Site is how users reach the server: its public URL when one is
// configured, and the reverse proxies it trusts.
type Site struct {
	// PublicURL is scheme://host (see ParseOrigin), or "".
	PublicURL string
	Proxies   Proxies
}

// BaseURL is the scheme and host to put in the links and feeds the
// server sends out: the public URL when there is one. Otherwise the
// request's Host, over https when the connection is TLS or when the peer
// is a trusted proxy that says (X-Forwarded-Proto) it was reached over
// https; from any other peer the header proves nothing.
func (s Site) BaseURL(r *http.Request) string {
	if s.PublicURL != "" {
		return s.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	} else if peer := parseHostAddr(r.RemoteAddr); peer.IsValid() && s.Proxies.trusted(peer) {
		// The last value is the one the trusted peer wrote.
		if vs := r.Header.Values("X-Forwarded-Proto"); len(vs) > 0 {
			parts := strings.Split(vs[len(vs)-1], ",")
			if strings.EqualFold(strings.TrimSpace(parts[len(parts)-1]), "https") {
				scheme = "https"
			}
		}
	}
	return scheme + "://" + r.Host
}

type siteKey struct{}

// WithSite returns a context that carries how users reach the server.
func WithSite(ctx context.Context, s Site) context.Context {
	return context.WithValue(ctx, siteKey{}, s)
}

// BaseURL is Site.BaseURL of the site the server put in the request's
// context (none: no public URL and no trusted proxy).
func BaseURL(r *http.Request) string {
	s, _ := r.Context().Value(siteKey{}).(Site)
	return s.BaseURL(r)
}

// PublicURL is the public URL (scheme://host) of the site the server put
// in the request's context, or "" when none is configured. Unlike
// BaseURL it never falls back on the request: what must not follow a
// client's Host header (the ids of a feed) is built on it alone.
func PublicURL(r *http.Request) string {
	s, _ := r.Context().Value(siteKey{}).(Site)
	return s.PublicURL
}

type clientKey struct{}

// WithClientAddr returns a context that carries the client's address, as
// the server found it.
func WithClientAddr(ctx context.Context, a netip.Addr) context.Context {
	return context.WithValue(ctx, clientKey{}, a)
}

// ClientAddrFrom returns the client's address of ctx, if the server put
// one there.
func ClientAddrFrom(ctx context.Context) (netip.Addr, bool) {
	a, ok := ctx.Value(clientKey{}).(netip.Addr)
	return a, ok && a.IsValid()
}

// Method is how a request proved who it is.
type Method int

// The ways of signing in.
const (
	// ByNothing is a request that did not sign in, or a context made
	// without saying how.
	ByNothing Method = iota
	// BySession is a browser's session cookie, got by a password.
	BySession
	// ByToken is an API token.
	ByToken
)

type methodKey struct{}

// WithMethod returns a context that says how the request signed in.
func WithMethod(ctx context.Context, m Method) context.Context {
	return context.WithValue(ctx, methodKey{}, m)
}

// MethodFrom returns how the request of ctx signed in.
func MethodFrom(ctx context.Context) Method {
	m, _ := ctx.Value(methodKey{}).(Method)
	return m
}

type sessionKey struct{}

// WithSession returns a context that carries the hash of the session the
// request signed in with, so that what the request creates can be tied
// to that session still existing.
func WithSession(ctx context.Context, hash string) context.Context {
	return context.WithValue(ctx, sessionKey{}, hash)
}

// SessionFrom returns the hash of the request's session, "" when it did
// not sign in with one.
func SessionFrom(ctx context.Context) string {
	h, _ := ctx.Value(sessionKey{}).(string)
	return h
}

// AddrKey is the key under which sign-in attempts from a are counted: the
// address itself for IPv4, its /64 network for IPv6 (one subscriber
// usually holds a whole /64, and could otherwise change address at will).
func AddrKey(a netip.Addr) string {
	if !a.IsValid() {
		return "unknown"
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
