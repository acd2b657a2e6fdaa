package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/api"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/server"
	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/supply"
	"github.com/outpost-org/outpost/internal/testkit"
)

// stockCorps is a server over storetest.SeedSupply (RU holds 100 kg of
// flour on 1 March 2021, using 20/28 a day; SE 200 kg, planned 0.25 a
// day; WFP none) with a user of each role (the mission-bound ones of RU)
// and a manager of SE and of WFP.
type stockCorps struct {
	t      *testing.T
	store  outpost.Store
	srv    *server.Server
	tokens map[string]string
}

func newStockCorps(t *testing.T, s outpost.Store) *stockCorps {
	t.Helper()
	storetest.SeedSupply(t, s)
	c := &stockCorps{t: t, store: s}
	c.tokens = testkit.SeedUsers(t, s, testkit.NoPassword, testkit.Roles(
		outpost.User{Name: "se-manager", Role: outpost.RoleManager, Mission: "SE"},
		outpost.User{Name: "wfp-manager", Role: outpost.RoleManager, Mission: "WFP"})).Tokens()
	srv, err := server.New(server.Config{Store: s, Version: "test",
		Now: func() time.Time { return time.Date(2021, 4, 1, 12, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c.srv = srv
	return c
}

func (c *stockCorps) do(method, target, as, body string) answer {
	c.t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+c.tokens[as])
	}
	rec := httptest.NewRecorder()
	c.srv.Handler().ServeHTTP(rec, req)
	return answer{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

func eachStock(t *testing.T, fn func(t *testing.T, c *stockCorps)) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) { fn(t, newStockCorps(t, open(t))) })
	}
}

func missionsOf(rows []supply.Row) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r.Mission+"/"+r.Item)
	}
	return out
}

func TestSupplyStatusOverTheAPI(t *testing.T) {
	eachStock(t, func(t *testing.T, c *stockCorps) {
		both := []string{"RU/FLOUR", "SE/FLOUR"}
		cases := []struct {
			who, query string
			status     int
			rows       []string
			short      int
		}{
			{"admin", "?as_of=2021-03-01", http.StatusOK, both, 0},
			{"admin", "?as_of=2021-03-01&mission=SE", http.StatusOK, []string{"SE/FLOUR"}, 0},
			{"coordinator", "?as_of=2021-03-01", http.StatusOK, both, 0},
			{"coordinator", "?as_of=2021-03-01&threshold=190", http.StatusOK, both, 2},
			{"coordinator", "?as_of=2021-03-01&item=INSULIN", http.StatusOK, []string{}, 0},
			{"manager", "?as_of=2021-03-01", http.StatusOK, []string{"RU/FLOUR"}, 0},
			{"manager", "?as_of=2021-03-01&mission=SE", http.StatusOK, []string{}, 0},
			{"staff", "?as_of=2021-03-01&threshold=0", http.StatusOK, []string{"RU/FLOUR"}, 0},
			{"press", "?as_of=2021-03-01&threshold=141", http.StatusOK, []string{"RU/FLOUR"}, 1},
			{"se-manager", "?as_of=2021-03-01", http.StatusOK, []string{"SE/FLOUR"}, 0},
			{"wfp-manager", "?as_of=2021-03-01", http.StatusOK, []string{}, 0},
			{"admin", "?mission=XX", http.StatusNotFound, nil, 0},
			{"admin", "?item=RICE", http.StatusNotFound, nil, 0},
			{"admin", "?threshold=-1", http.StatusBadRequest, nil, 0},
			{"admin", "?threshold=two", http.StatusBadRequest, nil, 0},
			{"admin", "?as_of=2021-02-30", http.StatusBadRequest, nil, 0},
			{"", "", http.StatusUnauthorized, nil, 0},
		}
		for _, tc := range cases {
			a := c.do("GET", "/api/v1/supply/status"+tc.query, tc.who, "")
			if a.status != tc.status {
				t.Errorf("%s asks %s: got %d %s, want %d", tc.who, tc.query, a.status, a.body, tc.status)
				continue
			}
			if tc.status != http.StatusOK {
				continue
			}
			var st supplyservice.Status
			dec := json.NewDecoder(strings.NewReader(a.body))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&st); err != nil {
				t.Fatalf("%s asks %s: not the JSON of supply status: %v\n%s", tc.who, tc.query, err, a.body)
			}
			short := 0
			for _, r := range st.Rows {
				if r.Shortage {
					short++
				}
			}
			if got := missionsOf(st.Rows); !slices.Equal(got, tc.rows) || short != tc.short || st.AsOf != "2021-03-01" {
				t.Errorf("%s asks %s: got rows %v (%d short) as of %s, want %v (%d short) as of 2021-03-01", tc.who, tc.query, got, short, st.AsOf, tc.rows, tc.short)
			}
		}
		// The defaults: today in the post's zone, and 14 days.
		st := decode[supplyservice.Status](t, c.do("GET", "/api/v1/supply/status", "manager", ""))
		if st.AsOf != "2021-04-01" || st.Threshold != 14 || len(st.Rows) != 1 || st.Rows[0].OnHand != 100 {
			t.Errorf("defaults: got %+v, want RU's 100 kg on 2021-04-01 at 14 days", st)
		}
	})
}

