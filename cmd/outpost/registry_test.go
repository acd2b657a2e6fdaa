package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/testkit"
)

const missionsCSV = `code,name,country,kind,status,min_staff
RU,Embassy of Russia,RU,embassy,open,2
SE,Embassy of Sweden,SE,embassy,closed,0
WFP,World Food Programme,,un_agency,suspended,1
`

const peopleCSV = `id,household,given_name,family_name,nationality,mission,category,birth_date,essential,medical,status,since,ready,passport
RU-0001,RU-H1,Ivan,Petrov,RU,RU,head_of_mission,1970-03-01,true,0,in_country,2020-02-01,,P1
RU-0002,RU-H1,Anna,Petrova,RU,RU,dependent,2017-10-14,false,1,in_country,2020-02-01,,P2
RU-0003,RU-H2,Oleg,Smirnov,RU,RU,staff,,false,0,in_country,2020-02-01,,
SE-0001,SE-H1,Lars,Berg,SE,SE,diplomat,,true,0,left,2020-08-12,,
WFP-0001,WFP-H1,Maria,Rossi,IT,WFP,org_staff,,false,0,in_country,2020-02-01,,
`

func seedCLI(t *testing.T, db string) {
	t.Helper()
	dir := t.TempDir()
	mustCLI(t, db, "import", "missions", writeFile(t, dir, "missions.csv", missionsCSV))
	mustCLI(t, db, "import", "people", writeFile(t, dir, "people.csv", peopleCSV))
}

func TestCensusAndTracking(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			seedCLI(t, db)
			var c census.Census
			out := mustCLI(t, db, "census", "--as-of", "2021-02-01", "--json")
			if err := json.Unmarshal([]byte(out), &c); err != nil {
				t.Fatalf("census --json is not one JSON document: %v\n%s", err, out)
			}
			if c.InCountry != 4 || c.Left != 1 || c.HeadsOfMissionInCountry != 1 {
				t.Errorf("census: got %d in, %d left, %d heads; want 4, 1, 1", c.InCountry, c.Left, c.HeadsOfMissionInCountry)
			}
			if c.Missions["closed"] != 1 || c.Missions["open"] != 1 || c.Missions["suspended"] != 1 {
				t.Errorf("missions by status: got %v", c.Missions)
			}
			mustCLI(t, db, "track", "WFP-0001", "departed", "--at", "2021-03-18T09:00")
			mustCLI(t, db, "track", "WFP-0001", "crossed", "--at", "2021-03-18T15:00", "--note", "Sinuiju")
			for _, tc := range []struct {
				asOf            string
				in, transit, lf int
			}{
				{"2021-03-17", 4, 0, 1},
				{"2021-03-18T10:00", 3, 1, 1},
				{"2021-03-18", 3, 0, 2}, // a bare date is the end of the day
				{"2020-01-31", 0, 0, 0}, // before anyone's first event
			} {
				c = census.Census{}
				json.Unmarshal([]byte(mustCLI(t, db, "census", "--as-of", tc.asOf, "--json")), &c)
				if c.InCountry != tc.in || c.InTransit != tc.transit || c.Left != tc.lf {
					t.Errorf("as of %s: got %d/%d/%d, want %d/%d/%d", tc.asOf, c.InCountry, c.InTransit, c.Left, tc.in, tc.transit, tc.lf)
				}
			}
			show := mustCLI(t, db, "people", "show", "WFP-0001")
			if !strings.Contains(show, "crossed") || !strings.Contains(show, "Sinuiju") || !strings.Contains(show, "left since") {
				t.Errorf("people show lacks the tracked history:\n%s", show)
			}
			list := mustCLI(t, db, "people", "list", "--mission", "RU")
			if strings.Count(list, "RU-H") != 3 || !strings.Contains(list, "3 people") {
				t.Errorf("people list --mission RU:\n%s", list)
			}
		})
	}
}

func TestCensusTableGolden(t *testing.T) {
	db := filepath.Join(t.TempDir(), "o.db")
	seedCLI(t, db)
	testkit.Golden(t, "census-table", mustCLI(t, db, "census", "--as-of", "2021-02-01T12:00:00Z"))
}

func TestImportErrorsAreLocatedAndWriteNothing(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			dir := t.TempDir()
			mustCLI(t, db, "import", "missions", writeFile(t, dir, "missions.csv", missionsCSV))
			bad := writeFile(t, dir, "people.csv", `id,household,given_name,family_name,nationality,mission,category,birth_date,essential,medical,status
RU-0001,RU-H1,Ivan,Petrov,RU,RU,head_of_mission,1970-02-30,true,0,in_country
RU-0002,RU-H1,Anna,Petrova,ru,RU,dependent,,maybe,4,gone
RU-0001,RU-H2,Oleg,,RU,XX,chef,,,,
RU-0004,RU-H3,"Ol"ga,Smirnova,RU,RU,staff,,,,
RU-0005,RU-H3,Pyotr
RU-0006,RU-H4,Good,Row,RU,RU,staff,,,,
`)
			_, errs, code := cli(t, db, "", "import", "people", bad)
			if code != 1 {
				t.Fatalf("exit %d, want 1\n%s", code, errs)
			}
			testkit.Golden(t, "import-errors", strings.ReplaceAll(errs, dir+"/", ""))
			out := mustCLI(t, db, "people", "list", "--json")
			if !strings.Contains(out, `"people": []`) {
				t.Errorf("a bad file wrote rows:\n%s", out)
			}
		})
	}
}

