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
		"when":   {"type": "string", "format": "date-time"},
		"day":    {"type": "string", "format": "date"},
		"tags":   {"type": "array", "items": map[string]any{"type": "string"}},
		"counts": {"type": "object", "additionalProperties": map[string]any{"type": "integer"}},
		"ptr":    {"type": "number"},
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
