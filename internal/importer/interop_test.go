package importer

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"pgregory.net/rapid"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/xuri/excelize/v2"
)

// pythonWithOpenpyxl returns a Python that has openpyxl (Debian's
// python3-openpyxl is installed for /usr/bin/python3), or skips the test
// outside CI; in CI the writer must be there.
func pythonWithOpenpyxl(t testing.TB) string {
	t.Helper()
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import openpyxl").Run() == nil {
			return py
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("python3 with openpyxl is needed to write the test workbooks (apt-get install python3-openpyxl)")
	}
	t.Skip("no python3 with openpyxl: install python3-openpyxl to run this test")
	return ""
}

// openpyxlBook writes, with openpyxl, a workbook of one people row (born
// 1980-01-31, since 2020-02-29) and one departures row (leaving
// 2021-02-25 08:30) on two sheets, in the 1900 or the 1904 date system.
const openpyxlBook = `
import datetime, sys, openpyxl
wb = openpyxl.Workbook()
if sys.argv[2] == '1904':
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
ws = wb.active
ws.title = 'people'
ws.append(['id', 'household', 'given_name', 'family_name', 'nationality', 'mission', 'category', 'birth_date', 'since'])
ws.append(['RU-1', 'H1', 'Анна', 'Петрова', 'RU', 'RU', 'staff', datetime.date(1980, 1, 31), datetime.date(2020, 2, 29)])
ws.append(['RU-2', 'H1', 'Олег', 'Петров', 'RU', 'RU', 'staff', datetime.date(1904, 1, 1), datetime.date(1904, 1, 2)])
ws2 = wb.create_sheet('departures')
ws2.append(['id', 'route', 'departs', 'seats'])
ws2.append(['TRAIN-1', 'Pyongyang–Dandong', datetime.datetime(2021, 2, 25, 8, 30), 40])
wb.save(sys.argv[1])
`

// excelizeBook writes the same workbook as openpyxlBook with excelize.
func excelizeBook(t testing.TB, date1904 bool) []byte {
	t.Helper()
	f := excelize.NewFile()
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}); err != nil {
		t.Fatal(err)
	}
	f.SetSheetName("Sheet1", "people")
	f.NewSheet("departures")
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	rows := map[string][][]any{
		"people": {
			{"id", "household", "given_name", "family_name", "nationality", "mission", "category", "birth_date", "since"},
			{"RU-1", "H1", "Анна", "Петрова", "RU", "RU", "staff", day(1980, 1, 31), day(2020, 2, 29)},
			{"RU-2", "H1", "Олег", "Петров", "RU", "RU", "staff", day(1904, 1, 1), day(1904, 1, 2)},
		},
		"departures": {
			{"id", "route", "departs", "seats"},
			{"TRAIN-1", "Pyongyang–Dandong", time.Date(2021, 2, 25, 8, 30, 0, 0, time.UTC), 40},
		},
	}
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	timeStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 22})
	for sheet, rs := range rows {
		for i, r := range rs {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(sheet, cell, &r); err != nil {
				t.Fatal(err)
			}
		}
	}
	if date1904 {
		// excelize writes no date before its epoch's day 1 as a number;
		// Excel and openpyxl write 1904-01-01 as day 0.
		f.SetCellValue("people", "H3", 0)
	}
	f.SetCellStyle("people", "H2", "I3", dateStyle)
	f.SetCellStyle("departures", "C2", "C2", timeStyle)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A workbook in the 1904 date system (Excel for Mac) imports the dates its
