package web_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/api"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/server"
	"github.com/outpost-org/outpost/internal/service/statements"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

var testNow = time.Date(2021, 4, 2, 8, 0, 0, 0, time.UTC)

// press is a server over a seeded store with one user of each role (the
// mission-bound ones of RU, and a manager of SE) and three statements of
// RU: a draft, an approved one and a published one, each with a photo,
// plus a draft of the whole corps.
type press struct {
	t      *testing.T
	store  *store.DB
	srv    *server.Server
	tokens map[string]string
	// ids of the statements and their photos
	draft, approved, published, corps int64
	photo                             map[int64]int64
}

// Markers unique to each statement: a page that contains one shows it.
const (
	draftMarker     = "DraftSecretTitle"
	approvedMarker  = "ApprovedSecretTitle"
	publishedMarker = "PublishedTitle"
	corpsMarker     = "CorpsSecretTitle"
)

func newPress(t *testing.T) *press { t.Helper(); return newPressAt(t, "") }

// newPressAt is newPress with the server's public URL (none: "").
func newPressAt(t *testing.T, publicURL string) *press {
	t.Helper()
	return newPressOn(t, testkit.Open(t, store.Open, testkit.SQLiteDSN(t)), publicURL)
}

// newPressOn is newPressAt over the store given.
func newPressOn(t *testing.T, db *store.DB, publicURL string) *press {
	t.Helper()
	db.Now = func() time.Time { return testNow }
	storetest.Seed(t, db)
	ctx := storetest.Ctx()
	p := &press{t: t, store: db, photo: map[int64]int64{}}
	p.tokens = testkit.SeedUsers(t, db, testkit.NoPassword, testkit.Roles(
		outpost.User{Name: "se-manager", Role: outpost.RoleManager, Mission: "SE"},
		outpost.User{Name: "se-press", Role: outpost.RolePress, Mission: "SE"})).Tokens()
	mk := func(mission, title string, steps int) int64 {
		st, err := db.CreateStatement(ctx, outpost.Statement{Mission: mission, Title: title,
			Body: "Body of " + title + " <script>alert('" + title + "')</script>"})
		if err != nil {
			t.Fatal(err)
		}
		ph, err := db.AddPhoto(ctx, st.ID, outpost.Photo{PhotoInfo: outpost.PhotoInfo{Name: title + ".png", Caption: "Caption " + title},
			Data: storetest.PNG(3, 2)})
		if err != nil {
			t.Fatal(err)
		}
		p.photo[st.ID] = ph.ID
		if steps > 0 {
			if _, err := db.ApproveStatement(ctx, st.ID, time.Time{}); err != nil {
				t.Fatal(err)
			}
		}
		if steps > 1 {
			if _, err := db.PublishStatement(ctx, st.ID, testNow.Add(-time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		return st.ID
	}
	p.draft = mk("RU", draftMarker, 0)
	p.approved = mk("RU", approvedMarker, 1)
	p.published = mk("RU", publishedMarker, 2)
	p.corps = mk("", corpsMarker, 0)
	srv, err := server.New(server.Config{Store: db, Version: "test", Now: func() time.Time { return testNow }, PublicURL: publicURL})
	if err != nil {
		t.Fatal(err)
	}
	p.srv = srv
	return p
}

// result is an answer read whole.
type result struct {
	status int
	header http.Header
	body   string
}

// do sends a request as a user ("" for nobody), by bearer token.
func (p *press) do(method, target, as, contentType string, body io.Reader) result {
	p.t.Helper()
	req := httptest.NewRequest(method, target, body)
	req.RemoteAddr = "192.0.2.1:1234"
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+p.tokens[as])
	}
	rec := httptest.NewRecorder()
	p.srv.Handler().ServeHTTP(rec, req)
	return result{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

func (p *press) get(target, as string) result { return p.do("GET", target, as, "", nil) }

func (p *press) post(target, as string, form url.Values) result {
	return p.do("POST", target, as, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

// TestUnpublishedStatementsAreNeverPublic requests every GET route the
// server has, as nobody and as every role, with every statement's id and
// photo in its path parameters, and fails if a draft, an approved
// statement or a corps draft shows anywhere it must not: on any public
// route for anyone, and on any route for a user outside its mission.
func TestUnpublishedStatementsAreNeverPublic(t *testing.T) {
	p := newPress(t)
	ids := []int64{p.draft, p.approved, p.published, p.corps}
	secret := map[string]bool{draftMarker: true, approvedMarker: true, corpsMarker: true}
	users := []string{"", "coordinator", "se-manager", "se-press", "press", "staff", "manager"}
	for _, rt := range p.srv.Routes() {
		if rt.Method != "GET" {
			continue
		}
		var targets []string
		params := api.PathParams(rt.Path)
		for _, id := range ids {
			target := strings.ReplaceAll(rt.Path, "{$}", "")
			for _, name := range params {
				v := fmt.Sprint(id)
				switch name {
				case "photo":
					v = fmt.Sprint(p.photo[id])
				case "file":
					v = "statements.css"
				}
				target = strings.Replace(strings.Replace(target, "{"+name+"...}", v, 1), "{"+name+"}", v, 1)
			}
			targets = append(targets, target)
			if len(params) == 0 {
				break
			}
		}
		for _, who := range users {
			for _, target := range targets {
				res := p.get(target, who)
				for m := range secret {
					if !strings.Contains(res.body, m) {
						continue
					}
					// A mission's own people may see its unpublished
					// statements, but never on a public route.
					ownsIt := m != corpsMarker && (who == "press" || who == "staff" || who == "manager")
					if rt.Public || !ownsIt {
						t.Errorf("GET %s as %q (public %v): got %d showing %q", target, who, rt.Public, res.status, m)
					}
				}
			}
		}
	}
	// The published statement is public: the walk did reach the handlers.
	for _, target := range []string{"/statements", "/statements.atom", "/api/v1/statements", statements.StatementPath(p.published),
		"/api/v1/statements/" + fmt.Sprint(p.published)} {
		if res := p.get(target, ""); res.status != http.StatusOK || !strings.Contains(res.body, publishedMarker) {
			t.Errorf("GET %s: got %d without %q, want the published statement", target, res.status, publishedMarker)
		}
	}
	for _, id := range []int64{p.draft, p.approved, p.corps} {
		for _, target := range []string{statements.StatementPath(id), statements.PhotoPath(id, p.photo[id]), "/api/v1/statements/" + fmt.Sprint(id)} {
			if res := p.get(target, "manager"); res.status != http.StatusNotFound {
				t.Errorf("GET %s even as the manager: got %d, want 404", target, res.status)
			}
		}
	}
	if res := p.get(statements.PhotoPath(p.published, p.photo[p.published]), ""); res.status != http.StatusOK || res.header.Get("Content-Type") != "image/png" {
		t.Errorf("published photo: got %d %q, want 200 image/png", res.status, res.header.Get("Content-Type"))
	}
	if res := p.get(statements.PhotoPath(p.published, p.photo[p.draft]), ""); res.status != http.StatusNotFound {
		t.Errorf("a draft's photo through a published statement: got %d, want 404", res.status)
	}
}

func TestPublicStatementIsSafe(t *testing.T) {
	p := newPress(t)
	res := p.get(statements.StatementPath(p.published), "")
	if res.status != http.StatusOK {
		t.Fatalf("got %d", res.status)
	}
	for _, bad := range []string{"<script", "alert('" + publishedMarker} {
		if strings.Contains(res.body, bad) {
			t.Errorf("the public page shows %q from the body", bad)
		}
	}
	if !strings.Contains(res.body, fmt.Sprintf(`src="%s"`, statements.PhotoPath(p.published, p.photo[p.published]))) {
		t.Errorf("the public page does not show the photo")
	}
	if csp := res.header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("public page CSP: got %q, want the strict one", csp)
	}
}

// atomFeed is what the test reads of an Atom document.
type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	} `xml:"link"`
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Updated   string `xml:"updated"`
		Published string `xml:"published"`
		Link      struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
		Author struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Summary struct {
			Type string `xml:"type,attr"`
			Text string `xml:",chardata"`
		} `xml:"summary"`
		Content struct {
			Type string `xml:"type,attr"`
			Text string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

// TestAtomFeedIsValid checks the elements RFC 4287 requires of a feed and
// of each entry, their formats, and that only the published statement is
// in it; with a public URL its links are absolute under it and its ids
// tag: URIs of its host, without one its links are relative to the feed
// and its ids urn:uuid (nothing comes from the request's Host).
func TestAtomFeedIsValid(t *testing.T) {
	for _, base := range []string{"", "https://outpost.example.org"} {
		t.Run("public URL "+base, func(t *testing.T) { checkAtomFeed(t, base) })
	}
}

func checkAtomFeed(t *testing.T, base string) {
	p := newPressAt(t, base)
	res := p.get("/statements.atom", "")
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("got %d %q, want 200 application/atom+xml", res.status, res.header.Get("Content-Type"))
	}
	var f atomFeed
	if err := xml.Unmarshal([]byte(res.body), &f); err != nil {
		t.Fatalf("not an Atom document: %v\n%s", err, res.body)
	}
	rfc3339 := func(what, s string) {
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			t.Errorf("%s: got %q, want an RFC 3339 time", what, s)
		}
	}
	if f.ID == "" || f.Title == "" || f.Author.Name == "" {
		t.Errorf("feed: got id %q, title %q, author %q, want all three", f.ID, f.Title, f.Author.Name)
	}
	rfc3339("feed updated", f.Updated)
	self := false
	for _, l := range f.Links {
		self = self || (l.Rel == "self" && l.Href == base+"/statements.atom")
	}
	if !self {
		t.Errorf("feed: got links %+v, want rel=self to %s/statements.atom", f.Links, base)
	}
	if len(f.Entries) != 1 {
		t.Fatalf("got %d entries, want the 1 published statement", len(f.Entries))
	}
	e := f.Entries[0]
	wantID := "urn:uuid:"
	if base != "" {
		wantID = "tag:outpost.example.org,2021-04-02:/statements/"
	}
	if e.Title != publishedMarker || !strings.HasPrefix(e.ID, wantID) {
		t.Errorf("entry: got title %q, id %q, want the statement and an id starting %s", e.Title, e.ID, wantID)
	}
	rfc3339("entry updated", e.Updated)
	rfc3339("entry published", e.Published)
	if e.Link.Rel != "alternate" || e.Link.Href != base+statements.StatementPath(p.published) {
		t.Errorf("entry link: got %+v, want the alternate page", e.Link)
	}
	if e.Author.Name != "Embassy of Russia" || e.Content.Type != "html" || e.Summary.Type != "text" {
		t.Errorf("entry: got author %q, content type %q, summary type %q", e.Author.Name, e.Content.Type, e.Summary.Type)
	}
	if strings.Contains(e.Content.Text, "<script") || !strings.Contains(e.Content.Text, `src="`+base+statements.PhotoPath(p.published, p.photo[p.published])) {
		t.Errorf("entry content: got %q, want sanitised HTML with the photo's address", e.Content.Text)
	}
	if strings.Contains(res.body, "example.com") {
		t.Errorf("the feed names the request's host example.com:\n%s", res.body)
	}
}

// multipartPhoto builds an upload form with a file named name.
func multipartPhoto(t *testing.T, name string, data []byte) (string, io.Reader) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fw, err := w.CreateFormFile("photo", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	w.WriteField("caption", "On the bridge")
	w.Close()
	return w.FormDataContentType(), &b
}
