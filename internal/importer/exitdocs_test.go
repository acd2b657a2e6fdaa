package importer

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/outpost-org/outpost/internal/outpost"
)

const docsHeader = "id,household,given_name,family_name,nationality,mission,category,sex,passport_expiry,permit_status,permit_number,permit_from,permit_to,permit_authority,quarantine_until,staying\n"

func peopleKind() Kind[outpost.PersonRecord] {
	return People(func(c string) bool { return c == "RU" }, time.UTC, time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC))
}

// TestExitDocumentColumns: the optional columns fill the documents; a
// file without them leaves Documents nil, so that a re-import keeps
// what is recorded.
func TestExitDocumentColumns(t *testing.T) {
	ps, err := readAll(t, peopleKind(), "p.csv", docsHeader+
		"A,H,x,y,RU,RU,staff,F,2024-05-31,granted,KP-1,2021-02-20,2021-03-20,MFA,2021-02-27,true\n"+
		"B,H,x,y,RU,RU,staff,,,,,,,,,\n")
	if err != nil {
		t.Fatal(err)
	}
	want := &outpost.ExitDocuments{Person: "A", Sex: "F", PassportExpiry: "2024-05-31", PermitStatus: "granted", PermitNumber: "KP-1",
		PermitFrom: "2021-02-20", PermitTo: "2021-03-20", PermitAuthority: "MFA", QuarantineUntil: "2021-02-27", Staying: true}
	if diff := cmp.Diff(want, ps[0].Documents); diff != "" {
		t.Errorf("row A (-want +got):\n%s", diff)
	}
	if ps[1].Documents == nil || !ps[1].Documents.IsZero() {
		t.Errorf("row B with the columns empty: got %+v, want documents recorded as none", ps[1].Documents)
	}
	ps, err = readAll(t, peopleKind(), "p.csv", "id,household,given_name,family_name,nationality,mission,category\nA,H,x,y,RU,RU,staff\n")
	if err != nil || ps[0].Documents != nil {
		t.Errorf("a file without the columns: got %+v, %v; want no documents", ps[0].Documents, err)
	}
}

// TestExitDocumentProblems: every bad value and every contradiction is
// a located problem, and the file writes nothing.
func TestExitDocumentProblems(t *testing.T) {
	_, err := readAll(t, peopleKind(), "p.csv", docsHeader+
		"A,H,x,y,RU,RU,staff,m,2021-02-30,grantd,,,,,,maybe\n"+
		"B,H,x,y,RU,RU,staff,,,granted,KP-2,2021-03-20,2021-02-20,,,\n"+
		"C,H,x,y,RU,RU,staff,,,granted,,,,,,\n"+
		"D,H,x,y,RU,RU,staff,,,,KP-3,,,,3021-01-01,\n"+
		"E,H,x,y,RU,RU,staff,m,,grantd,,,,,,\n"+
		"F,H,x,y,RU,RU,staff,,,,KP-4,,,,,\n")
	if err == nil {
		t.Fatal("a file with bad exit documents was accepted")
	}
	got := details(err)
	for _, want := range []string{
		`p.csv:2: passport_expiry: not a real calendar date (got "2021-02-30")`,
		`p.csv:2: staying: `,
		`p.csv:3: permit_to: is before permit_from 2021-03-20 (got "2021-02-20")`,
		`p.csv:4: permit_from: is required for a granted permit`,
		`p.csv:4: permit_to: is required for a granted permit`,
		`p.csv:5: quarantine_until: out of range: want a date from 1900-01-01 to 2100-12-31 (got "3021-01-01")`,
		`p.csv:6: sex: must be one of M, F, X (or empty) (got "m")`,
		`p.csv:6: permit_status: must be one of requested, granted, refused (or empty) (got "grantd")`,
		`p.csv:7: permit_status: is required when a permit number`,
	} {
		if !slices.ContainsFunc(got, func(d string) bool { return len(d) >= len(want) && d[:len(want)] == want }) {
			t.Errorf("missing problem %q in:\n%v", want, got)
		}
	}
}

// TestSomeExitDocumentColumns: a file with some of the columns names
// them, so that the import sets only those; each value is still checked
// where it stands, and the rules between fields wait for the recorded
// ones (the store checks the merged documents).
func TestSomeExitDocumentColumns(t *testing.T) {
	head := "id,household,given_name,family_name,nationality,mission,category,permit_status,quarantine_until\n"
	ps, err := readAll(t, peopleKind(), "p.csv", head+"A,H,x,y,RU,RU,staff,granted,2021-04-10\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"permit_status", "quarantine_until"}; !slices.Equal(ps[0].DocColumns, want) {
		t.Errorf("columns: got %v, want %v", ps[0].DocColumns, want)
	}
	if d := ps[0].Documents; d == nil || d.PermitStatus != "granted" || d.QuarantineUntil != "2021-04-10" {
		t.Errorf("documents: got %+v", d)
	}
	_, err = readAll(t, peopleKind(), "p.csv", head+"A,H,x,y,RU,RU,staff,grantd,2021-02-30\n")
	got := details(err)
	for _, want := range []string{
		`p.csv:2: permit_status: must be one of requested, granted, refused (or empty) (got "grantd")`,
		`p.csv:2: quarantine_until: not a real calendar date (got "2021-02-30")`,
	} {
		if !slices.Contains(got, want) {
			t.Errorf("missing problem %q in:\n%v", want, got)
		}
	}
	ps, err = readAll(t, peopleKind(), "p.csv", docsHeader+"A,H,x,y,RU,RU,staff,,,,,,,,,\n")
	if err != nil || ps[0].DocColumns != nil {
		t.Errorf("a file with every column: got columns %v, %v; want nil (all)", ps[0].DocColumns, err)
	}
}
