package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/api"
	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
)

const formType = "application/x-www-form-urlencoded"

// reconfigure replaces the fixture's server by one built with cfg changed
// by edit, over the same store.
func reconfigure(t *testing.T, f *fixture, edit func(*Config)) {
	t.Helper()
	cfg := Config{Store: f.store, Version: "test", Now: func() time.Time { return testNow }}
	edit(&cfg)
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Close()
	f.srv = srv
	t.Cleanup(srv.Close)
}

// send makes a request from the peer remote with the given headers.
func (f *fixture) send(method, target, remote string, header http.Header, body string) *httptest.ResponseRecorder {
	f.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	req.RemoteAddr = remote
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", formType)
	}
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	return rec
}

func signInForm(name, pw, next string) string {
	return url.Values{"name": {name}, "password": {pw}, "next": {next}}.Encode()
}

// Class 4: after signing in, only a path of this site is followed.
func TestSignInRedirectsOnlyWithinTheSite(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			for _, next := range []string{"/%09/evil.example/x", "/\t/evil.example/x", "//evil.example/", "/\\evil.example",
				"https://evil.example/", "/%2F/evil.example", "/%5Cevil.example", "/%252F%252Fevil.example", "/\n/evil.example",
				" //evil.example", "javascript:alert(1)", "/\u00a0/evil.example"} {
				// The form posted back, and the form shown to someone signed in.
				res := f.send("POST", "/signin", fmt.Sprintf("192.0.2.%d:1", len(next)), nil, signInForm("staff", "correct horse battery", next))
				if got := res.Header().Get("Location"); res.Code != http.StatusSeeOther || got != "/" {
					t.Errorf("POST /signin next=%q: got %d to %q, want 303 to /", next, res.Code, got)
				}
				req := httptest.NewRequest("GET", "/signin?"+url.Values{"next": {next}}.Encode(), nil)
				req.AddCookie(f.session("staff"))
				rec := httptest.NewRecorder()
				f.srv.Handler().ServeHTTP(rec, req)
				if got := rec.Header().Get("Location"); got != "/" {
					t.Errorf("GET /signin?next=%q signed in: redirected to %q, want /", next, got)
				}
				if page := f.get("/signin?"+url.Values{"next": {next}}.Encode(), ""); !strings.Contains(page.body, `name="next" value="/"`) {
					t.Errorf("GET /signin?next=%q: the form carries another next", next)
				}
			}
			res := f.send("POST", "/signin", "192.0.2.200:1", nil, signInForm("staff", "correct horse battery", "/people?q=Anna+P"))
			if got := res.Header().Get("Location"); got != "/people?q=Anna+P" {
				t.Errorf("a path of this site: redirected to %q", got)
			}
		})
	}
}

