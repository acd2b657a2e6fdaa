package api

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/transport"
)

func TestSchemas(t *testing.T) {
	type inner struct {
		A string `json:"a"`
	}
	type sample struct {
		inner
		Name    string         `json:"name"`
		Opt     int            `json:"opt,omitempty"`
		Hidden  string         `json:"-"`
		When    time.Time      `json:"when"`
		Day     outpost.Date   `json:"day,omitempty"`
		Tags    []string       `json:"tags"`
		Counts  map[string]int `json:"counts"`
		Ptr     *float64       `json:"ptr"`
		private int
		Nested  outpost.AuditEntry `json:"nested"`
	}
	g := &schemas{defs: map[string]any{}, names: map[reflect.Type]string{}, taken: map[string]reflect.Type{}}
	ref := g.of(reflect.TypeOf(sample{}))
	if diff := cmp.Diff(map[string]any{"$ref": "#/components/schemas/sample"}, ref); diff != "" {
		t.Fatalf("ref (-want +got):\n%s", diff)
	}
	s := g.defs["sample"].(map[string]any)
	props := s["properties"].(map[string]any)
	var names []string
	for k := range props {
		names = append(names, k)
	}
	slices.Sort(names)
	if want := []string{"a", "counts", "day", "name", "nested", "opt", "ptr", "tags", "when"}; !slices.Equal(names, want) {
		t.Errorf("properties: got %v, want %v", names, want)
	}
	if want := []string{"a", "counts", "name", "nested", "ptr", "tags", "when"}; !slices.Equal(s["required"].([]string), want) {
		t.Errorf("required: got %v, want %v", s["required"], want)
	}
	checks := map[string]map[string]any{
		"when": {"type": "string", "format": "date-time"},
		"day":  {"type": "string", "format": "date"},
		// encoding/json writes a nil slice, map or pointer as null.
		"tags":   {"type": []string{"array", "null"}, "items": map[string]any{"type": "string"}},
		"counts": {"type": []string{"object", "null"}, "additionalProperties": map[string]any{"type": "integer"}},
		"ptr":    {"type": []string{"number", "null"}},
		"nested": {"$ref": "#/components/schemas/AuditEntry"},
	}
	for k, want := range checks {
		if diff := cmp.Diff(want, props[k]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", k, diff)
		}
	}
	if _, ok := g.defs["AuditEntry"]; !ok {
		t.Error("the nested struct has no component")
	}
}

// TestSchemasOfNilValues covers what encoding/json writes for nil values
// and types with their own encoding.
func TestSchemasOfNilValues(t *testing.T) {
	type extra struct {
		B int `json:"b"`
	}
	type sample struct {
		*extra
		Ref      *outpost.AuditEntry  `json:"ref"`
		RefOpt   *outpost.AuditEntry  `json:"ref_opt,omitempty"`
		Ptrs     []*int               `json:"ptrs,omitzero"`
		Day      outpost.DayNumber    `json:"day"`
		Any      any                  `json:"any"`
		Nums     map[string]*float64  `json:"nums,omitempty"`
		Inline   *struct{ X string }  `json:"inline"`
		Entries  []outpost.AuditEntry `json:"entries"`
		Bytes    []byte               `json:"bytes"`
		Text     string               `json:"text,omitempty"`
		Sentence *string              `json:"sentence"`
	}
	g := &schemas{defs: map[string]any{}, names: map[reflect.Type]string{}, taken: map[string]reflect.Type{}}
	g.of(reflect.TypeOf(sample{}))
	s := g.defs["sample"].(map[string]any)
	props := s["properties"].(map[string]any)
	null := map[string]any{"type": "null"}
	entry := map[string]any{"$ref": "#/components/schemas/AuditEntry"}
	want := map[string]any{
		"b":        map[string]any{"type": "integer"},
		"ref":      map[string]any{"anyOf": []any{entry, null}},
		"ref_opt":  entry,
		"ptrs":     map[string]any{"type": "array", "items": map[string]any{"type": []string{"integer", "null"}}},
		"day":      map[string]any{"type": "string"},
		"any":      map[string]any{},
		"nums":     map[string]any{"type": "object", "additionalProperties": map[string]any{"type": []string{"number", "null"}}},
		"inline":   map[string]any{"type": []string{"object", "null"}, "properties": map[string]any{"X": map[string]any{"type": "string"}}, "required": []string{"X"}},
		"entries":  map[string]any{"type": []string{"array", "null"}, "items": entry},
		"bytes":    map[string]any{"type": []string{"string", "null"}, "contentEncoding": "base64"},
		"text":     map[string]any{"type": "string"},
		"sentence": map[string]any{"type": []string{"string", "null"}},
	}
	if diff := cmp.Diff(want, props); diff != "" {
		t.Errorf("properties (-want +got):\n%s", diff)
	}
	// A field of a nil embedded pointer is left out, so never required.
	if want := []string{"any", "bytes", "day", "entries", "inline", "ref", "sentence"}; !slices.Equal(s["required"].([]string), want) {
		t.Errorf("required: got %v, want %v", s["required"], want)
	}
}

