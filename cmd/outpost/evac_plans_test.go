package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// `outpost evac plan` prints the plan in the words of the plan page, and
// its --json is the plan as before.
func TestEvacPlanPrintsItsSummary(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			seedEvacCLI(t, db)
			plain := mustCLI(t, db, "evac", "plan", "--start", "2021-02-25")
			for _, want := range []string{
				"Everyone who is ready leaves by ",
				"stay behind (",
				"for minimum staff",
				"Staying behind for minimum staff (",
				"Departure not used: BUS-1 on ",
				"(crossing closed: R-1)",
			} {
				if !strings.Contains(plain, want) {
					t.Errorf("evac plan lacks %q:\n%s", want, plain)
				}
			}
			show := mustCLI(t, db, "evac", "show", "1")
			if !strings.Contains(show, "Everyone who is ready leaves by ") {
				t.Errorf("evac show lacks the summary:\n%s", show)
			}
			var doc map[string]any
			if err := json.Unmarshal([]byte(mustCLI(t, db, "evac", "plan", "--start", "2021-02-25", "--json")), &doc); err != nil {
				t.Fatal(err)
			}
			if _, ok := doc["summary"]; ok {
				t.Errorf("--json gained a summary: %v", doc)
			}
		})
	}
}