// Class 5: behind a TLS proxy the public URL makes cookies Secure with the
// __Host- prefix and adds HSTS; plain local use keeps plain cookies.
func TestHTTPSPublicURLSecuresTheSession(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			// Without a public URL, plain http on 127.0.0.1 works as before.
			res := f.send("POST", "/signin", "127.0.0.1:5000", nil, signInForm("staff", "correct horse battery", "/"))
			cs := res.Result().Cookies()
			if len(cs) != 1 || cs[0].Name != auth.SessionCookie || cs[0].Secure || res.Header().Get("Strict-Transport-Security") != "" {
				t.Errorf("plain http: got cookies %v, HSTS %q; want a plain cookie and no HSTS", cs, res.Header().Get("Strict-Transport-Security"))
			}

			reconfigure(t, f, func(c *Config) {
				c.PublicURL = "https://outpost.example.org"
				c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
			})
			// The proxy speaks plain http to the server.
			hdr := http.Header{"X-Forwarded-For": {"203.0.113.7"}, "X-Forwarded-Proto": {"https"}}
			res = f.send("POST", "/signin", "10.0.0.2:4000", hdr, signInForm("staff", "correct horse battery", "/people"))
			if res.Code != http.StatusSeeOther {
				t.Fatalf("sign in behind the proxy: got %d", res.Code)
			}
			cs = res.Result().Cookies()
			if len(cs) != 1 {
				t.Fatalf("got cookies %v", cs)
			}
			c := cs[0]
			if c.Name != "__Host-outpost_session" || !c.Secure || c.Path != "/" || c.Domain != "" || !c.HttpOnly {
				t.Errorf("cookie: got %s Secure=%v Path=%q Domain=%q HttpOnly=%v; want __Host-outpost_session, Secure, Path=/, no Domain",
					c.Name, c.Secure, c.Path, c.Domain, c.HttpOnly)
			}
			for _, target := range []string{"/signin", "/healthz", "/api/v1/census", "/nowhere"} {
				if got := f.send("GET", target, "10.0.0.2:4000", hdr, "").Header().Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") {
					t.Errorf("%s: got HSTS %q, want max-age", target, got)
				}
			}
			// The __Host- cookie signs in; signing out deletes it by that name.
			req := httptest.NewRequest("GET", "/people", nil)
			req.RemoteAddr = "10.0.0.2:4000"
			req.AddCookie(c)
			rec := httptest.NewRecorder()
			f.srv.Handler().ServeHTTP(rec, req)
			if rec.Code != 200 {
				t.Errorf("with the __Host- cookie: got %d, want 200", rec.Code)
			}
			out := f.send("POST", "/signout", "10.0.0.2:4000", http.Header{"Cookie": {c.Name + "=" + c.Value}}, "")
			if gone := out.Result().Cookies(); len(gone) != 1 || gone[0].Name != c.Name || gone[0].MaxAge >= 0 || !gone[0].Secure {
				t.Errorf("sign out: got cookies %v, want the __Host- cookie deleted", gone)
			}
			if _, err := ParsePublicURL("https://outpost.example.org/sub/path"); err == nil {
				t.Error("a public URL with a path is accepted")
			}
			if _, err := New(Config{Store: f.store, PublicURL: "ftp://x"}); err == nil {
				t.Error("an ftp public URL is accepted")
			}
		})
	}
}

// Class 5: the client address comes from X-Forwarded-For only when the
// peer is a trusted proxy; a flood from one client behind the proxy does
// not lock out the others, and a spoofed header from elsewhere changes
// nothing.
func TestForwardedForOnlyFromTrustedProxies(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			reconfigure(t, f, func(c *Config) {
				c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.2/32")}
			})
			via := func(client string) http.Header { return http.Header{"X-Forwarded-For": {client}} }
			// 40 junk sign-ins of random names from one client through the proxy.
			limited := false
			for i := range 40 {
				res := f.send("POST", "/signin", "10.0.0.2:4000", via("198.51.100.66"), signInForm(fmt.Sprintf("junk%d", i), "wrong password", "/"))
				limited = limited || res.Code == http.StatusTooManyRequests
			}
			if !limited {
				t.Error("40 junk sign-ins from one client: never slowed down")
			}
			// Another client behind the same proxy signs in.
			if res := f.send("POST", "/signin", "10.0.0.2:4000", via("203.0.113.7"), signInForm("staff", "correct horse battery", "/")); res.Code != http.StatusSeeOther {
				t.Errorf("another client behind the proxy: got %d, want 303", res.Code)
			}
			// An untrusted peer cannot escape its own limit with the header.
			limited = false
			for i := range 40 {
				res := f.send("POST", "/signin", "192.0.2.50:1", via(fmt.Sprintf("203.0.113.%d", i)), signInForm(fmt.Sprintf("junk%d", i), "wrong password", "/"))
				limited = limited || res.Code == http.StatusTooManyRequests
			}
			if !limited {
				t.Error("an untrusted peer rotating X-Forwarded-For: never slowed down")
			}
			// ... nor frame another address: the spoofed one is not limited.
			if res := f.send("POST", "/signin", "203.0.113.3:1", nil, signInForm("manager", "correct horse battery", "/")); res.Code != http.StatusSeeOther {
				t.Errorf("an address named in a spoofed header: got %d, want 303", res.Code)
			}
		})
	}
}

