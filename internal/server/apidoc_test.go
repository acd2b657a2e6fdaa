package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// docURL is where the tests put the served OpenAPI document for the
// validator: nothing is fetched, $refs resolve inside it.
const docURL = "file:///outpost/openapi.json"

// docChecker validates answers against the OpenAPI document the server
// serves: the status must be documented for the operation, the media
// type declared for that status, and a JSON body valid against its schema,
// which the checker closes (additionalProperties: false on every object)
// so that an undocumented field fails too.
type docChecker struct {
	t       *testing.T
	doc     map[string]any
	c       *jsonschema.Compiler
	schemas map[string]*jsonschema.Schema
	// statuses counts the answers checked by status.
	statuses map[int]int
	// ok records the operations that answered a success.
	ok map[string]bool
}

func newDocChecker(t *testing.T, body string) *docChecker {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
	if err != nil {
		t.Fatalf("the document is not JSON: %v", err)
	}
	strict, _ := jsonschema.UnmarshalJSON(strings.NewReader(body))
	closeObjects(strict)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(docURL, strict); err != nil {
		t.Fatal(err)
	}
	return &docChecker{t: t, doc: doc.(map[string]any), c: c, schemas: map[string]*jsonschema.Schema{},
		statuses: map[int]int{}, ok: map[string]bool{}}
}

// closeObjects sets additionalProperties: false on every object schema
// with properties that leaves it unsaid.
func closeObjects(v any) {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["properties"].(map[string]any); ok {
			if _, set := x["additionalProperties"]; !set {
				x["additionalProperties"] = false
			}
		}
		for _, e := range x {
			closeObjects(e)
		}
	case []any:
		for _, e := range x {
			closeObjects(e)
		}
	}
}

// pointer escapes s as a JSON Pointer token in a URL fragment.
func pointer(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
	return url.PathEscape(s)
}

// op returns the operation of method and path, or nil.
func (d *docChecker) op(method, path string) map[string]any {
	ops, _ := d.doc["paths"].(map[string]any)[path].(map[string]any)
	op, _ := ops[strings.ToLower(method)].(map[string]any)
	return op
}

// schema compiles the schema at a JSON pointer of the document, once.
func (d *docChecker) schema(ptr string) (*jsonschema.Schema, error) {
	if s, ok := d.schemas[ptr]; ok {
		return s, nil
	}
	s, err := d.c.Compile(docURL + "#" + ptr)
	if err != nil {
		return nil, err
	}
	d.schemas[ptr] = s
	return s, nil
}

// check validates one answer of the operation method path (a route's
// pattern path); where says what was asked, for the messages.
func (d *docChecker) check(where, method, path string, res response) {
	t := d.t
	t.Helper()
	d.statuses[res.status]++
	op := d.op(method, path)
	if op == nil {
		t.Errorf("%s: %s %s is not in the document", where, method, path)
		return
	}
	if res.status >= 500 {
		t.Errorf("%s: server error %d: %.300s", where, res.status, res.body)
	}
	code := strconv.Itoa(res.status)
	resp, ok := op["responses"].(map[string]any)[code].(map[string]any)
	if !ok {
		t.Errorf("%s: status %d is not documented for %s %s: %.300s", where, res.status, method, path, res.body)
		return
	}
	if res.status < 300 {
		d.ok[method+" "+path] = true
	}
	d.checkBody(where, "/paths/"+pointer(path)+"/"+strings.ToLower(method)+"/responses/"+code, resp, res)
}

