package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/welfare"
)

func TestRollCallPagesShowEachRoleItsPart(t *testing.T) {
	s := newSite(t)
	all := fmt.Sprintf("/rollcalls/%d", s.all)
	cases := []pageCase{
		{"manager", "/rollcalls", 200, []string{"Start a roll call", "Morning check", "RU storm check", "The people of RU"}, []string{"Everyone in the country</option>"}},
		{"admin", "/rollcalls", 200, []string{"Everyone in the country</option>", "WFP — World Food Programme"}, nil},
		{"staff", "/rollcalls", 200, []string{"Morning check"}, []string{"Start a roll call"}},
		{"coordinator", "/rollcalls", 200, []string{"Morning check", "RU storm check"}, []string{"Start a roll call"}},
		{"manager", all, 200, []string{"No answer yet", marker("RU-0001"), "Your mission, <strong>RU</strong>", "Check-in links (CSV)", `value="need_help"`},
			[]string{"Close roll call", "SE note"}},
		{"staff", all, 200, []string{marker("RU-0001"), "Record an answer"}, []string{"Check-in links", "SE note"}},
		{"press", all, 200, []string{"You see the counts", `id="stat-need-help">1<`}, []string{"Record an answer", "SE note"}},
		{"coordinator", all, 200, []string{"You see the counts", `id="stat-expected">5<`}, []string{"SE note"}},
		{"admin", all, 200, []string{"SE note", marker("SE-0001"), "Close roll call"}, nil},
		{"manager", fmt.Sprintf("/rollcalls/%d", s.ru), 200, []string{"Close roll call", "RU storm check"}, nil},
		{"manager", "/rollcalls/99", 404, []string{"Not found"}, nil},
		{"", "/rollcalls", 303, nil, nil},
	}
	s.checkPages(t, cases)
}

func TestRunningARollCallFromThePages(t *testing.T) {
	s := newSite(t)
	p := s.submit("/rollcalls", "manager", url.Values{"title": {"After the storm"}, "mission": {"RU"}, "escalate_after": {"2h"}})
	if p.status != http.StatusSeeOther || !strings.HasSuffix(p.header.Get("Location"), "?done=started") {
		t.Fatalf("start: got %d to %q", p.status, p.header.Get("Location"))
	}
	page := p.header.Get("Location")
	path := strings.TrimSuffix(page, "?done=started")
	if got := s.open(page, "manager"); !strings.Contains(got.body, "Roll call started") || !strings.Contains(got.body, "Non-responders go to their missions") {
		t.Errorf("the new roll call's page lacks the confirmation or the escalation time")
	}
	steps := []struct {
		who    string
		form   url.Values
		status int
		want   string
	}{
		{"staff", url.Values{"person": {"RU-0001"}, "status": {"safe"}}, 303, ""},
		{"staff", url.Values{"person": {"RU-0002"}, "status": {"need_help"}, "note": {"out of insulin"}}, 303, ""},
		{"manager", url.Values{"person": {"SE-0001"}, "status": {"safe"}}, 400, "not among the people"},
		{"manager", url.Values{"person": {"RU-0003"}, "status": {"maybe"}}, 400, "safe or need_help"},
		{"press", url.Values{"person": {"RU-0003"}, "status": {"safe"}}, 403, "may not record"},
	}
	for _, st := range steps {
		got := s.submit(path+"/answers", st.who, st.form)
		if got.status != st.status || !strings.Contains(got.body, st.want) {
			t.Errorf("%s records %v: got %d, want %d with %q", st.who, st.form, got.status, st.status, st.want)
		}
	}
	got := s.open(path, "manager")
	for _, w := range []string{`id="stat-safe">1<`, `id="stat-need-help">1<`, `id="stat-no-response">1<`, "out of insulin"} {
		if !strings.Contains(got.body, w) {
			t.Errorf("after the answers the page lacks %q", w)
		}
	}
	if got := s.submit("/rollcalls", "manager", url.Values{"title": {""}}); got.status != 400 || !strings.Contains(got.body, "needs a title") {
		t.Errorf("no title: got %d", got.status)
	}
	if got := s.submit(path+"/close", "staff", url.Values{"confirm": {"yes"}}); got.status != http.StatusForbidden {
		t.Errorf("staff closes: got %d, want 403", got.status)
	}
	if got := s.submit(path+"/close", "manager", url.Values{"confirm": {"yes"}}); got.status != http.StatusSeeOther {
		t.Errorf("manager closes: got %d, want 303", got.status)
	}
	if got := s.open(path+"?done=closed", "manager"); !strings.Contains(got.body, "Roll call closed") || strings.Contains(got.body, "Record an answer") {
		t.Errorf("the closed roll call's page still takes answers")
	}
}