// At a target of 150 days RU (140 days of flour) needs 7.14 kg, which SE
// (800 days) gives; WFP uses no flour.
func TestSupplyPoolOverTheAPI(t *testing.T) {
	eachStock(t, func(t *testing.T, c *stockCorps) {
		cases := []struct {
			who, path string
			status    int
			transfers []string
		}{
			{"admin", "/api/v1/supply/pool/FLOUR?as_of=2021-03-01&target=150", http.StatusOK, []string{"SE>RU"}},
			{"coordinator", "/api/v1/supply/pool/FLOUR?as_of=2021-03-01&target=150", http.StatusOK, []string{"SE>RU"}},
			{"manager", "/api/v1/supply/pool/FLOUR?as_of=2021-03-01&target=150", http.StatusOK, []string{"SE>RU"}},
			{"se-manager", "/api/v1/supply/pool/FLOUR?as_of=2021-03-01&target=150", http.StatusOK, []string{"SE>RU"}},
			{"wfp-manager", "/api/v1/supply/pool/FLOUR?as_of=2021-03-01&target=150", http.StatusOK, []string{}},
			{"coordinator", "/api/v1/supply/pool/FLOUR?as_of=2021-03-01", http.StatusOK, []string{}},
			{"staff", "/api/v1/supply/pool/FLOUR", http.StatusForbidden, nil},
			{"press", "/api/v1/supply/pool/FLOUR", http.StatusForbidden, nil},
			{"coordinator", "/api/v1/supply/pool/RICE", http.StatusNotFound, nil},
			{"coordinator", "/api/v1/supply/pool/FLOUR?target=0", http.StatusBadRequest, nil},
			{"coordinator", "/api/v1/supply/pool/FLOUR?as_of=March", http.StatusBadRequest, nil},
			{"", "/api/v1/supply/pool/FLOUR", http.StatusUnauthorized, nil},
		}
		for _, tc := range cases {
			a := c.do("GET", tc.path, tc.who, "")
			if a.status != tc.status {
				t.Errorf("%s asks %s: got %d %s, want %d", tc.who, tc.path, a.status, a.body, tc.status)
				continue
			}
			if tc.status != http.StatusOK {
				continue
			}
			var raw map[string]any
			if err := json.Unmarshal([]byte(a.body), &raw); err != nil || len(raw) != 3 {
				t.Errorf("%s asks %s: got %s, want the three fields of the pool JSON", tc.who, tc.path, a.body)
			}
			p := decode[supply.Proposal](t, a)
			got := []string{}
			for _, tr := range p.Transfers {
				got = append(got, tr.From+">"+tr.To)
			}
			if !slices.Equal(got, tc.transfers) || p.Item != "FLOUR" {
				t.Errorf("%s asks %s: got %v, want %v", tc.who, tc.path, got, tc.transfers)
			}
		}
	})
}

