package api_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/outpost-org/outpost/internal/api"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/welfare"
)

func TestRollCallVisibilityAndAnswers(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		cases := []struct {
			who     string
			listed  []int64
			shown   string
			people  []string // whose answers the corps-wide status lists
			silent  []string
			hideSE  bool
			seFound bool
		}{
			{"admin", []int64{c.se, c.ru, c.all}, "all", people, []string{"RU-0001", "RU-0002", "SE-0002", "WFP-0001"}, false, true},
			{"coordinator", []int64{c.se, c.ru, c.all}, "", nil, []string{}, true, true},
			{"manager", []int64{c.ru, c.all}, "RU", []string{"RU-0001", "RU-0002", "RU-0003"}, []string{"RU-0001", "RU-0002"}, true, false},
			{"staff", []int64{c.ru, c.all}, "RU", []string{"RU-0001", "RU-0002", "RU-0003"}, []string{"RU-0001", "RU-0002"}, true, false},
			{"press", []int64{c.ru, c.all}, "", nil, []string{}, true, false},
		}
		for _, tc := range cases {
			var listed []int64
			for _, rc := range decode[api.RollCallList](t, c.get("/api/v1/rollcalls", tc.who)).RollCalls {
				listed = append(listed, rc.ID)
				if len(rc.People) != 0 {
					t.Errorf("as %s: the list shows answers of roll call %d", tc.who, rc.ID)
				}
			}
			if !slices.Equal(listed, tc.listed) {
				t.Errorf("as %s: listed %v, want %v", tc.who, listed, tc.listed)
			}
			a := c.get(fmt.Sprintf("/api/v1/rollcalls/%d", c.all), tc.who)
			v := decode[welfare.RollCallView](t, a)
			var shown []string
			for _, e := range v.People {
				shown = append(shown, e.Person)
			}
			if v.Shown != tc.shown || !slices.Equal(shown, tc.people) || !slices.Equal(v.NoResponseIDs, tc.silent) {
				t.Errorf("as %s: shown %q %v, silent %v; want %q %v, %v", tc.who, v.Shown, shown, v.NoResponseIDs, tc.shown, tc.people, tc.silent)
			}
			if v.Expected != 6 || v.Safe != 1 || v.NeedHelp != 1 || v.NoResponse != 4 || len(v.ByMission) != 3 {
				t.Errorf("as %s: counts %d/%d/%d of %d by %+v, want every mission's", tc.who, v.Safe, v.NeedHelp, v.NoResponse, v.Expected, v.ByMission)
			}
			if hidden := !strings.Contains(a.body, "no insulin"); hidden != tc.hideSE {
				t.Errorf("as %s: SE-0001's note shown: %v", tc.who, !hidden)
			}
			if got := c.get(fmt.Sprintf("/api/v1/rollcalls/%d", c.se), tc.who).status; (got == http.StatusOK) != tc.seFound {
				t.Errorf("as %s: SE's roll call answers %d", tc.who, got)
			}
		}
		if a, b := c.get(fmt.Sprintf("/api/v1/rollcalls/%d", c.se), "manager"), c.get("/api/v1/rollcalls/999", "manager"); a.status != b.status || a.status != http.StatusNotFound {
			t.Errorf("another mission's roll call answers %d, a missing one %d: want both 404", a.status, b.status)
		}
	})
}