// link returns the one-tap check-in path of a person.
func (s *site) link(rollcall int64, person string) string {
	s.t.Helper()
	secret, err := welfare.LinkSecret(outpost.WithActor(s.t.Context(), "system"), s.store)
	if err != nil {
		s.t.Fatal(err)
	}
	return welfare.Links{Secret: secret}.Path(rollcall, person)
}

// answerOf returns a person's answer to a roll call, "" for none.
func (s *site) answerOf(rollcall int64, person string) string {
	s.t.Helper()
	scope, err := s.store.RollCallScope(s.t.Context(), rollcall)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, e := range scope {
		if e.Person == person {
			return e.Status + "|" + e.Note
		}
	}
	return "not in scope"
}

func TestOneTapCheckIn(t *testing.T) {
	s := newSite(t)
	link := s.link(s.ru, "RU-0003")
	p := s.open(link, "")
	if p.status != http.StatusOK || !strings.Contains(p.body, "RU storm check") || !strings.Contains(p.body, "Hello GivenRU0003") ||
		!strings.Contains(p.body, "I am safe") || !strings.Contains(p.body, "I need help") {
		t.Fatalf("the link's page: got %d\n%s", p.status, p.body)
	}
	if strings.Contains(p.body, marker("RU-0003")) || strings.Contains(p.body, "RU-0003<") {
		t.Error("the public page shows more than the first name")
	}
	// A form posted from the page itself: the browser says same-origin.
	p = s.send("POST", link, "", url.Values{"status": {"need_help"}, "note": {"no water"}}, map[string]string{"Sec-Fetch-Site": "same-origin"})
	if p.status != http.StatusOK || !strings.Contains(p.body, "Thank you, GivenRU0003") || !strings.Contains(p.body, "I need help") {
		t.Fatalf("answering: got %d\n%s", p.status, p.body)
	}
	if got := s.answerOf(s.ru, "RU-0003"); got != "need_help|no water" {
		t.Errorf("recorded: got %q", got)
	}
	p = s.submit(link, "", url.Values{"status": {"safe"}})
	if p.status != http.StatusOK || s.answerOf(s.ru, "RU-0003") != "safe|" {
		t.Errorf("a second answer replaces the first: got %d, %q", p.status, s.answerOf(s.ru, "RU-0003"))
	}
	if p := s.submit(link, "", url.Values{"status": {"maybe"}}); p.status != http.StatusBadRequest || !strings.Contains(p.body, "Please tap") {
		t.Errorf("no answer: got %d", p.status)
	}
	manager := s.open(fmt.Sprintf("/rollcalls/%d", s.ru), "manager")
	if !strings.Contains(manager.body, `id="stat-safe">1<`) {
		t.Error("the manager's page does not count the answer")
	}
}