func TestSupplyWritesOverTheAPI(t *testing.T) {
	eachStock(t, func(t *testing.T, c *stockCorps) {
		cases := []struct {
			who, path, body string
			status          int
			want            string
		}{
			{"staff", "receipts", `{"item": "FLOUR", "lot": "L9", "quantity": 40, "received": "2021-03-02", "expires": "2021-12-01"}`, http.StatusCreated, `"mission": "RU"`},
			{"staff", "receipts", `{"item": "FLOUR", "lot": "L9", "quantity": 40}`, http.StatusConflict, `"lot: RU already has a lot L9`},
			{"staff", "receipts", `{"item": "FLOUR", "lot": "L10", "quantity": 0}`, http.StatusBadRequest, `quantity: must be a number greater than 0 (got \"0\")`},
			{"staff", "receipts", `{"item": "FLOUR", "lot": "L10", "quantity": 1, "received": "2021-03-02", "expires": "2021-03-01"}`, http.StatusBadRequest, "expires: expiry before receipt"},
			{"staff", "receipts", `{"item": "RICE", "lot": "L10", "quantity": 1}`, http.StatusNotFound, `item: no item \"RICE\"`},
			{"staff", "receipts", `{"item": "FLOUR", "lot": "L10", "quantity": 1, "colour": "red"}`, http.StatusBadRequest, "not valid JSON"},
			{"manager", "receipts", `{"mission": "SE", "item": "FLOUR", "lot": "L10", "quantity": 1}`, http.StatusForbidden, "your own mission, RU, only"},
			{"press", "receipts", `{"item": "FLOUR", "lot": "L10", "quantity": 1}`, http.StatusForbidden, "may not record stock"},
			{"coordinator", "receipts", `{"mission": "RU", "item": "FLOUR", "lot": "L10", "quantity": 1}`, http.StatusForbidden, "may not record stock"},
			{"admin", "receipts", `{"item": "FLOUR", "lot": "L10", "quantity": 1}`, http.StatusBadRequest, "mission: is required"},
			{"admin", "receipts", `{"mission": "XX", "item": "FLOUR", "lot": "L10", "quantity": 1}`, http.StatusNotFound, `mission: no mission \"XX\"`},
			{"admin", "receipts", `{"mission": "WFP", "item": "INSULIN", "lot": "W1", "quantity": 12, "received": "2021-03-01"}`, http.StatusCreated, `"mission": "WFP"`},
			{"staff", "issues", `{"item": "FLOUR", "quantity": 10, "date": "2021-03-02", "note": "kitchen"}`, http.StatusCreated, `"note": "kitchen"`},
			{"staff", "issues", `{"item": "FLOUR", "quantity": 1000, "date": "2021-03-02"}`, http.StatusConflict, "quantity: RU has 130 FLOUR on hand on 2021-03-02"},
			{"manager", "issues", `{"mission": "SE", "item": "FLOUR", "quantity": 1}`, http.StatusForbidden, "own mission"},
			{"staff", "issues", `{"item": "FLOUR", "quantity": 1, "date": "1 March"}`, http.StatusBadRequest, "date: "},
			{"manager", "transfers", `{"item": "FLOUR", "to": "SE", "quantity": 10, "date": "2021-03-03"}`, http.StatusCreated, `"from": "RU"`},
			{"manager", "transfers", `{"item": "FLOUR", "to": "SE", "quantity": 10000, "date": "2021-03-03"}`, http.StatusConflict, "quantity: RU has"},
			{"manager", "transfers", `{"item": "FLOUR", "to": "XX", "quantity": 1}`, http.StatusNotFound, `to: no mission \"XX\"`},
			{"manager", "transfers", `{"item": "FLOUR", "to": "RU", "quantity": 1}`, http.StatusBadRequest, "to: must differ"},
			{"staff", "transfers", `{"item": "FLOUR", "to": "SE", "quantity": 1}`, http.StatusForbidden, "may not record transfers"},
			{"se-manager", "transfers", `{"item": "FLOUR", "from": "RU", "to": "SE", "quantity": 1}`, http.StatusForbidden, "your own mission, SE, only"},
			{"coordinator", "transfers", `{"item": "FLOUR", "from": "SE", "to": "RU", "quantity": 1}`, http.StatusForbidden, "may not record transfers"},
			{"admin", "transfers", `{"item": "FLOUR", "from": "SE", "to": "WFP", "quantity": 5, "date": "2021-03-03"}`, http.StatusCreated, `"to_lot": "SE/RU/L1"`},
			{"", "issues", `{"item": "FLOUR", "quantity": 1}`, http.StatusUnauthorized, "sign in"},
		}
		for _, tc := range cases {
			a := c.do("POST", "/api/v1/supply/"+tc.path, tc.who, tc.body)
			if a.status != tc.status || !strings.Contains(a.body, tc.want) {
				t.Errorf("%s posts %s %s: got %d %s, want %d with %q", tc.who, tc.path, tc.body, a.status, a.body, tc.status, tc.want)
			}
		}
		// Every write is on record, by who made it, for the mission it
		// touched.
		entries, err := c.store.Audit(storetest.Ctx(), outpost.AuditFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			if e.Actor != "tester" {
				got = append(got, e.Actor+":"+e.Action+":"+e.Mission)
			}
		}
		slices.Sort(got)
		want := []string{"admin:receive:WFP", "admin:transfer:SE", "manager:transfer:RU", "staff:issue:RU", "staff:receive:RU"}
		if !slices.Equal(got, want) {
			t.Errorf("audit: got %v, want %v", got, want)
		}
	})
}