// checkBody validates an answer against the response object resp found
// at the JSON pointer ptr.
func (d *docChecker) checkBody(where, ptr string, resp map[string]any, res response) {
	t := d.t
	t.Helper()
	headers, _ := resp["headers"].(map[string]any)
	for name, h := range headers {
		if h.(map[string]any)["required"] == true && res.header.Get(name) == "" {
			t.Errorf("%s: no %s header", where, name)
		}
	}
	content, _ := resp["content"].(map[string]any)
	if content == nil {
		if res.body != "" {
			t.Errorf("%s: status %d has a body, but the document declares none: %.200s", where, res.status, res.body)
		}
		return
	}
	mt, _, err := mime.ParseMediaType(res.header.Get("Content-Type"))
	if err != nil {
		t.Errorf("%s: Content-Type %q: %v", where, res.header.Get("Content-Type"), err)
		return
	}
	if _, ok := content[mt]; !ok {
		var declared []string
		for k := range content {
			declared = append(declared, k)
		}
		slices.Sort(declared)
		t.Errorf("%s: status %d answers %s, which the document does not declare (declared: %s)", where, res.status, mt, strings.Join(declared, ", "))
		return
	}
	switch {
	case mt == "application/json":
		s, err := d.schema(ptr + "/content/" + pointer(mt) + "/schema")
		if err != nil {
			t.Errorf("%s: the schema does not compile: %v", where, err)
			return
		}
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(res.body))
		if err != nil {
			t.Errorf("%s: the answer is not JSON: %v", where, err)
			return
		}
		if err := s.Validate(v); err != nil {
			t.Errorf("%s: the answer does not match the document: %v\nbody: %.500s", where, err, res.body)
		}
		return
	case strings.HasPrefix(mt, "text/"):
		if !utf8.ValidString(res.body) || res.body == "" {
			t.Errorf("%s: %s answer is empty or not UTF-8", where, mt)
		}
	case mt == "application/pdf":
		if !strings.HasPrefix(res.body, "%PDF-") {
			t.Errorf("%s: the PDF answer does not start with %%PDF-", where)
		}
	}
	// A file comes as an attachment, as the document says.
	if _, ok := headers["Content-Disposition"]; ok && !strings.HasPrefix(res.header.Get("Content-Disposition"), "attachment") {
		t.Errorf("%s: %s answer without Content-Disposition: attachment", where, mt)
	}
}

// pathValues are what the walk puts into path parameters, by name, then
// by type: a record the fixture has, one of another mission where that
// matters, one that does not exist, and a malformed one.
var pathValues = map[string][]string{
	"id":        {"RU-0002", "SE-0001", "NOPE-0000"},
	"code":      {"RU", "SE", "NOPE"},
	"item":      {"FLOUR", "INSULIN", "NOPE"},
	"departure": {"1", "NOPE"},
	"integer":   {"1", "2", "999999", "x"},
	"string":    {"1", "NOPE"},
	"boolean":   {"true"},
}

// queryValues are good values for query parameters that need one.
var queryValues = map[string]string{
	"as_of": "2021-04-01", "date": "2021-04-01", "on": "2021-04-01", "from": "2021-03-25", "to": "2021-04-01",
	"mission": "RU", "item": "FLOUR", "q": "RU", "after": "RU-0001", "entity": "person",
	"threshold": "30", "target": "30", "limit": "2", "all": "true", "base_url": "https://outpost.example.org",
	"a": "1", "b": "1",
}

// badQuery are values each query parameter of a type must refuse or
// ignore; either way the answer must be documented.
var badQuery = map[string][]string{
	"integer": {"0", "x"},
	"boolean": {"maybe"},
	"string":  {"bogus"},
}

// params returns an operation's parameters of one kind (path or query):
// name, schema type, enum and whether required.
func params(op map[string]any, in string) []struct {
	name, typ string
	enum      []string
	required  bool
} {
	var out []struct {
		name, typ string
		enum      []string
		required  bool
	}
	ps, _ := op["parameters"].([]any)
	for _, p := range ps {
		p := p.(map[string]any)
		if p["in"] != in {
			continue
		}
		s := p["schema"].(map[string]any)
		var enum []string
		if e, ok := s["enum"].([]any); ok {
			for _, v := range e {
				enum = append(enum, v.(string))
			}
		}
		req, _ := p["required"].(bool)
		out = append(out, struct {
			name, typ string
			enum      []string
			required  bool
		}{p["name"].(string), s["type"].(string), enum, req})
	}
	return out
}