// Class 5: guessing is slowed per account and address, never at the
// expense of the account's owner elsewhere.
func TestSignInThrottlingDoesNotLockOutTheOwner(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			const attacker, owner = "198.51.100.66:1", "203.0.113.7:1"
			statuses := map[int]int{}
			for range 8 {
				statuses[f.send("POST", "/signin", attacker, nil, signInForm("staff", "wrong password", "/")).Code]++
			}
			if statuses[http.StatusUnauthorized] != 5 || statuses[http.StatusTooManyRequests] != 3 {
				t.Errorf("eight guesses from one address: got %v, want 5 refusals, then 429", statuses)
			}
			// The attacker, even with the right password, waits.
			if res := f.send("POST", "/signin", attacker, nil, signInForm("staff", "correct horse battery", "/")); res.Code != http.StatusTooManyRequests || res.Header().Get("Retry-After") == "" {
				t.Errorf("the guessing address: got %d, want 429 with Retry-After", res.Code)
			}
			// The owner, from their own address, signs in at once.
			if res := f.send("POST", "/signin", owner, nil, signInForm("staff", "correct horse battery", "/")); res.Code != http.StatusSeeOther {
				t.Errorf("the owner from another address: got %d, want 303", res.Code)
			}
			// Waiting long enough lets the guessing address try again.
			clock := testNow
			f.srv.web.AccountBackoff.Now = func() time.Time { return clock }
			f.srv.web.AddrBackoff.Now = func() time.Time { return clock }
			clock = clock.Add(time.Hour)
			if res := f.send("POST", "/signin", attacker, nil, signInForm("staff", "wrong password", "/")); res.Code != http.StatusUnauthorized {
				t.Errorf("after the backoff: got %d, want another try (401)", res.Code)
			}
		})
	}
}

// Class 6: a token asks for at most MaxTokenLifetime, and only a session
// may mint one.
func TestTokensExpireAndCannotMintTokens(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			mint := func(mode, body string) response {
				return f.do("POST", "/api/v1/me/tokens", "staff", mode, "application/json", body)
			}
			if res := mint("token", `{"label":"child"}`); res.status != http.StatusForbidden || !strings.Contains(res.body, "cannot create tokens") {
				t.Errorf("a token mints a token: got %d %s, want 403", res.status, res.body)
			}
			for _, body := range []string{`{"days":366}`, `{"days":3660}`, `{"days":-1}`} {
				if res := mint("cookie", body); res.status != http.StatusBadRequest || !strings.Contains(res.body, "days") {
					t.Errorf("%s: got %d %s, want 400 naming days", body, res.status, res.body)
				}
			}
			res := mint("cookie", `{"label":"scripts"}`)
			tk := decode[api.CreatedToken](t, res)
			if res.status != http.StatusCreated || tk.Token.Expires.Sub(testNow) != outpost.DefaultTokenLifetime {
				t.Errorf("a token without days: got %d, expires %v; want %v after now", res.status, tk.Token.Expires, outpost.DefaultTokenLifetime)
			}
			res = mint("cookie", `{"days":365}`)
			if tk := decode[api.CreatedToken](t, res); res.status != http.StatusCreated || tk.Token.Expires.Sub(testNow) != outpost.MaxTokenLifetime {
				t.Errorf("365 days: got %d, expires %v", res.status, tk.Token.Expires)
			}
			toks, _ := f.store.Tokens(context.Background())
			for _, tk := range toks {
				if tk.Expires.IsZero() {
					t.Errorf("token %d never expires", tk.ID)
				}
			}
		})
	}
}

