package storetest

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/outpost-org/outpost/internal/outpost"
)

// testExitDocsImportMerge: a people file with some of the exit-document
// columns sets those fields and keeps the others as recorded; each
// person whose documents an import changes is audited with both
// versions, as the form's save is, and a re-import that changes nothing
// writes no entry; documents that break a rule once merged refuse the
// import, located at the row, and nothing is written.
func testExitDocsImportMerge(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	SeedMissions(t, s)
	row := func(id string, line int, d *outpost.ExitDocuments, cols ...string) outpost.PersonRecord {
		r := Person(id, "H-"+id, "RU")
		r.Line, r.Documents, r.DocColumns = line, d, cols
		return r
	}
	d1 := sampleDocs("RU-0001")
	if _, err := s.ImportPeople(ctx, Batch(row("RU-0001", 2, &d1), row("RU-0002", 3, nil))); err != nil {
		t.Fatal(err)
	}
	audit := func() []outpost.AuditEntry {
		t.Helper()
		entries, err := s.Audit(ctx, outpost.AuditFilter{Entity: "exit_documents"})
		if err != nil {
			t.Fatal(err)
		}
		return entries
	}
	if got := audit(); len(got) != 1 || got[0].EntityID != "RU-0001" || got[0].Action != "import" || got[0].Mission != "RU" ||
		!strings.Contains(got[0].After, "KP-EX-0142") {
		t.Errorf("audit after a first import: %+v, want one import entry for RU-0001", got)
	}
	// Some columns: quarantine and staying for RU-0001, sex for RU-0002.
	partial := func() outpost.Batch[outpost.PersonRecord] {
		return Batch(
			row("RU-0001", 2, &outpost.ExitDocuments{QuarantineUntil: "2021-04-30", Staying: true}, "quarantine_until", "staying"),
			row("RU-0002", 3, &outpost.ExitDocuments{Sex: "M", PermitStatus: "ignored: not a column of the file"}, "sex"))
	}
	if _, err := s.ImportPeople(ctx, partial()); err != nil {
		t.Fatal(err)
	}
	all, err := s.AllExitDocuments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w1 := d1
	w1.QuarantineUntil, w1.Staying = "2021-04-30", true
	want := map[string]outpost.ExitDocuments{"RU-0001": w1, "RU-0002": {Person: "RU-0002", Sex: "M"}}
	if diff := cmp.Diff(want, all); diff != "" {
		t.Errorf("after an import of some columns (-want +got):\n%s", diff)
	}
	got := audit()
	if len(got) != 3 {
		t.Fatalf("audit after the partial import: %d entries, want 3: %+v", len(got), got)
	}
	for _, e := range got[:2] {
		switch e.EntityID {
		case "RU-0001":
			if !strings.Contains(e.Before, `"staying":false`) || !strings.Contains(e.After, "2021-04-30") || !strings.Contains(e.After, "KP-EX-0142") {
				t.Errorf("RU-0001's entry: before %s, after %s", e.Before, e.After)
			}
		case "RU-0002":
			if !strings.Contains(e.After, `"sex":"M"`) || e.Mission != "RU" {
				t.Errorf("RU-0002's entry: %+v", e)
			}
		default:
			t.Errorf("an entry for %s", e.EntityID)
		}
	}
	// The same file again changes nothing and writes no entry.
	if _, err := s.ImportPeople(ctx, partial()); err != nil {
		t.Fatal(err)
	}
	if n := len(audit()); n != 3 {
		t.Errorf("a re-import that changes nothing: %d entries, want still 3", n)
	}
	// Granted without dates once merged: RU-0002 has none recorded.
	renamed := row("RU-0001", 2, &outpost.ExitDocuments{PermitNumber: "KP-NEW"}, "permit_number")
	renamed.GivenName = "Renamed"
	_, err = s.ImportPeople(ctx, Batch(renamed,
		row("RU-0002", 7, &outpost.ExitDocuments{PermitStatus: outpost.PermitGranted}, "permit_status")))
	var rp outpost.RowProblems
	if outpost.ErrorCode(err) != outpost.EINVALID || !errors.As(err, &rp) || len(rp) == 0 || rp[0].Line != 7 || rp[0].Column != "permit_from" {
		t.Fatalf("granted without dates once merged: got %v (%+v), want EINVALID at line 7, permit_from", err, rp)
	}
	if all2, _ := s.AllExitDocuments(ctx); !cmp.Equal(all, all2) {
		t.Errorf("a refused import wrote documents: %+v", all2)
	}
	if p, _ := s.Person(ctx, "RU-0001"); p.GivenName == "Renamed" {
		t.Error("a refused import wrote a person")
	}
	if n := len(audit()); n != 3 {
		t.Errorf("a refused import: %d entries, want still 3", n)
	}
}
