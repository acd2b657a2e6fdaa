package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/klauspost/compress/gzhttp"
	"github.com/outpost-org/outpost/internal/api"
	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
)

// requestInfo is what the outer middleware learns about a request from
// the inner layers: the route pattern that matched and who asked.
type requestInfo struct {
	id    string
	route string
	user  string
}

type infoKey struct{}

func infoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(infoKey{}).(*requestInfo)
	return info
}

// requestIDHandler adds the request id of the context to every log record.
type requestIDHandler struct{ slog.Handler }

// Handle adds request_id when the context has one.
func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if info := infoFrom(ctx); info != nil {
		r.AddAttrs(slog.String("request_id", info.id))
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs keeps the wrapper around the derived handler.
func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

// WithGroup keeps the wrapper around the derived handler.
func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// statusRecorder remembers the status and size of an answer.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

// WriteHeader records the status.
func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records the size, and the status 200 if none was written.
func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// middleware wraps the mux in the layers every request passes, outermost
// first: request id, logging, metrics and recovery; security headers;
// cross-origin protection; authentication.
func (s *Server) middleware(next http.Handler) http.Handler {
	h := s.authenticate(next)
	h = s.crossOrigin(h)
	h = s.securityHeaders(h)
	// Inside observe, so that the log counts the bytes sent; outside the
	// rest, so that every answer, a refusal too, is compressed.
	h = compress(h)
	return s.observe(h)
}

// compressTypes are the media types compress sends gzipped: text that
// shrinks several times. Anything else (PDF, PNG, JPEG, XLSX, which are
// compressed already) goes as it is: an allowlist, since an XLSX's type
// names no "zip" that a denylist could catch.
var compressTypes = []string{
	"text/html", "text/css", "text/csv", "text/plain", "text/markdown", "text/javascript", "text/xml",
	"application/json", "application/problem+json", "application/javascript",
	"application/atom+xml", "application/xml", "image/svg+xml",
}

// compressMinSize is the smallest body compress gzips: below it the gzip
// header and a round of work gain nothing on the wire.
const compressMinSize = 1024

// compress gzips an answer of compressTypes when the client accepts gzip
// (github.com/klauspost/compress/gzhttp; see docs/architecture.md). Every
// answer says Vary: Accept-Encoding, so that no cache hands a gzipped
// body to a client that did not ask for one. A compressed answer has no
// Content-Length (it is sent chunked) and its ETag ends in "-gzip" (see
// web's static files, which take it back).
func compress(next http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(
		gzhttp.ContentTypes(compressTypes),
		gzhttp.MinSize(compressMinSize),
		gzhttp.EnableZstd(false),
		gzhttp.SuffixETag("-gzip"),
	)
	if err != nil {
		// The options are constants: this is a programming error.
		panic(fmt.Sprintf("server: compression: %v", err))
	}
	return wrap(next)
}

// observe gives the request an id (X-Request-Id, taken from the request
// when it is a sane one), logs it, counts it in the metrics and turns a
// panic into a 500.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{id: r.Header.Get("X-Request-Id"), route: "unmatched"}
		if !validRequestID.MatchString(info.id) {
			info.id = newRequestID()
		}
		w.Header().Set("X-Request-Id", info.id)
		rec := &statusRecorder{ResponseWriter: w}
		client := s.proxies.ClientAddr(r.RemoteAddr, r.Header.Values("X-Forwarded-For"))
		ctx := context.WithValue(r.Context(), infoKey{}, info)
		ctx = auth.WithClientAddr(ctx, client)
		ctx = auth.WithSite(ctx, s.site)
		r = r.WithContext(ctx)
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.ErrorContext(ctx, "panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if rec.status == 0 {
					s.api.Error(rec, r, &outpost.Error{Code: outpost.EINTERNAL, Err: fmt.Errorf("panic: %v", p)})
				}
			}
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			d := time.Since(start)
			s.metrics.observe(r.Method, info.route, status, d)
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			// The path without its secrets, never the query (searches
			// hold names, links may hold tokens), never a header.
			attrs := []any{"method", r.Method, "path", s.logPath(r), "route", info.route,
				"status", status, "bytes", rec.bytes, "duration_ms", float64(d.Microseconds()) / 1000,
				"user", info.user, "remote", client.String()}
			if peer := auth.Proxies(nil).ClientAddr(r.RemoteAddr, nil); peer != client {
				attrs = append(attrs, "proxy", peer.String())
			}
			s.log.Log(ctx, level, "request", attrs...)
		}()
		next.ServeHTTP(rec, r)
	})
}