// Class 6: an admin disables a user in the web UI; their session and
// token stop at once (the server's token cache forgets them), and they
// cannot sign in until enabled again.
func TestDisablingAUserEndsTheirAccessAtOnce(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			staffCookie := f.session("staff")
			bearer := http.Header{"Authorization": {"Bearer " + f.users["staff"].token}}
			if res := f.send("GET", "/api/v1/me", "192.0.2.1:1", bearer, ""); res.Code != 200 {
				t.Fatalf("the token before: got %d", res.Code) // now cached
			}
			page := f.get("/users", "admin")
			if page.status != 200 || !strings.Contains(page.body, `action="/users/staff/disable"`) || strings.Contains(page.body, `action="/users/admin/disable"`) {
				t.Errorf("users page: got %d, want a disable form for staff and none for the admin", page.status)
			}
			if res := f.get("/users", "manager"); res.status != http.StatusForbidden {
				t.Errorf("a manager opens /users: got %d, want 403", res.status)
			}
			if res := f.do("POST", "/users/staff/disable", "manager", "cookie", formType, ""); res.status != http.StatusForbidden {
				t.Errorf("a manager disables staff: got %d, want 403", res.status)
			}
			// From another site the form is refused, like every form.
			cross := f.send("POST", "/users/staff/disable", "192.0.2.1:1", http.Header{"Sec-Fetch-Site": {"cross-site"},
				"Cookie": {auth.SessionCookie + "=" + f.session("admin").Value}}, "x=1")
			if cross.Code != http.StatusForbidden {
				t.Errorf("a cross-site disable: got %d, want 403", cross.Code)
			}
			if u, _ := f.store.User(context.Background(), "staff"); u.Disabled {
				t.Fatal("a refused form disabled the user")
			}
			res := f.do("POST", "/users/staff/disable", "admin", "cookie", formType, "")
			if res.status != http.StatusSeeOther {
				t.Fatalf("disable: got %d %s", res.status, res.body)
			}
			if res := f.send("GET", "/api/v1/me", "192.0.2.1:1", bearer, ""); res.Code != http.StatusUnauthorized {
				t.Errorf("the disabled user's token: got %d, want 401 at once", res.Code)
			}
			req := httptest.NewRequest("GET", "/people", nil)
			req.AddCookie(staffCookie)
			rec := httptest.NewRecorder()
			f.srv.Handler().ServeHTTP(rec, req)
			if rec.Code != http.StatusSeeOther {
				t.Errorf("the disabled user's session: got %d, want a redirect to sign in", rec.Code)
			}
			signin := f.send("POST", "/signin", "192.0.2.9:1", nil, signInForm("staff", "correct horse battery", "/"))
			if signin.Code != http.StatusForbidden || len(signin.Result().Cookies()) != 0 || !strings.Contains(signin.Body.String(), "disabled") {
				t.Errorf("a disabled user signs in: got %d, cookies %v", signin.Code, signin.Result().Cookies())
			}
			if res := f.do("POST", "/users/admin/disable", "admin", "cookie", formType, ""); res.status != http.StatusBadRequest {
				t.Errorf("the admin disables themselves: got %d, want 400", res.status)
			}
			if res := f.do("POST", "/users/staff/enable", "admin", "cookie", formType, ""); res.status != http.StatusSeeOther {
				t.Errorf("enable: got %d", res.status)
			}
			if res := f.send("POST", "/signin", "192.0.2.9:1", nil, signInForm("staff", "correct horse battery", "/")); res.Code != http.StatusSeeOther {
				t.Errorf("sign in after enabling: got %d, want 303", res.Code)
			}
			// The tokens revoked on disabling stay revoked.
			if res := f.send("GET", "/api/v1/me", "192.0.2.1:1", bearer, ""); res.Code != http.StatusUnauthorized {
				t.Errorf("the old token after enabling: got %d, want 401", res.Code)
			}
		})
	}
}

// Class 6: a password change revokes the user's tokens and sessions.
func TestPasswordChangeRevokesTokensAndSessions(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			cookie := f.session("press")
			hash, _ := auth.HashPassword("another long passphrase")
			if err := f.store.SetPassword(storeCtx(), "press", hash); err != nil {
				t.Fatal(err)
			}
			// A fresh server, whose token cache has not seen the token.
			reconfigure(t, f, func(*Config) {})
			if res := f.send("GET", "/api/v1/me", "192.0.2.1:1", http.Header{"Authorization": {"Bearer " + f.users["press"].token}}, ""); res.Code != http.StatusUnauthorized {
				t.Errorf("the token after a password change: got %d, want 401", res.Code)
			}
			req := httptest.NewRequest("GET", "/api/v1/me", nil)
			req.AddCookie(cookie)
			rec := httptest.NewRecorder()
			f.srv.Handler().ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("the session after a password change: got %d, want 401", rec.Code)
			}
		})
	}
}

func storeCtx() context.Context { return outpost.WithActor(context.Background(), "tester") }