func TestForgedAndExpiredLinksWriteNothing(t *testing.T) {
	s := newSite(t)
	good := s.link(s.ru, "RU-0001")
	forged := []struct{ name, path string }{
		{"a changed token", good[:len(good)-3] + "AAA"},
		{"another person", strings.Replace(good, "RU-0001", "RU-0002", 1)},
		{"another roll call", strings.Replace(good, fmt.Sprintf("/checkin/%d/", s.ru), fmt.Sprintf("/checkin/%d/", s.all), 1)},
		{"a person out of scope", s.link(s.ru, "SE-0001")},
		{"a roll call that does not exist", s.link(99, "RU-0001")},
		{"no number", "/checkin/x/RU-0001/abc"},
	}
	for _, f := range forged {
		for _, method := range []string{"GET", "POST"} {
			p := s.send(method, f.path, "", url.Values{"status": {"safe"}}, nil)
			if p.status != http.StatusNotFound || !strings.Contains(p.body, "This link does not work") || !strings.Contains(p.body, "nothing was recorded") {
				t.Errorf("%s, %s: got %d\n%s", f.name, method, p.status, p.body)
			}
		}
	}
	// A form posted from another site is refused before the link is read.
	p := s.send("POST", good, "", url.Values{"status": {"safe"}}, map[string]string{"Sec-Fetch-Site": "cross-site"})
	if p.status != http.StatusForbidden {
		t.Errorf("a cross-site post: got %d, want 403", p.status)
	}
	for _, id := range []string{"RU-0001", "RU-0002", "RU-0003"} {
		if got := s.answerOf(s.ru, id); got != "|" {
			t.Errorf("%s answered %q after forged links", id, got)
		}
	}
	if got := s.answerOf(s.all, "RU-0001"); got != "|" {
		t.Errorf("RU-0001 answered %q in the other roll call", got)
	}
	if _, err := s.store.CloseRollCall(t.Context(), s.ru); err != nil {
		t.Fatal(err)
	}
	for _, method := range []string{"GET", "POST"} {
		p := s.send(method, good, "", url.Values{"status": {"safe"}}, nil)
		if p.status != http.StatusGone || !strings.Contains(p.body, "“RU storm check” has closed") || !strings.Contains(p.body, "nothing was recorded") {
			t.Errorf("a closed roll call, %s: got %d\n%s", method, p.status, p.body)
		}
	}
	if got := s.answerOf(s.ru, "RU-0001"); got != "|" {
		t.Errorf("an answer to a closed roll call was written: %q", got)
	}
}

func TestMedicalPages(t *testing.T) {
	s := newSite(t)
	cases := []pageCase{
		{"manager", "/medical", 200, []string{"Open a case", "need of RU-0002", marker("RU-0002"), `id="stat-priority">1<`}, []string{"need of SE-0001", "Open cases by mission"}},
		{"coordinator", "/medical", 200, []string{"Open cases by mission", `id="stat-priority">2<`}, []string{"need of", "Open a case"}},
		{"admin", "/medical", 200, []string{"need of SE-0001", "need of RU-0002"}, nil},
		{"press", "/medical", 403, nil, nil},
		{"manager", fmt.Sprintf("/medical/%d", s.ruCase), 200, []string{"Close the case", "at least 2"}, nil},
		{"manager", fmt.Sprintf("/medical/%d", s.seCase), 404, nil, []string{"need of SE-0001"}},
	}
	s.checkPages(t, cases)
	p := s.submit("/medical", "staff", url.Values{"person": {"RU-0003"}, "precedence": {"urgent"}, "need": {"surgery"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("open: got %d\n%s", p.status, p.body)
	}
	casePath := strings.TrimSuffix(p.header.Get("Location"), "?done=opened")
	steps := []struct {
		path   string
		form   url.Values
		status int
		want   string
	}{
		{"/medical", url.Values{"person": {"SE-0001"}, "precedence": {"urgent"}, "need": {"x"}}, 400, "no person"},
		{"/medical", url.Values{"person": {"RU-0003"}, "precedence": {"soon"}, "need": {"x"}}, 400, "precedence"},
		{casePath, url.Values{"precedence": {"routine"}, "need": {"surgery done, dressing"}}, 303, ""},
		{casePath, url.Values{"precedence": {"routine"}, "need": {""}}, 400, "say what the person needs"},
		{casePath + "/close", url.Values{}, 303, ""},
	}
	for _, st := range steps {
		got := s.submit(st.path, "manager", st.form)
		if got.status != st.status || !strings.Contains(got.body, st.want) {
			t.Errorf("POST %s %v: got %d, want %d with %q", st.path, st.form, got.status, st.status, st.want)
		}
	}
	if got := s.open(casePath+"?done=closed", "manager"); !strings.Contains(got.body, "Case closed") || strings.Contains(got.body, "Close the case") {
		t.Error("the closed case's page still offers to close it")
	}
	if got := s.submit(fmt.Sprintf("/medical/%d/close", s.seCase), "manager", url.Values{}); got.status != http.StatusNotFound {
		t.Errorf("closing another mission's case: got %d, want 404", got.status)
	}
}