func TestImportHeaderProblems(t *testing.T) {
	db := filepath.Join(t.TempDir(), "o.db")
	dir := t.TempDir()
	cases := []struct {
		name, file, content, want string
	}{
		{"unknown column", "m.csv", "code,name,kind,status,colour\nRU,R,embassy,open,red\n", `m.csv:1: colour: unknown column; the columns of missions are code, name, country, kind, status, min_staff, status_since (got "colour")`},
		{"missing column", "m.csv", "code,name,kind\nRU,R,embassy\n", "m.csv:1: status: missing column (required)"},
		{"empty file", "m.csv", "", "m.csv:1: the file is empty"},
		{"not utf-8", "m.csv", "code,name,kind,status\nRU,R\xe9sidence,embassy,open\n", `m.csv:2: name: not UTF-8 text: save the file as UTF-8 (got "R?sidence")`},
		{"json not array", "m.json", `{"code": "RU"}`, "m.json:1: want a JSON array of objects"},
		{"json unknown field", "m.json", `[{"code": "RU", "name": "R", "kind": "embassy", "status": "open", "flag": 1}]`, `m.json:1: flag: unknown field (got "flag")`},
		{"json bad value", "m.json", `[{"code": "RU", "name": "R", "kind": "embassy", "status": "open"}, {"code": "SE", "name": ["x"], "kind": "embassy", "status": "open"}]`, `m.json:2: name: must be a string, number or boolean`},
		{"duplicate key", "m.csv", "code,name,kind,status\nRU,R,embassy,open\nRU,R2,embassy,open\n", `m.csv:3: code: duplicate code: the same value is on line 2 (got "RU")`},
		{"bom and blank", "m.csv", "\ufeffcode,name,kind,status\nRU,,embassy,open\n", "m.csv:2: name: is required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errs, code := cli(t, db, "", "import", "missions", writeFile(t, dir, c.file, c.content))
			if code != 1 || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant a line containing:\n%s", code, errs, c.want)
			}
		})
	}
}

func TestImportJSONAndStdin(t *testing.T) {
	db := filepath.Join(t.TempDir(), "o.db")
	dir := t.TempDir()
	mustCLI(t, db, "import", "missions", writeFile(t, dir, "m.json",
		`[{"code": "RU", "name": "Embassy of Russia", "country": "RU", "kind": "embassy", "status": "open", "min_staff": 2}]`))
	out, errs, code := cli(t, db, "id,household,given_name,family_name,nationality,mission,category\nRU-1,H1,A,B,RU,RU,staff\n",
		"import", "people", "-")
	if code != 0 || !strings.Contains(out, "imported 1 people from stdin: 1 new") {
		t.Fatalf("stdin import: exit %d\n%s%s", code, out, errs)
	}
	// Re-importing updates by key.
	cli(t, db, "id,household,given_name,family_name,nationality,mission,category\nRU-1,H1,Alla,B,RU,RU,staff\n", "import", "people", "-")
	if show := mustCLI(t, db, "people", "show", "RU-1"); !strings.Contains(show, "Alla B") {
		t.Errorf("re-import did not update the name:\n%s", show)
	}
}

func TestExitStatuses(t *testing.T) {
	db := filepath.Join(t.TempDir(), "o.db")
	cases := []struct {
		args []string
		want int
	}{
		{[]string{"census", "--json"}, 0},
		{[]string{"cenus"}, 2},
		{[]string{"census", "--bogus"}, 2},
		{[]string{"census", "--as-of", "yesterday"}, 2},
		{[]string{"import", "people"}, 2},
		{[]string{"import", "cars", "x.csv"}, 2},
		{[]string{"import", "people", "/does/not/exist.csv"}, 1},
		{[]string{"track", "NOPE", "departed"}, 1},
		{[]string{"track", "NOPE", "teleported"}, 1},
		{[]string{"people", "show", "NOPE"}, 1},
		{[]string{"config", "set", "timezone", "Mars/Olympus"}, 1},
		{[]string{"--db", "/no/such/folder/o.db", "census"}, 3},
		{[]string{"--db", "postgres://nobody@127.0.0.1:1/none?connect_timeout=2", "census"}, 3},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			_, errs, code := cli(t, db, "", c.args...)
			if code != c.want {
				t.Errorf("exit %d, want %d\n%s", code, c.want, errs)
			}
			if strings.Contains(errs, "goroutine") || strings.Contains(errs, "panic") {
				t.Errorf("stack trace shown to the user:\n%s", errs)
			}
		})
	}
}

func TestTimezone(t *testing.T) {
	db := filepath.Join(t.TempDir(), "o.db")
	seedCLI(t, db)
	mustCLI(t, db, "config", "set", "timezone", "Asia/Pyongyang")
	if got := strings.TrimSpace(mustCLI(t, db, "config", "get", "timezone")); got != "Asia/Pyongyang" {
		t.Fatalf("timezone: got %q", got)
	}
	// 08:00 in Pyongyang on the 18th is 23:00 UTC on the 17th.
	mustCLI(t, db, "track", "WFP-0001", "departed", "--at", "2021-03-18T08:00")
	var c census.Census
	json.Unmarshal([]byte(mustCLI(t, db, "census", "--as-of", "2021-03-17T23:30:00Z", "--json")), &c)
	if c.InTransit != 1 {
		t.Errorf("local time not taken in the post's zone: in transit %d, want 1", c.InTransit)
	}
	if !strings.HasSuffix(c.AsOf, "+09:00") {
		t.Errorf("as_of %q not in the post's zone", c.AsOf)
	}
}
