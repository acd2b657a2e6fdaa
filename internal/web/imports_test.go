package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/server"
	"github.com/outpost-org/outpost/internal/service/imports"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// importSite is a server over the people of sitePeople with a clock
// the test moves, and one user of each role (mission-bound ones of RU,
// and "other", a second manager of RU).
type importSite struct {
	*site
	clock *atomic.Int64
}

func newImportSite(t *testing.T, db *store.DB) *importSite {
	t.Helper()
	testkit.SeedPeople(t, db, sitePeople, nil)
	clock := &atomic.Int64{}
	clock.Store(siteNow.Unix())
	s := &site{t: t, store: db}
	s.tokens = testkit.SeedUsers(t, db, testkit.NoPassword,
		testkit.Roles(outpost.User{Name: "other", Role: outpost.RoleManager, Mission: "RU"})).Tokens()
	srv, err := server.New(server.Config{Store: db, Version: "test", Now: func() time.Time { return time.Unix(clock.Load(), 0).UTC() }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	s.srv = srv
	return &importSite{site: s, clock: clock}
}

// upload posts a file of kind as a user.
func (s *importSite) upload(as, kind, name string, data []byte) page {
	s.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("kind", kind)
	f, _ := w.CreateFormFile("file", name)
	f.Write(data)
	w.Close()
	req := httptest.NewRequest("POST", "/import", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+s.tokens[as])
	rec := httptest.NewRecorder()
	s.srv.Handler().ServeHTTP(rec, req)
	return page{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

// people returns the store's people by id.
func (s *importSite) people() map[string]outpost.Person {
	s.t.Helper()
	list, err := s.store.People(storetest.Ctx(), outpost.PeopleFilter{})
	if err != nil {
		s.t.Fatal(err)
	}
	out := map[string]outpost.Person{}
	for _, p := range list {
		out[p.ID] = p
	}
	return out
}

const staffHeader = "id,household,given_name,family_name,nationality,mission,category,birth_date,passport\n"

// staffRow is a row of RU-0002 exactly as the store holds it.
func staffRow(p outpost.Person) string {
	return fmt.Sprintf("%s,%s,%s,%s,%s,%s,%s,%s,%s\n", p.ID, p.Household, p.GivenName, p.FamilyName, p.Nationality, p.Mission, p.Category, p.BirthDate, p.Passport)
}

var draftPath = regexp.MustCompile(`^/import/(\d+)$`)

func TestImportInTheBrowser(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			s := newImportSite(t, open(t))
			before := s.people()
			ru2 := before["RU-0002"]

			// Two bad rows: every problem located, nothing written, no draft.
			bad := staffHeader + "RU-0101,RU-H7,Olga,Ivanova,RU,RU,staff,31/02/2021,\n" +
				"RU-0102,RU-H7,Ivan,Ivanov,RU,RU,spy,1970-01-01,\n" +
				"SE-0009,SE-H9,Sven,Berg,SE,SE,staff,,\n"
			p := s.upload("manager", "people", "staff.csv", []byte(bad))
			if p.status != http.StatusBadRequest {
				t.Fatalf("bad file: got %d, want 400", p.status)
			}
			for _, want := range []string{
				`staff.csv:2: birth_date: not a date, want YYYY-MM-DD (got &quot;31/02/2021&quot;)`,
				`staff.csv:3: category: must be one of`,
				`staff.csv:4: mission: is not your mission: you may import the rows of RU only (got &quot;SE&quot;)`,
				`3 problems, nothing was imported`,
			} {
				if !strings.Contains(p.body, want) {
					t.Errorf("the problems page lacks %q", want)
				}
			}
			if got := len(s.people()); got != len(before) {
				t.Errorf("people after a bad file: got %d, want %d", got, len(before))
			}

			// A clean file: 2 new, 1 updated, 1 unchanged.
			good := staffHeader + "RU-0101,RU-H7,Olga,Ivanova,RU,RU,staff,1981-02-28,\n" +
				"RU-0102,RU-H7,Ivan,Ivanov,RU,RU,dependent,2012-06-01,\n" +
				"RU-0001,RU-H1,Anna,Sokolova,RU,RU,staff,,\n" + staffRow(ru2)
			p = s.upload("manager", "people", "staff.csv", []byte(good))
			if p.status != http.StatusSeeOther {
				t.Fatalf("clean file: got %d, want a redirect to the preview\n%s", p.status, p.body)
			}
			loc := p.header.Get("Location")
			if !draftPath.MatchString(loc) {
				t.Fatalf("redirect: got %q", loc)
			}
			pv := s.open(loc, "manager")
			for _, want := range []string{`id="count-new">2<`, `id="count-updated">1<`, `id="count-unchanged">1<`,
				`<span class="old">Petrova</span> → <span class="new">Sokolova</span>`, "Commit 3 changes"} {
				if !strings.Contains(pv.body, want) {
					t.Errorf("the preview lacks %q", want)
				}
			}
			if got := len(s.people()); got != len(before) {
				t.Errorf("people after the preview: got %d, want %d", got, len(before))
			}

			// Another user, even of the same mission, neither sees nor
			// commits my draft.
			for _, who := range []string{"other", "admin"} {
				if p := s.open(loc, who); p.status != http.StatusNotFound {
					t.Errorf("%s opens my draft: got %d, want 404", who, p.status)
				}
				if p := s.submit(loc+"/commit", who, nil); p.status != http.StatusNotFound {
					t.Errorf("%s commits my draft: got %d, want 404", who, p.status)
				}
			}
			if got := len(s.people()); got != len(before) {
				t.Fatalf("people after others' commits: got %d, want %d", got, len(before))
			}

			// Commit writes exactly what was previewed.
			p = s.submit(loc+"/commit", "manager", nil)
			if p.status != http.StatusSeeOther {
				t.Fatalf("commit: got %d\n%s", p.status, p.body)
			}
			after := s.people()
			if len(after) != len(before)+2 || after["RU-0001"].FamilyName != "Sokolova" || after["RU-0102"].Category != outpost.Dependent {
				t.Errorf("after the commit: %d people, RU-0001 %+v", len(after), after["RU-0001"])
			}
			if after["RU-0002"] != ru2 {
				t.Errorf("RU-0002 changed: got %+v, want %+v", after["RU-0002"], ru2)
			}
			done := s.open(p.header.Get("Location"), "manager")
			if !strings.Contains(done.body, "Imported: 2 new, 1 updated") || !strings.Contains(done.body, `href="/people"`) {
				t.Errorf("the page after the commit lacks its confirmation: %s %s", p.header.Get("Location"), done.body[strings.Index(done.body, "<main"):][:600])
			}
			// A second commit (a double click, another tab) writes
			// nothing and says the file was committed.
			p = s.submit(loc+"/commit", "manager", nil)
			if p.status != http.StatusSeeOther {
				t.Fatalf("a second commit of the draft: got %d, want a redirect", p.status)
			}
			if again := s.open(p.header.Get("Location"), "manager").body; !strings.Contains(again, "was already committed: it is written once, and nothing was written again.") ||
				!strings.Contains(again, `href="/people"`) {
				t.Errorf("the page after a second commit lacks its answer: %s", again[strings.Index(again, "<main"):][:600])
			}
			if got := s.people(); len(got) != len(after) {
				t.Errorf("people after a second commit: got %d, want %d", len(got), len(after))
			}

			// Cancel writes nothing and drops the draft.
			p = s.upload("manager", "people", "again.csv", []byte(staffHeader+"RU-0103,RU-H8,Petr,Orlov,RU,RU,staff,,\n"))
			loc = p.header.Get("Location")
			p = s.submit(loc+"/cancel", "manager", nil)
			if p.status != http.StatusSeeOther || !strings.Contains(s.open(p.header.Get("Location"), "manager").body, "Import cancelled") {
				t.Errorf("cancel: got %d", p.status)
			}
			if _, ok := s.people()["RU-0103"]; ok {
				t.Errorf("RU-0103 was written by a cancelled import")
			}
			if p := s.submit(loc+"/commit", "manager", nil); p.status != http.StatusNotFound {
				t.Errorf("commit after cancel: got %d, want 404", p.status)
			}

			// An expired draft is refused.
			p = s.upload("manager", "people", "late.csv", []byte(staffHeader+"RU-0104,RU-H8,Petr,Orlov,RU,RU,staff,,\n"))
			loc = p.header.Get("Location")
			s.clock.Add(int64(imports.DraftTTL/time.Second) + 1)
			if p := s.submit(loc+"/commit", "manager", nil); p.status != http.StatusNotFound || !strings.Contains(p.body, "more than an hour old") {
				t.Errorf("commit of an expired draft: got %d", p.status)
			}
			if _, ok := s.people()["RU-0104"]; ok {
				t.Errorf("RU-0104 was written by an expired draft")
			}

			// Oversize is refused unread.
			big := bytes.Repeat([]byte("x"), imports.MaxUpload+100<<10)
			if p := s.upload("manager", "people", "big.csv", big); p.status != http.StatusBadRequest || !strings.Contains(p.body, "larger than the 4 MiB") {
				t.Errorf("oversize upload: got %d", p.status)
			}

			// Who may import what.
			for _, c := range []struct{ who, kind string }{{"staff", "people"}, {"press", "people"}, {"coordinator", "people"}, {"manager", "missions"}, {"manager", "departures"}} {
				if p := s.upload(c.who, c.kind, "x.csv", []byte("id\n")); p.status != http.StatusForbidden {
					t.Errorf("%s imports %s: got %d, want 403", c.who, c.kind, p.status)
				}
			}
		})
	}
}

// A draft whose data changed underneath is checked again at its commit:
// a row that became wrong refuses the file whole.
func TestImportCommitChecksAgain(t *testing.T) {
	s := newImportSite(t, testkit.Open(t, store.Open, testkit.SQLiteDSN(t)))
	p := s.upload("manager", "people", "staff.csv", []byte(staffHeader+"RU-0201,RU-H7,Olga,Ivanova,RU,RU,staff,,\n"))
	loc := p.header.Get("Location")
	// Meanwhile the admin puts RU-0201 into SE: the manager's row would
	// take a person of another mission.
	rec := storetest.Person("RU-0201", "SE-H1", "SE")
	if _, err := s.store.ImportPeople(storetest.Ctx(), storetest.Batch(rec)); err != nil {
		t.Fatal(err)
	}
	p = s.submit(loc+"/commit", "manager", nil)
	if p.status != http.StatusBadRequest || !strings.Contains(p.body, "staff.csv:2: id: is already used by a person you may not edit") {
		t.Fatalf("commit over changed data: got %d", p.status)
	}
	if got := s.people()["RU-0201"].Mission; got != "SE" {
		t.Errorf("RU-0201: got mission %s, want SE untouched", got)
	}
}
