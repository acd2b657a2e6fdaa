package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/server"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// stockSite is a server over storetest.SeedSupply: on 1 March 2021 RU
// holds 100 kg of flour (140 days at 20/28 kg a day), SE 200 kg (800
// days at its planned 0.25 kg); a user of each role, the mission-bound
// ones of RU, and a manager of SE.
type stockSite struct {
	t      *testing.T
	store  *store.DB
	srv    *server.Server
	tokens map[string]string
}

func newStockSite(t *testing.T) *stockSite {
	t.Helper()
	db := testkit.Open(t, store.Open, testkit.SQLiteDSN(t))
	storetest.SeedSupply(t, db)
	s := &stockSite{t: t, store: db}
	s.tokens = testkit.SeedUsers(t, db, testkit.NoPassword, testkit.Roles(
		outpost.User{Name: "se-manager", Role: outpost.RoleManager, Mission: "SE"})).Tokens()
	srv, err := server.New(server.Config{Store: db, Version: "test",
		Now: func() time.Time { return time.Date(2021, 3, 1, 12, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	s.srv = srv
	return s
}

func (s *stockSite) send(method, target, as string, form url.Values) page {
	s.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+s.tokens[as])
	}
	rec := httptest.NewRecorder()
	s.srv.Handler().ServeHTTP(rec, req)
	return page{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

func checkPage(t *testing.T, what string, p page, status int, want, dontWant []string) {
	t.Helper()
	if p.status != status {
		t.Errorf("%s: got %d, want %d", what, p.status, status)
		return
	}
	for _, w := range want {
		if !strings.Contains(p.body, w) {
			t.Errorf("%s: the page lacks %q", what, w)
		}
	}
	for _, w := range dontWant {
		if strings.Contains(p.body, w) {
			t.Errorf("%s: the page shows %q", what, w)
		}
	}
}

func TestSupplyPageShowsEachRoleItsPart(t *testing.T) {
	s := newStockSite(t)
	ru, se := "<td><strong>RU</strong></td>", "<td><strong>SE</strong></td>"
	forms := []string{"Record a receipt", "Record an issue", `<label for="receipt-quantity">Quantity</label>`}
	cases := []struct {
		who, query     string
		status         int
		want, dontWant []string
	}{
		{"coordinator", "?threshold=190", 200,
			[]string{ru, se, "Across the corps", `href="/supply/pool/FLOUR?as_of=2021-03-01"`, `id="stat-short">2<`, "140 days · short", "183 days · short"},
			forms},
		{"coordinator", "?mission=SE", 200, []string{se, `id="stat-short">0<`}, []string{ru, "Across the corps"}},
		{"admin", "", 200, append([]string{"Across the corps", "Choose a mission"}, forms...), nil},
		{"manager", "", 200, append([]string{"Wheat flour", "Mutual aid", "at your mission, RU", `id="receipt-mission" name="mission"><option value="RU">`}, forms...),
			[]string{se, "Across the corps", "Choose a mission"}},
		{"manager", "?mission=SE", 200, []string{"No stock recorded on or before 2021-03-01 at SE"}, []string{ru, se}},
		{"staff", "?only=alerts", 200, append([]string{"No shortage and nothing expiring within 90 days"}, forms...), []string{"Mutual aid"}},
		{"staff", "?only=alerts&as_of=2021-05-10", 200, []string{"will expire unused", `<span class="badge badge-exp90">50</span>`}, nil},
		{"press", "", 200, []string{"Wheat flour", "100 <span class=\"unit\">kg</span>"}, append([]string{"Mutual aid"}, forms...)},
		{"press", "?as_of=2021-05-10", 200, []string{`<span class="badge badge-exp30">`}, nil},
		{"coordinator", "?threshold=abc", 400, []string{"threshold"}, nil},
		{"coordinator", "?item=RICE", 404, []string{"no item"}, nil},
		{"", "", 303, nil, nil},
	}
	for _, c := range cases {
		if c.query == "" || !strings.Contains(c.query, "as_of") {
			c.query = "?as_of=2021-03-01&" + strings.TrimPrefix(c.query, "?")
		}
		checkPage(t, c.who+" GET /supply"+c.query, s.send("GET", "/supply"+c.query, c.who, nil), c.status, c.want, c.dontWant)
	}
	if p := s.send("GET", "/", "press", nil); !strings.Contains(p.body, `<a href="/supply">Supplies</a>`) {
		t.Errorf("press: the navigation has no Supplies")
	}
}

// At a target of 150 days RU (140 days) needs 7.14 kg, which SE gives.
func TestPoolPage(t *testing.T) {
	s := newStockSite(t)
	path := "/supply/pool/FLOUR?as_of=2021-03-01&target=150"
	button := "Record as agreed"
	cases := []struct {
		who            string
		path           string
		status         int
		want, dontWant []string
	}{
		{"coordinator", path, 200, []string{`id="stat-level">150.0<`, `id="t-SE-RU"`, "7.14", `id="shares"`, "−7.14", "+7.14", "class=\"bar-after\""}, []string{button}},
		{"admin", path, 200, []string{button, `name="quantity" value="7.1429"`, `id="shares"`}, nil},
		{"se-manager", path, 200, []string{button, "your mission, SE"}, []string{`id="shares"`, `id="stat-lowest"`}},
		{"manager", path, 200, []string{`id="t-SE-RU"`, "The giving mission's manager records"}, []string{button, `id="shares"`}},
		{"coordinator", "/supply/pool/FLOUR?as_of=2021-03-01", 200, []string{"Every mission has at least 60 days of supply: nothing to pool."}, nil},
		{"staff", path, 403, nil, nil},
		{"press", path, 403, nil, nil},
		{"coordinator", "/supply/pool/RICE", 404, nil, nil},
		{"coordinator", "/supply/pool/FLOUR?target=-3", 400, nil, nil},
	}
	for _, c := range cases {
		checkPage(t, c.who+" GET "+c.path, s.send("GET", c.path, c.who, nil), c.status, c.want, c.dontWant)
	}
}

func TestRecordingStockFromThePage(t *testing.T) {
	s := newStockSite(t)
	receipt := func(kv ...string) url.Values {
		v := url.Values{"item": {"FLOUR"}, "lot": {"L9"}, "quantity": {"40"}, "date": {"2021-03-01"}, "expires": {"2021-12-01"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	cases := []struct {
		who, path string
		form      url.Values
		status    int
		location  string
		want      []string
	}{
		{"staff", "/supply/receipts", receipt(), 303, "/supply?done=receipt", nil},
		{"staff", "/supply/receipts", receipt(), 400, "", []string{`id="receipt-lot" name="lot"`, `aria-invalid="true" aria-describedby="receipt-lot-error"`,
			`id="receipt-lot-error">RU already has a lot L9`, "The receipt was not recorded: 1 problem below."}},
		{"staff", "/supply/receipts", receipt("lot", "L10", "quantity", "ten", "expires", "2021-02-01"), 400, "", []string{
			`id="receipt-quantity-error">must be a number, with a dot`, `id="receipt-expires-error">expiry before receipt`, "2 problems below", `value="ten"`}},
		{"staff", "/supply/receipts", receipt("lot", "L10", "item", ""), 400, "", []string{`id="receipt-item-error">must be an item code`}},
		{"admin", "/supply/receipts", receipt("lot", "L10"), 400, "", []string{`id="receipt-mission-error">is required`}},
		{"admin", "/supply/receipts", receipt("lot", "L10", "mission", "WFP"), 303, "/supply?done=receipt", nil},
		{"manager", "/supply/receipts", receipt("lot", "L11", "mission", "SE"), 403, "", []string{"your own mission, RU, only"}},
		{"press", "/supply/receipts", receipt("lot", "L11"), 403, "", nil},
		{"coordinator", "/supply/receipts", receipt("lot", "L11", "mission", "RU"), 403, "", nil},
		{"staff", "/supply/issues", url.Values{"item": {"FLOUR"}, "quantity": {"12.5"}, "date": {"2021-03-01"}, "note": {"kitchen"}}, 303, "/supply?done=issue", nil},
		{"staff", "/supply/issues", url.Values{"item": {"FLOUR"}, "quantity": {"500"}, "date": {"2021-03-01"}}, 400, "",
			[]string{`id="issue-quantity-error">RU has 127.5 FLOUR on hand on 2021-03-01`, `aria-describedby="issue-quantity-error"`}},
		{"staff", "/supply/issues", url.Values{"item": {"FLOUR"}, "quantity": {"1"}, "date": {"1 March"}}, 400, "", []string{`id="issue-date-error">`}},
	}
	for _, c := range cases {
		p := s.send("POST", c.path, c.who, c.form)
		if p.status != c.status || p.header.Get("Location") != c.location {
			t.Errorf("%s posts %v to %s: got %d to %q, want %d to %q", c.who, c.form, c.path, p.status, p.header.Get("Location"), c.status, c.location)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(p.body, w) {
				t.Errorf("%s posts %v to %s: the answer lacks %q", c.who, c.form, c.path, w)
			}
		}
	}
	if p := s.send("GET", "/supply?done=receipt", "staff", nil); !strings.Contains(p.body, "Receipt recorded.") {
		t.Errorf("the supplies page has no confirmation after a receipt")
	}
	// 100 + 40 received - 12.5 issued on 1 March.
	if p := s.send("GET", "/supply?as_of=2021-03-01", "staff", nil); !strings.Contains(p.body, "127.5 <span class=\"unit\">kg</span>") {
		t.Errorf("after the receipt and the issue RU should hold 127.5 kg")
	}
}

func TestRecordingATransferFromThePoolPage(t *testing.T) {
	s := newStockSite(t)
	tr := func(from, q string) url.Values {
		return url.Values{"item": {"FLOUR"}, "from": {from}, "to": {"RU"}, "quantity": {q}, "date": {"2021-03-01"}, "target": {"150"}}
	}
	cases := []struct {
		who      string
		form     url.Values
		status   int
		location string
		want     string
	}{
		{"manager", tr("SE", "7.1429"), 403, "", "your own mission, RU, only"},
		{"coordinator", tr("SE", "7.1429"), 403, "", "may not record transfers"},
		{"se-manager", tr("SE", "5000"), 400, "", `id="t-SE-RU-error" role="alert">SE has 200 FLOUR on hand on 2021-03-01: it cannot give 5000`},
		{"se-manager", tr("SE", "7.1429"), 303, "/supply/pool/FLOUR?as_of=2021-03-01&done=1&target=150#transfers", ""},
	}
	for _, c := range cases {
		p := s.send("POST", "/supply/transfers", c.who, c.form)
		if p.status != c.status || p.header.Get("Location") != c.location || !strings.Contains(p.body, c.want) {
			t.Errorf("%s records %v: got %d to %q, want %d to %q with %q\n%s", c.who, c.form, p.status, p.header.Get("Location"), c.status, c.location, c.want, p.body)
		}
	}
	p := s.send("GET", "/supply/pool/FLOUR?as_of=2021-03-01&done=1&target=150", "coordinator", nil)
	checkPage(t, "the proposal after the transfer", p, 200, []string{"Transfer 1 recorded", `id="stat-transfers">0<`}, []string{`id="t-SE-RU"`})
	if p.status == http.StatusOK && !strings.Contains(p.body, `id="stat-level">150.0<`) {
		t.Errorf("after the transfer RU should be at the target")
	}
}

// A corps with more rows than a page shows: the table stops at 500 and
// says how many more there are.
func TestStockTableIsCapped(t *testing.T) {
	s := newStockSite(t)
	var items []outpost.Item
	var lots []outpost.Receipt
	for i := range 170 {
		code := fmt.Sprintf("ITEM%03d", i)
		items = append(items, outpost.Item{Code: code, Name: "Item " + code, Kind: outpost.ItemOther, Unit: "pack"})
		for _, m := range []string{"RU", "SE", "WFP"} {
			lots = append(lots, outpost.Receipt{Mission: m, Item: code, Lot: "A", Quantity: 10, Received: "2021-02-01"})
		}
	}
	if _, err := s.store.ImportItems(storetest.Ctx(), storetest.Batch(items...)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.ImportStock(storetest.Ctx(), storetest.Batch(lots...)); err != nil {
		t.Fatal(err)
	}
	// 510 rows of the new items and 2 of flour.
	p := s.send("GET", "/supply?as_of=2021-03-01", "coordinator", nil)
	checkPage(t, "the coordinator's page", p, 200, []string{`id="more-rows">12 more rows not shown`}, nil)
	if n := strings.Count(p.body, "<td><strong>"); n != 500 {
		t.Errorf("the table has %d rows, want 500", n)
	}
	checkPage(t, "one mission", s.send("GET", "/supply?as_of=2021-03-01&mission=SE", "coordinator", nil), 200, nil, []string{"more-rows"})
}
