package api

import (
	"encoding/json"
	"net/http"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/outpost-org/outpost/internal/outpost"
)

// OpenAPIRoutes serve the OpenAPI document of the API.
func (a *API) openAPIRoutes() []Route {
	return []Route{{Method: "GET", Path: "/api/v1/openapi.json", Public: true, Handler: a.openAPI, Doc: Op{
		Summary: "This OpenAPI 3 document", Tags: []string{"meta"}, Response: map[string]any{}}}}
}

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) error {
	a.openapiOnce.Do(func() { a.openapi, a.openapiErr = json.MarshalIndent(a.Document(), "", "  ") })
	if a.openapiErr != nil {
		return a.openapiErr
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(a.openapi)
	return nil
}

var pathParam = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)\.{0,3}\}`)

// PathParams returns the names of the {parameters} of a ServeMux path.
func PathParams(p string) []string {
	var out []string
	for _, m := range pathParam.FindAllStringSubmatch(p, -1) {
		out = append(out, m[1])
	}
	return out
}

// Document returns the OpenAPI 3.1 document of every route, made from the
// routes' Op descriptions and the Go types of their examples.
func (a *API) Document() map[string]any {
	g := &schemas{defs: map[string]any{}, names: map[reflect.Type]string{}, taken: map[string]reflect.Type{}}
	errRef := g.of(reflect.TypeOf(ErrorBody{}))
	paths := map[string]map[string]any{}
	for _, rt := range a.Routes() {
		op := map[string]any{
			"summary":     rt.Doc.Summary,
			"operationId": operationID(rt),
		}
		if rt.Doc.Description != "" {
			op["description"] = rt.Doc.Description
		}
		if len(rt.Doc.Tags) > 0 {
			op["tags"] = rt.Doc.Tags
		}
		var params []any
		documented := map[string]bool{}
		for _, p := range rt.Doc.Params {
			documented[p.In+":"+p.Name] = true
			params = append(params, paramDoc(p))
		}
		for _, name := range PathParams(rt.Path) {
			if !documented["path:"+name] {
				params = append(params, paramDoc(Param{Name: name, In: "path", Required: true}))
			}
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if rt.Doc.Body != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": g.body(reflect.TypeOf(rt.Doc.Body))}}}
		}
		status := rt.Doc.Status
		if status == 0 {
			status = http.StatusOK
		}
		resp := map[string]any{"description": http.StatusText(status)}
		if rt.Doc.Response != nil {
			resp["content"] = map[string]any{"application/json": map[string]any{"schema": g.of(reflect.TypeOf(rt.Doc.Response))}}
		}
		responses := map[string]any{strconv.Itoa(status): resp}
		errs := append([]int{http.StatusInternalServerError}, rt.Doc.Errors...)
		if !rt.Public {
			errs = append(errs, http.StatusUnauthorized)
			op["security"] = []any{map[string]any{"bearerAuth": []string{}}, map[string]any{"cookieAuth": []string{}}}
		} else {
			op["security"] = []any{}
		}
		for _, e := range errs {
			responses[strconv.Itoa(e)] = map[string]any{"description": http.StatusText(e),
				"content": map[string]any{"application/json": map[string]any{"schema": errRef}}}
		}
		op["responses"] = responses
		if paths[rt.Path] == nil {
			paths[rt.Path] = map[string]any{}
		}
		paths[rt.Path][strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "Outpost API",
			"version":     a.Version,
			"description": "Who is still here, what they lack, who is safe, and how they get out. Sign in with a session cookie (the web UI) or send Authorization: Bearer TOKEN (`outpost token create NAME`). Records of another mission answer 404.",
		},
		"paths": paths,
		"components": map[string]any{
			"schemas": g.defs,
			"securitySchemes": map[string]any{
				"bearerAuth": map[string]any{"type": "http", "scheme": "bearer", "description": "an API token from `outpost token create NAME` or POST /api/v1/me/tokens"},
				"cookieAuth": map[string]any{"type": "apiKey", "in": "cookie", "name": "outpost_session"},
			},
		},
	}
}

func paramDoc(p Param) map[string]any {
	typ := p.Type
	if typ == "" {
		typ = "string"
	}
	s := map[string]any{"type": typ}
	if len(p.Enum) > 0 {
		s["enum"] = p.Enum
	}
	d := map[string]any{"name": p.Name, "in": p.In, "schema": s}
	if p.Required || p.In == "path" {
		d["required"] = true
	}
	if p.Description != "" {
		d["description"] = p.Description
	}
	return d
}

// operationID names an operation from its method and path:
// POST /api/v1/people/{id}/track is postPeopleIdTrack.
func operationID(rt Route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.Method))
	for _, part := range strings.FieldsFunc(strings.TrimPrefix(rt.Path, Prefix), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// schemas turns Go types into JSON Schemas, named struct types into
// components referred to by $ref.
type schemas struct {
	defs  map[string]any
	names map[reflect.Type]string
	taken map[string]reflect.Type
	// closed is set while a request body's schema is made: its objects
	// say additionalProperties false, as transport.DecodeJSON refuses a
	// field it does not know.
	closed bool
}

// body is the schema of a request body of type t: objects first met here
// admit no property they do not name.
func (g *schemas) body(t reflect.Type) map[string]any {
	g.closed = true
	defer func() { g.closed = false }()
	return g.of(t)
}

var (
	timeType = reflect.TypeOf(time.Time{})
	dateType = reflect.TypeOf(outpost.Date(""))
	rawType  = reflect.TypeOf(json.RawMessage{})
)

func (g *schemas) of(t reflect.Type) map[string]any {
	switch t {
	case timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case dateType:
		return map[string]any{"type": "string", "format": "date"}
	case rawType:
		return map[string]any{}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.of(t.Elem())
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "contentEncoding": "base64"}
		}
		return map[string]any{"type": "array", "items": g.of(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.of(t.Elem())}
	case reflect.Struct:
		if t.Name() == "" {
			return g.object(t)
		}
		name, ok := g.names[t]
		if !ok {
			name = t.Name()
			if other, clash := g.taken[name]; clash && other != t {
				name = path.Base(t.PkgPath()) + "." + t.Name()
			}
			g.names[t], g.taken[name] = name, t
			g.defs[name] = map[string]any{} // placeholder for recursive types
			g.defs[name] = g.object(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

// object is the schema of a struct's JSON form, following encoding/json:
// json tags name fields, "-" hides them, embedded structs lend theirs.
func (g *schemas) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type)
				continue
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			props[name] = g.of(f.Type)
			if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
				required = append(required, name)
			}
		}
	}
	walk(t)
	s := map[string]any{"type": "object", "properties": props}
	if g.closed {
		s["additionalProperties"] = false
	}
	if len(required) > 0 {
		sort.Strings(required)
		s["required"] = required
	}
	return s
}
