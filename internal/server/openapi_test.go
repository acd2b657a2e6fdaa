package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/api"
)

// TestOpenAPIMatchesRoutes proves that every API route the server
// registered is in the OpenAPI document, and that every documented
// operation reaches a registered route.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	f := newFixture(t, engines(t)["sqlite"](t))
	res := f.get("/api/v1/openapi.json", "")
	if res.status != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json: got %d", res.status)
	}
	var doc struct {
		OpenAPI    string                               `json:"openapi"`
		Paths      map[string]map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal([]byte(res.body), &doc); err != nil {
		t.Fatalf("the document is not JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi: got %q, want 3.x", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	registered := map[string]bool{}
	for _, rt := range f.srv.Routes() {
		if !strings.HasPrefix(rt.Path, api.Prefix) {
			continue
		}
		registered[rt.Pattern()] = true
		if !documented[rt.Pattern()] {
			t.Errorf("route %s is not in the OpenAPI document", rt.Pattern())
		}
	}
	var ops []string
	for op := range documented {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		if !registered[op] {
			t.Errorf("the document describes %s, which is not a registered route", op)
		}
		// And the server really routes it: not the catch-all, not 405.
		method, path, _ := strings.Cut(op, " ")
		for _, p := range api.PathParams(path) {
			path = strings.Replace(path, "{"+p+"}", "x", 1)
		}
		req := httptest.NewRequest(method, path, strings.NewReader("{}"))
		req.Header.Set("Authorization", "Bearer "+f.users["admin"].token)
		rec := httptest.NewRecorder()
		f.srv.Handler().ServeHTTP(rec, req)
		if rec.Code == http.StatusMethodNotAllowed || strings.Contains(rec.Body.String(), "no route") {
			t.Errorf("%s (as %s): the server has no route for it (%d)", op, path, rec.Code)
		}
	}
	if len(ops) < 10 {
		t.Errorf("only %d operations documented", len(ops))
	}
	// Every $ref points at a schema of the document.
	var refs []string
	collectRefs(doc.Paths, &refs)
	collectRefs(doc.Components.Schemas, &refs)
	for _, r := range refs {
		name := strings.TrimPrefix(r, "#/components/schemas/")
		if _, ok := doc.Components.Schemas[name]; !ok {
			t.Errorf("$ref %s points at no schema", r)
		}
	}
	for _, want := range []string{"Census", "Person", "PeoplePage", "PersonDetail", "ErrorBody", "AuditEntry"} {
		if _, ok := doc.Components.Schemas[want]; !ok {
			t.Errorf("no schema %s", want)
		}
	}
}

func collectRefs(v any, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && k == "$ref" {
				*out = append(*out, s)
			}
			collectRefs(e, out)
		}
	case map[string]map[string]map[string]any:
		for _, e := range x {
			for _, o := range e {
				collectRefs(o, out)
			}
		}
	case []any:
		for _, e := range x {
			collectRefs(e, out)
		}
	}
}