// targets returns the URLs to ask for an operation: every combination of
// path values, and on the first one the query without its optional
// parameters, with each one set to a good value, to each value of its
// enum, and to bad values.
func targets(t *testing.T, path string, op map[string]any) []string {
	paths := []string{path}
	for _, p := range params(op, "path") {
		vals, ok := pathValues[p.name]
		if !ok || p.typ != "string" {
			vals = pathValues[p.typ]
		}
		var next []string
		for _, base := range paths {
			for _, v := range vals {
				next = append(next, strings.Replace(base, "{"+p.name+"}", url.PathEscape(v), 1))
			}
		}
		paths = next
	}
	base := url.Values{}
	var queries []url.Values
	for _, p := range params(op, "query") {
		good, ok := queryValues[p.name]
		if !ok && len(p.enum) > 0 {
			good, ok = p.enum[0], true
		}
		if p.required {
			if !ok {
				t.Errorf("%s: no good value for the required query parameter %s: add one to queryValues", path, p.name)
			}
			base.Set(p.name, good)
		}
	}
	queries = append(queries, base)
	for _, p := range params(op, "query") {
		vals := slices.Clone(p.enum)
		if good, ok := queryValues[p.name]; ok && !slices.Contains(vals, good) {
			vals = append(vals, good)
		}
		vals = append(vals, badQuery[p.typ]...)
		for _, v := range vals {
			q := url.Values{}
			for k, vs := range base {
				q[k] = vs
			}
			q.Set(p.name, v)
			queries = append(queries, q)
		}
	}
	var out []string
	for i, p := range paths {
		for j, q := range queries {
			if i > 0 && j > 0 {
				break
			}
			if enc := q.Encode(); enc != "" {
				out = append(out, p+"?"+enc)
			} else {
				out = append(out, p)
			}
		}
	}
	return out
}

