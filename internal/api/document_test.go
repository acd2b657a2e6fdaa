package api

import (
	"bytes"
	"cmp"
	"encoding/json"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/outpost-org/outpost/internal/service"
)

// document returns the OpenAPI document of an API as JSON decodes it.
func document(t *testing.T, a *API) map[string]any {
	t.Helper()
	b, err := json.Marshal(a.Document())
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc.(map[string]any)
}

// TestDocumentIsValidOpenAPI validates the document against the OpenAPI
// 3.1 schema (testdata, read offline) and every schema in it against JSON
// Schema 2020-12, the dialect of OpenAPI 3.1.
func TestDocumentIsValidOpenAPI(t *testing.T) {
	for _, publicURL := range []string{"", "https://outpost.example.org"} {
		doc := document(t, &API{Version: "test", PublicURL: publicURL})
		f, err := os.Open("testdata/openapi-3.1-schema.json")
		if err != nil {
			t.Fatal(err)
		}
		meta, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource("https://spec.openapis.org/oas/3.1/schema/2022-10-07", meta); err != nil {
			t.Fatal(err)
		}
		sch, err := c.Compile("https://spec.openapis.org/oas/3.1/schema/2022-10-07")
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("public URL %q: the document is not OpenAPI 3.1: %v", publicURL, err)
		}
		// Every schema compiles, $refs resolved, as JSON Schema 2020-12
		// (the compiler checks each against the draft's meta-schema).
		c = jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		if err := c.AddResource("file:///openapi.json", doc); err != nil {
			t.Fatal(err)
		}
		for name := range doc["components"].(map[string]any)["schemas"].(map[string]any) {
			if _, err := c.Compile("file:///openapi.json#/components/schemas/" + name); err != nil {
				t.Errorf("schema %s: %v", name, err)
			}
		}
		want := "/"
		if publicURL != "" {
			want = publicURL
		}
		if diff := gocmp.Diff([]any{map[string]any{"url": want}}, doc["servers"]); diff != "" {
			t.Errorf("servers with public URL %q (-want +got):\n%s", publicURL, diff)
		}
	}
}

// operation returns the operation of method and path in doc.
func operation(t *testing.T, doc map[string]any, method, path string) map[string]any {
	t.Helper()
	op, ok := doc["paths"].(map[string]any)[path].(map[string]any)[strings.ToLower(method)].(map[string]any)
	if !ok {
		t.Fatalf("no operation %s %s", method, path)
	}
	return op
}

