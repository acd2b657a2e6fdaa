package outpost

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"pgregory.net/rapid"
)

func TestIDPattern(t *testing.T) {
	good := []string{
		// the demo scenario's and the conformance kit's ids
		"RU-0001", "RU-H01", "L20200118", "FLIGHT-20200309", "R-20200122", "TRAIN-01", "PAST-00",
		"UNICEF-00012", "ICRC-H003", "L1", "R-1", "SE/RU/L1"[:2], "a.b_c-d", strings.Repeat("x", 64),
	}
	bad := []string{
		"", "RU/../../x", "RU-7006?x=1#y", "../x", ".hidden", "-x", "_x", "a b", "a\x00b", "Ω",
		"a/b", `a\b`, "a%2Fb", "a:b", strings.Repeat("x", 65), "RU-0001\n",
	}
	for _, s := range good {
		if !IsID(s) {
			t.Errorf("IsID(%q) = false, want true", s)
		}
	}
	for _, s := range bad {
		if IsID(s) {
			t.Errorf("IsID(%q) = true, want false", s)
		}
	}
}

// Every id of the demo scenario is an id.
func TestScenarioIDsAreIDs(t *testing.T) {
	dir := filepath.Join("..", "..", "scenarios", "pyongyang-2021")
	for file, cols := range map[string][]string{
		"people.csv": {"id", "household"}, "stock.csv": {"lot"}, "departures.csv": {"id"}, "restrictions.csv": {"id"},
	} {
		f, err := os.Open(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cols {
			i := slices.Index(rows[0], c)
			for n, r := range rows[1:] {
				if !IsID(r[i]) {
					t.Errorf("%s:%d: %s %q is not an id", file, n+2, c, r[i])
				}
			}
		}
	}
}

func TestDateWindow(t *testing.T) {
	for _, s := range []string{"1900-01-01", "2021-02-25", "2100-12-31", "2000-02-29"} {
		if _, err := ParseDate(s); err != nil {
			t.Errorf("ParseDate(%q): %v", s, err)
		}
	}
	for _, s := range []string{"1899-12-31", "2101-01-01", "9999-12-31", "0001-01-01", "0000-01-01", "10000-01-01"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) accepted a date outside the window", s)
		}
	}
	for _, s := range []string{"9999-12-31T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31", "1899-06-01T10:00"} {
		if _, err := ParseTime(s, time.UTC); err == nil {
			t.Errorf("ParseTime(%q) accepted a time outside the window", s)
		}
	}
	reg := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	now := time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{reg, ""},
		{now.Add(MaxFuture), ""},
		{reg.Add(-time.Second), "before the person was registered"},
		{now.Add(MaxFuture + time.Second), "in the future"},
		{time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), "outside the years"},
		{time.Time{}, "outside the years"},
	} {
		if got := CheckEventTime(tc.at, reg, now); (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("CheckEventTime(%v): got %q, want %q", tc.at, got, tc.want)
		}
	}
	if got := CheckDateRange("2021-01-01", "2032-01-01"); got == "" {
		t.Errorf("a range of more than %d days was accepted", MaxRangeDays)
	}
	if got := CheckDateRange("2021-01-02", "2021-01-01"); got == "" {
		t.Error("a range ending before it starts was accepted")
	}
}

func TestQuantityBounds(t *testing.T) {
	for _, q := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e308, MaxQuantity * (1 + 1e-15), 0, -1, math.SmallestNonzeroFloat64 * -1} {
		if CheckQuantity(q) == "" {
			t.Errorf("CheckQuantity(%v) accepted it", q)
		}
	}
	for _, q := range []float64{1e-6, 1, MaxQuantity} {
		if msg := CheckQuantity(q); msg != "" {
			t.Errorf("CheckQuantity(%v): %s", q, msg)
		}
	}
	if CheckRate(0) != "" || CheckRate(math.NaN()) == "" || CheckRate(math.Inf(1)) == "" {
		t.Error("CheckRate: want 0 accepted, NaN and +Inf refused")
	}
}

