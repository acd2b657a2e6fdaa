package server

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/api"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
)

// hangGuard is how long one fuzzed request may take before the case fails
// as a hang. Normal answers take milliseconds; the guard only catches
// requests that never end (an endless loop grows memory fast, so the
// guard stops the whole process rather than leave it running).
const hangGuard = 5 * time.Second

// FuzzAPIRoutes sends fuzzed requests to every route of the JSON API
// through the server's full handler (middleware, authentication, routing)
// as the admin and as a press user, and fails on any answer a client
// cannot rely on: a panic, a hang, a 500, an empty 200, a success that is
// not valid JSON, or an error that is not a JSON error with a message.
//
// An input is: the route (its index in the sorted route table, modulo its
// length); the values of the route's path parameters, separated by "\n";
// a query string, whose parts without "=" are the values of the route's
// documented query parameters in order (so "9999-12-31&9999-12-31" on the
// headcount is from= and to=); and a JSON body: sent as is when it starts
// with "{", otherwise the values of the route's request fields in order,
// separated by "\n" (text fields quoted, other fields raw when they are
// JSON, so "1e308" is a number). In all three, {{64K}} and {{1M}} stand
// for that much text.
//
// Reads go to one seeded server; a write is sent twice as the admin and
// once as press (with "{{n}}" in the body replaced by 1, 2, 3) to a fresh
// copy of the seeded database, whose summary routes are then read back,
// so that every input can be replayed alone.
// With OUTPOST_TEST_POSTGRES set, the seed corpus also runs on
// PostgreSQL (writes on one seeded schema, in corpus order); fuzzing runs
// on SQLite.
func FuzzAPIRoutes(f *testing.F) {
	rf := newRouteFuzzer(f)
	for _, s := range routeSeeds {
		f.Add(rf.index(f, s.method, s.path), s.params, s.query, s.body)
	}
	f.Fuzz(func(t *testing.T, route uint16, params, query, body string) {
		rt := rf.routes[int(route)%len(rf.routes)]
		params, query, body = expandLong(params), expandLong(query), expandLong(body)
		for _, e := range rf.engines {
			rf.run(t, e, rt, params, query, body)
		}
	})
}

// routeSeed is one seed of FuzzAPIRoutes, naming its route.
type routeSeed struct {
	method, path, params, query, body string
}

