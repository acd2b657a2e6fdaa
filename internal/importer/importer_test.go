package importer

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/xuri/excelize/v2"
)

func readAll[T any](t *testing.T, kind Kind[T], name, content string) ([]T, error) {
	t.Helper()
	rd, err := Open(kind, strings.NewReader(content), Options{File: name})
	if err != nil {
		return nil, err
	}
	var out []T
	for v := range rd.Batch().Rows {
		out = append(out, v)
	}
	return out, rd.Err()
}

func details(err error) []string {
	var oe *outpost.Error
	if errors.As(err, &oe) {
		return oe.Details
	}
	return nil
}

func TestMissionsCSV(t *testing.T) {
	ms, err := readAll(t, Missions(), "m.csv", "status,code,kind,name,min_staff\nopen,RU,embassy,\"Embassy, Russia\",3\nclosed,SE,embassy,Sweden,\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []outpost.Mission{
		{Code: "RU", Name: "Embassy, Russia", Kind: "embassy", Status: "open", MinStaff: 3},
		{Code: "SE", Name: "Sweden", Kind: "embassy", Status: "closed"},
	}
	if len(ms) != 2 || ms[0] != want[0] || ms[1] != want[1] {
		t.Errorf("got %+v, want %+v", ms, want)
	}
}

func TestPeopleDefaultsAndTimeZone(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Pyongyang")
	now := time.Date(2021, 1, 5, 10, 0, 0, 0, time.UTC)
	kind := People(func(c string) bool { return c == "RU" }, loc, now)
	ps, err := readAll(t, kind, "p.csv", "id,household,given_name,family_name,nationality,mission,category,since\nA,H,x,y,RU,RU,staff,2021-01-01\nB,H,x,y,RU,RU,staff,\n")
	if err != nil {
		t.Fatal(err)
	}
	if ps[0].Status != outpost.InCountry || !ps[0].SinceGiven || !ps[0].Since.Equal(time.Date(2020, 12, 31, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("since 2021-01-01 in Pyongyang: got %+v", ps[0])
	}
	if ps[1].SinceGiven || !ps[1].Since.Equal(now) {
		t.Errorf("no since: got %v (given %v), want the import time", ps[1].Since, ps[1].SinceGiven)
	}
	if ps[0].Line != 2 || ps[1].Line != 3 {
		t.Errorf("lines: got %d, %d; want 2, 3", ps[0].Line, ps[1].Line)
	}
}

func TestMultilineFieldKeepsPhysicalLines(t *testing.T) {
	// A note may run over lines; names may not (see TestBoundsAreLocated).
	_, err := readAll(t, Restrictions(), "r.csv", "id,kind,starts,note\nR-1,lockdown,2021-01-01,\"Stay\nat home\"\nR-2,shut,2021-01-01,\n")
	d := details(err)
	if len(d) != 1 || !strings.HasPrefix(d[0], "r.csv:4: kind:") {
		t.Errorf("got %q, want the problem on physical line 4", d)
	}
}

func TestAtMostFiftyProblemsThenACount(t *testing.T) {
	var b strings.Builder
	b.WriteString("code,name,kind,status\n")
	for i := 0; i < 70; i++ {
		b.WriteString("RU!,x,embassy,open\n")
	}
	_, err := readAll(t, Missions(), "m.csv", b.String())
	var oe *outpost.Error
	if !errors.As(err, &oe) {
		t.Fatalf("got %v", err)
	}
	if len(oe.Details) != MaxShown || oe.More != 20 {
		t.Errorf("got %d shown and %d more, want %d and 20", len(oe.Details), oe.More, MaxShown)
	}
	if !strings.Contains(oe.Message, "70 problems") {
		t.Errorf("message %q does not count 70 problems", oe.Message)
	}
}

func TestBatchStopsYieldingAtFirstProblem(t *testing.T) {
	rd, err := Open(Missions(), strings.NewReader("code,name,kind,status\nRU,R,embassy,open\nSE,S,embassy,bad\nCN,C,embassy,open\nXX,X,bogus,open\n"), Options{File: "m.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for m := range rd.Batch().Rows {
		got = append(got, m.Code)
	}
	if len(got) != 1 || got[0] != "RU" {
		t.Errorf("yielded %v, want only RU (before the first problem)", got)
	}
	if rd.Problems() != 2 || rd.Rows() != 4 {
		t.Errorf("got %d problems in %d rows, want 2 in 4: the whole file is still read", rd.Problems(), rd.Rows())
	}
}

func TestXLSX(t *testing.T) {
	f := excelize.NewFile()
	sh := f.GetSheetName(0)
	rows := [][]any{
		{"id", "household", "given_name", "family_name", "nationality", "mission", "category", "birth_date", "medical"},
		{"RU-1", "H1", "Anna", "Petrova", "RU", "RU", "dependent", time.Date(2017, 10, 14, 0, 0, 0, 0, time.UTC), 1},
		{},
		{"RU-2", "H1", "Ivan", "Petrov", "RU", "RU", "diplomat", "1980-01-31", 2.0},
		{"RU-3", "H2", "Oleg", "", "RU", "RU", "staff"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle(sh, "H2", "H2", style)
	var buf strings.Builder
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	kind := People(func(string) bool { return true }, time.UTC, time.Now())
	rd, err := Open(kind, strings.NewReader(buf.String()), Options{File: "staff.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	var got []outpost.PersonRecord
	for p := range rd.Batch().Rows {
		got = append(got, p)
	}
	d := details(rd.Err())
	if len(d) != 1 || d[0] != "staff.xlsx:5: family_name: is required" {
		t.Errorf("problems: got %q, want the blank family name on row 5", d)
	}
	rd2, _ := Open(kind, strings.NewReader(buf.String()), Options{File: "staff.xlsx"})
	got = nil
	for p := range rd2.all {
		got = append(got, p)
		if len(got) == 2 {
			break
		}
	}
	if len(got) != 2 || got[0].BirthDate != "2017-10-14" || got[1].Medical != 2 || got[1].Line != 4 {
		t.Errorf("rows: got %+v", got)
	}
}

func TestFormatOf(t *testing.T) {
	for name, want := range map[string]Format{"a.csv": CSV, "B.XLSX": XLSX, "c.json": JSON, "-": CSV, "d.txt": CSV} {
		if got := FormatOf(name); got != want {
			t.Errorf("%s: got %s, want %s", name, got, want)
		}
	}
}
