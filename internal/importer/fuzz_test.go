package importer

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/xuri/excelize/v2"
)

// The readers must never panic, and every problem they report must be
// located in the file.
func fuzzKind(f *testing.F, format Format, seeds ...string) {
	for _, s := range seeds {
		f.Add(s)
	}
	kind := People(func(c string) bool { return c == "RU" }, time.UTC, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	f.Fuzz(func(t *testing.T, content string) {
		rd, err := Open(kind, strings.NewReader(content), Options{File: "f", Format: format})
		if err == nil {
			n := 0
			for p := range rd.Batch().Rows {
				n++
				if p.ID == "" || !outpost.IsCountry(p.Nationality) || p.Medical < 0 || p.Medical > 3 {
					t.Fatalf("an invalid row was yielded: %+v", p)
				}
				if p.Documents != nil && len(p.Documents.Validate()) > 0 {
					t.Fatalf("invalid exit documents were yielded: %+v", *p.Documents)
				}
			}
			err = rd.Err()
		}
		for _, d := range details(err) {
			if !strings.HasPrefix(d, "f:") {
				t.Fatalf("problem not located: %q", d)
			}
		}
	})
}

func FuzzCSV(f *testing.F) {
	fuzzKind(f, CSV,
		"id,household,given_name,family_name,nationality,mission,category\nA,H,x,y,RU,RU,staff\n",
		"id,household\n\"a\"b,c\n",
		"\ufeffid,household,given_name,family_name,nationality,mission,category,birth_date\nA,H,x,y,RU,RU,staff,2020-02-30\n",
		"",
		"id,household,given_name,family_name,nationality,mission,category,birth_date,since\nRU/../../x,H,x\x00,y\n,RU,RU,staff,9999-12-31,0001-01-01\n",
		"id,household,given_name,family_name,nationality,mission,category,passport\nRU-7006?x=1#y,H,x,y,RU,RU,staff,\"a\nb\"\n",
		// Blank records, ';' and tab separators, local formats, UTF-16.
		"id,household,given_name,family_name,nationality,mission,category\n,,,,,,\n\n  ,\t,\nA,H,x,y,RU,RU,staff\n,,\n\" \",,,,,,\n",
		"id;household;given_name;family_name;nationality;mission;category;birth_date;medical\nA;H;x;\"y;z\";RU;RU;staff;31.01.1980;1,0\n;;;;;;;;\n",
		"id\thousehold\tgiven_name\tfamily_name\tnationality\tmission\tcategory\nA\tH\tx\ty\tRU\tRU\tstaff\n",
		"\xff\xfei\x00d\x00;\x00h\x00\n\x00A\x00;\x00\x00\xd8\n\x00",
		"\xfe\xff\x00i\x00d\x00\t\x00h\x00\n",
		"i\x00d\x00,\x00h\x00o\x00\n\x00",
		"\x00i\x00d\x00,\x00h\x00o",
		"id;household\r\n\"a;b\";\"c\"\"d\"\r\n",
		"\"id,x\";household\n",
		"id,household,given_name,family_name,nationality,mission,category\n\xcf\xee,H,x,y,RU,RU,staff\n",
		// Thousands separators in a whole-number column, in both kinds of file.
		"id;household;given_name;family_name;nationality;mission;category;medical\nA;H;x;y;RU;RU;staff;1,000\nB;H;x;y;RU;RU;staff;1.000\nC;H;x;y;RU;RU;staff;3.0\n",
		"id,household,given_name,family_name,nationality,mission,category,medical\nA,H,x,y,RU,RU,staff,\"1,000\"\nB,H,x,y,RU,RU,staff,1.000\nC,H,x,y,RU,RU,staff,+2\n",
		// Exit documents: good, then the bad cases the checks refuse.
		"id,household,given_name,family_name,nationality,mission,category,sex,passport_expiry,permit_status,permit_number,permit_from,permit_to,permit_authority,quarantine_until,staying\n"+
			"A,H,x,y,RU,RU,staff,F,2024-05-31,granted,KP-1,2021-02-20,2021-03-20,MFA,2021-02-27,false\n"+
			"B,H,x,y,RU,RU,staff,m,2021-02-30,grantd,,,,,,maybe\n"+
			"C,H,x,y,RU,RU,staff,,,granted,,2021-03-20,2021-02-20,,,\n"+
			"D,H,x,y,RU,RU,staff,X,,,KP-2,,,,9999-01-01,yes\n",
		"id;household;given_name;family_name;nationality;mission;category;permit_status;permit_from;permit_to\nA;H;x;y;RU;RU;staff;granted;20.02.2021;1.3.2021\n",
	)
}

// emptyFirstSheet is a workbook whose first sheet is empty and whose
// second holds people, with a date.
func emptyFirstSheet(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	f.NewSheet("Data")
	f.SetSheetRow("Data", "A1", &[]any{"id", "household", "given_name", "family_name", "nationality", "mission", "category", "birth_date"})
	f.SetSheetRow("Data", "A2", &[]any{"A", "H", "x", "y", "RU", "RU", "staff", 29251})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A date or number as Excel writes it where the comma is the decimal sign
// is rewritten only into the form the usual parser reads, and then means
// what it meant.
func FuzzLocalFormats(f *testing.F) {
	for _, s := range []string{"31.01.1980", "1.3.2021", "25.02.2021 8:05", "25.02.2021 18:05:30", "12,5", "-0,25", "1,500,0", ",5", "5,",
		"31.02.2021", "1.1.21", "01.01.2021 24:00", "1.1.2021  8:00", "2021-01-31", "1.5", "１２,５",
		"1,000", "1.000", "2,500", "-2,500", "0,500", "12,345", "1234,567", "2,5000", "3.0", "3,0", "+1", "1e3", "0x10", "1_000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, local := range []bool{false, true} {
			r := &Row{line: 2, values: []string{s}, idx: map[string]int{"n": 0}, local: local}
			v := strings.TrimSpace(s)
			n := r.Int("n", math.MinInt32, math.MaxInt32, 0)
			if len(r.problems) == 0 && v != "" {
				// A whole number is digits and a sign, or a single ".0"
				// after them; it is never read from a grouped form.
				if want, err := strconv.Atoi(strings.TrimSuffix(v, ".0")); err != nil || want != n || strings.Contains(v, ",") ||
					strings.Count(v, ".") > 1 || (strings.Contains(v, ".") && !strings.HasSuffix(v, ".0")) {
					t.Fatalf("Int(%q) in a local=%v file = %d, accepted", s, local, n)
				}
			}
			r.problems = nil
			f, ok := r.Decimal("n")
			if _, _, amb := ambiguousGrouping(v); amb && local && ok {
				t.Fatalf("Decimal(%q) = %v: the ambiguous 1,000 form was read in a ';'-separated file", s, f)
			}
			if ok && strings.Contains(v, ",") && !local {
				t.Fatalf("Decimal(%q) = %v: a comma was read in a comma-separated file", s, f)
			}
			for _, p := range r.problems {
				if p.line != 2 || p.column != "n" || p.got != v {
					t.Fatalf("Decimal(%q): problem not located: %+v", s, p)
				}
			}
		}
		if n := localNumber(s); n != s {
			if strings.Count(s, ",") != 1 || strings.Replace(s, ",", ".", 1) != n {
				t.Fatalf("localNumber(%q) = %q: only the one decimal comma may change", s, n)
			}
			if _, err := strconv.ParseFloat(n, 64); err != nil {
				t.Fatalf("localNumber(%q) = %q, which is not a number", s, n)
			}
		}
		d := localDate(s)
		if d == s {
			return
		}
		if len(d) < 10 || d[4] != '-' || d[7] != '-' || (len(d) > 10 && d[10] != 'T') {
			t.Fatalf("localDate(%q) = %q: not YYYY-MM-DD[THH:MM[:SS]]", s, d)
		}
		if date, err := outpost.ParseDate(d[:10]); err == nil {
			parts := strings.Split(strings.Fields(s)[0], ".")
			if day, _ := strconv.Atoi(parts[0]); day != date.Start(time.UTC).Day() {
				t.Fatalf("localDate(%q) = %q: the day moved", s, d)
			}
		}
	})
}

