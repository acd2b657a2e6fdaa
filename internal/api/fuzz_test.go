package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/api"
	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service"
	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
	"github.com/outpost-org/outpost/internal/transport"
)

// FuzzQueryParams gives every query-parameter parser of the API the same
// fuzzed query string, as the admin and as a press user of RU, and checks
// what each promises: a refusal is a 400 naming the parameter (or the
// caller's lack of rights), and what is accepted is within the parser's
// bounds. Dates accepted must be ones the day loops can step over: the
// next day sorts after them and the JSON encoder can write them.
func FuzzQueryParams(f *testing.F) {
	for _, q := range []string{
		"", "limit=1", "limit=1000", "limit=0", "limit=-1", "limit=1001", "limit=99999999999999999999", "limit=1e3", "limit=%2B5", "limit= 5",
		"as_of=2021-04-01", "as_of=9999-12-31", "as_of=0001-01-01", "as_of=2021-02-30", "as_of=2021-04-01T08:00", "as_of=2021-04-01T08:00:00%2B09:00",
		"as_of=9999-12-31T23:59:59-23:59", "as_of=0001-01-01T00:00:00%2B14:00", "as_of=10000-01-01", "as_of=%00",
		"q=20", "q=%00", "q=%20x%20", "after=garbage", "after=%FF%FE", "status=left", "status=nope", "mission=SE", "mission=RU",
		"entity=%00", "threshold=-1", "threshold=0", "threshold=99999999999999999999", "item=FLOUR", "item=NOPE&mission=XX",
		"limit=5&limit=-1", "as_of=9999-12-31&threshold=7&mission=RU&item=FLOUR",
	} {
		f.Add(q)
	}
	now := time.Date(2021, 4, 1, 12, 0, 0, 0, time.UTC)
	loc, err := time.LoadLocation("Asia/Pyongyang")
	if err != nil {
		f.Fatal(err)
	}
	today := outpost.DateOf(now.In(loc))
	users := []outpost.User{
		{Name: "admin", Role: outpost.RoleAdmin},
		{Name: "press", Role: outpost.RolePress, Mission: "RU"},
	}
	f.Fuzz(func(t *testing.T, query string) {
		for _, u := range users {
			r := httptest.NewRequest("GET", "/", nil)
			// Set raw, as the server would receive it: the parsers see
			// whatever url.Values makes of it.
			r.URL.RawQuery = query
			r = r.WithContext(auth.WithUser(r.Context(), u))
			get := r.URL.Query().Get

			n, err := transport.QueryInt(r, "limit", 100, 1000)
			switch {
			case err != nil:
				refusal(t, "QueryInt", err, "limit")
			case get("limit") == "" && n != 100:
				t.Errorf("QueryInt without limit: got %d, want 100", n)
			case n < 1 || n > 1000:
				t.Errorf("QueryInt %q: got %d, outside 1 to 1000", get("limit"), n)
			}

			at, err := transport.AsOf(r, now, loc)
			if err != nil {
				refusal(t, "AsOf", err, "as_of")
			} else {
				steppable(t, "AsOf "+get("as_of"), outpost.DateOf(at))
				if _, err := json.Marshal(at); err != nil {
					t.Errorf("AsOf %q: got %v, which JSON cannot hold: %v", get("as_of"), at, err)
				}
			}

			day, err := transport.Day(r, "as_of", today)
			if err != nil {
				refusal(t, "SupplyDay", err, "as_of")
			} else {
				if get("as_of") == "" && day != today {
					t.Errorf("SupplyDay without as_of: got %s, want today %s", day, today)
				}
				steppable(t, "SupplyDay "+get("as_of"), day)
			}

			pf, ok, err := api.PeopleFilter(r)
			switch {
			case err != nil:
				refusal(t, "PeopleFilter", err, "status", "q", "after", "mission")
			case pf.Status != "" && !slices.Contains(outpost.Statuses, string(pf.Status)):
				t.Errorf("PeopleFilter: accepted status %q", pf.Status)
			case pf.Query != strings.TrimSpace(pf.Query):
				t.Errorf("PeopleFilter: query %q not trimmed", pf.Query)
			case ok && u.Role.MissionBound() && pf.Mission != u.Mission:
				t.Errorf("PeopleFilter as %s of %s: reads mission %q", u.Role, u.Mission, pf.Mission)
			}

			af, _, err := api.AuditFilter(r)
			switch {
			case err != nil && outpost.ErrorCode(err) == outpost.EFORBIDDEN && u.Role == outpost.RolePress:
			case err != nil:
				refusal(t, "AuditFilter", err, "limit")
			case af.Limit < 1 || af.Limit > 1000:
				t.Errorf("AuditFilter %q: limit %d outside 1 to 1000", get("limit"), af.Limit)
			}

			sq, err := statusQuery(r, u, today)
			switch {
			case err != nil && outpost.ErrorCode(err) == outpost.ENOTFOUND:
			case err != nil && outpost.ErrorCode(err) == outpost.EFORBIDDEN && u.Role == outpost.RolePress:
			case err != nil:
				refusal(t, "StatusQuery", err, "as_of", "threshold")
			default:
				steppable(t, "StatusQuery "+get("as_of"), sq.AsOf)
				if sq.Threshold < 0 {
					t.Errorf("StatusQuery %q: threshold %d", get("threshold"), sq.Threshold)
				}
			}
		}
	})
}

