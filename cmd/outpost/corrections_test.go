package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
)

// TestTrackAmendAndVoid corrects checkpoints from the command line: the
// census follows an amended time and a voided event, and a person whose id
// is "amend" or "void" is still tracked as `track PERSON CHECKPOINT`.
func TestTrackAmendAndVoid(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			seedCLI(t, db)
			people := writeFile(t, t.TempDir(), "more.csv", "id,household,given_name,family_name,nationality,mission,category,status,since\n"+
				"amend,RU-H9,Vera,Amend,RU,RU,staff,in_country,2020-02-01\n"+
				"void,RU-H9,Lev,Void,RU,RU,staff,in_country,2020-02-01\n")
			mustCLI(t, db, "import", "people", people)
			inCountry := func(asOf string) int {
				var c census.Census
				if err := json.Unmarshal([]byte(mustCLI(t, db, "census", "--as-of", asOf, "--json")), &c); err != nil {
					t.Fatal(err)
				}
				return c.InCountry
			}
			var ev outpost.Event
			if err := json.Unmarshal([]byte(mustCLI(t, db, "track", "WFP-0001", "departed", "--at", "2021-03-18T09:00", "--json")), &ev); err != nil {
				t.Fatal(err)
			}
			if got := inCountry("2021-03-18T10:00"); got != 5 {
				t.Fatalf("after departed at 09:00: %d in the country at 10:00, want 5", got)
			}
			out := mustCLI(t, db, "track", "amend", strconv.FormatInt(ev.ID, 10), "--at", "2021-03-18T11:00", "--reason", "scanned late")
			if !strings.Contains(out, "amended") {
				t.Errorf("track amend: %q", out)
			}
			if got := inCountry("2021-03-18T10:00"); got != 6 {
				t.Errorf("after the amendment to 11:00: %d in the country at 10:00, want 6", got)
			}
			show := mustCLI(t, db, "people", "show", "WFP-0001", "--json")
			var p struct {
				Corrected []json.RawMessage `json:"corrected"`
			}
			if err := json.Unmarshal([]byte(show), &p); err != nil || len(p.Corrected) != 1 {
				t.Errorf("people show --json: want the original among corrected events (%v)\n%s", err, show)
			}

			// The people whose ids are the subcommands' names.
			mustCLI(t, db, "track", "amend", "departed", "--at", "2021-03-19T09:00")
			mustCLI(t, db, "track", "void", "departed", "--at", "2021-03-19T09:00")
			if got := inCountry("2021-03-19T10:00"); got != 3 {
				t.Errorf("after amend and void departed: %d in the country, want 3", got)
			}

			// Void the replacement: WFP-0001 never left.
			var after struct {
				Events []outpost.Event `json:"events"`
			}
			json.Unmarshal([]byte(mustCLI(t, db, "people", "show", "WFP-0001", "--json")), &after)
			var last int64
			for _, e := range after.Events {
				if e.Checkpoint == "departed" {
					last = e.ID
				}
			}
			if last == 0 {
				t.Fatalf("no departed event in the history: %+v", after.Events)
			}
			mustCLI(t, db, "track", "void", strconv.FormatInt(last, 10), "--reason", "wrong badge")
			if got := inCountry("2021-03-19T10:00"); got != 4 {
				t.Errorf("after voiding WFP-0001's departure: %d in the country, want 4", got)
			}
			if _, stderr, code := cli(t, db, "", "track", "void", strconv.FormatInt(last, 10), "--reason", "again"); code != 1 || stderr == "" {
				t.Errorf("voiding twice: exit %d, %q; want 1 and a message", code, stderr)
			}
			if _, stderr, code := cli(t, db, "", "track", "void", "x1"); code != 2 || !strings.Contains(stderr, "EVENT") {
				t.Errorf("void x1: exit %d, %q; want 2 naming EVENT", code, stderr)
			}
		})
	}
}
