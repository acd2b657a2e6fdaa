package api

import (
	"encoding"
	"encoding/json"
	"maps"
	"net/http"
	"path"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/report"
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
	var bodies []map[string]any
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
			body := g.of(reflect.TypeOf(rt.Doc.Body))
			bodies = append(bodies, body)
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": body}}}
		}
		status := rt.Doc.Status
		if status == 0 {
			status = http.StatusOK
		}
		resp := map[string]any{"description": http.StatusText(status)}
		content := map[string]any{}
		if rt.Doc.Response != nil {
			content["application/json"] = map[string]any{"schema": g.of(reflect.TypeOf(rt.Doc.Response))}
		}
		for _, typ := range rt.Doc.Files {
			content[typ] = fileContent(typ)
		}
		if len(content) > 0 {
			resp["content"] = content
		}
		if len(rt.Doc.Files) > 0 {
			resp["headers"] = map[string]any{"Content-Disposition": map[string]any{
				"description": "with a file format: attachment, and the file's name",
				"schema":      map[string]any{"type": "string"}}}
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
	seen := map[string]bool{}
	for _, b := range bodies {
		g.closed(b, seen)
	}
	server := "/"
	if a.PublicURL != "" {
		server = strings.TrimSuffix(a.PublicURL, "/")
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":   "Outpost API",
			"version": a.Version,
			"description": "Who is still here, what they lack, who is safe, and how they get out. Sign in with a session cookie (the web UI) or send Authorization: Bearer TOKEN (`outpost token create NAME`). Records of another mission answer 404. " +
				"A method that a path does not take answers 405 with the header Allow listing those it takes, and an error body (components.responses.MethodNotAllowed).",
		},
		"servers": []any{map[string]any{"url": server}},
		"paths":   paths,
		"components": map[string]any{
			"schemas": g.defs,
			"responses": map[string]any{
				"MethodNotAllowed": map[string]any{
					"description": "The path does not take this method: Allow lists the methods it takes.",
					"headers": map[string]any{"Allow": map[string]any{
						"description": "the methods the path takes, e.g. GET, HEAD",
						"required":    true,
						"schema":      map[string]any{"type": "string"}}},
					"content": map[string]any{"application/json": map[string]any{"schema": errRef}},
				},
			},
			"securitySchemes": map[string]any{
				"bearerAuth": map[string]any{"type": "http", "scheme": "bearer", "description": "an API token from `outpost token create NAME` or POST /api/v1/me/tokens"},
				"cookieAuth": map[string]any{"type": "apiKey", "in": "cookie", "name": "outpost_session"},
			},
		},
	}
}

// fileContent is the media type object of a file answer: text as a
// string, anything else as bytes (OpenAPI 3.1: no schema).
func fileContent(typ string) map[string]any {
	if strings.HasPrefix(typ, "text/") {
		return map[string]any{"schema": map[string]any{"type": "string"}}
	}
	return map[string]any{}
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
}

var (
	timeType = reflect.TypeOf(time.Time{})
	dateType = reflect.TypeOf(outpost.Date(""))
	rawType  = reflect.TypeOf(json.RawMessage{})
)

var (
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
)

// componentNames name the components whose Go type name says little
// outside its package.
var componentNames = map[reflect.Type]string{
	reflect.TypeFor[report.Input](): "Sitrep",
}

// of is the schema of a value of type t as encoding/json writes it, never
// null: whether a field may be null is for field (a nil pointer, slice or
// map is written as null unless the field is omitted when empty).
func (g *schemas) of(t reflect.Type) map[string]any {
	switch t {
	case timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case dateType:
		return map[string]any{"type": "string", "format": "date"}
	case rawType:
		return map[string]any{}
	}
	if t.Kind() != reflect.Pointer {
		// encoding/json prefers a type's own encoding to its fields.
		switch {
		case t.Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(jsonMarshaler):
			return map[string]any{}
		case t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler):
			return map[string]any{"type": "string"}
		}
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
		return map[string]any{"type": "array", "items": g.field(t.Elem(), false)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.field(t.Elem(), false)}
	case reflect.Struct:
		if t.Name() == "" {
			return g.object(t)
		}
		name, ok := g.names[t]
		if !ok {
			name = t.Name()
			if n, ok := componentNames[t]; ok {
				name = n
			}
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

// field is the schema of a struct field, slice element or map value of
// type t: one that encoding/json may write as null (a nil pointer, slice
// or map) also takes null, unless omitted says a nil one is left out.
func (g *schemas) field(t reflect.Type, omitted bool) map[string]any {
	s := g.of(t)
	if omitted || t == rawType {
		return s
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return orNull(s)
	}
	return s
}

// notNull undoes orNull.
func notNull(s any) any {
	m, ok := s.(map[string]any)
	if !ok {
		return s
	}
	if typ, ok := m["type"].([]string); ok && len(typ) == 2 && typ[1] == "null" {
		out := maps.Clone(m)
		out["type"] = typ[0]
		return out
	}
	if alts, ok := m["anyOf"].([]any); ok && len(m) == 1 && len(alts) == 2 {
		if n, ok := alts[1].(map[string]any); ok && len(n) == 1 && n["type"] == "null" {
			return alts[0]
		}
	}
	return m
}

// orNull returns s that also takes null.
func orNull(s map[string]any) map[string]any {
	if len(s) == 0 {
		return s // anything, null included
	}
	switch typ := s["type"].(type) {
	case string:
		out := maps.Clone(s)
		out["type"] = []string{typ, "null"}
		return out
	case []string:
		if slices.Contains(typ, "null") {
			return s
		}
		out := maps.Clone(s)
		out["type"] = append(slices.Clone(typ), "null")
		return out
	}
	return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
}

// object is the schema of a struct's JSON form, following encoding/json:
// json tags name fields, "-" hides them, embedded structs lend theirs
// (an embedded pointer's only when it is set, so they are not required).
func (g *schemas) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	var walk func(t reflect.Type, optional bool)
	walk = func(t reflect.Type, optional bool) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if f.Anonymous && name == "" {
				switch {
				case f.Type.Kind() == reflect.Struct:
					walk(f.Type, optional)
					continue
				case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct:
					walk(f.Type.Elem(), true)
					continue
				}
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			omitted := slices.Contains(strings.Split(opts, ","), "omitempty") || slices.Contains(strings.Split(opts, ","), "omitzero")
			props[name] = g.field(f.Type, omitted)
			if !omitted && !optional {
				required = append(required, name)
			}
		}
	}
	walk(t, false)
	s := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		sort.Strings(required)
		s["required"] = required
	}
	return s
}

// closed sets additionalProperties: false on every object schema with
// properties that s reaches, components through their $ref included:
// a request body with an unknown field is refused (transport.DecodeJSON).
// Its properties take no null either: what a client sends is read into a
// Go value, and a null list (a batch's scans) is refused like a missing one.
func (g *schemas) closed(s any, seen map[string]bool) {
	switch x := s.(type) {
	case map[string]any:
		if ref, ok := x["$ref"].(string); ok {
			name := strings.TrimPrefix(ref, "#/components/schemas/")
			if !seen[name] {
				seen[name] = true
				g.closed(g.defs[name], seen)
			}
		}
		if props, ok := x["properties"].(map[string]any); ok {
			if _, set := x["additionalProperties"]; !set {
				x["additionalProperties"] = false
			}
			for name, p := range props {
				props[name] = notNull(p)
			}
		}
		for k, v := range x {
			if k != "$ref" {
				g.closed(v, seen)
			}
		}
	case []any:
		for _, v := range x {
			g.closed(v, seen)
		}
	}
}