// cells show, as one in the 1900 system does, whoever wrote it; the
// sheet with the kind's header is found when it is not the first.
func TestWorkbookDateSystems(t *testing.T) {
	books := map[string][]byte{}
	for _, epoch := range []string{"1900", "1904"} {
		books["excelize-"+epoch] = excelizeBook(t, epoch == "1904")
	}
	if !testing.Short() {
		py := pythonWithOpenpyxl(t)
		dir := t.TempDir()
		for _, epoch := range []string{"1900", "1904"} {
			p := filepath.Join(dir, epoch+".xlsx")
			if out, err := exec.Command(py, "-c", openpyxlBook, p, epoch).CombinedOutput(); err != nil {
				t.Fatalf("openpyxl: %v\n%s", err, out)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			books["openpyxl-"+epoch] = b
		}
	}
	pyongyang, _ := time.LoadLocation("Asia/Pyongyang")
	now := time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)
	for name, b := range books {
		t.Run(name, func(t *testing.T) {
			people := People(func(string) bool { return true }, time.UTC, now)
			ps, err := readAll(t, people, "staff.xlsx", string(b))
			if err != nil {
				t.Fatal(err, details(err))
			}
			if len(ps) != 2 || ps[0].BirthDate != "1980-01-31" || !ps[0].Since.Equal(time.Date(2020, 2, 29, 0, 0, 0, 0, time.UTC)) ||
				ps[1].BirthDate != "1904-01-01" || !ps[1].Since.Equal(time.Date(1904, 1, 2, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("people: got %+v", ps)
			}
			if len(ps) > 0 && ps[0].GivenName != "Анна" {
				t.Errorf("given name: got %q", ps[0].GivenName)
			}
			var notices []string
			rd, err := Open(Departures(pyongyang), bytes.NewReader(b), Options{File: "book.xlsx", Notice: func(s string) { notices = append(notices, s) }})
			if err != nil {
				t.Fatal(err)
			}
			var ds []outpost.Departure
			for d := range rd.Batch().Rows {
				ds = append(ds, d)
			}
			if err := rd.Err(); err != nil {
				t.Fatal(err)
			}
			want := time.Date(2021, 2, 25, 8, 30, 0, 0, pyongyang)
			if len(ds) != 1 || !ds[0].Departs.Equal(want) || ds[0].Seats != 40 {
				t.Errorf("departures: got %+v, want one leaving %v", ds, want)
			}
			if len(notices) != 1 || notices[0] != `book.xlsx: read the sheet "departures": the first sheet, "people", has no header of departures` {
				t.Errorf("notices: got %q", notices)
			}
		})
	}
}

// A workbook none of whose sheets holds the kind is refused with the first
// sheet's problems and the names of the sheets tried; an empty first sheet
// is passed over.
func TestWorkbookSheets(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Cover")
	f.NewSheet("Notes")
	f.SetCellValue("Cover", "A1", "Staff list, March")
	f.SetCellValue("Notes", "A1", "code")
	var buf bytes.Buffer
	f.Write(&buf)
	_, err := readAll(t, Missions(), "m.xlsx", buf.String())
	d := details(err)
	want := []string{
		`m.xlsx:1: staff list, march: unknown column; the columns of missions are code, name, country, kind, status, min_staff, status_since (got "Staff list, March")`,
		"m.xlsx:1: code: missing column (required)",
		"m.xlsx:1: name: missing column (required)",
		"m.xlsx:1: kind: missing column (required)",
		"m.xlsx:1: status: missing column (required)",
		`m.xlsx:1: no sheet has a header of missions (the problems above are the first sheet's); sheets tried: "Cover", "Notes"`,
	}
	if strings.Join(d, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(d, "\n"), strings.Join(want, "\n"))
	}

	g := excelize.NewFile()
	g.SetSheetName("Sheet1", "Empty")
	g.NewSheet("Data")
	g.SetSheetRow("Data", "A1", &[]any{"code", "name", "kind", "status"})
	g.SetSheetRow("Data", "A2", &[]any{"RU", "Embassy", "embassy", "open"})
	g.SetSheetRow("Data", "A4", &[]any{"SE", "", "embassy", "open"})
	buf.Reset()
	g.Write(&buf)
	var notices []string
	rd, err := Open(Missions(), bytes.NewReader(buf.Bytes()), Options{File: "m.xlsx", Notice: func(s string) { notices = append(notices, s) }})
	if err != nil {
		t.Fatal(err)
	}
	for range rd.Batch().Rows {
	}
	if d := details(rd.Err()); len(d) != 1 || d[0] != "m.xlsx:4: name: is required" {
		t.Errorf("the data sheet's rows keep their own numbers: got %q", d)
	}
	if len(notices) != 1 || !strings.Contains(notices[0], `read the sheet "Data"`) {
		t.Errorf("notices: got %q", notices)
	}
}