func TestTextBounds(t *testing.T) {
	for _, tc := range []struct {
		s         string
		line, txt bool // accepted as one line, as text
	}{
		{"Anna", true, true},
		{"Ёлкина-Müller", true, true},
		{"", true, true},
		{"a\x00b", false, false},
		{"a\x1b[2Jb", false, false},
		{"a\u0085b", false, false},
		{"a\u2028b", false, false},
		{"a\nb", false, true},
		{"a\r\n\tb", false, true},
		{"\xff", false, false},
		{strings.Repeat("é", 200), true, true},
		{strings.Repeat("é", 201), false, false},
	} {
		if got := CheckLine(tc.s, 200) == ""; got != tc.line {
			t.Errorf("CheckLine(%q) accepted = %v, want %v", Clip(tc.s), got, tc.line)
		}
		if got := CheckText(tc.s, 200) == ""; got != tc.txt {
			t.Errorf("CheckText(%q) accepted = %v, want %v", Clip(tc.s), got, tc.txt)
		}
	}
	huge := strings.Repeat("x", 100<<20)
	p := (&Person{ID: "RU-1", Household: "RU-H1", GivenName: huge, FamilyName: "P\x00", Nationality: "RU",
		Mission: "RU", Category: Staff, Status: InCountry}).Validate()
	if len(p) != 2 || p[0].Field != "given_name" || p[1].Field != "family_name" || len(p[0].Got) > 50 {
		t.Errorf("a 100 MB given name and a NUL in the family name: got %+v", p)
	}
}

// Every date of the window round-trips through its day number, and day
// numbers count days.
func TestDayNumberRoundTrips(t *testing.T) {
	first, last := FirstDate.Day(), LastDate.Day()
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(first, last).Draw(t, "day")
		d := DateOfDay(n)
		if !d.InWindow() {
			t.Fatalf("day %d gave %q, outside the window", n, d)
		}
		if _, err := ParseDate(string(d)); err != nil {
			t.Fatalf("day %d gave %q: %v", n, d, err)
		}
		if d.Day() != n {
			t.Fatalf("%q: day %d, want %d", d, d.Day(), n)
		}
		if d.AddDays(1).Day() != n+1 || d.AddDays(1).DaysSince(d) != 1 {
			t.Fatalf("%q: the next day is not one day later", d)
		}
	})
	if got := LastDate.Day() - FirstDate.Day() + 1; got != 73414 {
		t.Errorf("the window holds %d days, want 73414", got)
	}
	if Date("0001-01-01").Day() != 1 || Date("1970-01-01").Day() != 719163 || Date("2021-02-30").Day() != 0 {
		t.Error("day numbers do not follow supply.Date's (0001-01-01 = 1)")
	}
}

// The bounds checks never panic, never accept a control character in one
// line, and whatever ParseDate accepts is in the window and round-trips.
func FuzzBounds(f *testing.F) {
	for _, s := range []string{"RU-0001", "RU/../../x", "RU-7006?x=1#y", "9999-12-31", "0001-01-01", "10000-01-01",
		"2100-12-31", "1900-01-01", "a\x00b", "a\nb", "\xff\xfe", "1e308", "NaN", "Inf"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if IsID(s) && strings.ContainsAny(s, "/?#%\\ \x00") {
			t.Fatalf("IsID(%q) accepted a separator", s)
		}
		if CheckLine(s, 1000) == "" && strings.IndexFunc(s, unicode.IsControl) >= 0 {
			t.Fatalf("CheckLine(%q) accepted a control character", s)
		}
		if d, err := ParseDate(s); err == nil {
			if !d.InWindow() || DateOfDay(d.Day()) != d {
				t.Fatalf("ParseDate(%q) = %q: outside the window or does not round-trip", s, d)
			}
		}
		if tm, err := ParseTime(s, time.UTC); err == nil && !TimeInWindow(tm) {
			t.Fatalf("ParseTime(%q) = %v, outside the window", s, tm)
		}
	})
}

func TestPeopleFilterCheck(t *testing.T) {
	long := strings.Repeat("x", 65_536)
	for _, tc := range []struct {
		name  string
		f     PeopleFilter
		field string // "" when the filter is fine
	}{
		{"empty", PeopleFilter{}, ""},
		{"a name and a cursor", PeopleFilter{Query: "Kozlov", After: "RU-0007", Mission: "RU"}, ""},
		{"a search SQLite cannot take", PeopleFilter{Query: long}, "q"},
		{"NUL in the search", PeopleFilter{Query: "a\x00"}, "q"},
		{"NUL in the cursor", PeopleFilter{After: "\x00"}, "after"},
		{"a path for a cursor", PeopleFilter{After: "RU/../../x"}, "after"},
		{"a mission that is no code", PeopleFilter{Mission: "RU?x=1"}, "mission"},
	} {
		err := tc.f.Check()
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if ErrorCode(err) != EINVALID || !strings.HasPrefix(err.Error(), tc.field+":") {
			t.Errorf("%s: got %v, want an invalid error naming %s", tc.name, err, tc.field)
		}
		if len(err.Error()) > 300 {
			t.Errorf("%s: the message quotes the whole value (%d bytes)", tc.name, len(err.Error()))
		}
	}
}
