package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/testkit"
)

// Closing a roll call goes through a page that says who has not
// answered; a closed one is reopened by who may close it, and takes
// answers (by the operator and by link) again.
func TestClosingAsksFirstAndReopening(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			s := newSiteOn(t, open(t))
			path := fmt.Sprintf("/rollcalls/%d", s.ru)
			if got := s.submit(path+"/answers", "manager", url.Values{"person": {"RU-0001"}, "status": {"safe"}}); got.status != http.StatusSeeOther {
				t.Fatalf("answer: got %d", got.status)
			}
			// The roll call's page links to the question, not to a close.
			page := s.open(path, "manager")
			if !strings.Contains(page.body, `href="/rollcalls/`+fmt.Sprint(s.ru)+`/close"`) || strings.Contains(page.body, `action="`+path+`/close"`) {
				t.Errorf("the roll call's page does not ask before closing:\n%s", page.body)
			}
			ask := s.open(path+"/close", "manager")
			if ask.status != http.StatusOK {
				t.Fatalf("the question: got %d", ask.status)
			}
			for _, w := range []string{`id="close-no-response">2<`, `href="/people/RU-0002"`, `href="/people/RU-0003"`, "GivenRU0002", `name="confirm" value="yes"`} {
				if !strings.Contains(ask.body, w) {
					t.Errorf("the question lacks %q", w)
				}
			}
			if strings.Contains(ask.body, `href="/people/RU-0001"`) {
				t.Error("the question lists RU-0001, who answered")
			}
			for who, want := range map[string]int{"staff": 403, "press": 403, "coordinator": 403} {
				if got := s.open(path+"/close", who); got.status != want {
					t.Errorf("%s asks to close: got %d, want %d", who, got.status, want)
				}
			}
			// A post without the confirmation only shows the question.
			if got := s.submit(path+"/close", "manager", url.Values{}); got.status != http.StatusSeeOther || got.header.Get("Location") != path+"/close" {
				t.Errorf("close without confirming: got %d to %q", got.status, got.header.Get("Location"))
			}
			if rc, _ := s.store.RollCall(t.Context(), s.ru); rc.Status != "open" {
				t.Fatalf("closed without confirming")
			}
			if got := s.submit(path+"/close", "manager", url.Values{"confirm": {"yes"}}); got.status != http.StatusSeeOther {
				t.Fatalf("close: got %d", got.status)
			}
			if got := s.open(path+"/close", "manager"); got.status != http.StatusConflict {
				t.Errorf("asking to close a closed roll call: got %d, want 409", got.status)
			}
			link := s.link(s.ru, "RU-0002")
			if p := s.send("POST", link, "", url.Values{"status": {"safe"}}, nil); p.status != http.StatusGone {
				t.Errorf("an answer by link while closed: got %d, want 410", p.status)
			}
			if got := s.submit(path+"/answers", "manager", url.Values{"person": {"RU-0003"}, "status": {"safe"}}); got.status != http.StatusConflict {
				t.Errorf("an answer while closed: got %d, want 409", got.status)
			}
			closed := s.open(path, "manager")
			if !strings.Contains(closed.body, `action="`+path+`/reopen"`) {
				t.Error("the closed roll call's page offers no reopening")
			}
			if strings.Contains(s.open(path, "staff").body, "/reopen") {
				t.Error("staff are offered to reopen")
			}
			for who, want := range map[string]int{"staff": 403, "coordinator": 403, "press": 403} {
				if got := s.submit(path+"/reopen", who, url.Values{}); got.status != want {
					t.Errorf("%s reopens: got %d, want %d", who, got.status, want)
				}
			}
			if got := s.submit(fmt.Sprintf("/rollcalls/%d/reopen", s.all), "manager", url.Values{}); got.status != http.StatusForbidden && got.status != http.StatusConflict {
				t.Errorf("the manager reopens the whole country's roll call: got %d", got.status)
			}
			got := s.submit(path+"/reopen", "manager", url.Values{})
			if got.status != http.StatusSeeOther || got.header.Get("Location") != path+"?done=reopened" {
				t.Fatalf("reopen: got %d to %q", got.status, got.header.Get("Location"))
			}
			if p := s.open(path+"?done=reopened", "manager"); !strings.Contains(p.body, "Roll call reopened") || !strings.Contains(p.body, "Record an answer") {
				t.Error("the reopened roll call's page does not say so or take answers")
			}
			if got := s.submit(path+"/reopen", "manager", url.Values{}); got.status != http.StatusConflict {
				t.Errorf("reopening an open roll call: got %d, want 409", got.status)
			}
			if p := s.send("POST", link, "", url.Values{"status": {"need_help"}}, map[string]string{"Sec-Fetch-Site": "same-origin"}); p.status != http.StatusOK {
				t.Errorf("an answer by link after reopening: got %d", p.status)
			}
			if got := s.answerOf(s.ru, "RU-0002"); got != "need_help|" {
				t.Errorf("RU-0002's answer after reopening: %q", got)
			}
			if got := s.answerOf(s.ru, "RU-0001"); got != "safe|" {
				t.Errorf("the answer given before closing: %q", got)
			}
		})
	}
}
