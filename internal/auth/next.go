package auth

import (
	"net/url"
	"strings"
)

// maxNextLen bounds a redirect target: the pages of this site have short
// paths, and a long one is only ever a trick.
const maxNextLen = 2048

// SafeNext returns next when it is a path on this site, and "/" otherwise.
// Every redirect to a target a visitor chose (the sign-in form's next)
// goes through it, so that no link to this site can send a signed-in
// user elsewhere.
//
// A path on this site starts with exactly one '/', and stays so however a
// browser or a server reads it: browsers drop tabs and newlines anywhere
// in a URL, read '\' as '/', and a path may be percent-decoded more than
// once on its way. So next is refused when it holds a control character,
// a space or a backslash, when it has a scheme or a host, and when any of
// its percent-decodings starts with "//" or "/\" or holds one of those
// characters before its query.
func SafeNext(next string) string {
	if !localPath(next) {
		return "/"
	}
	return next
}

func localPath(next string) bool {
	if next == "" || len(next) > maxNextLen || !plainPrefix(next, true) {
		return false
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return false
	}
	// Each decoding of the part before the query must still be a plain
	// local path; stop when decoding changes nothing.
	path := next
	for range 4 {
		if i := strings.IndexAny(path, "?#"); i >= 0 {
			path = path[:i]
		}
		dec, err := url.PathUnescape(path)
		if err != nil {
			return false
		}
		if dec == path {
			return true
		}
		if !plainPrefix(dec, false) {
			return false
		}
		path = dec
	}
	// Still changing after four decodings: nothing of ours looks like that.
	return false
}

// plainPrefix reports whether s starts with one '/' (not "//" nor "/\")
// and holds no control character, space or backslash; whole says whether
// the query counts too (a decoded path is checked up to its query only).
func plainPrefix(s string, whole bool) bool {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !whole && (c == '?' || c == '#') {
			return true
		}
		if c <= ' ' || c == 0x7f || c == '\\' {
			return false
		}
	}
	// Unicode spaces and controls: a browser may drop or fold them too.
	for _, r := range s {
		if r == '\u00a0' || r == '\u2028' || r == '\u2029' || r == '\ufeff' || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}
