package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
)

const exitDocsCSV = `id,household,given_name,family_name,nationality,mission,category,status,since,sex,passport_expiry,permit_status,permit_number,permit_from,permit_to,permit_authority,quarantine_until,staying
RU-0003,RU-H2,Oleg,Smirnov,RU,RU,staff,in_country,2020-02-01,M,,,,,,,2021-02-26,false
WFP-0001,WFP-H1,Maria,Rossi,IT,WFP,org_staff,in_country,2020-02-01,F,2030-01-01,granted,KP-1,2021-02-01,2021-03-05,MFA,,false
`

// TestPlanWithExitDocuments on both engines: recorded documents choose
// the day or keep people, with the reason in left_behind; with
// evac.permits required, a person with no permit recorded stays too.
func TestPlanWithExitDocuments(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			dir := seedEvacCLI(t, db)
			mustCLI(t, db, "import", "people", writeFile(t, dir, "docs.csv", exitDocsCSV))
			plan := func() outpost.PlanDoc {
				t.Helper()
				var doc outpost.PlanDoc
				out := mustCLI(t, db, "evac", "plan", "--start", "2021-02-25", "--json")
				if err := json.Unmarshal([]byte(out), &doc); err != nil {
					t.Fatalf("plan --json: %v\n%s", err, out)
				}
				return doc
			}
			reasons := func(doc outpost.PlanDoc) map[string]string {
				m := map[string]string{}
				for _, lb := range doc.LeftBehind {
					m[lb.Person] = lb.Reason + ": " + lb.Text
				}
				return m
			}
			doc := plan()
			on := map[string]string{}
			for _, a := range doc.Assignments {
				on[a.Household] = a.Departure
			}
			// In quarantine on the train's day, RU-0003 takes the flight.
			if on["RU-H2"] != "FLIGHT-1" {
				t.Errorf("RU-H2 (in quarantine until 26 Feb): on %q, want FLIGHT-1", on["RU-H2"])
			}
			got := reasons(doc)
			if got["WFP-0001"] != "exit_permit_expired: exit permit expires 5 Mar" {
				t.Errorf("WFP-0001: got %q", got["WFP-0001"])
			}
			if got["RU-0001"] == "" || got["RU-0002"] == "" {
				t.Errorf("the head of mission's household is not listed as left behind: %v", got)
			}
			if v := strings.TrimSpace(mustCLI(t, db, "config", "get", "evac.permits")); v != "if_recorded" {
				t.Errorf("evac.permits by default: %q", v)
			}
			if _, errOut, code := cli(t, db, "", "config", "set", "evac.permits", "always"); code != 1 || !strings.Contains(errOut, "required") {
				t.Errorf("a bad evac.permits: exit %d, %q", code, errOut)
			}
			mustCLI(t, db, "config", "set", "evac.permits", "required")
			doc = plan()
			got = reasons(doc)
			if got["RU-0003"] != "no_exit_permit: no exit permit" {
				t.Errorf("RU-0003 with permits required: got %q", got["RU-0003"])
			}
			if len(doc.Assignments) != 0 {
				t.Errorf("with permits required nobody has a valid one, yet: %+v", doc.Assignments)
			}
		})
	}
}
