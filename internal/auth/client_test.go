package auth

import (
	"net/netip"
	"testing"
	"time"
)

func TestParseTrustedProxy(t *testing.T) {
	for in, want := range map[string]string{
		"10.0.0.0/8": "10.0.0.0/8", "10.1.2.3/8": "10.0.0.0/8", "127.0.0.1": "127.0.0.1/32",
		"::1": "::1/128", "fd00::/8": "fd00::/8", " 192.0.2.7 ": "192.0.2.7/32",
	} {
		p, err := ParseTrustedProxy(in)
		if err != nil || p.String() != want {
			t.Errorf("ParseTrustedProxy(%q): got %v, %v; want %s", in, p, err, want)
		}
	}
	for _, in := range []string{"", "localhost", "10.0.0.0/33", "1.2.3", "fe80::1%eth0", "10.0.0.0/8/8"} {
		if _, err := ParseTrustedProxy(in); err == nil {
			t.Errorf("ParseTrustedProxy(%q): got no error", in)
		}
	}
}

func TestClientAddr(t *testing.T) {
	proxies := Proxies{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	cases := []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"no proxy, header ignored", "192.0.2.1:5000", []string{"203.0.113.9"}, "192.0.2.1"},
		{"untrusted peer, spoofed header ignored", "198.51.100.4:1", []string{"10.0.0.1, 127.0.0.1"}, "198.51.100.4"},
		{"trusted proxy, client appended", "10.0.0.2:80", []string{"203.0.113.9"}, "203.0.113.9"},
		{"client's own forgery on the left", "10.0.0.2:80", []string{"1.1.1.1, 203.0.113.9"}, "203.0.113.9"},
		{"two proxies", "10.0.0.2:80", []string{"203.0.113.9, 10.0.0.3"}, "203.0.113.9"},
		{"several headers", "[::1]:80", []string{"1.1.1.1", "203.0.113.9"}, "203.0.113.9"},
		{"all trusted", "10.0.0.2:80", []string{"10.0.0.5, 10.0.0.3"}, "10.0.0.5"},
		{"garbage stops the walk", "10.0.0.2:80", []string{"1.1.1.1, junk, 10.0.0.3"}, "10.0.0.3"},
		{"no header", "10.0.0.2:80", nil, "10.0.0.2"},
		{"ipv6 client", "10.0.0.2:80", []string{"[2001:db8::7]:4711"}, "2001:db8::7"},
		{"mapped peer", "[::ffff:10.0.0.2]:80", []string{"203.0.113.9"}, "203.0.113.9"},
	}
	for _, c := range cases {
		if got := proxies.ClientAddr(c.peer, c.xff); got.String() != c.want {
			t.Errorf("%s: got %v, want %s", c.name, got, c.want)
		}
	}
	if got := (Proxies{}).ClientAddr("10.0.0.2:80", []string{"203.0.113.9"}); got.String() != "10.0.0.2" {
		t.Errorf("without trusted proxies: got %v, want the peer", got)
	}
}

func FuzzClientAddr(f *testing.F) {
	f.Add("10.0.0.2:80", "1.1.1.1, 203.0.113.9")
	f.Add("198.51.100.4:1", "10.0.0.1")
	f.Add("[::1]:80", "junk,, ,[::1]")
	proxies := Proxies{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	f.Fuzz(func(t *testing.T, peer, xff string) {
		got := proxies.ClientAddr(peer, []string{xff})
		p := parseHostAddr(peer)
		// An untrusted peer is the answer, whatever the header says.
		if p.IsValid() && !proxies.trusted(p) && got != p {
			t.Fatalf("untrusted peer %q with %q: got %v", peer, xff, got)
		}
		if !p.IsValid() && got.IsValid() {
			t.Fatalf("unreadable peer %q: got %v", peer, got)
		}
	})
}

func FuzzParseTrustedProxy(f *testing.F) {
	for _, s := range []string{"10.0.0.0/8", "::1", "fe80::1%eth0", "1.2.3", "0.0.0.0/0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseTrustedProxy(s)
		if err == nil && (!p.IsValid() || p != p.Masked()) {
			t.Fatalf("ParseTrustedProxy(%q) = %v: not a clean prefix", s, p)
		}
	})
}