// seedAPIDoc adds what the walk needs beyond the fixture: stock (flour
// has a planned daily use, so days of supply; insulin none, so null), a
// transfer and a published statement, through the API as the admin.
func seedAPIDoc(t *testing.T, f *fixture, d *docChecker) {
	t.Helper()
	s := f.store
	if _, err := s.ImportItems(storetest.Ctx(), storetest.Batch(storetest.Items()...)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportStock(storetest.Ctx(), storetest.Batch(
		outpost.Receipt{Mission: "RU", Item: "FLOUR", Lot: "L1", Quantity: 100, Received: "2021-03-01", Expires: "2021-04-20"},
		outpost.Receipt{Mission: "RU", Item: "INSULIN", Lot: "I1", Quantity: 20, Received: "2021-03-01"},
		outpost.Receipt{Mission: "SE", Item: "FLOUR", Lot: "S1", Quantity: 300, Received: "2021-03-01"},
	)); err != nil {
		t.Fatal(err)
	}
	writes := []struct{ path, body string }{
		{"/api/v1/supply/issues", `{"mission":"RU","item":"FLOUR","quantity":5,"date":"2021-03-20"}`},
		{"/api/v1/supply/transfers", `{"item":"FLOUR","from":"SE","to":"RU","quantity":50,"date":"2021-03-25"}`},
		{"/api/v1/statements", `{"title":"Road open","body":"The *road* to the border is open.","mission":"RU"}`},
		{"/api/v1/statements/1/approve", ``},
		{"/api/v1/statements/1/publish", ``},
	}
	for _, w := range writes {
		res := f.postJSON(w.path, "admin", w.body)
		d.check("seed POST "+w.path, "POST", strings.Replace(w.path, "/1/", "/{id}/", 1), res)
		if res.status >= 300 {
			t.Fatalf("POST %s: %d %s", w.path, res.status, res.body)
		}
	}
}

// newEmptyFixture is a server over a store with the missions and one
// user of each role, and nothing else.
func newEmptyFixture(t *testing.T, s outpost.Store) *fixture {
	t.Helper()
	testkit.SeedPeople(t, s, nil, nil)
	f := &fixture{t: t, store: s, users: map[string]walker{}}
	for name, m := range testkit.SeedUsers(t, s, testkit.NoPassword, testkit.Roles()) {
		f.users[name] = walker{User: m.User, token: m.Token}
	}
	srv, err := New(Config{Store: s, Version: "test", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	t.Cleanup(srv.Close)
	return f
}

// TestAPIAnswersMatchTheDocument asks every GET route of the API, as
// every role and as nobody, with good, missing and bad values, over a
// post with nothing in it (where lists may be null) and over the test
// corps, and validates each answer against the OpenAPI document the
// server serves: status, media type and body. Routes are taken from the
// server's route table, so a new route that is not documented, or answers
// what its document does not say, fails here. It also sends every request
// body route an unknown field, and every path a method it does not take.
func TestAPIAnswersMatchTheDocument(t *testing.T) {
	for name, open := range engines(t) {
		// A post with missions and users only: empty lists, no figures.
		t.Run(name+"/empty", func(t *testing.T) {
			f := newEmptyFixture(t, open(t))
			d := newDocChecker(t, f.get("/api/v1/openapi.json", "").body)
			for _, rt := range f.srv.Routes() {
				if op := d.op(rt.Method, rt.Path); rt.Kind == "api" && rt.Method == "GET" && op != nil {
					for _, target := range targets(t, rt.Path, op) {
						for _, who := range []string{"coordinator", "manager", "admin"} {
							d.check(fmt.Sprintf("GET %s as %q", target, who), "GET", rt.Path, f.get(target, who))
						}
					}
				}
			}
		})
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			t.Cleanup(f.srv.Close)
			res := f.get("/api/v1/openapi.json", "")
			if res.status != http.StatusOK {
				t.Fatalf("GET /api/v1/openapi.json: %d", res.status)
			}
			d := newDocChecker(t, res.body)
			seedAPIDoc(t, f, d)
			walkers := []string{"", "coordinator", "press", "staff", "manager", "admin"}
			paths := map[string][]string{}
			asked := 0
			for _, rt := range f.srv.Routes() {
				if rt.Kind != "api" {
					continue
				}
				paths[rt.Path] = append(paths[rt.Path], rt.Method)
				op := d.op(rt.Method, rt.Path)
				if op == nil {
					t.Errorf("%s is not in the document", rt.Pattern())
					continue
				}
				switch {
				case rt.Method == "GET":
					for _, target := range targets(t, rt.Path, op) {
						for _, who := range walkers {
							d.check(fmt.Sprintf("GET %s as %q", target, who), "GET", rt.Path, f.get(target, who))
							asked++
						}
					}
					if !d.ok[rt.Pattern()] {
						t.Errorf("%s never answered a success to anyone: its answer was never checked", rt.Pattern())
					}
				case op["requestBody"] != nil:
					// The decoder refuses an unknown field, as the schema's
					// additionalProperties: false says.
					target := targets(t, rt.Path, op)[0]
					// By session: only a session may create tokens.
					res := f.do(rt.Method, target, "admin", "cookie", "application/json", `{"no_such_field": 1}`)
					d.check(rt.Method+" "+target+" with an unknown field", rt.Method, rt.Path, res)
					if res.status != http.StatusBadRequest || !strings.Contains(res.body, "no_such_field") {
						t.Errorf("%s %s with an unknown field: got %d, want 400 naming it: %s", rt.Method, target, res.status, res.body)
					}
				}
			}
			if asked < 600 {
				t.Errorf("only %d requests asked", asked)
			}
			// The error answers were all seen, and checked.
			for _, status := range []int{200, 400, 401, 403, 404} {
				if d.statuses[status] == 0 {
					t.Errorf("no answer with status %d was checked", status)
				}
			}
			// A method a path does not take answers 405 with Allow and
			// the JSON error body of components.responses.MethodNotAllowed.
			responses, _ := d.doc["components"].(map[string]any)["responses"].(map[string]any)
			resp, ok := responses["MethodNotAllowed"].(map[string]any)
			if !ok {
				t.Error("the document has no components.responses.MethodNotAllowed")
			}
			for path, methods := range paths {
				allow := slices.Clone(methods)
				if slices.Contains(allow, "GET") {
					allow = append(allow, "HEAD")
				}
				for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
					if slices.Contains(methods, m) {
						continue
					}
					target := targets(t, path, d.op(methods[0], path))[0]
					for _, who := range []string{"", "admin"} {
						res := f.do(m, target, who, "", "application/json", "{}")
						where := fmt.Sprintf("%s %s as %q", m, target, who)
						if res.status != http.StatusMethodNotAllowed {
							t.Errorf("%s: got %d, want 405: %.200s", where, res.status, res.body)
							continue
						}
						got := strings.Split(res.header.Get("Allow"), ", ")
						slices.Sort(got)
						slices.Sort(allow)
						if !slices.Equal(got, allow) {
							t.Errorf("%s: Allow %q, want %q", where, res.header.Get("Allow"), strings.Join(allow, ", "))
						}
						if resp != nil {
							d.checkBody(where, "/components/responses/MethodNotAllowed", resp, res)
						}
					}
				}
			}
		})
	}
}