// Lines of bare commas, blank lines and white-space cells (Excel writes
// them for formatted but empty rows) are no rows; every problem keeps the
// file's own line.
func TestCSVBlankRecords(t *testing.T) {
	content := "code,name,kind,status\n" +
		"RU,Embassy,embassy,open\n" +
		",,,\n" +
		"\n" +
		"  , ,\t,\n" +
		"SE,,embassy,open\n" +
		",,\n" +
		"\" \",,,\n" +
		"CN,China,embassy,open\n" +
		",,,\n,,,\n,,,,,,,,\n"
	ms, err := readAll(t, Missions(), "m.csv", content)
	if d := details(err); len(d) != 1 || d[0] != "m.csv:6: name: is required" {
		t.Errorf("got %q (%v), want only the blank name on line 6", d, err)
	}
	good := strings.Replace(content, "SE,,", "SE,Sweden,", 1)
	ms, err = readAll(t, Missions(), "m.csv", good)
	if err != nil || len(ms) != 3 || ms[2].Code != "CN" {
		t.Errorf("got %+v, %v; want RU, SE and CN", ms, err)
	}
	// A row that is not blank still has to have every column.
	_, err = readAll(t, Missions(), "m.csv", "code,name,kind,status\n,,,\nRU,R\n")
	if d := details(err); len(d) != 1 || !strings.HasPrefix(d[0], "m.csv:3: wrong number of fields") {
		t.Errorf("got %q", d)
	}
}

// utf16Text encodes s as UTF-16, with or without a byte order mark.
func utf16Text(s string, big, bom bool) []byte {
	u := utf16.Encode([]rune(s))
	if bom {
		u = append([]uint16{0xFEFF}, u...)
	}
	out := make([]byte, 2*len(u))
	for i, c := range u {
		if big {
			binary.BigEndian.PutUint16(out[2*i:], c)
		} else {
			binary.LittleEndian.PutUint16(out[2*i:], c)
		}
	}
	return out
}

// Files as Excel writes them outside the English-speaking world: ';'
// between columns (with decimal commas and D.M.YYYY dates), tabs, UTF-16
// with or without a byte order mark. Each is read as its comma-separated
// UTF-8 twin is, and a problem keeps its line.
func TestCSVSeparatorsAndEncodings(t *testing.T) {
	now := time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)
	people := People(func(string) bool { return true }, time.UTC, now)
	const comma = "id,household,given_name,family_name,nationality,mission,category,birth_date,passport\n" +
		"RU-1,H1,Анна,\"Петрова, А.\",RU,RU,staff,1980-01-31,\"P;1\"\n" +
		"RU-2,H1,Иван,Петров,RU,RU,staff,,\n"
	const semi = "id;household;given_name;family_name;nationality;mission;category;birth_date;passport\n" +
		"RU-1;H1;Анна;\"Петрова, А.\";RU;RU;staff;31.01.1980;\"P;1\"\n" +
		"RU-2;H1;Иван;Петров;RU;RU;staff;;\n"
	const tab = "id\thousehold\tgiven_name\tfamily_name\tnationality\tmission\tcategory\tbirth_date\tpassport\n" +
		"RU-1\tH1\tАнна\tПетрова, А.\tRU\tRU\tstaff\t1980-01-31\tP;1\n" +
		"RU-2\tH1\tИван\tПетров\tRU\tRU\tstaff\t\t\n"
	cases := map[string][]byte{
		"comma":              []byte(comma),
		"utf-8 bom":          []byte("\ufeff" + comma),
		"semicolon":          []byte(semi),
		"semicolon crlf":     []byte(strings.ReplaceAll(semi, "\n", "\r\n")),
		"tab":                []byte(tab),
		"utf-16le bom tab":   utf16Text(strings.ReplaceAll(tab, "\n", "\r\n"), false, true),
		"utf-16be bom":       utf16Text(comma, true, true),
		"utf-16le no bom":    utf16Text(semi, false, false),
		"utf-16be no bom":    utf16Text(tab, true, false),
		"utf-16le bom comma": utf16Text(comma, false, true),
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			ps, err := readAll(t, people, "p.csv", string(b))
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != 2 || ps[0].GivenName != "Анна" || ps[0].FamilyName != "Петрова, А." || ps[0].BirthDate != "1980-01-31" ||
				ps[0].Passport != "P;1" || ps[1].FamilyName != "Петров" || ps[1].Line != 3 {
				t.Errorf("got %+v", ps)
			}
			bad := bytes.Replace(b, []byte("staff"), []byte("chef"), 1)
			if bytes.Equal(bad, b) { // UTF-16: replace the encoded word
				for _, big := range []bool{false, true} {
					bad = bytes.Replace(b, utf16Text("staff", big, false), utf16Text("chef", big, false), 1)
					if !bytes.Equal(bad, b) {
						break
					}
				}
			}
			_, err = readAll(t, people, "p.csv", string(bad))
			if d := details(err); len(d) != 1 || !strings.HasPrefix(d[0], `p.csv:2: category: must be one of`) {
				t.Errorf("got %q, want the category on line 2", d)
			}
		})
	}
}

