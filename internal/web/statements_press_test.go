package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/statements"
	"github.com/outpost-org/outpost/internal/storetest"
)

// TestPressDraftsManagerApproves walks a statement from draft to public
// through the web forms: press drafts, press may not approve, the manager
// approves, press publishes; another mission never sees it.
func TestPressDraftsManagerApproves(t *testing.T) {
	p := newPress(t)
	res := p.post("/press", "press", url.Values{"title": {"Trolley over the Tumen"}, "body": {"We are **home**."}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/press/") {
		t.Fatalf("draft: got %d to %q, want a redirect to the new statement", res.status, res.header.Get("Location"))
	}
	page := strings.SplitN(strings.TrimPrefix(res.header.Get("Location"), "/press/"), "?", 2)[0]
	id, err := strconv.ParseInt(page, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	st, err := p.store.Statement(storetest.Ctx(), id)
	if err != nil || st.Mission != "RU" || st.Status != outpost.StatementDraft || st.CreatedBy != "press" {
		t.Fatalf("got %+v, %v, want a draft of RU by press", st, err)
	}
	steps := []struct {
		who, step string
		status    int
	}{
		{"press", "publish", http.StatusConflict},      // not approved yet
		{"press", "approve", http.StatusForbidden},     // only the manager approves
		{"staff", "approve", http.StatusForbidden},     // staff reads, does not approve
		{"se-manager", "approve", http.StatusNotFound}, // another mission's: as if it did not exist
		{"coordinator", "approve", http.StatusNotFound},
		{"manager", "approve", http.StatusSeeOther},
		{"se-press", "publish", http.StatusNotFound},
		{"press", "publish", http.StatusSeeOther},
		{"press", "publish", http.StatusConflict}, // already published
	}
	for _, s := range steps {
		res := p.post(fmt.Sprintf("/press/%d/%s", id, s.step), s.who, nil)
		if res.status != s.status {
			t.Errorf("%s by %s: got %d, want %d", s.step, s.who, res.status, s.status)
		}
	}
	if res := p.get(statements.StatementPath(id), ""); res.status != http.StatusOK || !strings.Contains(res.body, "<strong>home</strong>") {
		t.Errorf("public page after publishing: got %d", res.status)
	}
	for who, want := range map[string]int{"press": 200, "manager": 200, "staff": 200, "se-manager": 404, "se-press": 404, "coordinator": 404, "admin": 200} {
		if res := p.get(fmt.Sprintf("/press/%d", id), who); res.status != want {
			t.Errorf("GET /press/%d as %s: got %d, want %d", id, who, res.status, want)
		}
	}
	// Invalid drafts are refused with the form kept, and write nothing.
	n, _ := p.store.Statements(storetest.Ctx(), outpost.StatementFilter{})
	res = p.post("/press", "press", url.Values{"title": {""}, "body": {"kept text"}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "kept text") || !strings.Contains(res.body, "title") {
		t.Errorf("draft without title: got %d, want 400 with the form and the problem", res.status)
	}
	res = p.post("/press", "press", url.Values{"title": {"Other"}, "body": {"x"}, "mission": {"SE"}})
	if res.status != http.StatusForbidden {
		t.Errorf("press of RU drafting for SE: got %d, want 403", res.status)
	}
	if res := p.post("/press", "staff", url.Values{"title": {"T"}, "body": {"x"}}); res.status != http.StatusForbidden {
		t.Errorf("staff drafting: got %d, want 403", res.status)
	}
	if m, _ := p.store.Statements(storetest.Ctx(), outpost.StatementFilter{}); len(m) != len(n) {
		t.Errorf("refused drafts wrote %d statements", len(m)-len(n))
	}
}

func TestPressPhotoUpload(t *testing.T) {
	p := newPress(t)
	target := fmt.Sprintf("/press/%d/photos", p.draft)
	cases := []struct {
		name   string
		data   []byte
		who    string
		status int
		text   string
	}{
		{"trolley.png", storetest.PNG(40, 30), "press", http.StatusSeeOther, ""},
		{"bridge.webp", storetest.WebP(), "press", http.StatusSeeOther, ""},
		{"fake.jpg", []byte("<html><script>alert(1)</script>"), "press", http.StatusBadRequest, "not a JPEG, PNG or WebP"},
		{"huge.png", append(storetest.PNG(2, 2), make([]byte, outpost.MaxPhotoBytes)...), "press", http.StatusBadRequest, "larger than the limit of 5 MB"},
		{"staff.png", storetest.PNG(2, 2), "staff", http.StatusForbidden, ""},
		{"other.png", storetest.PNG(2, 2), "se-press", http.StatusNotFound, ""},
	}
	for _, c := range cases {
		ctype, body := multipartPhoto(t, c.name, c.data)
		res := p.do("POST", target, c.who, ctype, body)
		if res.status != c.status || !strings.Contains(res.body, c.text) {
			t.Errorf("%s by %s: got %d, want %d with %q", c.name, c.who, res.status, c.status, c.text)
		}
	}
	st, err := p.store.Statement(storetest.Ctx(), p.draft)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Photos) != 3 || st.Photos[1].Width != 40 || st.Photos[1].Caption != "On the bridge" {
		t.Errorf("got photos %+v, want the seed's and the two good uploads", st.Photos)
	}
	if res := p.do("POST", target, "press", "application/x-www-form-urlencoded", strings.NewReader("caption=x")); res.status != http.StatusBadRequest {
		t.Errorf("upload without a file: got %d, want 400", res.status)
	}
	photo := fmt.Sprintf("/press/%d/photos/%d", p.draft, st.Photos[1].ID)
	if res := p.get(photo, "press"); res.status != http.StatusOK || res.header.Get("Content-Type") != "image/png" {
		t.Errorf("draft photo for its press officer: got %d %q", res.status, res.header.Get("Content-Type"))
	}
	if res := p.get(photo, "se-manager"); res.status != http.StatusNotFound {
		t.Errorf("draft photo for another mission: got %d, want 404", res.status)
	}
}

func TestStatementAPI(t *testing.T) {
	p := newPress(t)
	res := p.do("POST", "/api/v1/statements", "press", "application/json", strings.NewReader(`{"title":"By API","body":"Text."}`))
	if res.status != http.StatusCreated || !strings.Contains(res.body, `"mission": "RU"`) {
		t.Fatalf("draft by API: got %d %s", res.status, res.body)
	}
	var id int64
	fmt.Sscanf(res.body[strings.Index(res.body, `"id": `)+6:], "%d", &id)
	for _, s := range []struct {
		who, step string
		status    int
	}{
		{"press", "publish", 409}, {"press", "approve", 403}, {"se-manager", "approve", 404},
		{"manager", "approve", 200}, {"manager", "publish", 200},
	} {
		if res := p.do("POST", fmt.Sprintf("/api/v1/statements/%d/%s", id, s.step), s.who, "", nil); res.status != s.status {
			t.Errorf("%s by %s: got %d, want %d: %s", s.step, s.who, res.status, s.status, res.body)
		}
	}
	res = p.get("/api/v1/press/statements", "se-press")
	if res.status != 200 || strings.Contains(res.body, "By API") || strings.Contains(res.body, draftMarker) {
		t.Errorf("SE's press desk: got %d, want no RU statement", res.status)
	}
	if res := p.get("/api/v1/press/statements", "coordinator"); res.status != http.StatusForbidden {
		t.Errorf("coordinator's press desk: got %d, want 403", res.status)
	}
	res = p.get("/api/v1/statements", "")
	if !strings.Contains(res.body, "By API") || strings.Contains(res.body, draftMarker) || strings.Contains(res.body, approvedMarker) {
		t.Errorf("public listing: got %s", res.body)
	}
}
