package server

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/api"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/statements"
	"github.com/outpost-org/outpost/internal/storetest"
)

// requestID is the part of an error page that differs between requests.
var requestID = regexp.MustCompile(`Request id <code>[^<]*</code>`)

// sameAnswer fails unless a and b have the same status and body (the
// request id of an error page aside): nothing in them tells the asker
// which of two worlds they are in.
func sameAnswer(t *testing.T, what string, a, b response) {
	t.Helper()
	ab, bb := requestID.ReplaceAllString(a.body, ""), requestID.ReplaceAllString(b.body, "")
	if a.status != b.status || ab != bb {
		t.Errorf("%s: the answers differ:\n%d %s\n---\n%d %s", what, a.status, ab, b.status, bb)
	}
}

// TestSearchMatchesOnlyVisibleFields checks that a people search by a
// caller who may not see passports answers a term found only in
// passports exactly as a term found nowhere: no row, no cursor, the same
// page, in the API and the web UI.
func TestSearchMatchesOnlyVisibleFields(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			// More than a web page (50) of RU people whose passports alone
			// hold "20": ids, names and households do not.
			var extra []outpost.PersonRecord
			for i := range 60 {
				id := fmt.Sprintf("RU-P%c%c", 'a'+i/26, 'a'+i%26)
				p := storetest.Person(id, "RU-HP", "RU")
				p.Passport = fmt.Sprintf("X20%03d", i)
				extra = append(extra, p)
			}
			if _, err := f.store.ImportPeople(storetest.Ctx(), storetest.Batch(extra...)); err != nil {
				t.Fatal(err)
			}
			const hidden, nowhere = "20", "qj"
			for _, limit := range []string{"1", "2", "50"} {
				q := func(term string) string { return "/api/v1/people?limit=" + limit + "&q=" + term }
				sameAnswer(t, "API as press, limit "+limit, f.get(q(hidden), "press"), f.get(q(nowhere), "press"))
				// The caller who may see passports finds them.
				page := decode[api.PeoplePage](t, f.get(q(hidden), "staff"))
				if len(page.People) == 0 || page.People[0].Passport == "" {
					t.Errorf("API as staff, limit %s: got %+v, want people found by passport", limit, page)
				}
			}
			web := func(term string) response { return f.get("/people?q="+url.QueryEscape(term), "press") }
			got, miss := web(hidden), web(nowhere)
			miss.body = strings.ReplaceAll(miss.body, nowhere, hidden) // the page repeats the term asked
			sameAnswer(t, "web as press", got, miss)
			if strings.Contains(got.body, "after=") {
				t.Errorf("web as press: the page links a next page:\n%s", got.body)
			}
			if res := f.get("/people?q="+hidden, "staff"); !strings.Contains(res.body, "after=") {
				t.Errorf("web as staff: got no next page, want one (60 people match by passport)")
			}
		})
	}
}

// TestOneNotFound checks that a record the caller may not see (a draft
// statement, another mission's statement, roll call, medical case or
// person, a photo of another statement) answers exactly as a record that
// does not exist, whoever asks, in the API and the web UI. The two ids
// differ, so the answer about the missing one is read with the hidden
// one's id put in its place: nothing else may differ.
func TestOneNotFound(t *testing.T) {
	const missing = "987654321"
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			ctx := storetest.Ctx()
			mk := func(mission string, publish bool) (int64, int64) {
				st, err := f.store.CreateStatement(ctx, outpost.Statement{Mission: mission, Title: "Statement of " + mission, Body: "Body."})
				if err != nil {
					t.Fatal(err)
				}
				ph, err := f.store.AddPhoto(ctx, st.ID, outpost.Photo{PhotoInfo: outpost.PhotoInfo{Name: "a.png"}, Data: storetest.PNG(3, 2)})
				if err != nil {
					t.Fatal(err)
				}
				if publish {
					if _, err := f.store.ApproveStatement(ctx, st.ID, testNow); err != nil {
						t.Fatal(err)
					}
					if _, err := f.store.PublishStatement(ctx, st.ID, testNow); err != nil {
						t.Fatal(err)
					}
				}
				return st.ID, ph.ID
			}
			ruDraft, ruDraftPhoto := mk("RU", false)
			seDraft, _ := mk("SE", false)
			published, _ := mk("RU", true)
			seRollCall, err := f.store.StartRollCall(ctx, outpost.RollCall{Title: "SE only", Mission: "SE"})
			if err != nil {
				t.Fatal(err)
			}
			var seCase int64
			cases, err := f.store.Cases(ctx, outpost.CaseFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cases {
				if c.Mission == "SE" {
					seCase = c.ID
				}
			}
			if seCase == 0 {
				t.Fatal("the fixture has no medical case of SE")
			}
			id := func(n int64) string { return fmt.Sprint(n) }
			checks := []struct {
				who, method, hidden, missing string
				hiddenID                     string
			}{
				{"", "GET", "/api/v1/statements/" + id(ruDraft), "/api/v1/statements/" + missing, id(ruDraft)},
				{"press", "GET", "/api/v1/statements/" + id(ruDraft), "/api/v1/statements/" + missing, id(ruDraft)},
				{"admin", "GET", "/api/v1/statements/" + id(ruDraft), "/api/v1/statements/" + missing, id(ruDraft)},
				{"press", "POST", "/api/v1/statements/" + id(seDraft) + "/publish", "/api/v1/statements/" + missing + "/publish", id(seDraft)},
				{"manager", "POST", "/api/v1/statements/" + id(seDraft) + "/approve", "/api/v1/statements/" + missing + "/approve", id(seDraft)},
				{"manager", "GET", "/api/v1/rollcalls/" + id(seRollCall.ID), "/api/v1/rollcalls/" + missing, id(seRollCall.ID)},
				{"manager", "GET", "/api/v1/medical/cases/" + id(seCase), "/api/v1/medical/cases/" + missing, id(seCase)},
				{"staff", "GET", "/api/v1/people/SE-0001", "/api/v1/people/" + missing, "SE-0001"},
				{"", "GET", "/statements/" + id(ruDraft), "/statements/" + missing, id(ruDraft)},
				{"press", "GET", "/statements/" + id(ruDraft), "/statements/" + missing, id(ruDraft)},
				{"manager", "GET", "/statements/" + id(ruDraft), "/statements/" + missing, id(ruDraft)},
				{"", "GET", "/statements/" + id(ruDraft) + "/photos/" + id(ruDraftPhoto), "/statements/" + missing + "/photos/" + id(ruDraftPhoto), id(ruDraft)},
				{"", "GET", "/statements/" + id(published) + "/photos/" + id(ruDraftPhoto), "/statements/" + id(published) + "/photos/" + missing, id(ruDraftPhoto)},
				{"press", "GET", "/press/" + id(seDraft), "/press/" + missing, id(seDraft)},
				{"press", "GET", "/press/" + id(seDraft) + "/photos/1", "/press/" + missing + "/photos/1", id(seDraft)},
				{"manager", "GET", "/rollcalls/" + id(seRollCall.ID), "/rollcalls/" + missing, id(seRollCall.ID)},
				{"manager", "GET", "/medical/" + id(seCase), "/medical/" + missing, id(seCase)},
				{"staff", "GET", "/people/SE-0001", "/people/" + missing, "SE-0001"},
			}
			for _, c := range checks {
				got := f.do(c.method, c.hidden, c.who, "", "", "")
				miss := f.do(c.method, c.missing, c.who, "", "", "")
				if got.status != 404 {
					t.Errorf("%s %s as %q: got %d, want 404", c.method, c.hidden, c.who, got.status)
				}
				miss.body = strings.ReplaceAll(miss.body, missing, c.hiddenID)
				sameAnswer(t, fmt.Sprintf("%s %s as %q", c.method, c.hidden, c.who), got, miss)
			}
		})
	}
}