// lockedBuffer is a log destination that tests read while the server
// writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Class 12: the logs never hold a check-in link's secret, a token, a
// cookie or a password.
func TestLogsHoldNoSecrets(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			var logs lockedBuffer
			reconfigure(t, f, func(c *Config) {
				c.Log = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			})
			ctx := storeCtx()
			rc, err := f.store.StartRollCall(ctx, outpost.RollCall{Title: "Log check", Mission: "RU"})
			if err != nil {
				t.Fatal(err)
			}
			links, err := f.srv.web.Welfare.Links(ctx, "", true)
			if err != nil {
				t.Fatal(err)
			}
			path := links.Path(rc.ID, "RU-0002")
			secret := links.Token(rc.ID, "RU-0002")
			cookie := f.session("staff")
			secrets := []string{secret, f.users["staff"].token, cookie.Value, "correct horse battery", "hunter2 hunter2"}

			f.send("GET", path, "192.0.2.1:1", nil, "")
			f.send("POST", path, "192.0.2.1:1", nil, "status=safe")
			f.send("PUT", path, "192.0.2.1:1", nil, "")                     // no such method
			f.send("GET", path+"/more", "192.0.2.1:1", nil, "")             // no such page
			f.send("GET", path[:len(path)-3]+"zzz", "192.0.2.1:1", nil, "") // a forged link
			// The same link as the mux or a browser would still read it.
			rest := strings.TrimPrefix(path, "/checkin")
			f.send("GET", "/%63heckin"+rest, "192.0.2.1:1", nil, "")
			f.send("GET", "//checkin"+rest, "192.0.2.1:1", nil, "")
			f.send("GET", "/./checkin"+rest, "192.0.2.1:1", nil, "")
			f.send("GET", "/x/../checkin"+rest, "192.0.2.1:1", nil, "")
			f.send("GET", "/CHECKIN"+rest, "192.0.2.1:1", nil, "")
			f.send("GET", "/checkin"+strings.ReplaceAll(rest, "/", "%2F"), "192.0.2.1:1", nil, "")
			f.send("GET", "/api/v1/people?q=x&token="+f.users["staff"].token, "192.0.2.1:1",
				http.Header{"Authorization": {"Bearer " + f.users["staff"].token}}, "")
			f.send("GET", "/people", "192.0.2.1:1", http.Header{"Cookie": {auth.SessionCookie + "=" + cookie.Value}}, "")
			f.send("POST", "/signin", "192.0.2.1:1", nil, signInForm("staff", "correct horse battery", "/"))
			// A password typed into the name box.
			f.send("POST", "/signin", "192.0.2.2:1", nil, signInForm("hunter2 hunter2", "x", "/"))
			f.send("POST", "/signin", "192.0.2.2:1", nil, signInForm("staff", "hunter2 hunter2", "/"))

			out := logs.String()
			if !strings.Contains(out, "/checkin/") || !strings.Contains(out, "sign-in failed") {
				t.Fatalf("the log lacks the requests: %s", out)
			}
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("the log holds the secret %q:\n%s", s, out)
				}
			}
			if !strings.Contains(out, `"user":"staff"`) {
				t.Error("the log no longer names a known user")
			}
		})
	}
}

// Class 14: /metrics answers only an admin, or only on its own listener.
func TestMetricsNeedAnAdmin(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			if res := f.get("/metrics", ""); res.status != http.StatusUnauthorized || strings.Contains(res.body, "outpost_http_requests_total") {
				t.Errorf("/metrics without a token: got %d, want 401 and no metrics", res.status)
			}
			if res := f.do("GET", "/metrics", "staff", "token", "", ""); res.status != http.StatusForbidden {
				t.Errorf("/metrics as staff: got %d, want 403", res.status)
			}
			if res := f.do("GET", "/metrics", "admin", "token", "", ""); res.status != 200 || !strings.Contains(res.body, "outpost_http_requests_total") {
				t.Errorf("/metrics as admin: got %d", res.status)
			}
			reconfigure(t, f, func(c *Config) { c.MetricsElsewhere = true })
			for _, who := range []string{"", "admin"} {
				if res := f.do("GET", "/metrics", who, "token", "", ""); res.status != http.StatusNotFound {
					t.Errorf("/metrics on the main listener with a metrics listener, as %q: got %d, want 404", who, res.status)
				}
			}
			rec := httptest.NewRecorder()
			f.srv.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), "outpost_db_up") {
				t.Errorf("the metrics listener: got %d", rec.Code)
			}
		})
	}
}

// noWrites is a store whose database answers but takes no write, as on a
// full disk.
type noWrites struct{ outpost.Store }

func (noWrites) PingWrite(context.Context) error {
	return &outpost.Error{Code: outpost.EINTERNAL, Message: "database error: disk full", Err: errors.New("disk full")}
}