// routeSeeds are the cases of issue 11 and their neighbours.
var routeSeeds = func() []routeSeed {
	s := []routeSeed{
		// Dates at the ends of the calendar, in every date parameter.
		{"GET", "/api/v1/census/headcount", "", "9999-12-31&9999-12-31", ""},
		{"GET", "/api/v1/census/headcount", "", "0001-01-01&0001-01-01", ""},
		{"GET", "/api/v1/census/headcount", "", "9999-12-30&9999-12-31", ""},
		{"GET", "/api/v1/census/headcount", "", "0001-01-01&9999-12-31", ""},
		{"GET", "/api/v1/census/headcount", "", "2021-04-01&2021-03-01", ""},
		{"GET", "/api/v1/sitrep", "", "date=9999-12-31", ""},
		{"GET", "/api/v1/sitrep", "", "date=0001-01-01", ""},
		{"GET", "/api/v1/sitrep", "", "date=2021-02-30&format=exe", ""},
		{"GET", "/api/v1/census", "", "as_of=9999-12-31", ""},
		{"GET", "/api/v1/census", "", "as_of=0001-01-01", ""},
		{"GET", "/api/v1/census", "", "as_of=9999-12-31T23:59:59-23:59", ""},
		{"GET", "/api/v1/missions", "", "as_of=0001-01-01T00:00:00%2B14:00", ""},
		{"GET", "/api/v1/missions/{code}", "RU", "as_of=9999-12-31", ""},
		{"GET", "/api/v1/supply/status", "", "as_of=9999-12-31&threshold=-1", ""},
		{"GET", "/api/v1/supply/status", "", "as_of=0001-01-01&threshold=99999999999999999999", ""},
		{"GET", "/api/v1/supply/pool/{item}", "FLOUR", "as_of=9999-12-31&target=RU", ""},
		{"GET", "/api/v1/restrictions", "", "on=9999-12-31", ""},
		{"GET", "/api/v1/restrictions", "", "on=0001-01-01", ""},
		// Quantities: huge, negative, not finite, not numbers.
		{"POST", "/api/v1/supply/receipts", "", "", "RU\nFLOUR\nL{{n}}\n1e308"},
		{"POST", "/api/v1/supply/receipts", "", "", "RU\nFLOUR\nL{{n}}\n-1e308"},
		{"POST", "/api/v1/supply/receipts", "", "", "RU\nFLOUR\nL{{n}}\n1e309"},
		{"POST", "/api/v1/supply/receipts", "", "", `{"mission":"RU","item":"FLOUR","lot":"L{{n}}","quantity":NaN}`},
		{"POST", "/api/v1/supply/receipts", "", "", `{"mission":"RU","item":"FLOUR","lot":"L{{n}}","quantity":Infinity}`},
		{"POST", "/api/v1/supply/receipts", "", "", `{"mission":"RU","item":"FLOUR","lot":"L{{n}}","quantity":"NaN"}`},
		{"POST", "/api/v1/supply/receipts", "", "", "RU\nFLOUR\nL{{n}}\n5\n9999-12-31\n0001-01-01"},
		{"POST", "/api/v1/supply/issues", "", "", "RU\nFLOUR\n1e308"},
		{"POST", "/api/v1/supply/issues", "", "", "RU\nFLOUR\n-1e308\n9999-12-31"},
		{"POST", "/api/v1/supply/transfers", "", "", "FLOUR\nRU\nSE\n1e308"},
		{"POST", "/api/v1/supply/transfers", "", "", "FLOUR\nRU\nSE\n5e-324\n0001-01-01"},
		// Tracking events at the ends of the calendar.
		{"POST", "/api/v1/people/{id}/track", "RU-0002", "", "assembled\n9999-12-31T23:59\nlate"},
		{"POST", "/api/v1/people/{id}/track", "RU-0002", "", "assembled\n0001-01-01T00:00"},
		// Ids that are paths, queries and fragments.
		{"GET", "/api/v1/people/{id}", "RU/../../x", "", ""},
		{"GET", "/api/v1/people/{id}", "RU-7006?x=1#y", "", ""},
		{"POST", "/api/v1/people/{id}/track", "RU/../../x", "", "assembled"},
		{"POST", "/api/v1/medical/cases", "", "", "RU/../../x\nurgent\ndialysis"},
		{"GET", "/api/v1/missions/{code}", "RU/../..", "", ""},
		{"GET", "/api/v1/supply/pool/{item}", "FLOUR?x=1#y", "", ""},
		{"GET", "/api/v1/plans/{plan}/departures/{departure}/board", "1\n../1", "", ""},
		{"GET", "/api/v1/rollcalls/{rollcall}", "99999999999999999999", "", ""},
		{"GET", "/api/v1/statements/{id}", "-1", "", ""},
		// NUL bytes in text.
		{"POST", "/api/v1/rollcalls", "", "", "Morning\x00check"},
		{"POST", "/api/v1/statements", "", "", "Title\x00\nBody\x00"},
		{"POST", "/api/v1/medical/cases", "", "", "RU-0002\nurgent\nins\x00ulin"},
		{"POST", "/api/v1/rollcalls/{rollcall}/checkins", "1", "", "RU-0002\nsafe\nfine\x00"},
		{"POST", "/api/v1/users", "", "", "bob\x00\nstaff\nRU"},
		{"PATCH", "/api/v1/medical/cases/{case}", "1", "", "\x00\n\x00"},
		{"GET", "/api/v1/people", "", "q=%00&after=%00", ""},
		// Search, cursors and limits.
		{"GET", "/api/v1/people", "", "q=20&limit=1", ""},
		{"GET", "/api/v1/people", "", "after=garbage&limit=-1", ""},
		{"GET", "/api/v1/people", "", "after=%FF%FE&limit=18446744073709551616", ""},
		{"GET", "/api/v1/people", "", "status=nope&limit=0", ""},
		{"GET", "/api/v1/audit", "", "limit=-1", ""},
		{"GET", "/api/v1/audit", "", "limit=9223372036854775807&entity=%00", ""},
		{"GET", "/api/v1/rollcalls", "", "limit=1e3", ""},
		{"GET", "/api/v1/statements", "", "limit=-0&mission=XX", ""},
		{"GET", "/api/v1/medical/cases", "", "all=maybe&mission=RU", ""},
		{"GET", "/api/v1/rollcalls/{rollcall}/links", "1", "base_url=javascript:alert(1)", ""},
		{"GET", "/api/v1/plans/{plan}/departures/{departure}/manifest", "1\n1", "format=exe", ""},
		// The byte order mark of CSV downloads.
		{"GET", "/api/v1/rollcalls/{rollcall}/links", "1", "bom=1", ""},
		{"GET", "/api/v1/rollcalls/{rollcall}/links", "1", "bom=%00&bom=1", ""},
		{"GET", "/api/v1/plans/{plan}/departures/{departure}/manifest", "1\nTRAIN-1", "bom=2&format=pdf", ""},
		{"GET", "/api/v1/plans/{plan}/departures/{departure}/manifest", "1\nTRAIN-1", "bom=true&format=csv", ""},
		// Bodies that are not one JSON object.
		{"POST", "/api/v1/rollcalls", "", "", `{"title":"a"} {"title":"b"}`},
		{"POST", "/api/v1/plans", "", "", `{"start":"9999-12-31"}`},
		{"POST", "/api/v1/plans", "", "", `{"start":"0001-01-01"}`},
		{"POST", "/api/v1/me/tokens", "", "", "x\n-1"},
		{"POST", "/api/v1/me/tokens", "", "", "x\n9223372036854775807"},
		{"POST", "/api/v1/rollcalls", "", "", "Storm\n\n-1h"},
		{"POST", "/api/v1/rollcalls", "", "", "Storm\n\n9223372036854775807h"},
	}
	// Very long texts, in every kind of title and name.
	s = append(s,
		routeSeed{"POST", "/api/v1/rollcalls", "", "", "{{1M}}"},
		routeSeed{"POST", "/api/v1/statements", "", "", "t\n{{1M}}"},
		routeSeed{"POST", "/api/v1/medical/cases", "", "", "RU-0002\nurgent\n{{1M}}"},
		routeSeed{"POST", "/api/v1/users", "", "", "{{64K}}\nstaff\nRU"},
		routeSeed{"GET", "/api/v1/people/{id}", "{{64K}}", "", ""},
		routeSeed{"GET", "/api/v1/people", "", "q={{64K}}", ""},
	)
	return s
}()