// TestPublishedPhotosTellOnlyTheirPixels uploads, through the press desk,
// a camera's JPEG that records where it was taken (EXIF GPS, XMP, a
// comment) under a telling file name, publishes it, and reads it back as
// the public does: the photo has no metadata left, and no public page,
// feed, API answer or situation report names the uploaded file.
func TestPublishedPhotosTellOnlyTheirPixels(t *testing.T) {
	const fileName = "IMG_20210225_compound_gate_Munsu.jpg"
	const caption = "The trolley at the Tumen bridge"
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			ctx := storetest.Ctx()
			st, err := f.store.CreateStatement(ctx, outpost.Statement{Mission: "RU", Title: "Leaving", Body: "We leave by rail."})
			if err != nil {
				t.Fatal(err)
			}
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			mw.WriteField("caption", caption)
			fw, _ := mw.CreateFormFile("photo", fileName)
			fw.Write(storetest.JPEGWithMetadata(40, 30, 1))
			mw.Close()
			res := f.do("POST", fmt.Sprintf("/press/%d/photos", st.ID), "press", "", mw.FormDataContentType(), body.String())
			if res.status != http.StatusSeeOther {
				t.Fatalf("upload: got %d, want 303\n%s", res.status, res.body)
			}
			if _, err := f.store.ApproveStatement(ctx, st.ID, testNow); err != nil {
				t.Fatal(err)
			}
			if _, err := f.store.PublishStatement(ctx, st.ID, testNow); err != nil {
				t.Fatal(err)
			}
			got, err := f.store.Statement(ctx, st.ID)
			if err != nil || len(got.Photos) != 1 {
				t.Fatalf("got %+v, %v; want one photo", got, err)
			}
			ph := got.Photos[0]
			res = f.get(statements.PhotoPath(st.ID, ph.ID), "")
			if res.status != 200 || res.header.Get("Content-Type") != "image/jpeg" {
				t.Fatalf("public photo: got %d %q", res.status, res.header.Get("Content-Type"))
			}
			if m := storetest.JPEGMetadata([]byte(res.body)); len(m) > 0 {
				t.Errorf("public photo: metadata segments % X remain", m)
			}
			for _, s := range []string{"Exif", storetest.MetadataText, "xmpmeta"} {
				if strings.Contains(res.body, s) {
					t.Errorf("public photo: still holds %q", s)
				}
			}
			if d := res.header.Get("Content-Disposition"); strings.Contains(d, "IMG_") {
				t.Errorf("public photo: Content-Disposition %q names the uploaded file", d)
			}
			pages := []struct{ path, as, want string }{
				{fmt.Sprintf("/statements/%d", st.ID), "", caption},
				{"/statements", "", "Leaving"},
				{"/statements.atom", "", caption},
				{fmt.Sprintf("/api/v1/statements/%d", st.ID), "", caption},
				{"/api/v1/statements", "", caption},
				{"/api/v1/sitrep?date=2021-04-01&format=html&mission=RU", "manager", "Leaving"},
				{"/api/v1/sitrep?date=2021-04-01&format=md&mission=RU", "manager", "Leaving"},
				{"/api/v1/sitrep?date=2021-04-01&mission=RU", "manager", "Leaving"},
			}
			for _, p := range pages {
				res := f.get(p.path, p.as)
				if res.status != 200 || !strings.Contains(res.body, p.want) {
					t.Errorf("%s: got %d without %q", p.path, res.status, p.want)
				}
				if strings.Contains(res.body, "IMG_2021") || strings.Contains(res.body, "compound_gate") {
					t.Errorf("%s: names the uploaded file", p.path)
				}
			}
		})
	}
}