// Decimal commas and D.M.YYYY dates are read in a ';'-separated file only,
// where Excel writes them; in a comma-separated file 1,5 stays wrong.
func TestLocalFormats(t *testing.T) {
	yes := func(string) bool { return true }
	rs, err := readAll(t, Stock(yes, yes), "s.csv", "mission;item;lot;quantity;received;expires\nRU;RICE;L1;12,5;1.3.2021;28.02.2022\nRU;RICE;L2;3;2021-03-02;\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].Quantity != 12.5 || rs[0].Received != "2021-03-01" || rs[0].Expires != "2022-02-28" || rs[1].Quantity != 3 {
		t.Errorf("got %+v", rs)
	}
	_, err = readAll(t, Stock(yes, yes), "s.csv", "mission;item;lot;quantity;received\nRU;RICE;L1;1,500,0;31.02.2021\n")
	d := details(err)
	if len(d) != 2 || d[0] != `s.csv:2: quantity: must be a decimal number with a dot, not a comma, before the decimals (got "1,500,0")` ||
		!strings.HasPrefix(d[1], `s.csv:2: received: `) || !strings.HasSuffix(d[1], `(got "31.02.2021")`) {
		t.Errorf("got %q", d)
	}
	_, err = readAll(t, Stock(yes, yes), "s.csv", "mission,item,lot,quantity,received\nRU,RICE,L1,\"12,5\",1.3.2021\n")
	if d := details(err); len(d) != 2 {
		t.Errorf("a comma-separated file reads no local formats: got %q", d)
	}
	loc, _ := time.LoadLocation("Asia/Pyongyang")
	ds, err := readAll(t, Departures(loc), "d.csv", "id;route;departs;seats\nT1;x;25.02.2021 8:05;4\nT2;x;25.02.2021 18:05:30;4\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || !ds[0].Departs.Equal(time.Date(2021, 2, 25, 8, 5, 0, 0, loc)) || !ds[1].Departs.Equal(time.Date(2021, 2, 25, 18, 5, 30, 0, loc)) {
		t.Errorf("got %+v", ds)
	}
}