// expandLong replaces {{64K}} and {{1M}} by that many bytes of text (1M
// leaves room for the rest of a body within the API's 1 MiB limit), so
// that the corpus stays small while its inputs can be long.
func expandLong(s string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	s = strings.ReplaceAll(s, "{{64K}}", strings.Repeat("x", 1<<16))
	return strings.ReplaceAll(s, "{{1M}}", strings.Repeat("x", 1<<20-256))
}

// routeFuzzer holds what FuzzAPIRoutes shares between its inputs.
type routeFuzzer struct {
	routes  []api.Route
	engines []*fuzzEngine
}

// fuzzEngine is one store the fuzzed requests go to.
type fuzzEngine struct {
	name string
	// read serves reads: they leave the data as it was.
	read *fixture
	// write returns a server whose data the input may change.
	write func(t *testing.T) *fixture
}

func fuzzing() bool {
	fl := flag.Lookup("test.fuzz")
	return fl != nil && fl.Value.String() != ""
}

func newRouteFuzzer(f *testing.F) *routeFuzzer {
	rf := &routeFuzzer{}
	// The template: a seeded SQLite database, copied for each write.
	dir := f.TempDir()
	tmpl := filepath.Join(dir, "template.db")
	db, err := store.Open(context.Background(), tmpl)
	if err != nil {
		f.Fatal(err)
	}
	fx := newFuzzFixture(f, db)
	users := fx.users
	fx.srv.Close()
	if err := db.Close(); err != nil {
		f.Fatal(err)
	}
	if _, err := os.Stat(tmpl + "-wal"); err == nil {
		f.Fatal("fuzz harness: the template database still has a WAL file after closing")
	}
	n := 0
	openCopy := func(tb testing.TB) *fixture {
		// Beside the template, not in tb.TempDir(): a seed's directory
		// is named "…seed#N…", and the store reads "#" in a path as the
		// start of a URI fragment.
		n++
		path := filepath.Join(dir, fmt.Sprintf("copy%d.db", n))
		tb.Cleanup(func() {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(path + suffix)
			}
		})
		b, err := os.ReadFile(tmpl)
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			tb.Fatal(err)
		}
		s, err := store.Open(context.Background(), path)
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { s.Close() })
		srv, err := New(Config{Store: s, Version: "test", Now: func() time.Time { return testNow }})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(srv.Close)
		return &fixture{t: tb, store: s, srv: srv, users: users}
	}
	read := openCopy(f)
	rf.engines = append(rf.engines, &fuzzEngine{name: "sqlite", read: read, write: func(t *testing.T) *fixture { return openCopy(t) }})
	if open, ok := engines(f)["postgres"]; ok && !fuzzing() {
		pg := newFuzzFixture(f, open(f))
		rf.engines = append(rf.engines, &fuzzEngine{name: "postgres", read: pg, write: func(*testing.T) *fixture { return pg }})
	}
	rf.routes = read.srv.API().Routes()
	if len(rf.routes) < 15 {
		f.Fatalf("only %d API routes", len(rf.routes))
	}
	return rf
}