// Class 14: /healthz says degraded (503) when the database cannot write.
func TestHealthzDegradedWhenWritesFail(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			if res := f.get("/healthz", ""); res.status != 200 || !strings.Contains(res.body, `"ok"`) {
				t.Errorf("healthy: got %d %s", res.status, res.body)
			}
			f.store = noWrites{f.store}
			reconfigure(t, f, func(*Config) {})
			if res := f.get("/healthz", ""); res.status != http.StatusServiceUnavailable || !strings.Contains(res.body, `"degraded"`) {
				t.Errorf("writes failing: got %d %s, want 503 degraded", res.status, res.body)
			}
		})
	}
}

// FuzzNewTokenBody: whatever body a signed-in user posts to mint a token,
// the answer is a token that expires within MaxTokenLifetime or a 400,
// never a 500 or a token for ever.
func FuzzNewTokenBody(f *testing.F) {
	for _, s := range []string{`{}`, `{"days":0}`, `{"days":366}`, `{"days":-1}`, `{"days":1e9}`, `{"days":365,"label":"x"}`,
		`{"label":"` + strings.Repeat("a", 200) + `"}`, `{"days":"never"}`, `[]`, `{"days":30}{"days":400}`, ``} {
		f.Add(s)
	}
	db, err := store.Open(context.Background(), filepath.Join(f.TempDir(), "o.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	if _, err := db.CreateUser(storeCtx(), outpost.User{Name: "admin", Role: outpost.RoleAdmin}, "argon2id-stand-in"); err != nil {
		f.Fatal(err)
	}
	secret, hash := auth.NewSecret(auth.SessionPrefix)
	if err := db.CreateSession(storeCtx(), outpost.Session{Hash: hash, User: "admin", Created: testNow, Expires: testNow.Add(time.Hour)}); err != nil {
		f.Fatal(err)
	}
	srv, err := New(Config{Store: db, Now: func() time.Time { return testNow }})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(srv.Close)
	fx := &fixture{srv: srv}
	cookie := &http.Cookie{Name: auth.SessionCookie, Value: secret}
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/api/v1/me/tokens", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		fx.srv.Handler().ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusCreated:
			var tk api.CreatedToken
			if err := json.Unmarshal(rec.Body.Bytes(), &tk); err != nil {
				t.Fatal(err)
			}
			if life := tk.Token.Expires.Sub(testNow); life <= 0 || life > outpost.MaxTokenLifetime {
				t.Fatalf("body %q: a token that lasts %v", body, life)
			}
		case http.StatusBadRequest:
		default:
			t.Fatalf("body %q: got %d %s", body, rec.Code, rec.Body)
		}
	})
}

// attemptCounter is a store that counts the sign-in attempts written to
// it.
type attemptCounter struct {
	outpost.Store
	mu     sync.Mutex
	writes int
}

func (c *attemptCounter) UpdateAttempts(ctx context.Context, key string, fn func(outpost.Attempts) (outpost.Attempts, bool)) error {
	c.mu.Lock()
	c.writes++
	c.mu.Unlock()
	return c.Store.UpdateAttempts(ctx, key, fn)
}

func (c *attemptCounter) ForgetAttempts(ctx context.Context, before time.Time, keep int) (int, error) {
	c.mu.Lock()
	c.writes++
	c.mu.Unlock()
	return c.Store.ForgetAttempts(ctx, before, keep)
}

// On SQLite, sign-in attempts, refused or not, write nothing to the
// database (its one writer is the check-ins'); throttling still holds.
// On PostgreSQL they are counted in the database, for every server.
func TestSignInAttemptsOnSQLiteWriteNothing(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			st := &attemptCounter{Store: open(t)}
			f := newFixture(t, st)
			codes := map[int]int{}
			for range 8 {
				codes[f.send("POST", "/signin", "198.51.100.66:1", nil, signInForm("staff", "wrong password", "/")).Code]++
			}
			if codes[http.StatusUnauthorized] != 5 || codes[http.StatusTooManyRequests] != 3 {
				t.Errorf("eight guesses: got %v, want 5 refusals, then 429", codes)
			}
			st.mu.Lock()
			writes := st.writes
			st.mu.Unlock()
			if name == "sqlite" && writes != 0 {
				t.Errorf("SQLite: %d sign-in attempt writes, want none", writes)
			}
			if name == "postgres" && writes < 8 {
				t.Errorf("PostgreSQL: %d sign-in attempt writes, want every attempt counted in the database", writes)
			}
		})
	}
}
