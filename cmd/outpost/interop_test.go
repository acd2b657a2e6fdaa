package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/xuri/excelize/v2"
)

// utf16LE encodes s as UTF-16LE with a byte order mark, as Excel saves
// "Unicode text".
func utf16LE(s string) []byte {
	u := append([]uint16{0xFEFF}, utf16.Encode([]rune(s))...)
	out := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(out[2*i:], c)
	}
	return out
}

// personJSON returns the person as `people show --json` prints them.
func personJSON(t *testing.T, db, id string) outpost.Person {
	t.Helper()
	var doc struct {
		Person outpost.Person `json:"person"`
	}
	out := mustCLI(t, db, "people", "show", id, "--json")
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("people show --json: %v\n%s", err, out)
	}
	return doc.Person
}

// Files as Excel writes them in Russia and on a Mac import as their plain
// twins do: missions saved as "Unicode text" (UTF-16, tabs), people as a
// ';'-separated CSV with D.M.YYYY dates and trailing empty rows, and a
// 1904-date workbook whose data is on its second sheet (said on stderr).
func TestImportFileVariants(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			dir := t.TempDir()
			missions := "code\tname\tcountry\tkind\tstatus\tmin_staff\r\n" +
				"RU\tПосольство России\tRU\tembassy\topen\t2\r\n" +
				"SE\tEmbassy of Sweden\tSE\tembassy\tclosed\t0\r\n" +
				"\t\t\t\t\t\r\n\t\t\t\t\t\r\n"
			p := filepath.Join(dir, "missions.txt")
			os.WriteFile(p, utf16LE(missions), 0o644)
			if out := mustCLI(t, db, "import", "missions", p); !strings.Contains(out, "imported 2 missions") {
				t.Errorf("missions: %s", out)
			}
			people := "\ufeffid;household;given_name;family_name;nationality;mission;category;birth_date;since\r\n" +
				"RU-0001;RU-H1;Иван;Петров;RU;RU;head_of_mission;01.03.1970;01.02.2020\r\n" +
				"RU-0002;RU-H1;Анна;\"Петрова; мл.\";RU;RU;dependent;14.10.2017;\r\n" +
				";;;;;;;;\r\n;;;;;;;;\r\n"
			out := mustCLI(t, db, "import", "people", writeFile(t, dir, "people.csv", people))
			if !strings.Contains(out, "imported 2 people") {
				t.Errorf("people: %s", out)
			}
			if ru1 := personJSON(t, db, "RU-0001"); ru1.BirthDate != "1970-03-01" || ru1.GivenName != "Иван" || !ru1.Since.Equal(time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("RU-0001: got %+v", ru1)
			}
			if ru2 := personJSON(t, db, "RU-0002"); ru2.FamilyName != "Петрова; мл." || ru2.BirthDate != "2017-10-14" {
				t.Errorf("RU-0002: got %+v", ru2)
			}

			f := excelize.NewFile()
			yes := true
			f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes})
			f.SetSheetName("Sheet1", "Cover")
			f.SetCellValue("Cover", "A1", "Staff of the embassy, as of March")
			f.NewSheet("Staff")
			f.SetSheetRow("Staff", "A1", &[]any{"id", "household", "given_name", "family_name", "nationality", "mission", "category", "birth_date"})
			f.SetSheetRow("Staff", "A2", &[]any{"RU-0003", "RU-H2", "Олег", "Смирнов", "RU", "RU", "staff", time.Date(1985, 7, 9, 0, 0, 0, 0, time.UTC)})
			style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
			f.SetCellStyle("Staff", "H2", "H2", style)
			book := filepath.Join(dir, "staff.xlsx")
			if err := f.SaveAs(book); err != nil {
				t.Fatal(err)
			}
			out, errs, code := cli(t, db, "", "import", "people", book)
			if code != 0 || !strings.Contains(out, "imported 1 people") {
				t.Fatalf("workbook: exit %d\n%s%s", code, out, errs)
			}
			if want := book + `: read the sheet "Staff": the first sheet, "Cover", has no header of people`; strings.TrimSpace(errs) != want {
				t.Errorf("stderr: got %q, want %q", errs, want)
			}
			if ru3 := personJSON(t, db, "RU-0003"); ru3.BirthDate != "1985-07-09" {
				t.Errorf("a 1904-date workbook: born %s, want 1985-07-09", ru3.BirthDate)
			}

			// A header that still does not match says how it was read,
			// and nothing is written.
			bad := writeFile(t, dir, "bad.csv", "id;household;given_name;family_name;nationality;mission;category;colour\nRU-0009;H;x;y;RU;RU;staff;red\n")
			_, errs, code = cli(t, db, "", "import", "people", bad)
			if code != 1 || !strings.Contains(errs, "bad.csv:1: the header was read as columns separated by ';'") {
				t.Errorf("exit %d\n%s", code, errs)
			}
			if _, _, code := cli(t, db, "", "people", "show", "RU-0009"); code == 0 {
				t.Error("a refused file wrote a person")
			}
		})
	}
}