// newFuzzFixture is the test corps with a catalogue of items.
func newFuzzFixture(tb testing.TB, s outpost.Store) *fixture {
	fx := newFixture(tb, s)
	tb.Cleanup(fx.srv.Close)
	if _, err := s.ImportItems(storetest.Ctx(), storetest.Batch(storetest.Items()...)); err != nil {
		tb.Fatal(err)
	}
	return fx
}

// index returns the position of a route in the table.
func (rf *routeFuzzer) index(f *testing.F, method, path string) uint16 {
	for i, rt := range rf.routes {
		if rt.Method == method && rt.Path == path {
			return uint16(i)
		}
	}
	f.Fatalf("no route %s %s", method, path)
	return 0
}

// probes are the summaries read back after a write: where a bad value
// that was stored would show.
var probes = []string{
	"/api/v1/supply/status",
	"/api/v1/supply/pool/FLOUR",
	"/api/v1/sitrep",
	"/api/v1/census",
	"/api/v1/census/headcount?from=2021-01-01&to=2021-04-30",
	"/api/v1/people?limit=1000",
	"/api/v1/rollcalls",
	"/api/v1/medical/cases",
	"/api/v1/statements",
	"/api/v1/audit",
}

func (rf *routeFuzzer) run(t *testing.T, e *fuzzEngine, rt api.Route, params, query, body string) {
	target := fuzzTarget(rt, params, query)
	if rt.Method == http.MethodGet {
		for _, who := range []string{"admin", "press"} {
			checkAnswer(t, e, rt, who, target, nil, e.read, true)
		}
		return
	}
	fx := e.write(t)
	for i, who := range []string{"admin", "admin", "press"} {
		// {{n}} tells the sends apart, so that a second record (a lot, a
		// title) is not refused as a duplicate of the first.
		b := strings.ReplaceAll(body, "{{n}}", strconv.Itoa(i+1))
		// Only the first send must find its caller signed in: a write may
		// end the callers' tokens (disabling a user, changing a password).
		checkAnswer(t, e, rt, who, target, fuzzBody(rt, b), fx, i == 0)
	}
	for _, p := range probes {
		probe := api.Route{Method: "GET", Path: p}
		checkAnswer(t, e, probe, "admin", p, nil, fx, false)
	}
}

// fuzzTarget builds the request target: path parameters escaped into the
// path, the query with its bare values named after the route's documented
// query parameters. Bytes a client could not send raw are escaped.
func fuzzTarget(rt api.Route, params, query string) string {
	vals := strings.Split(params, "\n")
	p := strings.ReplaceAll(rt.Path, "{$}", "")
	for i, name := range api.PathParams(rt.Path) {
		v := "1"
		if i < len(vals) && vals[i] != "" {
			v = vals[i]
		}
		p = strings.Replace(p, "{"+name+"...}", url.PathEscape(v), 1)
		p = strings.Replace(p, "{"+name+"}", url.PathEscape(v), 1)
	}
	if query == "" {
		return p
	}
	var names []string
	for _, prm := range rt.Doc.Params {
		if prm.In == "query" {
			names = append(names, prm.Name)
		}
	}
	parts := strings.Split(query, "&")
	for i, part := range parts {
		if !strings.Contains(part, "=") && i < len(names) {
			parts[i] = names[i] + "=" + part
		}
	}
	return p + "?" + escapeQuery(strings.Join(parts, "&"))
}