func TestPathParamsAndOperationIDs(t *testing.T) {
	if got := PathParams("/api/v1/people/{id}/track/{n}/{rest...}"); !slices.Equal(got, []string{"id", "n", "rest"}) {
		t.Errorf("PathParams: got %v", got)
	}
	cases := map[string]string{
		"POST /api/v1/people/{id}/track": "postPeopleIdTrack",
		"GET /api/v1/census":             "getCensus",
		"GET /api/v1/openapi.json":       "getOpenapiJson",
	}
	for pattern, want := range cases {
		m, p, _ := strings.Cut(pattern, " ")
		rt := Route{Method: m, Path: p}
		if got := operationID(rt); got != want {
			t.Errorf("operationID(%s): got %q, want %q", pattern, got, want)
		}
	}
}

func TestStatusTable(t *testing.T) {
	cases := []struct {
		err  error
		want int
	}{
		{outpost.Errorf(outpost.EINVALID, "x"), 400},
		{outpost.Errorf(outpost.EUNAUTHORIZED, "x"), 401},
		{outpost.Errorf(outpost.EFORBIDDEN, "x"), 403},
		{outpost.Errorf(outpost.ENOTFOUND, "x"), 404},
		{outpost.Errorf(outpost.ECONFLICT, "x"), 409},
		{outpost.Errorf(outpost.EINTERNAL, "x"), 500},
		{outpost.Errorf(outpost.EUNAVAILABLE, "x"), 503},
		{errors.ErrUnsupported, 500},
	}
	for _, c := range cases {
		if got := transport.StatusCode(c.err); got != c.want {
			t.Errorf("transport.StatusCode(%v): got %d, want %d", c.err, got, c.want)
		}
	}
}

// TestRequestBodiesAdmitNoOtherField: the schemas of request bodies say
// additionalProperties false (the decoder refuses an unknown field), down
// to the scans of a scanner's batch; answers stay open.
func TestRequestBodiesAdmitNoOtherField(t *testing.T) {
	doc := (&API{}).Document()
	defs := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for _, name := range []string{"ScanBatch", "Scan", "TrackRequest"} {
		s, ok := defs[name].(map[string]any)
		if !ok {
			t.Fatalf("no schema %s", name)
		}
		if s["additionalProperties"] != false {
			t.Errorf("%s: additionalProperties %v, want false", name, s["additionalProperties"])
		}
	}
	if s := defs["ScanReport"].(map[string]any); s["additionalProperties"] != nil {
		t.Errorf("the answer ScanReport is closed: %v", s)
	}
	scans := defs["ScanBatch"].(map[string]any)["properties"].(map[string]any)["scans"]
	if diff := cmp.Diff(map[string]any{"type": "array", "items": map[string]any{"$ref": "#/components/schemas/Scan"}}, scans); diff != "" {
		t.Errorf("scans (-want +got):\n%s", diff)
	}
	if req := defs["Scan"].(map[string]any)["required"]; !slices.Equal(req.([]string), []string{"at", "checkpoint", "person"}) {
		t.Errorf("Scan requires %v", req)
	}
}
