package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// A published statement is corrected and another withdrawn from the
// press desk, corrected by whoever may approve it, withdrawn by whoever
// may publish it, and by no one else; the public pages show
// the correction with its date and the text it replaced, the withdrawal
// with its date and reason instead of the text; the Atom feed keeps each
// entry's id with a new <updated> (golden); each step is audited.
func TestCorrectingAndWithdrawingStatements(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			p := newPressOn(t, open(t), "https://outpost.example.org")
			if _, err := p.store.PublishStatement(storetest.Ctx(), p.approved, testNow.Add(-30*time.Minute)); err != nil {
				t.Fatal(err)
			}
			feedBefore := p.get("/statements.atom", "").body
			ids := regexp.MustCompile(`<id>tag:[^<]*</id>`).FindAllString(feedBefore, -1)
			st := fmt.Sprint("/press/", p.published)
			wd := fmt.Sprint("/press/", p.approved)
			correction := url.Values{"title": {publishedMarker}, "body": {"The flight leaves at **9:00**."}, "note": {"The time was wrong."}}
			for _, c := range []struct {
				who    string
				path   string
				form   url.Values
				status int
			}{
				{"staff", st + "/correct", correction, http.StatusForbidden},
				{"se-press", st + "/correct", correction, http.StatusNotFound},
				{"coordinator", st + "/correct", correction, http.StatusNotFound},
				{"", st + "/correct", correction, http.StatusSeeOther}, // to the sign-in page
				// A correction publishes a new text: who approves does it,
				// not the press officer.
				{"press", st + "/correct", correction, http.StatusForbidden},
				{"manager", fmt.Sprint("/press/", p.draft, "/correct"), correction, http.StatusBadRequest},
				{"manager", st + "/correct", url.Values{"title": {"T"}, "body": {"B"}, "note": {""}}, http.StatusBadRequest},
				{"staff", wd + "/withdraw", url.Values{"reason": {"r"}}, http.StatusForbidden},
				{"press", wd + "/withdraw", url.Values{"reason": {"  "}}, http.StatusBadRequest},
			} {
				if got := p.post(c.path, c.who, c.form); got.status != c.status {
					t.Errorf("%s POST %s: got %d, want %d", c.who, c.path, got.status, c.status)
				}
			}
			if got := p.get("/statements.atom", "").body; got != feedBefore {
				t.Fatal("refused corrections changed the feed")
			}
			if page := p.get(st, "staff").body; strings.Contains(page, "/correct") {
				t.Error("staff are offered a correction")
			}
			if page := p.get(st, "press").body; strings.Contains(page, `action="`+st+`/correct"`) || !strings.Contains(page, `action="`+st+`/withdraw"`) ||
				!strings.Contains(page, "the mission's manager, who approves statements, makes it") {
				t.Error("the press officer is offered a correction, or no withdrawal, or no word on who corrects")
			}
			if page := p.get(st, "manager").body; !strings.Contains(page, `action="`+st+`/correct"`) || !strings.Contains(page, `action="`+st+`/withdraw"`) ||
				!strings.Contains(page, "the text it replaces stays public") {
				t.Error("the manager is offered no correction or withdrawal, or no word that earlier texts stay public")
			}

			got := p.post(st+"/correct", "manager", correction)
			if got.status != http.StatusSeeOther || got.header.Get("Location") != st+"?done=corrected" {
				t.Fatalf("correct: got %d to %q\n%s", got.status, got.header.Get("Location"), got.body)
			}
			got = p.post(wd+"/withdraw", "manager", url.Values{"reason": {"The flight was cancelled."}})
			if got.status != http.StatusSeeOther || got.header.Get("Location") != wd+"?done=withdrawn" {
				t.Fatalf("withdraw: got %d to %q\n%s", got.status, got.header.Get("Location"), got.body)
			}
			if got := p.post(wd+"/withdraw", "manager", url.Values{"reason": {"again"}}); got.status != http.StatusBadRequest || !strings.Contains(got.body, "was withdrawn on") {
				t.Errorf("withdrawing twice: got %d", got.status)
			}

			public := p.get(fmt.Sprint("/statements/", p.published), "")
			for _, w := range []string{"Corrected on 2 April 2021:</strong> The time was wrong.", "<strong>9:00</strong>", "Earlier versions", "Body of " + publishedMarker} {
				if !strings.Contains(public.body, w) {
					t.Errorf("the corrected page lacks %q", w)
				}
			}
			gone := p.get(fmt.Sprint("/statements/", p.approved), "")
			if gone.status != http.StatusOK || !strings.Contains(gone.body, "Withdrawn on 2 April 2021:</strong> The flight was cancelled.") || strings.Contains(gone.body, "Body of "+approvedMarker) {
				t.Errorf("the withdrawn page: got %d\n%s", gone.status, gone.body)
			}
			if ph := p.get(fmt.Sprintf("/statements/%d/photos/%d", p.approved, p.photo[p.approved]), ""); ph.status != http.StatusNotFound {
				t.Errorf("the withdrawn statement's photo: got %d, want 404", ph.status)
			}
			list := p.get("/statements", "").body
			if !strings.Contains(list, "badge-withdrawn") || !strings.Contains(list, "badge-corrected") || !strings.Contains(list, approvedMarker) {
				t.Error("the list does not mark the corrected and the withdrawn statements")
			}
			for path, want := range map[string]string{st + "?done=corrected": "Correction published", wd + "?done=withdrawn": "Withdrawn:"} {
				if got := p.get(path, "press").body; !strings.Contains(got, want) {
					t.Errorf("%s shows no confirmation %q", path, want)
				}
			}

			feed := p.get("/statements.atom", "").body
			if now := regexp.MustCompile(`<id>tag:[^<]*</id>`).FindAllString(feed, -1); fmt.Sprint(now) != fmt.Sprint(ids) {
				t.Errorf("entry ids changed: %v, were %v", now, ids)
			}
			testkit.Golden(t, "feed-corrections", feed)

			es, err := p.store.Audit(storetest.Ctx(), outpost.AuditFilter{Entity: "statement", Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var seen []string
			for _, e := range es {
				if e.Action == "correct" || e.Action == "withdraw" {
					seen = append(seen, e.Actor+" "+e.Action+" "+e.EntityID)
				}
			}
			want := []string{fmt.Sprint("manager withdraw ", p.approved), fmt.Sprint("manager correct ", p.published)}
			if strings.Join(seen, ",") != strings.Join(want, ",") && strings.Join(seen, ",") != want[1]+","+want[0] {
				t.Errorf("audit: got %v, want %v", seen, want)
			}
		})
	}
}
