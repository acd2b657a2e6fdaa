package auth

import (
	"net/url"
	"strings"
	"testing"
)

// openRedirects are targets that a browser would take off this site.
var openRedirects = []string{
	"//evil.example/", "https://evil.example/", "/\\evil", "\\\\evil.example", "http:evil.example",
	"/\t/evil.example/x", "/%09/evil.example/x", "/\n/evil.example", "/%0a/evil.example", "/%0d/evil.example",
	"/%2F/evil.example", "/%2f%2fevil.example", "/%5Cevil.example", "/%5c%5cevil.example", "/%252F/evil.example",
	"/%25252F%25252Fevil.example", " //evil.example", "/ /evil.example", "\t/evil.example", "javascript:alert(1)",
	"/\u00a0/evil.example", "/%C2%A0/evil.example", "evil.example", "", "/%", "/%zz", "/\x00/evil.example",
	"///evil.example", "/\\/evil.example", "//\tevil.example", "/" + strings.Repeat("a", 3000),
}

func TestSafeNextRefusesOpenRedirects(t *testing.T) {
	for _, next := range openRedirects {
		if got := SafeNext(next); got != "/" {
			t.Errorf("SafeNext(%q): got %q, want /", next, got)
		}
	}
	for _, next := range []string{"/", "/people", "/people?q=Anna+Petrova&mission=RU", "/people/RU-0002",
		"/?as_of=2021-04-01", "/people?q=a%20b", "/audit#top", "/people?next=//x"} {
		if got := SafeNext(next); got != next {
			t.Errorf("SafeNext(%q): got %q, want it kept", next, got)
		}
	}
}

// browserReads resolves target the way a browser reads a Location header
// (tabs and newlines dropped, '\' read as '/') against this site.
func browserReads(target string) (*url.URL, error) {
	clean := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(strings.Trim(target, "\x00 \t\n\r\f\v"))
	ref, err := url.Parse(clean)
	if err != nil {
		return nil, err
	}
	base, _ := url.Parse("https://outpost.example/signin")
	return base.ResolveReference(ref), nil
}

func FuzzSafeNext(f *testing.F) {
	for _, s := range openRedirects {
		f.Add(s)
	}
	f.Add("/people?q=x")
	f.Fuzz(func(t *testing.T, next string) {
		got := SafeNext(next)
		if got != "/" && got != next {
			t.Fatalf("SafeNext(%q) = %q: neither kept nor /", next, got)
		}
		// Whatever is kept stays on this site, read once or decoded again.
		for s, i := got, 0; i < 3; i++ {
			u, err := browserReads(s)
			if err != nil {
				break
			}
			if u.Host != "outpost.example" || u.Scheme != "https" {
				t.Fatalf("SafeNext(%q) = %q leads to %s", next, got, u)
			}
			dec, err := url.PathUnescape(s)
			if err != nil || dec == s {
				break
			}
			s = dec
		}
	})
}