func TestStartingAndClosingRollCalls(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		cases := []struct {
			who, body string
			status    int
			want      string
		}{
			{"manager", `{"title": "Storm", "escalate_after": "2h"}`, http.StatusCreated, `"mission": "RU"`},
			{"manager", `{"title": "Storm", "mission": "SE"}`, http.StatusForbidden, "your own mission"},
			{"se-manager", `{"title": "Storm", "mission": ""}`, http.StatusCreated, `"mission": "SE"`},
			{"admin", `{"title": "Everyone"}`, http.StatusCreated, `"expected": 6`},
			{"admin", `{"title": "Nobody", "mission": "XX"}`, http.StatusNotFound, "no mission"},
			{"staff", `{"title": "Storm"}`, http.StatusForbidden, "may not start"},
			{"coordinator", `{"title": "Storm"}`, http.StatusForbidden, "may not start"},
			{"manager", `{"title": "  "}`, http.StatusBadRequest, "needs a title"},
			{"manager", `{"title": "Storm", "escalate_after": "soon"}`, http.StatusBadRequest, "escalate_after"},
		}
		for _, tc := range cases {
			a := c.do("POST", "/api/v1/rollcalls", tc.who, tc.body)
			if a.status != tc.status || !strings.Contains(a.body, tc.want) {
				t.Errorf("%s starts %s: got %d %s, want %d with %q", tc.who, tc.body, a.status, a.body, tc.status, tc.want)
			}
		}
		closes := []struct {
			who    string
			id     int64
			status int
		}{
			{"manager", c.all, http.StatusForbidden},
			{"manager", c.se, http.StatusNotFound},
			{"staff", c.ru, http.StatusForbidden},
			{"manager", c.ru, http.StatusOK},
			{"manager", c.ru, http.StatusConflict},
			{"admin", c.all, http.StatusOK},
		}
		for _, x := range closes {
			if a := c.do("POST", fmt.Sprintf("/api/v1/rollcalls/%d/close", x.id), x.who, ""); a.status != x.status {
				t.Errorf("%s closes %d: got %d %s, want %d", x.who, x.id, a.status, a.body, x.status)
			}
		}
	})
}

func TestCheckInsOverTheAPI(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		path := fmt.Sprintf("/api/v1/rollcalls/%d/checkins", c.all)
		cases := []struct {
			who, body string
			status    int
			want      string
		}{
			{"manager", `{"person": "RU-0001", "status": "safe", "note": "at home"}`, http.StatusCreated, `"via": "api"`},
			{"staff", `{"person": "RU-0002", "status": "need_help"}`, http.StatusCreated, `"status": "need_help"`},
			{"manager", `{"person": "SE-0002", "status": "safe"}`, http.StatusNotFound, "not among the people"},
			{"manager", `{"person": "NOPE", "status": "safe"}`, http.StatusNotFound, "not among the people"},
			{"manager", `{"person": "RU-0001", "status": "fine"}`, http.StatusBadRequest, "safe or need_help"},
			{"manager", `{"person": "RU-0001", "answer": "safe"}`, http.StatusBadRequest, "not valid JSON"},
			{"press", `{"person": "RU-0001", "status": "safe"}`, http.StatusForbidden, "may not record"},
			{"coordinator", `{"person": "RU-0001", "status": "safe"}`, http.StatusForbidden, "may not record"},
			{"admin", `{"person": "WFP-0001", "status": "safe"}`, http.StatusCreated, `"person": "WFP-0001"`},
			{"", `{"person": "RU-0001", "status": "safe"}`, http.StatusUnauthorized, "Bearer"},
		}
		for _, tc := range cases {
			a := c.do("POST", path, tc.who, tc.body)
			if a.status != tc.status || !strings.Contains(a.body, tc.want) {
				t.Errorf("%s sends %s: got %d %s, want %d with %q", tc.who, tc.body, a.status, a.body, tc.status, tc.want)
			}
		}
		for _, x := range []struct {
			who  string
			id   int64
			want int
		}{{"manager", c.se, http.StatusNotFound}, {"manager", 999, http.StatusNotFound}, {"se-manager", c.se, http.StatusCreated}} {
			body := `{"person": "SE-0001", "status": "safe"}`
			if a := c.do("POST", fmt.Sprintf("/api/v1/rollcalls/%d/checkins", x.id), x.who, body); a.status != x.want {
				t.Errorf("%s answers in roll call %d: got %d %s, want %d", x.who, x.id, a.status, a.body, x.want)
			}
		}
		rep, err := c.store.RollCallReport(t.Context(), c.all)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Safe != 3 || rep.NeedHelp != 2 || rep.NoResponse != 1 {
			t.Errorf("after the answers: got %d safe, %d need help, %d silent; want 3, 2, 1", rep.Safe, rep.NeedHelp, rep.NoResponse)
		}
		if a := c.do("POST", fmt.Sprintf("/api/v1/rollcalls/%d/close", c.all), "admin", ""); a.status != http.StatusOK {
			t.Fatal(a.body)
		}
		if a := c.do("POST", path, "admin", `{"person": "RU-0001", "status": "need_help"}`); a.status != http.StatusConflict || !strings.Contains(a.body, "closed") {
			t.Errorf("after closing: got %d %s, want 409", a.status, a.body)
		}
		if after, _ := c.store.RollCallReport(t.Context(), c.all); after.Safe != 3 || after.NeedHelp != 2 {
			t.Errorf("an answer to a closed roll call was written: %+v", after)
		}
	})
}