// TestMethodNotAllowed covers the routing of a method a path does not
// take, for the API and the web UI alike.
func TestMethodNotAllowed(t *testing.T) {
	f := newFixture(t, engines(t)["sqlite"](t))
	t.Cleanup(f.srv.Close)
	cases := []struct {
		method, target, as string
		status             int
		allow              string
	}{
		{"DELETE", "/api/v1/census", "admin", 405, "GET, HEAD"},
		{"BREW", "/api/v1/people/RU-0001", "", 405, "GET, HEAD"},
		{"GET", "/api/v1/people/RU-0001/track", "admin", 405, "POST"},
		{"PUT", "/api/v1/plans", "admin", 405, "GET, HEAD, POST"},
		{"DELETE", "/api/v1/nothing", "admin", 404, ""},
		{"HEAD", "/api/v1/census", "admin", 200, ""},
		{"POST", "/", "admin", 405, "GET, HEAD"},
		{"PUT", "/people/RU-0001", "", 405, "GET, HEAD"},
		{"DELETE", "/medical/1", "admin", 405, "GET, HEAD, POST"},
		{"POST", "/nothing", "admin", 404, ""},
		{"POST", "/healthz", "", 405, "GET, HEAD"},
	}
	for _, c := range cases {
		res := f.do(c.method, c.target, c.as, "", "", "")
		if res.status != c.status || res.header.Get("Allow") != c.allow {
			t.Errorf("%s %s: got %d Allow %q, want %d Allow %q", c.method, c.target, res.status, res.header.Get("Allow"), c.status, c.allow)
		}
		if c.status != 405 {
			continue
		}
		if strings.HasPrefix(c.target, "/api/") {
			if !strings.Contains(res.body, `"code": "method_not_allowed"`) {
				t.Errorf("%s %s: body %s, want the JSON error method_not_allowed", c.method, c.target, res.body)
			}
		} else if !strings.Contains(res.header.Get("Content-Type"), "text/html") || !bytes.Contains([]byte(res.body), []byte("takes "+c.allow)) {
			t.Errorf("%s %s: %s %.300s, want an error page naming %s", c.method, c.target, res.header.Get("Content-Type"), res.body, c.allow)
		}
	}
}

// TestDocumentServers: the document's servers is the public URL when one
// is configured, whatever Host the request names, and "/" otherwise.
func TestDocumentServers(t *testing.T) {
	f := newFixture(t, engines(t)["sqlite"](t))
	t.Cleanup(f.srv.Close)
	servers := func() string {
		t.Helper()
		res := f.get("http://evil.example/api/v1/openapi.json", "")
		var doc struct {
			Servers []struct{ URL string } `json:"servers"`
		}
		if err := json.Unmarshal([]byte(res.body), &doc); err != nil || len(doc.Servers) != 1 {
			t.Fatalf("servers: %v in %.200s", err, res.body)
		}
		return doc.Servers[0].URL
	}
	if got := servers(); got != "/" {
		t.Errorf("without a public URL: servers %q, want /", got)
	}
	reconfigure(t, f, func(c *Config) { c.PublicURL = "https://outpost.example.org" })
	if got := servers(); got != "https://outpost.example.org" {
		t.Errorf("with a public URL: servers %q, want https://outpost.example.org", got)
	}
}
