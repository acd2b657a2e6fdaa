package api_test

import (
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/api"
)

// promptly runs fn and fails the test if it does not return within a
// minute: a guard against the endless loops these tests are about, not a
// measure of speed.
func promptly(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("%s: no answer after a minute", what)
	}
}

// Dates outside the window are refused with a 400 naming the parameter,
// at once; before, the day loops compared dates as text and never ended
// past year 9999.
func TestDatesOutsideTheWindowAre400(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		for _, tc := range []struct{ target, want string }{
			{"/api/v1/census/headcount?from=9999-12-31&to=9999-12-31", `from \"9999-12-31\"`},
			{"/api/v1/census/headcount?from=0001-01-01&to=0001-01-02", `from \"0001-01-01\"`},
			{"/api/v1/census/headcount?from=2021-01-01&to=2100-12-31", "at most 3660 days"},
			{"/api/v1/sitrep?date=9999-12-31", `date \"9999-12-31\"`},
			{"/api/v1/sitrep?date=1899-12-31", `date \"1899-12-31\"`},
			{"/api/v1/census?as_of=9999-12-31", "as_of"},
			{"/api/v1/supply/status?as_of=9999-12-31", "as_of"},
		} {
			var a answer
			promptly(t, tc.target, func() { a = c.get(tc.target, "admin") })
			if a.status != http.StatusBadRequest || !strings.Contains(a.body, tc.want) {
				t.Errorf("GET %s: got %d %s, want 400 with %q", tc.target, a.status, a.body, tc.want)
			}
		}
		a := c.get("/api/v1/census/headcount?from=2100-12-01&to=2100-12-31", "admin")
		if a.status != http.StatusOK || !strings.Contains(a.body, `"2100-12-31"`) {
			t.Errorf("the last days of the window: got %d %.200s", a.status, a.body)
		}
	})
}

// A checkpoint dated 9999 or 0001, before the person's registration or
// days ahead of the clock is refused, and nothing is recorded.
func TestTrackingOutsideTheWindowIsRefused(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		for _, tc := range []struct{ at, want string }{
			{"9999-12-31T00:00:00Z", "out of range"},
			{"0001-01-01T00:00:00Z", "out of range"},
			{"2019-01-01T00:00:00Z", "before the person was registered"},
			{clock.Add(72 * time.Hour).Format(time.RFC3339), "more than a day in the future"},
		} {
			body := `{"checkpoint": "departed", "at": "` + tc.at + `"}`
			a := c.do("POST", "/api/v1/people/RU-0002/track", "admin", body)
			if a.status != http.StatusBadRequest || !strings.Contains(a.body, "at ") || !strings.Contains(a.body, tc.want) {
				t.Errorf("track at %s: got %d %s, want 400 on at with %q", tc.at, a.status, a.body, tc.want)
			}
		}
		evs, err := c.store.Events(t.Context(), "RU-0002")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if e.Source == "track" {
				t.Errorf("a refused checkpoint was recorded: %+v", e)
			}
		}
		a := c.do("POST", "/api/v1/people/RU-0002/track", "admin", `{"checkpoint": "departed", "at": "2021-03-20T09:00:00Z"}`)
		if a.status != http.StatusCreated {
			t.Errorf("a checkpoint within bounds: got %d %s", a.status, a.body)
		}
	})
}