// A header that still does not match says how it was read; a UTF-16 file
// with a broken character is refused naming UTF-16; a Windows-1251 file
// keeps its message.
func TestEncodingAndSeparatorMessages(t *testing.T) {
	cases := []struct {
		name    string
		content []byte
		want    string
	}{
		{"semicolon, wrong column", []byte("code;name;kind;status;colour\nRU;R;embassy;open;red\n"),
			"m.csv:1: the header was read as columns separated by ';'"},
		{"pipes", []byte("code|name|kind|status\nRU|R|embassy|open\n"),
			"m.csv:1: the header is one column: it was read as columns separated by commas, and only commas, ';' and tabs separate columns"},
		{"utf-16, wrong column", utf16Text("code\tname\tkind\tstatus\tcolour\r\n", false, true),
			"m.csv:1: the header was read as UTF-16LE text, columns separated by tabs"},
		{"utf-16, broken character", slices.Concat(utf16Text("code,name,kind,status\nRU,R", false, true), []byte{0x00, 0xD8}, utf16Text(",embassy,open\n", false, false)),
			"m.csv:2: name: not UTF-16 text (a broken character): save the file as UTF-8 or UTF-16 again (got \"R\ufffd\")"},
		{"an xls workbook", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"),
			"m.csv:1: an Excel 97-2003 workbook (.xls), not CSV text: save it as .xlsx or as CSV UTF-8"},
		{"an xlsx workbook named .csv", excelizeBook(t, false),
			"m.csv:1: a zip archive (an .xlsx or .ods workbook?), not CSV text: name an .xlsx workbook with its .xlsx extension, or save the sheet as CSV UTF-8"},
		{"windows-1251", []byte("code,name,kind,status\nRU,\xcf\xee\xf1\xee\xeb\xfc\xf1\xf2\xe2\xee,embassy,open\n"),
			`m.csv:2: name: not UTF-8 text: save the file as UTF-8 (got "?")`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := readAll(t, Missions(), "m.csv", string(c.content))
			d := details(err)
			found := false
			for _, l := range d {
				found = found || l == c.want
			}
			if !found {
				t.Errorf("got\n%s\nwant a line\n%s", strings.Join(d, "\n"), c.want)
			}
		})
	}
	// A comma-separated file whose header is wrong gets no hint: the
	// problems say it all.
	_, err := readAll(t, Missions(), "m.csv", "code,name,kind,status,colour\n")
	if d := details(err); len(d) != 1 {
		t.Errorf("got %q", d)
	}
}

// Whatever separator, encoding and blank records a file of missions is
// saved with, it reads as the same missions, and a problem is reported on
// the line the row has in the file.
func TestFileVariantsReadAlike(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		name := rapid.StringOfN(rapid.RuneFrom([]rune("Aaz Ж;,\"'.-")), 1, 12, -1).Filter(func(s string) bool { return strings.TrimSpace(s) != "" })
		ms := rapid.SliceOfNDistinct(rapid.StringMatching(`[A-Z]{2,4}`), 1, 8, func(s string) string { return s }).Draw(t, "codes")
		sep := rapid.SampledFrom([]rune{',', ';', '\t'}).Draw(t, "sep")
		enc := rapid.SampledFrom([]string{"utf-8", "utf-8 bom", "utf-16le bom", "utf-16be bom", "utf-16le", "utf-16be"}).Draw(t, "encoding")
		crlf := rapid.Bool().Draw(t, "crlf")
		bad := rapid.IntRange(-1, len(ms)-1).Draw(t, "bad row")
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Comma, w.UseCRLF = sep, crlf
		w.Write([]string{"code", "name", "kind", "status"})
		w.Flush()
		line, badLine := 2, 0
		names := make([]string, len(ms))
		for i, code := range ms {
			for range rapid.IntRange(0, 2).Draw(t, "blanks") {
				blank := rapid.SampledFrom([]string{"", ",,,", " ", ",", ",,,,,,", "\t", "\" \",,,"}).Draw(t, "blank")
				if sep != ',' {
					blank = strings.ReplaceAll(blank, ",", string(sep))
				}
				buf.WriteString(blank)
				if crlf {
					buf.WriteString("\r")
				}
				buf.WriteString("\n")
				line++
			}
			names[i] = name.Draw(t, "name")
			kind := "embassy"
			if i == bad {
				kind, badLine = "palace", line
			}
			w.Write([]string{code, names[i], kind, "open"})
			w.Flush()
			line += 1 + strings.Count(names[i], "\n")
		}
		b := buf.Bytes()
		switch enc {
		case "utf-8 bom":
			b = append([]byte("\ufeff"), b...)
		case "utf-16le bom", "utf-16be bom", "utf-16le", "utf-16be":
			b = utf16Text(string(b), strings.Contains(enc, "be"), strings.HasSuffix(enc, "bom"))
		}
		var got []outpost.Mission
		rd, err := Open(Missions(), bytes.NewReader(b), Options{File: "m.csv"})
		if err == nil {
			for m := range rd.Batch().Rows {
				got = append(got, m)
			}
			err = rd.Err()
		}
		if bad >= 0 {
			d := details(err)
			if len(d) != 1 || !strings.HasPrefix(d[0], fmt.Sprintf("m.csv:%d: kind: must be one of", badLine)) {
				t.Fatalf("got %q, want the kind on line %d\n%q", d, badLine, b)
			}
			return
		}
		if err != nil {
			t.Fatalf("%v %q\n%q", err, details(err), b)
		}
		if len(got) != len(ms) {
			t.Fatalf("got %d missions, want %d", len(got), len(ms))
		}
		for i, m := range got {
			if m.Code != ms[i] || m.Name != strings.TrimSpace(names[i]) {
				t.Fatalf("row %d: got %q %q, want %q %q", i, m.Code, m.Name, ms[i], names[i])
			}
		}
	})
}