func TestAddrKey(t *testing.T) {
	a, b := netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("2001:db8::ffff:1")
	if AddrKey(a) != AddrKey(b) {
		t.Errorf("two addresses of one /64: got %s and %s", AddrKey(a), AddrKey(b))
	}
	if AddrKey(netip.MustParseAddr("192.0.2.1")) == AddrKey(netip.MustParseAddr("192.0.2.2")) {
		t.Error("two IPv4 addresses share a key")
	}
}

func TestBackoff(t *testing.T) {
	now := time.Date(2021, 4, 1, 0, 0, 0, 0, time.UTC)
	b := NewBackoff(3, time.Second, 8*time.Second, time.Hour, 2)
	b.Now = func() time.Time { return now }
	for i := range 3 {
		if ok, _ := b.Try("a"); !ok {
			t.Fatalf("free attempt %d refused", i+1)
		}
	}
	// Each further attempt waits twice as long, up to the maximum.
	for _, want := range []time.Duration{1, 2, 4, 8, 8} {
		ok, wait := b.Try("a")
		if ok || wait != want*time.Second {
			t.Fatalf("got %v, wait %v; want a refusal and %v", ok, wait, want*time.Second)
		}
		now = now.Add(wait)
		if ok, _ := b.Try("a"); !ok {
			t.Fatalf("after waiting %v: refused", wait)
		}
	}
	if ok, _ := b.Try("b"); !ok {
		t.Error("another key is refused")
	}
	// Forgiving gives back an attempt; resetting, all of them.
	b.Reset("a")
	for range 3 {
		b.Try("a")
		b.Forgive("a")
	}
	if w := b.Wait("a"); w != 0 {
		t.Errorf("forgiven attempts: got a wait of %v", w)
	}
	// A key unused for Forget starts afresh.
	for range 5 {
		b.Try("a")
	}
	now = now.Add(time.Hour)
	if ok, _ := b.Try("a"); !ok {
		t.Error("an old key is still refused")
	}
	for i := range 100 {
		b.Try(string(rune('c' + i)))
	}
	if b.Len() > 2 {
		t.Errorf("keys: got %d, want at most 2", b.Len())
	}
}

func TestParseTokenExpiry(t *testing.T) {
	now := time.Date(2021, 6, 1, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"90d": now.AddDate(0, 0, 90), "12w": now.AddDate(0, 0, 84), "365d": now.AddDate(0, 0, 365),
		"720h": now.Add(720 * time.Hour), "2021-12-31": time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC),
	} {
		got, err := ParseTokenExpiry(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTokenExpiry(%q): got %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"never", "Never", "0", "", "366d", "53w", "9000h", "2023-01-01", "2021-05-01", "-5d", "0d",
		"1e9d", "99999999999999999999d", "-1h", "tomorrow", "2021-13-01"} {
		if got, err := ParseTokenExpiry(in, now); err == nil {
			t.Errorf("ParseTokenExpiry(%q): got %v, want an error", in, got)
		}
	}
}

func FuzzParseTokenExpiry(f *testing.F) {
	for _, s := range []string{"90d", "never", "366d", "2021-12-31", "720h", "-1h", "99999999999999999999d", "1w"} {
		f.Add(s)
	}
	now := time.Date(2021, 6, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		at, err := ParseTokenExpiry(s, now)
		if err == nil && (!at.After(now) || at.Sub(now) > 365*24*time.Hour) {
			t.Fatalf("ParseTokenExpiry(%q) = %v: outside (now, now+365d]", s, at)
		}
	})
}