// statusQuery reads a stock status request as the API does: the caller's
// right first, then the parameters.
func statusQuery(r *http.Request, u outpost.User, today outpost.Date) (supplyservice.Query, error) {
	if err := supplyservice.MayRead(u); err != nil {
		return supplyservice.Query{}, err
	}
	return transport.StockQuery(r, today)
}

// refusal checks that a parser's error is a 400 that names one of the
// parameters it reads.
func refusal(t *testing.T, parser string, err error, params ...string) {
	t.Helper()
	if outpost.ErrorCode(err) != outpost.EINVALID {
		t.Errorf("%s: got %v (code %s), want a 400 (invalid)", parser, err, outpost.ErrorCode(err))
		return
	}
	msg := outpost.ErrorMessage(err)
	for _, p := range params {
		if strings.Contains(msg, p) {
			return
		}
	}
	t.Errorf("%s: the refusal %q names none of %q", parser, msg, params)
}

// steppable checks that the day loops can go from d to the day after and
// back: the next day sorts after d, the previous before it, as the loops
// compare dates as text.
func steppable(t *testing.T, what string, d outpost.Date) {
	t.Helper()
	if next := d.AddDays(1); next <= d {
		t.Errorf("%s: accepted %s, whose next day %s sorts before it: a day loop from it never ends", what, d, next)
	}
	if prev := d.AddDays(-1); prev >= d {
		t.Errorf("%s: accepted %s, whose previous day %s sorts after it", what, d, prev)
	}
}

// FuzzRequestBodies decodes fuzzed bytes as the request body of every
// route that takes one, as the handlers do (transport.DecodeJSON): the answer is
// the decoded value or a 400 with a message, never a panic, and what is
// accepted can be written back as JSON.
func FuzzRequestBodies(f *testing.F) {
	var types []reflect.Type
	seen := map[reflect.Type]bool{}
	for _, rt := range api.New(nil, service.Set{}, nil, "fuzz").Routes() {
		if rt.Doc.Body == nil {
			continue
		}
		if t := reflect.TypeOf(rt.Doc.Body); !seen[t] {
			seen[t] = true
			types = append(types, t)
		}
	}
	if len(types) < 10 {
		f.Fatalf("only %d request types", len(types))
	}
	for _, s := range []string{
		`{"item":"FLOUR","lot":"L1","quantity":1e308}`, `{"quantity":-1e308}`, `{"quantity":1e309}`,
		`{"quantity":NaN}`, `{"quantity":Infinity}`, `{"quantity":"NaN"}`, `{"quantity":5e-324}`,
		`{"title":"a\u0000b"}`, `{"title":"a"} {"title":"b"}`, `{"title":"a"}]`, `[]`, `null`, ``, `"x"`,
		`{"person":"RU/../../x","status":"safe"}`, `{"person":"RU-7006?x=1#y"}`, `{"start":"9999-12-31"}`,
		`{"at":"0001-01-01T00:00"}`, `{"days":-1}`, `{"days":9223372036854775808}`, `{"precedence":null}`,
		`{"title":"` + strings.Repeat("x", 1<<16) + `"}`, `{"unknown":1}`, `{"title":1}`,
	} {
		for i := range types {
			f.Add(uint8(i), s)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		typ := types[int(which)%len(types)]
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		v := reflect.New(typ)
		if err := transport.DecodeJSON(r, v.Interface()); err != nil {
			if outpost.ErrorCode(err) != outpost.EINVALID || outpost.ErrorMessage(err) == "" {
				t.Fatalf("%s from %q: got %v (code %s), want a 400 with a message", typ, body, err, outpost.ErrorCode(err))
			}
			return
		}
		if _, err := json.Marshal(v.Interface()); err != nil {
			t.Fatalf("%s from %q: accepted, but cannot be written back: %v", typ, body, err)
		}
	})
}