// A whole-number column never reads a thousands separator or decimals as
// something else (1,000 was once read as 1 in a ';'-separated file), and a
// decimal column in a ';'-separated file refuses 2,500, which means 2.5 to
// one program and 2500 to another, saying how to write either.
func TestGroupedNumbersRefused(t *testing.T) {
	loc := time.UTC
	for _, tc := range []struct{ file, want string }{
		{"id;route;departs;seats\nT1;x;25.02.2021 8:05;1,000\n", `d.csv:2: seats: must be a whole number, written with digits only, without a thousands separator or decimals (got "1,000")`},
		{"id;route;departs;seats\nT1;x;25.02.2021 8:05;1.000\n", `d.csv:2: seats: must be a whole number, written with digits only, without a thousands separator or decimals (got "1.000")`},
		{"id,route,departs,seats\nT1,x,2021-02-25T08:05,\"1,000\"\n", `d.csv:2: seats: must be a whole number, written with digits only, without a thousands separator or decimals (got "1,000")`},
		{"id,route,departs,seats\nT1,x,2021-02-25T08:05,1.5\n", `d.csv:2: seats: must be a whole number, written with digits only, without a thousands separator or decimals (got "1.5")`},
		{"id;route;departs;seats\nT1;x;25.02.2021 8:05;3,0\n", `d.csv:2: seats: must be a whole number, written with digits only, without a thousands separator or decimals (got "3,0")`},
	} {
		_, err := readAll(t, Departures(loc), "d.csv", tc.file)
		if d := details(err); len(d) != 1 || d[0] != tc.want {
			t.Errorf("%q: got %q, want %q", tc.file, d, tc.want)
		}
	}
	ds, err := readAll(t, Departures(loc), "d.csv", "id;route;departs;seats\nT1;x;25.02.2021 8:05;1000\nT2;x;25.02.2021 8:05;3.0\n")
	if err != nil || len(ds) != 2 || ds[0].Seats != 1000 || ds[1].Seats != 3 {
		t.Errorf("got %+v, %v", ds, err)
	}

	yes := func(string) bool { return true }
	stock := func(q string) string { return "mission;item;lot;quantity;received\nRU;RICE;L1;" + q + ";1.3.2021\n" }
	for q, want := range map[string]string{
		"2,500":  `s.csv:2: quantity: is ambiguous: it may be a decimal or a number with a thousands separator; write 2500 for the whole number or 2,5 for the decimal (got "2,500")`,
		"12,345": `s.csv:2: quantity: is ambiguous: it may be a decimal or a number with a thousands separator; write 12345 for the whole number or 12,3450 for the decimal (got "12,345")`,
		"1.000":  `s.csv:2: quantity: is ambiguous: it may be a decimal or a number with a thousands separator; write 1000 for the whole number or 1,0 for the decimal (got "1.000")`,
	} {
		_, err := readAll(t, Stock(yes, yes), "s.csv", stock(q))
		if d := details(err); len(d) != 1 || d[0] != want {
			t.Errorf("%s: got %q, want %q", q, d, want)
		}
	}
	for q, want := range map[string]float64{"2,5": 2.5, "2500": 2500, "0,500": 0.5, "2,5000": 2.5, "1234,567": 1234.567, "0,25": 0.25} {
		rs, err := readAll(t, Stock(yes, yes), "s.csv", stock(q))
		if err != nil || len(rs) != 1 || rs[0].Quantity != want {
			t.Errorf("%s: got %+v, %v; want %v", q, rs, err, want)
		}
	}
}