// TestConcurrentCheckInsOfOnePersonKeepTheLatest sends answers of the same
// person from many clients at once through the server: exactly one answer
// is left, the one with the latest time.
func TestConcurrentCheckInsOfOnePersonKeepTheLatest(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		const clients = 64
		path := fmt.Sprintf("/api/v1/rollcalls/%d/checkins", c.ru)
		got := make([]outpost.Checkin, clients)
		var wg sync.WaitGroup
		for i := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status := []string{"safe", "need_help"}[i%2]
				a := c.do("POST", path, "manager", fmt.Sprintf(`{"person": "RU-0003", "status": %q, "note": "client %d"}`, status, i))
				if a.status != http.StatusCreated {
					t.Errorf("client %d: got %d %s", i, a.status, a.body)
					return
				}
				got[i] = decode[outpost.Checkin](t, a)
			}()
		}
		wg.Wait()
		latest := got[0]
		for _, g := range got {
			if g.At.After(latest.At) {
				latest = g
			}
		}
		v := decode[welfare.RollCallView](t, c.get(fmt.Sprintf("/api/v1/rollcalls/%d", c.ru), "manager"))
		var answers []outpost.ScopeEntry
		for _, e := range v.People {
			if e.Person == "RU-0003" {
				answers = append(answers, e)
			}
		}
		if v.Safe+v.NeedHelp != 1 || len(answers) != 1 {
			t.Fatalf("got %d answers (%d safe, %d need help), want exactly 1", len(answers), v.Safe, v.NeedHelp)
		}
		if answers[0].Note != latest.Note || answers[0].Status != latest.Status {
			t.Errorf("kept %q %s, want the latest: %q %s", answers[0].Note, answers[0].Status, latest.Note, latest.Status)
		}
	})
}

func TestLinksExport(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		cases := []struct {
			who, query string
			status     int
			people     []string
			base       string
		}{
			{"manager", "", http.StatusOK, []string{"RU-0001", "RU-0002", "RU-0003"}, "http://example.com"},
			{"admin", "?base_url=" + url.QueryEscape("https://post.example"), http.StatusOK, people, "https://post.example"},
			{"se-manager", "", http.StatusOK, []string{"SE-0001", "SE-0002"}, "http://example.com"},
			{"staff", "", http.StatusForbidden, nil, ""},
			{"coordinator", "", http.StatusForbidden, nil, ""},
			{"manager", "?base_url=ftp://x", http.StatusBadRequest, nil, ""},
		}
		secret, _ := welfare.ReadLinkSecret(t.Context(), c.store)
		if secret != nil {
			t.Fatal("a link secret exists before any export")
		}
		for _, tc := range cases {
			a := c.get(fmt.Sprintf("/api/v1/rollcalls/%d/links%s", c.all, tc.query), tc.who)
			if a.status != tc.status {
				t.Errorf("%s exports%s: got %d %s, want %d", tc.who, tc.query, a.status, a.body, tc.status)
				continue
			}
			if tc.status != http.StatusOK {
				continue
			}
			rows, err := csv.NewReader(strings.NewReader(a.body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			secret, _ = welfare.ReadLinkSecret(t.Context(), c.store)
			links := welfare.Links{Secret: secret, BaseURL: tc.base}
			var got []string
			for _, row := range rows[1:] {
				got = append(got, row[0])
				if want := links.URL(c.all, row[0]); row[4] != want {
					t.Errorf("%s: link of %s: got %s, want %s", tc.who, row[0], row[4], want)
				}
			}
			if !slices.Equal(got, tc.people) {
				t.Errorf("%s: exported %v, want %v", tc.who, got, tc.people)
			}
		}
		if a := c.get(fmt.Sprintf("/api/v1/rollcalls/%d/links", c.se), "manager"); a.status != http.StatusNotFound {
			t.Errorf("another mission's links: got %d, want 404", a.status)
		}
	})
}