// Control characters, over-long text and ids that are not ids are refused
// with a 400 naming the field.
func TestLooseTextIsRefused(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		for _, tc := range []struct{ method, target, body, want string }{
			{"POST", "/api/v1/people/RU-0002/track", `{"checkpoint": "assembled", "note": "a\u0000b"}`, "note: holds a NUL"},
			{"POST", "/api/v1/statements", `{"title": "Evac\u0000uation", "body": "x", "mission": "RU"}`, "title: holds a NUL"},
			{"POST", "/api/v1/statements", `{"title": "Evacuation", "body": "x\u0000", "mission": "RU"}`, "body: holds a NUL"},
			{"POST", "/api/v1/statements", `{"title": "` + strings.Repeat("t", 201) + `", "body": "x", "mission": "RU"}`, "title: is longer than 200"},
			{"POST", "/api/v1/rollcalls", `{"title": "Check\u0007", "mission": "RU"}`, "title"},
			{"POST", "/api/v1/medical/cases", `{"person": "RU-0001", "precedence": "routine", "need": "in\u0000sulin"}`, "need holds a NUL"},
		} {
			a := c.do(tc.method, tc.target, "admin", tc.body)
			if a.status != http.StatusBadRequest || !strings.Contains(a.body, tc.want) {
				t.Errorf("%s %s %.60s: got %d %s, want 400 with %q", tc.method, tc.target, tc.body, a.status, a.body, tc.want)
			}
		}
		for _, id := range []string{"RU%2F..%2F..%2Fx", "RU-7006%3Fx=1%23y"} {
			if a := c.get("/api/v1/people/"+id, "admin"); a.status != http.StatusNotFound {
				t.Errorf("GET person %s: got %d %s, want 404", id, a.status, a.body)
			}
		}
	})
}

// Quantities that are not finite, or absurd, are refused by every write,
// and the status stays a finite JSON answer.
func TestAbsurdQuantitiesAreRefused(t *testing.T) {
	eachStock(t, func(t *testing.T, c *stockCorps) {
		for _, tc := range []struct{ path, body string }{
			{"receipts", `{"item": "FLOUR", "lot": "L20", "quantity": 1e308, "received": "2021-03-02"}`},
			{"receipts", `{"item": "FLOUR", "lot": "L21", "quantity": 1000000001, "received": "2021-03-02"}`},
			{"issues", `{"item": "FLOUR", "quantity": 1e308, "date": "2021-03-02"}`},
			{"transfers", `{"item": "FLOUR", "to": "SE", "quantity": 1e308, "date": "2021-03-03"}`},
		} {
			who := "staff"
			if tc.path == "transfers" {
				who = "manager"
			}
			a := c.do("POST", "/api/v1/supply/"+tc.path, who, tc.body)
			if a.status != http.StatusBadRequest || !strings.Contains(a.body, "quantity: must be at most 1000000000") {
				t.Errorf("%s %s: got %d %s, want 400 on quantity", tc.path, tc.body, a.status, a.body)
			}
		}
		for _, body := range []string{
			`{"item": "FLOUR", "lot": "L22", "quantity": 1e999}`,
			`{"item": "FLOUR", "lot": "L22", "quantity": NaN}`,
			`{"item": "FLOUR", "lot": "L22", "quantity": "Infinity"}`,
		} {
			if a := c.do("POST", "/api/v1/supply/receipts", "staff", body); a.status != http.StatusBadRequest {
				t.Errorf("receipt %s: got %d %s, want 400", body, a.status, a.body)
			}
		}
		a := c.do("GET", "/api/v1/supply/status?as_of=2021-03-05", "admin", "")
		if a.status != http.StatusOK || !json.Valid([]byte(a.body)) {
			t.Errorf("status after refused receipts: got %d %.200s", a.status, a.body)
		}
	})
}

// An answer the encoder refuses is a 500 with a JSON error body, not a
// 200 with an empty one.
func TestUnencodableAnswerIs500(t *testing.T) {
	for _, v := range []any{math.NaN(), map[string]float64{"on_hand": math.Inf(1)}, make(chan int)} {
		rec := httptest.NewRecorder()
		api.WriteJSON(rec, http.StatusOK, v)
		var body api.ErrorBody
		if rec.Code != http.StatusInternalServerError || json.Unmarshal(rec.Body.Bytes(), &body) != nil || body.Error.Code != "internal" {
			t.Errorf("WriteJSON(%T): got %d %q, want 500 with a JSON error", v, rec.Code, rec.Body.String())
		}
	}
	rec := httptest.NewRecorder()
	api.WriteJSON(rec, http.StatusCreated, map[string]int{"n": 1})
	if rec.Code != http.StatusCreated || rec.Body.String() != "{\n  \"n\": 1\n}\n" {
		t.Errorf("WriteJSON of a good value: got %d %q", rec.Code, rec.Body.String())
	}
}
