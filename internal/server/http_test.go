package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/auth"
)

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t, engines(t)["sqlite"](t))
	for _, target := range []string{"/signin", "/api/v1/census", "/nowhere", "/healthz"} {
		res := f.get(target, "")
		want := map[string]string{
			"Content-Security-Policy": csp,
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "same-origin",
			"X-Frame-Options":         "DENY",
		}
		for k, v := range want {
			if got := res.header.Get(k); got != v {
				t.Errorf("%s: %s: got %q, want %q", target, k, got, v)
			}
		}
		if !strings.Contains(res.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s: the CSP does not forbid framing", target)
		}
		if len(res.header.Get("X-Request-Id")) < 8 {
			t.Errorf("%s: no request id", target)
		}
	}
	req := httptest.NewRequest("GET", "/healthz", nil)
	req.Header.Set("X-Request-Id", "abc-123")
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	if got := rec.Header().Get("X-Request-Id"); got != "abc-123" {
		t.Errorf("a given request id: got %q, want it echoed", got)
	}
	req.Header.Set("X-Request-Id", "bad id\n<script>")
	rec = httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	if got := rec.Header().Get("X-Request-Id"); strings.ContainsAny(got, " <\n") {
		t.Errorf("a bad request id was echoed: %q", got)
	}
}

func TestSignInFlow(t *testing.T) {
	f := newFixture(t, engines(t)["sqlite"](t))
	form := func(name, pw, next string) string {
		return url.Values{"name": {name}, "password": {pw}, "next": {next}}.Encode()
	}
	const formType = "application/x-www-form-urlencoded"
	res := f.do("POST", "/signin", "", "", formType, form("staff", "correct horse battery", "/people"))
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/people" {
		t.Fatalf("sign in: got %d to %q, want 303 to /people", res.status, res.header.Get("Location"))
	}
	cookie := (&http.Response{Header: res.header}).Cookies()
	if len(cookie) != 1 || cookie[0].Name != auth.SessionCookie {
		t.Fatalf("sign in: got cookies %v", cookie)
	}
	c := cookie[0]
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure {
		t.Errorf("cookie: got HttpOnly %v, SameSite %v, Secure %v; want HttpOnly, Lax, not Secure without TLS", c.HttpOnly, c.SameSite, c.Secure)
	}
	// The cookie signs in; the database holds only its hash.
	req := httptest.NewRequest("GET", "/people", nil)
	req.AddCookie(c)
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), nameMarker("RU-0001")) {
		t.Errorf("with the cookie: got %d", rec.Code)
	}
	if _, err := f.store.UserBySession(context.Background(), c.Value, testNow); err == nil {
		t.Error("the session's secret is stored as it is")
	}
	// Signing out ends the session.
	req = httptest.NewRequest("POST", "/signout", nil)
	req.AddCookie(c)
	rec = httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	req = httptest.NewRequest("GET", "/people", nil)
	req.AddCookie(c)
	rec = httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		t.Errorf("after signing out: got %d, want a redirect to sign in", rec.Code)
	}
	// A next that leaves the site goes to the dashboard instead.
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil"} {
		res := f.do("POST", "/signin", "", "", formType, form("manager", "correct horse battery", next))
		if got := res.header.Get("Location"); got != "/" {
			t.Errorf("next %q: redirected to %q, want /", next, got)
		}
	}
	// Secure cookies behind TLS.
	req = httptest.NewRequest("POST", "https://outpost.example/signin", strings.NewReader(form("press", "correct horse battery", "/")))
	req.Header.Set("Content-Type", formType)
	rec = httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	if cs := rec.Result().Cookies(); len(cs) != 1 || !cs[0].Secure {
		t.Errorf("over TLS: got cookies %v, want a Secure one", cs)
	}
}