func TestMedicalCasesOverTheAPI(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		list := []struct {
			who    string
			status int
			cases  int
		}{
			{"admin", http.StatusOK, 2}, {"manager", http.StatusOK, 1}, {"staff", http.StatusOK, 1},
			{"coordinator", http.StatusOK, 0}, {"press", http.StatusForbidden, 0},
		}
		for _, x := range list {
			a := c.get("/api/v1/medical/cases", x.who)
			if a.status != x.status {
				t.Errorf("%s lists: got %d, want %d", x.who, a.status, x.status)
				continue
			}
			if a.status != http.StatusOK {
				continue
			}
			l := decode[welfare.CaseList](t, a)
			if len(l.Cases) != x.cases || len(l.Counts) != 2 || l.Counts[0].Priority != 1 {
				t.Errorf("%s lists %d cases with counts %+v, want %d and both missions counted", x.who, len(l.Cases), l.Counts, x.cases)
			}
		}
		steps := []struct {
			who, method, path, body string
			status                  int
			want                    string
		}{
			{"staff", "POST", "/api/v1/medical/cases", `{"person": "RU-0001", "precedence": "urgent", "need": "surgery"}`, http.StatusCreated, `"precedence": "urgent"`},
			{"manager", "POST", "/api/v1/medical/cases", `{"person": "SE-0002", "precedence": "urgent", "need": "surgery"}`, http.StatusNotFound, "no person"},
			{"manager", "POST", "/api/v1/medical/cases", `{"person": "RU-0001", "precedence": "soon", "need": "x"}`, http.StatusBadRequest, "precedence"},
			{"manager", "POST", "/api/v1/medical/cases", `{"person": "RU-0001", "precedence": "routine", "need": ""}`, http.StatusBadRequest, "need"},
			{"press", "POST", "/api/v1/medical/cases", `{"person": "RU-0001", "precedence": "routine", "need": "x"}`, http.StatusForbidden, "may not"},
			{"manager", "GET", fmt.Sprintf("/api/v1/medical/cases/%d", c.seCase), "", http.StatusNotFound, "no medical case"},
			{"manager", "PATCH", fmt.Sprintf("/api/v1/medical/cases/%d", c.ruCase), `{"precedence": "urgent"}`, http.StatusOK, `"need": "dialysis"`},
			{"manager", "PATCH", fmt.Sprintf("/api/v1/medical/cases/%d", c.seCase), `{"precedence": "urgent"}`, http.StatusNotFound, "no medical case"},
			{"manager", "PATCH", fmt.Sprintf("/api/v1/medical/cases/%d", c.ruCase), `{}`, http.StatusBadRequest, "nothing to change"},
			{"staff", "POST", fmt.Sprintf("/api/v1/medical/cases/%d/close", c.ruCase), "", http.StatusOK, `"status": "closed"`},
			{"staff", "POST", fmt.Sprintf("/api/v1/medical/cases/%d/close", c.ruCase), "", http.StatusConflict, "already closed"},
			{"coordinator", "GET", fmt.Sprintf("/api/v1/medical/cases/%d", c.ruCase), "", http.StatusNotFound, "no medical case"},
		}
		for _, s := range steps {
			a := c.do(s.method, s.path, s.who, s.body)
			if a.status != s.status || !strings.Contains(strings.ToLower(a.body), strings.ToLower(s.want)) {
				t.Errorf("%s %s %s %s: got %d %s, want %d with %q", s.who, s.method, s.path, s.body, a.status, a.body, s.status, s.want)
			}
		}
		levels, err := c.store.MedicalLevels(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if levels["RU-0001"] != 3 || levels["RU-0002"] != 0 {
			t.Errorf("planner's levels: got %v, want RU-0001 at 3 and RU-0002's closed case gone", levels)
		}
	})
}
