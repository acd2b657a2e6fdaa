package storetest

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/outpost-org/outpost/internal/outpost"
)

func statementSuites() []Suite {
	return []Suite{
		{"StatementLifecycle", testStatementLifecycle},
		{"StatementEdit", testStatementEdit},
		{"StatementListing", testStatementListing},
		{"StatementPhotos", testStatementPhotos},
		{"StatementCorrections", testStatementCorrections},
	}
}

// PNG returns a w×h PNG image for tests.
func PNG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// JPEG returns a small JPEG image for tests.
func JPEG() []byte {
	img := image.NewGray(image.Rect(0, 0, 8, 6))
	img.SetGray(1, 1, color.Gray{200})
	var b bytes.Buffer
	jpeg.Encode(&b, img, nil)
	return b.Bytes()
}

// WebP returns a 1×1 lossless WebP image for tests (the standard library
// has no WebP encoder).
func WebP() []byte {
	return []byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00")
}

// auditCount counts the audit entries about statements.
func auditCount(t *testing.T, s outpost.Store) int {
	t.Helper()
	es, err := s.Audit(Ctx(), outpost.AuditFilter{Entity: "statement", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// draft saves a draft statement of mission.
func draft(t *testing.T, s outpost.Store, mission, title string) outpost.Statement {
	t.Helper()
	st, err := s.CreateStatement(Ctx(), outpost.Statement{Mission: mission, Title: title, Body: "Text of *" + title + "*."})
	if err != nil {
		t.Fatalf("draft %q: %v", title, err)
	}
	return st
}

func testStatementLifecycle(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	refuseBadDrafts(t, s)

	st, err := s.CreateStatement(ctx, outpost.Statement{Mission: "RU", Title: "  Fewer than 290 remain ", Body: "Body."})
	if err != nil {
		t.Fatal(err)
	}
	if st.ID == 0 || st.Status != outpost.StatementDraft || st.Title != "Fewer than 290 remain" || st.CreatedBy != "tester" {
		t.Errorf("draft: got %+v, want an id, status draft, the trimmed title and created_by tester", st)
	}
	if _, err := s.PublishStatement(ctx, st.ID, time.Time{}); outpost.ErrorCode(err) != outpost.ECONFLICT {
		t.Errorf("publish a draft: got %v, want a conflict", err)
	} else if !strings.Contains(err.Error(), "not approved") {
		t.Errorf("publish a draft: got message %q, want it to say it is not approved", err)
	}
	ap, err := s.ApproveStatement(outpost.WithActor(ctx, "head"), st.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if ap.Status != outpost.StatementApproved || ap.ApprovedBy != "head" || ap.Approved.IsZero() {
		t.Errorf("approve: got %+v, want approved by head", ap)
	}
	if _, err := s.ApproveStatement(ctx, st.ID, time.Time{}); outpost.ErrorCode(err) != outpost.ECONFLICT {
		t.Errorf("approve twice: got %v, want a conflict", err)
	}
	at := time.Date(2021, 4, 1, 10, 30, 0, 0, time.UTC)
	pub, err := s.PublishStatement(outpost.WithActor(ctx, "press"), st.ID, at)
	if err != nil {
		t.Fatal(err)
	}
	if !pub.Published.Equal(at) || pub.PublishedBy != "press" || !pub.IsPublic() {
		t.Errorf("publish: got %+v, want published at %v by press", pub, at)
	}
	if _, err := s.PublishStatement(ctx, st.ID, time.Time{}); outpost.ErrorCode(err) != outpost.ECONFLICT {
		t.Errorf("publish twice: got %v, want a conflict", err)
	}
	for _, id := range []int64{0, 999} {
		if _, err := s.ApproveStatement(ctx, id, time.Time{}); outpost.ErrorCode(err) != outpost.ENOTFOUND {
			t.Errorf("approve %d: got %v, want not found", id, err)
		}
		if _, err := s.Statement(ctx, id); outpost.ErrorCode(err) != outpost.ENOTFOUND {
			t.Errorf("statement %d: got %v, want not found", id, err)
		}
	}
	back, err := s.Statement(ctx, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(pub, back); diff != "" {
		t.Errorf("Statement (-published +read):\n%s", diff)
	}
	checkStatementAudit(t, s, st.ID)

	corps, err := s.CreateStatement(ctx, outpost.Statement{Title: "Corps", Body: "All of us."})
	if err != nil || corps.Mission != "" {
		t.Errorf("corps statement: got %+v, %v, want one without mission", corps, err)
	}
}

// refuseBadDrafts checks that each kind of bad draft is refused and
// leaves no audit entry.
func refuseBadDrafts(t *testing.T, s outpost.Store) {
	t.Helper()
	ctx := Ctx()
	bad := []struct {
		name string
		st   outpost.Statement
		code string
	}{
		{"no title", outpost.Statement{Mission: "RU", Body: "x"}, outpost.EINVALID},
		{"no body", outpost.Statement{Mission: "RU", Title: "T", Body: "  \n"}, outpost.EINVALID},
		{"two-line title", outpost.Statement{Title: "a\nb", Body: "x"}, outpost.EINVALID},
		{"unknown mission", outpost.Statement{Mission: "XX", Title: "T", Body: "x"}, outpost.EINVALID},
		{"long title", outpost.Statement{Title: strings.Repeat("t", 201), Body: "x"}, outpost.EINVALID},
	}
	for _, c := range bad {
		_, err := s.CreateStatement(ctx, c.st)
		if code := outpost.ErrorCode(err); code != c.code {
			t.Errorf("%s: got %v (code %q), want code %q", c.name, err, code, c.code)
		}
	}
	if n := auditCount(t, s); n != 0 {
		t.Fatalf("refused drafts left %d audit entries, want 0", n)
	}
}

// checkStatementAudit checks that the statement id left its draft,
// approval and publication in the audit log, newest first.
func checkStatementAudit(t *testing.T, s outpost.Store, id int64) {
	t.Helper()
	ctx := Ctx()
	es, err := s.Audit(ctx, outpost.AuditFilter{Entity: "statement"})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range es {
		actions = append(actions, e.Action+" by "+e.Actor)
		if e.Mission != "RU" || e.EntityID != strconv.FormatInt(id, 10) {
			t.Errorf("audit entry %+v: want mission RU and the statement's id", e)
		}
	}
	if diff := cmp.Diff([]string{"publish by press", "approve by head", "draft by tester"}, actions); diff != "" {
		t.Errorf("audit, newest first (-want +got):\n%s", diff)
	}
}

func testStatementEdit(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	st := draft(t, s, "RU", "First")
	if _, err := s.ApproveStatement(ctx, st.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	ed, err := s.EditStatement(ctx, st.ID, "Second", "New body.")
	if err != nil {
		t.Fatal(err)
	}
	if ed.Status != outpost.StatementDraft || ed.Title != "Second" || ed.Body != "New body." || ed.ApprovedBy != "" {
		t.Errorf("edit an approved statement: got %+v, want a draft again with the new text", ed)
	}
	if _, err := s.EditStatement(ctx, st.ID, "", "x"); outpost.ErrorCode(err) != outpost.EINVALID {
		t.Errorf("edit without title: got %v, want invalid", err)
	}
	if _, err := s.ApproveStatement(ctx, st.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PublishStatement(ctx, st.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	n := auditCount(t, s)
	if _, err := s.EditStatement(ctx, st.ID, "Third", "x"); outpost.ErrorCode(err) != outpost.ECONFLICT {
		t.Errorf("edit a published statement: got %v, want a conflict", err)
	}
	if _, err := s.EditStatement(ctx, 999, "Third", "x"); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("edit a missing statement: got %v, want not found", err)
	}
	if got := auditCount(t, s); got != n {
		t.Errorf("refused edits: got %d audit entries, want %d", got, n)
	}
	back, err := s.Statement(ctx, st.ID)
	if err != nil || back.Title != "Second" {
		t.Errorf("after refused edit: got %q, %v, want the title Second", back.Title, err)
	}
}

func testStatementListing(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	publish := func(st outpost.Statement, at time.Time) {
		t.Helper()
		if _, err := s.ApproveStatement(ctx, st.ID, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PublishStatement(ctx, st.ID, at); err != nil {
			t.Fatal(err)
		}
	}
	d1 := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
	a := draft(t, s, "RU", "A")
	b := draft(t, s, "SE", "B")
	draft(t, s, "RU", "C")
	d := draft(t, s, "", "D")
	e := draft(t, s, "RU", "E")
	publish(a, d1)
	publish(b, d1.AddDate(0, 0, 2))
	publish(d, d1.AddDate(0, 0, 1))
	if _, err := s.ApproveStatement(ctx, e.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	titles := func(f outpost.StatementFilter) []string {
		t.Helper()
		list, err := s.Statements(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, st := range list {
			out = append(out, st.Title)
		}
		return out
	}
	cases := []struct {
		name string
		f    outpost.StatementFilter
		want []string
	}{
		{"all", outpost.StatementFilter{}, []string{"B", "D", "A", "E", "C"}},
		{"published", outpost.StatementFilter{Status: outpost.StatementPublished}, []string{"B", "D", "A"}},
		{"drafts", outpost.StatementFilter{Status: outpost.StatementDraft}, []string{"C"}},
		{"RU", outpost.StatementFilter{Mission: "RU"}, []string{"A", "E", "C"}},
		{"window", outpost.StatementFilter{Status: outpost.StatementPublished, PublishedFrom: d1.Add(time.Hour), PublishedTo: d1.AddDate(0, 0, 2)}, []string{"B", "D"}},
		{"limit", outpost.StatementFilter{Status: outpost.StatementPublished, Limit: 1}, []string{"B"}},
		{"none", outpost.StatementFilter{Mission: "WFP"}, []string{}},
	}
	for _, c := range cases {
		if diff := cmp.Diff(c.want, titles(c.f)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
}

func testStatementPhotos(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	st := draft(t, s, "RU", "With photos")
	other := draft(t, s, "RU", "Other")
	added := addGoodPhotos(t, s, st.ID, other.ID)
	refuseBadPhotos(t, s, st.ID)

	got, err := s.Statement(ctx, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Photos) != added || got.Photos[0].Name != "trolley.png" {
		t.Errorf("statement photos: got %+v, want the %d photos in the order attached", got.Photos, added)
	}
	list, err := s.Statements(ctx, outpost.StatementFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range list {
		want := 0
		if l.ID == st.ID {
			want = added
		}
		if len(l.Photos) != want {
			t.Errorf("listing: statement %q has %d photos, want %d", l.Title, len(l.Photos), want)
		}
	}

	photoRules(t, s, st.ID, other.ID)
}

// addGoodPhotos attaches each kind of good image to the statement st and
// checks what is kept (the image written again from its pixels, without
// its metadata) and that it cannot be read through the statement other;
// it returns how many it attached.
func addGoodPhotos(t *testing.T, s outpost.Store, st, other int64) int {
	t.Helper()
	ctx := Ctx()
	good := []struct {
		name, typ string
		data      []byte
		w, h      int
	}{
		{"trolley.png", "image/png", PNG(4, 3), 4, 3},
		{"bridge.jpg", "image/jpeg", JPEG(), 8, 6},
		// The standard library writes no WebP: it comes out as a PNG
		// (or a JPEG when it has no transparency).
		{"../../etc/khasan.webp", "image/png", WebP(), 1, 1},
		{"named-wrongly.gif", "image/png", PNG(2, 2), 2, 2},
		{"gps.jpg", "image/jpeg", JPEGWithMetadata(12, 8, 1), 12, 8},
		{"turned.jpg", "image/jpeg", JPEGWithMetadata(12, 8, 6), 8, 12},
	}
	for _, g := range good {
		info, err := s.AddPhoto(ctx, st, outpost.Photo{PhotoInfo: outpost.PhotoInfo{Name: g.name, Caption: "On the\nbridge"}, Data: g.data})
		if err != nil {
			t.Fatalf("%s: %v", g.name, err)
		}
		if info.Type != g.typ || info.Width != g.w || info.Height != g.h || info.ID == 0 {
			t.Errorf("%s: got %+v, want type %s, %d×%d", g.name, info, g.typ, g.w, g.h)
		}
		if strings.ContainsAny(info.Name, "/\\") || info.Caption != "On the bridge" {
			t.Errorf("%s: got name %q, caption %q, want a bare file name and a one-line caption", g.name, info.Name, info.Caption)
		}
		back, err := s.Photo(ctx, st, info.ID)
		if err != nil {
			t.Fatal(err)
		}
		// What is kept is the image written again from its pixels alone.
		if back.PhotoInfo != info || back.Size != len(back.Data) || SniffType(back.Data) != g.typ {
			t.Errorf("%s: read back %+v (%d bytes of %s), want %+v", g.name, back.PhotoInfo, len(back.Data), SniffType(back.Data), info)
		}
		if m := JPEGMetadata(back.Data); g.typ == "image/jpeg" && len(m) > 0 {
			t.Errorf("%s: the stored JPEG keeps metadata segments % X", g.name, m)
		}
		if bytes.Contains(back.Data, []byte(MetadataText)) || bytes.Contains(back.Data, []byte("Exif")) {
			t.Errorf("%s: the stored photo keeps its metadata", g.name)
		}
		if _, err := s.Photo(ctx, other, info.ID); outpost.ErrorCode(err) != outpost.ENOTFOUND {
			t.Errorf("%s through another statement: got %v, want not found", g.name, err)
		}
	}
	return len(good)
}

// refuseBadPhotos checks that each kind of bad image, and a photo of a
// missing statement, is refused and leaves no audit entry.
func refuseBadPhotos(t *testing.T, s outpost.Store, st int64) {
	t.Helper()
	ctx := Ctx()
	n := auditCount(t, s)
	big := append(PNG(2, 2), make([]byte, outpost.MaxPhotoBytes)...)
	bad := []struct {
		name string
		data []byte
		code string
	}{
		{"script.jpg", []byte("<script>alert(1)</script>"), outpost.EINVALID},
		{"empty.png", nil, outpost.EINVALID},
		{"huge.png", big, outpost.EINVALID},
		{"truncated.png", PNG(2, 2)[:12], outpost.EINVALID},
		{"cut-short.jpg", JPEGWithMetadata(12, 8, 1)[:300], outpost.EINVALID},
		{"bomb.png", PNGBomb(outpost.MaxPhotoSide+1, 1), outpost.EINVALID},
		{"megabomb.png", PNGBomb(9000, 9000), outpost.EINVALID},
		{"page.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), outpost.EINVALID},
	}
	for _, b := range bad {
		_, err := s.AddPhoto(ctx, st, outpost.Photo{PhotoInfo: outpost.PhotoInfo{Name: b.name}, Data: b.data})
		if code := outpost.ErrorCode(err); code != b.code {
			t.Errorf("%s: got %v (code %q), want code %q", b.name, err, code, b.code)
		}
	}
	if _, err := s.AddPhoto(ctx, 999, outpost.Photo{Data: PNG(1, 1)}); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("photo of a missing statement: got %v, want not found", err)
	}
	if got := auditCount(t, s); got != n {
		t.Errorf("refused photos: got %d audit entries, want %d", got, n)
	}

}

// photoRules checks when a statement takes photos: the statement st,
// approved, goes back to draft; published, it takes none; the statement
// other takes at most MaxPhotos.
func photoRules(t *testing.T, s outpost.Store, st, other int64) {
	t.Helper()
	ctx := Ctx()
	// A photo sends an approved statement back to draft; a published one
	// takes none.
	if _, err := s.ApproveStatement(ctx, st, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPhoto(ctx, st, outpost.Photo{PhotoInfo: outpost.PhotoInfo{Name: "late.png"}, Data: PNG(1, 1)}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Statement(ctx, st); got.Status != outpost.StatementDraft {
		t.Errorf("after a photo: got status %s, want draft", got.Status)
	}
	if _, err := s.ApproveStatement(ctx, st, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PublishStatement(ctx, st, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPhoto(ctx, st, outpost.Photo{PhotoInfo: outpost.PhotoInfo{Name: "later.png"}, Data: PNG(1, 1)}); outpost.ErrorCode(err) != outpost.ECONFLICT {
		t.Errorf("photo of a published statement: got %v, want a conflict", err)
	}
	for i := 0; i < outpost.MaxPhotos; i++ {
		_, err := s.AddPhoto(ctx, other, outpost.Photo{PhotoInfo: outpost.PhotoInfo{Name: "p.png"}, Data: PNG(1, 1)})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddPhoto(ctx, other, outpost.Photo{Data: PNG(1, 1)}); outpost.ErrorCode(err) != outpost.ECONFLICT {
		t.Errorf("photo %d: got %v, want a conflict", outpost.MaxPhotos+1, err)
	}
}