// csp allows the page's own stylesheet and images and nothing else: no
// scripts at all, no framing, forms only to this site.
const csp = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// securityHeaders sets the headers of every answer. HSTS goes with a
// direct TLS connection or an https public URL: behind a TLS proxy the
// request arrives in plain http, and the public URL is what tells.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if r.TLS != nil || s.https {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses state-changing requests that a browser marks as
// coming from another site (Go's http.CrossOriginProtection: Sec-Fetch-Site
// and Origin), which is what CSRF needs; scripts without those headers,
// such as curl with a bearer token, pass.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	if s.publicOrigin != "" {
		// A proxy that rewrites Host still sends the browser's Origin.
		if err := cop.AddTrustedOrigin(s.publicOrigin); err != nil {
			s.log.Warn("the public URL is not a trusted origin", "err", err.Error())
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := outpost.Errorf(outpost.EFORBIDDEN, "cross-origin request refused: send the form from this site")
		if strings.HasPrefix(r.URL.Path, api.Prefix) {
			s.api.Error(w, r, err)
			return
		}
		s.web.Error(w, r, err)
	}))
	return cop.Handler(next)
}

// authenticate finds who is asking: an Authorization: Bearer token (a bad
// one answers 401 at once) or a session cookie (a stale one is ignored),
// and records which, since only a session may mint tokens.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var (
			u   outpost.User
			err error
			ok  bool
			by  auth.Method
		)
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, token, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
				s.api.Error(w, r, outpost.Errorf(outpost.EUNAUTHORIZED, "send Authorization: Bearer TOKEN"))
				return
			}
			hash, now := auth.HashSecret(strings.TrimSpace(token)), s.now()
			gen, cached := s.tokens.sync(ctx, now, s.store.AuthGeneration)
			if cached {
				u, ok = s.tokens.get(hash, now)
			}
			if !ok {
				if u, err = s.store.UserByToken(ctx, hash, now); err != nil {
					s.api.Error(w, r, err)
					return
				}
				if cached {
					s.tokens.put(hash, u, now, gen)
				}
			}
			ok, by = true, auth.ByToken
		} else if c, cerr := r.Cookie(s.web.SessionCookieName()); cerr == nil && c.Value != "" {
			sh := auth.HashSecret(c.Value)
			u, err = s.store.UserBySession(ctx, sh, s.now())
			switch {
			case err == nil:
				ok, by = true, auth.BySession
				ctx = auth.WithSession(ctx, sh)
			case outpost.ErrorCode(err) != outpost.EUNAUTHORIZED:
				s.api.Error(w, r, err)
				return
			}
		}
		if ok {
			if info := infoFrom(ctx); info != nil {
				info.user = u.Name
			}
			r = r.WithContext(auth.WithMethod(auth.WithUser(ctx, u), by))
		}
		next.ServeHTTP(w, r)
	})
}

// secretParams are the path parameters that hold a secret (the MAC of a
// check-in link): the logs never show them.
var secretParams = map[string]bool{"token": true, "secret": true}

// secretPath is a route whose path holds a secret: its segments, and
// which of them is the secret.
type secretPath struct {
	segs   []string
	secret int
}

// newSecretPath reads a route's path; ok is false when it holds no
// secret.
func newSecretPath(path string) (secretPath, bool) {
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		name := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(seg, "{"), "}"), "...")
		if strings.HasPrefix(seg, "{") && secretParams[name] {
			return secretPath{segs: segs, secret: i}, true
		}
	}
	return secretPath{}, false
}

// logPath is the request's path as the log shows it: the secret segment
// of any path shaped like a route with a secret is replaced, whether or
// not the route matched (a wrong method, a trailing segment), and so is
// everything after it. The path is compared unescaped and cleaned, as
// the mux and a browser would read it, so that `/%63heckin/…`,
// `//checkin/…` or `/x/../checkin/…` are redacted too.
func (s *Server) logPath(r *http.Request) string {
	segs := strings.Split(path.Clean("/"+r.URL.Path), "/")
outer:
	for _, sp := range s.secretPaths {
		if len(segs) <= sp.secret {
			continue
		}
		for i := 0; i < sp.secret; i++ {
			if !strings.HasPrefix(sp.segs[i], "{") && !strings.EqualFold(sp.segs[i], segs[i]) {
				continue outer
			}
		}
		for i := range sp.secret {
			segs[i] = url.PathEscape(segs[i])
		}
		segs = append(segs[:sp.secret:sp.secret], "REDACTED")
		return strings.Join(segs, "/")
	}
	return r.URL.EscapedPath()
}