// escapeQuery percent-encodes the bytes that cannot appear raw in a
// request line, keeping the rest (and existing escapes) as they are.
func escapeQuery(q string) string {
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c <= ' ' || c >= 0x7f || c == '#' || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// fuzzBody builds the JSON body: as given when it starts with "{",
// otherwise from the values of the request type's fields in order.
func fuzzBody(rt api.Route, body string) []byte {
	if strings.HasPrefix(body, "{") || rt.Doc.Body == nil {
		return []byte(body)
	}
	t := reflect.TypeOf(rt.Doc.Body)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return []byte(body)
	}
	vals := strings.Split(body, "\n")
	var b bytes.Buffer
	b.WriteByte('{')
	n := 0
	for i := 0; i < t.NumField() && n < len(vals); i++ {
		fd := t.Field(i)
		name, _, _ := strings.Cut(fd.Tag.Get("json"), ",")
		if !fd.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = fd.Name
		}
		v := vals[n]
		n++
		if v == "" {
			continue
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(name)
		b.Write(key)
		b.WriteByte(':')
		kind := fd.Type.Kind()
		if kind == reflect.Pointer {
			kind = fd.Type.Elem().Kind()
		}
		if kind != reflect.String && json.Valid([]byte(v)) {
			b.WriteString(v)
		} else {
			s, _ := json.Marshal(v)
			b.Write(s)
		}
	}
	b.WriteByte('}')
	return b.Bytes()
}

// checkAnswer sends one request as who and fails the case on an answer a
// client cannot rely on; with signedIn, also when who's token is refused,
// which would make the case test nothing.
func checkAnswer(t *testing.T, e *fuzzEngine, rt api.Route, who, target string, body []byte, fx *fixture, signedIn bool) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatalf("fuzz harness: target %q: %v", target, err)
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req := httptest.NewRequest(rt.Method, "/", rd)
	req.URL = u
	req.RequestURI = u.RequestURI()
	req.RemoteAddr = "192.0.2.1:1234"
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+fx.users[who].token)
	rec := serveGuarded(fx.srv.Handler(), req)
	if signedIn && rec.Code == http.StatusUnauthorized && !strings.Contains(target, "/me/") {
		t.Fatalf("fuzz harness: %s %s as %s: not signed in: %s", rt.Method, shorten(target), who, rec.Body)
	}
	where := fmt.Sprintf("%s: %s %s as %s (body %s)", e.name, rt.Method, shorten(target), who, shorten(string(body)))
	res := rec.Result()
	got, _ := io.ReadAll(res.Body)
	ctype, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type"))
	isFile := strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment")
	switch {
	case res.StatusCode >= 500:
		t.Fatalf("%s: got %d %s", where, res.StatusCode, shorten(string(got)))
	case res.StatusCode == http.StatusNoContent:
	case len(got) == 0:
		t.Fatalf("%s: got %d with an empty body", where, res.StatusCode)
	case res.StatusCode/100 == 2 && isFile:
	case ctype != "application/json":
		t.Fatalf("%s: got %d with Content-Type %q, want JSON: %s", where, res.StatusCode, ctype, shorten(string(got)))
	case !json.Valid(got):
		t.Fatalf("%s: got %d with a body that is not valid JSON: %s", where, res.StatusCode, shorten(string(got)))
	case res.StatusCode/100 != 2:
		var eb api.ErrorBody
		if err := json.Unmarshal(got, &eb); err != nil || eb.Error.Code == "" || eb.Error.Message == "" {
			t.Fatalf("%s: got %d, want a JSON error with a code and a message: %s", where, res.StatusCode, shorten(string(got)))
		}
	}
}

// serveGuarded serves one request with a deadline. A request still
// running well after it is a hang, which cannot be stopped from here: the
// process panics with the handler's stack, so that a runaway loop does not
// eat the machine's memory while other cases run.
func serveGuarded(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	ctx, cancel := context.WithTimeout(req.Context(), hangGuard)
	defer cancel()
	req = req.WithContext(ctx)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.ServeHTTP(rec, req)
	}()
	timer := time.NewTimer(hangGuard + time.Second)
	defer timer.Stop()
	select {
	case <-done:
		return rec
	case <-timer.C:
	}
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var stack string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "internal/api.") || strings.Contains(g, "internal/web.") {
			// The frames down to the API's handler say where it loops.
			lines := strings.Split(g, "\n")
			stack = strings.Join(lines[:min(len(lines), 13)], "\n")
			break
		}
	}
	panic(fmt.Sprintf("hang: %s %s did not answer within %v; the handler is at:\n%s",
		req.Method, shorten(req.URL.String()), hangGuard, stack))
}

func shorten(s string) string {
	if len(s) > 300 {
		return fmt.Sprintf("%q… (%d bytes)", s[:300], len(s))
	}
	return fmt.Sprintf("%q", s)
}
