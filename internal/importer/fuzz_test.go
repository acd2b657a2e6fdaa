package importer

import (
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
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
	)
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