func TestSignInRateLimit(t *testing.T) {
	f := newFixture(t, engines(t)["sqlite"](t))
	const formType = "application/x-www-form-urlencoded"
	statuses := map[int]int{}
	for range 8 {
		res := f.do("POST", "/signin", "", "", formType, "name=staff&password=wrong+password")
		statuses[res.status]++
	}
	if statuses[http.StatusTooManyRequests] == 0 || statuses[http.StatusUnauthorized] != 5 {
		t.Errorf("eight wrong passwords for one name: got %v, want 5 refusals then 429", statuses)
	}
	// The right password is refused too while the name is locked.
	res := f.do("POST", "/signin", "", "", formType, "name=staff&password=correct+horse+battery")
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" {
		t.Errorf("locked name: got %d, want 429 with Retry-After", res.status)
	}
	// Another name from the same address may still try.
	res = f.do("POST", "/signin", "", "", formType, "name=manager&password=correct+horse+battery")
	if res.status != http.StatusSeeOther {
		t.Errorf("another name: got %d, want 303", res.status)
	}
}

func TestCrossOriginPostsAreRefused(t *testing.T) {
	f := newFixture(t, engines(t)["sqlite"](t))
	for _, target := range []string{"/people/RU-0002/track", "/api/v1/people/RU-0002/track", "/signin"} {
		req := httptest.NewRequest("POST", target, strings.NewReader("checkpoint=departed"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://evil.example")
		req.AddCookie(f.session("staff"))
		rec := httptest.NewRecorder()
		f.srv.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("cross-site POST %s: got %d, want 403", target, rec.Code)
		}
	}
	evs, _ := f.store.Events(context.Background(), "RU-0002")
	if len(evs) != 1 {
		t.Errorf("a cross-site POST wrote: %d events", len(evs))
	}
	// The same form from this site works.
	req := httptest.NewRequest("POST", "/people/RU-0002/track", strings.NewReader("checkpoint=departed&at=2021-02-25T09:30"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.AddCookie(f.session("staff"))
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/people/RU-0002?tracked=departed" {
		t.Errorf("same-site tracking form: got %d to %q", rec.Code, rec.Header().Get("Location"))
	}
}

func TestHealthAndMetrics(t *testing.T) {
	f := newFixture(t, engines(t)["sqlite"](t))
	if res := f.get("/healthz", ""); res.status != 200 || !strings.Contains(res.body, `"ok"`) {
		t.Errorf("healthz: got %d %s", res.status, res.body)
	}
	f.get("/api/v1/people/RU-0002", "staff")
	f.get("/api/v1/people/RU-0003", "staff")
	f.get("/no/such/page", "staff")
	res := f.do("GET", "/metrics", "admin", "token", "", "")
	for _, want := range []string{
		`outpost_http_requests_total{code="200",method="GET",route="GET /api/v1/people/{id}"} 2`,
		`outpost_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`outpost_http_request_duration_seconds_bucket{method="GET",route="GET /api/v1/people/{id}"`,
		"outpost_db_up 1",
		"outpost_db_open_connections",
		"go_goroutines",
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(res.body, "RU-0002") {
		t.Error("metrics are labelled by path, not by route pattern")
	}
}

func TestSnapshotRebuildsOnlyAfterWrites(t *testing.T) {
	f := newFixture(t, engines(t)["sqlite"](t))
	ctx := context.Background()
	s1, err := f.srv.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := f.srv.Snapshot(ctx)
	if s1 != s2 {
		t.Error("the snapshot was rebuilt without a write")
	}
	if res := f.postJSON("/api/v1/people/RU-0002/track", "staff", `{"checkpoint":"departed","at":"2021-03-01"}`); res.status != 201 {
		t.Fatalf("track: %d %s", res.status, res.body)
	}
	s3, _ := f.srv.Snapshot(ctx)
	if s3 == s2 || s3.Version <= s2.Version {
		t.Errorf("after a write: got version %d, want a new snapshot past %d", s3.Version, s2.Version)
	}
	if got := s3.Pop.At(testNow).InTransit; got != 1 {
		t.Errorf("the new snapshot: got %d in transit, want 1", got)
	}
}

func TestWebPages(t *testing.T) {
	f := newFixture(t, engines(t)["sqlite"](t))
	cases := []struct {
		who, target string
		status      int
		want        []string
	}{
		{"staff", "/", 200, []string{`id="stat-in-country">5<`, "Headcount over time", `aria-current="page"`, "Sign out"}},
		{"coordinator", "/", 200, []string{`id="stat-heads">1<`}},
		{"coordinator", "/people", 403, []string{"not people", "Not allowed"}},
		{"staff", "/people", 200, []string{nameMarker("RU-0003"), `value="RU"`}},
		{"admin", "/people?mission=SE", 200, []string{nameMarker("SE-0001")}},
		{"staff", "/people/RU-0002", 200, []string{passportMarker("RU-0002"), "Record a checkpoint", "Presence timeline"}},
		{"press", "/people/RU-0002", 200, []string{nameMarker("RU-0002")}},
		{"staff", "/people/SE-0001", 404, []string{"Not found"}},
		{"staff", "/missions", 200, []string{"World Food Programme", "badge-suspended"}},
		{"coordinator", "/missions/SE", 200, []string{"Embassy of Sweden", "records are for its own staff"}},
		{"manager", "/audit", 200, []string{"Audit log"}},
		{"staff", "/audit", 403, nil},
		{"staff", "/nowhere", 404, []string{"There is no page at /nowhere."}},
		{"", "/signin", 200, []string{`autocomplete="current-password"`, `<label for="password">`}},
		{"staff", "/static/style.css", 200, []string{"--accent"}},
	}
	for _, c := range cases {
		res := f.get(c.target, c.who)
		if res.status != c.status {
			t.Errorf("%s %s: got %d, want %d", c.who, c.target, res.status, c.status)
		}
		for _, w := range c.want {
			if !strings.Contains(res.body, w) {
				t.Errorf("%s %s: the page lacks %q", c.who, c.target, w)
			}
		}
	}
	res := f.get("/people/RU-0002", "press")
	if strings.Contains(res.body, passportMarker("RU-0002")) || strings.Contains(res.body, "Record a checkpoint") {
		t.Error("press see a passport or the tracking form")
	}
	res = f.get("/people/RU-0002", "coordinator")
	if res.status != 404 {
		t.Errorf("the coordinator opens a person: got %d, want 404", res.status)
	}
	res = f.get("/audit", "staff")
	if strings.Contains(res.body, `href="/audit"`) {
		t.Error("staff see the audit log in the navigation")
	}
}

// TestMetricsLabelsAreBounded: a method a client invents, in any case,
// is counted as "other" and a path that matches no route as "unmatched",
// so that no request can add a series of its own.
func TestMetricsLabelsAreBounded(t *testing.T) {
	f := newFixture(t, engines(t)["sqlite"](t))
	for _, m := range []string{"BREW", "get", "PROPFIND", "XYZZY1234"} {
		f.do(m, "/", "", "", "", "")
		f.do(m, "/statements", "", "", "", "")
		f.do(m, "/no/such/"+m, "", "", "", "")
	}
	f.do("DELETE", "/no/such/path", "", "", "", "")
	res := f.do("GET", "/metrics", "admin", "token", "", "")
	for _, bad := range []string{"BREW", `method="get"`, "PROPFIND", "XYZZY", "/no/such"} {
		if strings.Contains(res.body, bad) {
			t.Errorf("the metrics have a series for %q", bad)
		}
	}
	for _, want := range []string{`method="other",route="unmatched"} 12`, `method="DELETE",route="unmatched"} 1`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	for _, line := range strings.Split(res.body, "\n") {
		if strings.HasPrefix(line, "outpost_http_requests_total{") && !strings.Contains(line, `route="unmatched"`) &&
			!strings.Contains(line, `route="GET `) {
			t.Errorf("a series with a route that is not a pattern: %s", line)
		}
	}
}