// component returns the schema a $ref names.
func component(t *testing.T, doc map[string]any, s map[string]any) map[string]any {
	t.Helper()
	ref, _ := s["$ref"].(string)
	c, ok := doc["components"].(map[string]any)["schemas"].(map[string]any)[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
	if !ok {
		t.Fatalf("%v names no component", s)
	}
	return c
}

func TestNullableFieldsTakeNull(t *testing.T) {
	doc := document(t, &API{Version: "test"})
	intOrNull := map[string]any{"type": []any{"integer", "null"}}
	// The supply status's rows and the sitrep's supply rows.
	row := component(t, doc, map[string]any{"$ref": "#/components/schemas/Row"})
	if diff := gocmp.Diff(intOrNull, row["properties"].(map[string]any)["days_of_supply"]); diff != "" {
		t.Errorf("supply status days_of_supply (-want +got):\n%s", diff)
	}
	var sitrepRow map[string]any
	for name, s := range doc["components"].(map[string]any)["schemas"].(map[string]any) {
		if p, ok := s.(map[string]any)["properties"].(map[string]any); ok && p["days_of_supply"] != nil && name != "Row" {
			sitrepRow = p
		}
	}
	if sitrepRow == nil {
		t.Fatal("no sitrep supply row with days_of_supply")
	}
	if diff := gocmp.Diff(intOrNull, sitrepRow["days_of_supply"]); diff != "" {
		t.Errorf("sitrep days_of_supply (-want +got):\n%s", diff)
	}
	// The sitrep's JSON answer has a name that says what it is.
	op := operation(t, doc, "GET", "/api/v1/sitrep")
	schema := op["responses"].(map[string]any)["200"].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"]
	if diff := gocmp.Diff(map[string]any{"$ref": "#/components/schemas/Sitrep"}, schema); diff != "" {
		t.Errorf("sitrep schema (-want +got):\n%s", diff)
	}
	if _, ok := doc["components"].(map[string]any)["schemas"].(map[string]any)["Input"]; ok {
		t.Error("a component is still called Input")
	}
}

// TestEveryNullableFieldIsDocumented walks every type the document is made
// of and checks each field's schema against what encoding/json writes
// for it: null for a nil pointer, slice or map unless the field is left
// out when empty, never null otherwise.
func TestEveryNullableFieldIsDocumented(t *testing.T) {
	a := New(nil, service.Set{}, nil, "test")
	g := &schemas{defs: map[string]any{}, names: map[reflect.Type]string{}, taken: map[string]reflect.Type{}}
	var types []reflect.Type
	for _, rt := range a.Routes() {
		for _, v := range []any{rt.Doc.Body, rt.Doc.Response} {
			if v != nil {
				types = append(types, reflect.TypeOf(v))
				g.of(reflect.TypeOf(v))
			}
		}
	}
	checked := 0
	for typ, name := range g.names {
		props := g.defs[name].(map[string]any)["properties"].(map[string]any)
		for f := range fields(typ) {
			tag, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if tag == "" {
				tag = f.Name
			}
			s, ok := props[tag].(map[string]any)
			if !ok {
				t.Errorf("%s.%s: no property %q", name, f.Name, tag)
				continue
			}
			omit := slices.ContainsFunc(strings.Split(opts, ","), func(o string) bool { return o == "omitempty" || o == "omitzero" })
			nilable := slices.Contains([]reflect.Kind{reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface}, f.Type.Kind())
			if f.Type == rawType || (f.Type.Kind() == reflect.Interface) {
				continue // {} takes anything
			}
			if got, want := takesNull(s), nilable && !omit; got != want {
				t.Errorf("%s.%s (%s, json %q): takes null %v, want %v: %v", name, f.Name, f.Type, f.Tag.Get("json"), got, want, s)
			}
			checked++
		}
	}
	if checked < 100 {
		t.Errorf("only %d fields checked", checked)
	}
	// The generator's bookkeeping named every struct reached.
	if len(types) < 30 {
		t.Errorf("only %d example types", len(types))
	}
}

// fields yields the fields encoding/json writes of a struct type, the
// fields of embedded structs in their place.
func fields(t reflect.Type) func(yield func(reflect.StructField) bool) {
	return func(yield func(reflect.StructField) bool) {
		var walk func(t reflect.Type) bool
		walk = func(t reflect.Type) bool {
			for i := range t.NumField() {
				f := t.Field(i)
				tag := f.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, _, _ := strings.Cut(tag, ",")
				if f.Anonymous && name == "" {
					e := f.Type
					if e.Kind() == reflect.Pointer {
						e = e.Elem()
					}
					if e.Kind() == reflect.Struct {
						if !walk(e) {
							return false
						}
						continue
					}
				}
				if !f.IsExported() {
					continue
				}
				if !yield(f) {
					return false
				}
			}
			return true
		}
		walk(t)
	}
}

// takesNull says whether schema s admits null.
func takesNull(s map[string]any) bool {
	switch typ := s["type"].(type) {
	case []string:
		return slices.Contains(typ, "null")
	case string:
		return false
	}
	if alts, ok := s["anyOf"].([]any); ok {
		for _, a := range alts {
			if takesNull(a.(map[string]any)) {
				return true
			}
		}
		return false
	}
	return s["$ref"] == nil
}

// TestRequestBodiesAreClosed proves that every request body's schema,
// and every object in it, says additionalProperties: false, as the
// decoder refuses unknown fields; and that no answer's schema is closed
// by sharing a component with a body.
func TestRequestBodiesAreClosed(t *testing.T) {
	a := New(nil, service.Set{}, nil, "test")
	doc := document(t, a)
	bodies := 0
	responses := map[string]bool{}
	var closedRefs []string
	for _, rt := range a.Routes() {
		op := operation(t, doc, rt.Method, rt.Path)
		if rt.Doc.Response != nil {
			status := strconv.Itoa(cmp.Or(rt.Doc.Status, http.StatusOK))
			s := op["responses"].(map[string]any)[status].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
			if ref, ok := s["$ref"].(string); ok {
				responses[ref] = true
			}
		}
		if rt.Doc.Body == nil {
			if _, ok := op["requestBody"]; ok {
				t.Errorf("%s: a request body without Doc.Body", rt.Pattern())
			}
			continue
		}
		bodies++
		s := op["requestBody"].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
		closedRefs = append(closedRefs, s["$ref"].(string))
		c := component(t, doc, s)
		if c["additionalProperties"] != false {
			t.Errorf("%s: body %s: additionalProperties %v, want false", rt.Pattern(), s["$ref"], c["additionalProperties"])
		}
	}
	for _, ref := range closedRefs {
		if responses[ref] {
			t.Errorf("%s is both a request body and an answer", ref)
		}
	}
	if bodies < 12 {
		t.Errorf("only %d request bodies", bodies)
	}
	// An answer stays open to new fields.
	if c := component(t, doc, map[string]any{"$ref": "#/components/schemas/Census"}); c["additionalProperties"] != nil {
		t.Errorf("Census: additionalProperties %v, want none", c["additionalProperties"])
	}
}

func TestFileAnswersAreDeclared(t *testing.T) {
	doc := document(t, New(nil, service.Set{}, nil, "test"))
	cases := []struct {
		path  string
		types []string
	}{
		{"/api/v1/sitrep", []string{"application/json", "application/pdf", "text/html", "text/markdown"}},
		{"/api/v1/plans/{plan}/departures/{departure}/manifest", []string{"application/pdf", "text/csv"}},
		{"/api/v1/rollcalls/{rollcall}/links", []string{"text/csv"}},
	}
	for _, c := range cases {
		resp := operation(t, doc, "GET", c.path)["responses"].(map[string]any)["200"].(map[string]any)
		var got []string
		for typ := range resp["content"].(map[string]any) {
			got = append(got, typ)
		}
		slices.Sort(got)
		if !slices.Equal(got, c.types) {
			t.Errorf("%s: 200 content %v, want %v", c.path, got, c.types)
		}
		if _, ok := resp["headers"].(map[string]any)["Content-Disposition"]; !ok {
			t.Errorf("%s: no Content-Disposition header", c.path)
		}
	}
	resp := doc["components"].(map[string]any)["responses"].(map[string]any)["MethodNotAllowed"].(map[string]any)
	if _, ok := resp["headers"].(map[string]any)["Allow"]; !ok {
		t.Error("MethodNotAllowed has no Allow header")
	}
}