func TestSupplyListsOverTheAPI(t *testing.T) {
	eachStock(t, func(t *testing.T, c *stockCorps) {
		if a := c.do("POST", "/api/v1/supply/transfers", "manager", `{"item": "FLOUR", "to": "SE", "quantity": 10, "date": "2021-03-03"}`); a.status != http.StatusCreated {
			t.Fatalf("transfer: %d %s", a.status, a.body)
		}
		cases := []struct {
			who, query string
			status     int
			transfers  int
		}{
			{"admin", "", http.StatusOK, 1},
			{"coordinator", "?mission=WFP", http.StatusOK, 0},
			{"coordinator", "", http.StatusOK, 1},
			{"press", "", http.StatusOK, 1},
			{"se-manager", "", http.StatusOK, 1},
			{"wfp-manager", "", http.StatusOK, 0},
			{"wfp-manager", "?mission=RU", http.StatusOK, 0},
			{"", "", http.StatusUnauthorized, 0},
		}
		for _, tc := range cases {
			a := c.do("GET", "/api/v1/supply/transfers"+tc.query, tc.who, "")
			if a.status != tc.status {
				t.Errorf("%s lists transfers%s: got %d, want %d", tc.who, tc.query, a.status, tc.status)
				continue
			}
			if tc.status == http.StatusOK {
				if got := len(decode[api.TransferList](t, a).Transfers); got != tc.transfers {
					t.Errorf("%s lists transfers%s: got %d, want %d", tc.who, tc.query, got, tc.transfers)
				}
			}
		}
		for _, who := range []string{"admin", "coordinator", "manager", "staff", "press"} {
			items := decode[api.ItemList](t, c.do("GET", "/api/v1/supply/items", who, ""))
			if len(items.Items) != 2 || items.Items[0].Code != "FLOUR" || items.Items[0].Unit != "kg" {
				t.Errorf("items as %s: got %+v, want FLOUR and INSULIN", who, items)
			}
		}
	})
}