// python returns a python3, or skips the test outside CI.
func python(t *testing.T) string {
	t.Helper()
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import csv").Run() == nil {
			return py
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("python3 is needed to read the CSV exports back")
	}
	t.Skip("no python3")
	return ""
}

// readBack reads a CSV file as Excel-minded Python code does
// (encoding utf-8-sig) and prints its cells, one row a line, tab between.
const readBack = `
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
    for row in csv.reader(f):
        print('\t'.join(row))
`

// With --bom the CSV exports start with EF BB BF and are otherwise the
// same file; Python's utf-8-sig reads them back with the Cyrillic intact
// and the first column's name clean. Without it nothing changes.
func TestCSVExportsWithBOM(t *testing.T) {
	py := python(t)
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			dir := t.TempDir()
			mustCLI(t, db, "import", "missions", writeFile(t, dir, "missions.csv", missionsCSV))
			cyr := strings.NewReplacer("Oleg", "Олег", "Smirnov", "Смирнов").Replace(peopleCSV)
			mustCLI(t, db, "import", "people", writeFile(t, dir, "people.csv", cyr))
			mustCLI(t, db, "import", "departures", writeFile(t, dir, "d.csv", departuresCSV))
			mustCLI(t, db, "import", "restrictions", writeFile(t, dir, "r.csv", restrictionsCSV))
			mustCLI(t, db, "medical", "open", "RU-0003", "--precedence", "urgent", "--need", "surgery")
			mustCLI(t, db, "evac", "plan", "--start", "2021-02-25")
			out := mustCLI(t, db, "rollcall", "start", "Morning check", "--mission", "RU")
			lines := strings.Split(strings.TrimSpace(out), "\n")
			rc := lines[len(lines)-1]
			for _, c := range []struct {
				name, first string
				args        []string
			}{
				{"manifest", "household", []string{"evac", "manifest", "1", "TRAIN-1"}},
				{"links", "person", []string{"rollcall", "links", rc, "--base-url", "https://post.example"}},
			} {
				plain := mustCLI(t, db, c.args...)
				file := filepath.Join(dir, c.name+".csv")
				mustCLI(t, db, append(c.args, "--bom", "--out", file)...)
				b, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) || string(b[3:]) != plain {
					t.Errorf("%s --bom: want EF BB BF and then the file, got %q", c.name, b)
				}
				if strings.HasPrefix(plain, "\ufeff") {
					t.Errorf("%s: the default file starts with a byte order mark", c.name)
				}
				got, err := exec.Command(py, "-c", readBack, file).Output()
				if err != nil {
					t.Fatalf("python: %v", err)
				}
				if !strings.HasPrefix(string(got), c.first+"\t") || !strings.Contains(string(got), "Олег") {
					t.Errorf("%s as Python reads it:\n%s", c.name, got)
				}
			}
			if _, errs, code := cli(t, db, "", "evac", "manifest", "1", "TRAIN-1", "--format", "pdf", "--bom"); code != 2 || !strings.Contains(errs, "--bom") {
				t.Errorf("--bom with a PDF: exit %d, %s", code, errs)
			}
		})
	}
}