func FuzzJSON(f *testing.F) {
	fuzzKind(f, JSON,
		`[{"id":"A","household":"H","given_name":"x","family_name":"y","nationality":"RU","mission":"RU","category":"staff","medical":2}]`,
		`[{"id":1}, 2, "x"]`,
		`{"id":"A"}`,
		`[`,
	)
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2021-04-01", "2020-02-29", "2021-02-29", "2021-4-1", "0000-00-00", "2021-04-01x", "9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := outpost.ParseDate(s)
		if err != nil {
			return
		}
		if string(d) != s || outpost.DateOf(d.Start(time.UTC)) != d {
			t.Fatalf("%q parsed as %q, which does not round-trip", s, d)
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2021-02-25T08:00:00+09:00", "2021-02-25T08:00", "2021-02-25", "2021-02-25 08:00", "x", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2100-12-31T23:59:59-12:00"} {
		f.Add(s)
	}
	loc, _ := time.LoadLocation("Asia/Pyongyang")
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := outpost.ParseTime(s, loc)
		if err == nil && tm.Nanosecond() != 0 {
			t.Fatalf("%q: times are kept to the second, got %v", s, tm)
		}
		if err == nil && !outpost.TimeInWindow(tm) {
			t.Fatalf("%q: %v is outside the window", s, tm)
		}
	})
}

func FuzzCodes(f *testing.F) {
	for _, s := range []string{"RU", "ru", "XK", "CH-COOP", "a b", "Ω"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if outpost.IsCountry(s) && (len(s) != 2 || strings.ToUpper(s) != s) {
			t.Fatalf("IsCountry(%q) accepted a non alpha-2 code", s)
		}
		if outpost.IsCode(s) && strings.ContainsAny(s, " ,;\"'") {
			t.Fatalf("IsCode(%q) accepted a separator", s)
		}
	})
}
