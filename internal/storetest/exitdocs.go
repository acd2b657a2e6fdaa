package storetest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/outpost-org/outpost/internal/outpost"
)

func exitDocSuites() []Suite {
	return []Suite{
		{"ExitDocumentsImport", testExitDocsImport},
		{"ExitDocumentsEdit", testExitDocsEdit},
		{"ExitDocumentsImportMerge", testExitDocsImportMerge},
	}
}

func sampleDocs(id string) outpost.ExitDocuments {
	return outpost.ExitDocuments{Person: id, Sex: "F", PassportExpiry: "2024-05-31", PermitStatus: outpost.PermitGranted,
		PermitNumber: "KP-EX-0142", PermitFrom: "2021-02-20", PermitTo: "2021-03-20", PermitAuthority: "Ministry of Foreign Affairs",
		QuarantineUntil: "2021-02-27"}
}

// testExitDocsImport: a first import and a re-import write the exit
// documents of rows whose file has the columns; a re-import without them
// keeps what is recorded; a row with the columns empty clears them.
func testExitDocsImport(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	SeedMissions(t, s)
	withDocs := func(id string, d *outpost.ExitDocuments) outpost.PersonRecord {
		r := Person(id, "H-"+id, "RU")
		r.Documents = d
		return r
	}
	d1 := sampleDocs("RU-0001")
	// A first load (the bulk path of both engines).
	if _, err := s.ImportPeople(ctx, Batch(withDocs("RU-0001", &d1), withDocs("RU-0002", nil))); err != nil {
		t.Fatal(err)
	}
	got, err := s.ExitDocuments(ctx, "RU-0001")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d1, got); diff != "" {
		t.Errorf("after a first import (-want +got):\n%s", diff)
	}
	// A re-import without the columns keeps them; one with them sets them.
	d2 := outpost.ExitDocuments{Person: "RU-0002", Staying: true, Sex: "X"}
	if _, err := s.ImportPeople(ctx, Batch(withDocs("RU-0001", nil), withDocs("RU-0002", &d2), withDocs("RU-0003", &d2))); err != nil {
		t.Fatal(err)
	}
	all, err := s.AllExitDocuments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d3 := d2
	d3.Person = "RU-0003"
	want := map[string]outpost.ExitDocuments{"RU-0001": d1, "RU-0002": d2, "RU-0003": d3}
	if diff := cmp.Diff(want, all); diff != "" {
		t.Errorf("after a re-import (-want +got):\n%s", diff)
	}
	// Empty columns clear.
	if _, err := s.ImportPeople(ctx, Batch(withDocs("RU-0001", &outpost.ExitDocuments{}))); err != nil {
		t.Fatal(err)
	}
	if got, err := s.ExitDocuments(ctx, "RU-0001"); err != nil || !got.IsZero() || got.Person != "RU-0001" {
		t.Errorf("after clearing: %+v, %v; want nothing recorded", got, err)
	}
}

// testExitDocsEdit: documents are replaced whole, audited with both
// versions; bad documents and unknown people are refused and write nothing.
func testExitDocsEdit(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	d := sampleDocs("RU-0001")
	if err := s.SetExitDocuments(ctx, d); err != nil {
		t.Fatal(err)
	}
	refused := outpost.ExitDocuments{Person: "RU-0001", PermitStatus: outpost.PermitRefused, PermitAuthority: "MFA"}
	if err := s.SetExitDocuments(ctx, refused); err != nil {
		t.Fatal(err)
	}
	got, err := s.ExitDocuments(ctx, "RU-0001")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(refused, got); diff != "" {
		t.Errorf("after an edit (-want +got):\n%s", diff)
	}
	entries, err := s.Audit(ctx, outpost.AuditFilter{Entity: "exit_documents"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].EntityID != "RU-0001" || entries[0].Mission != "RU" ||
		!strings.Contains(entries[0].Before, "KP-EX-0142") || !strings.Contains(entries[0].After, "refused") {
		t.Errorf("audit: %+v, want two entries, the latest with both versions", entries)
	}
	bad := d
	bad.PermitTo = "2021-02-01"
	if err := s.SetExitDocuments(ctx, bad); outpost.ErrorCode(err) != outpost.EINVALID || !strings.Contains(err.Error(), "permit_to") {
		t.Errorf("permit_to before permit_from: got %v, want EINVALID naming permit_to", err)
	}
	if err := s.SetExitDocuments(ctx, sampleDocs("XX-9999")); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("unknown person: got %v, want ENOTFOUND", err)
	}
	if _, err := s.ExitDocuments(ctx, "XX-9999"); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("read unknown person: got %v, want ENOTFOUND", err)
	}
	if got, _ := s.ExitDocuments(ctx, "RU-0001"); got.PermitStatus != outpost.PermitRefused {
		t.Errorf("a refused edit changed the documents: %+v", got)
	}
}
