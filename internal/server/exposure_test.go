package server

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/api"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/storetest"
)

// requestID is the part of an error page that differs between requests.
var requestID = regexp.MustCompile(`Request id <code>[^<]*</code>`)

// sameAnswer fails unless a and b have the same status and body (the
// request id of an error page aside): nothing in them tells the asker
// which of two worlds they are in.
func sameAnswer(t *testing.T, what string, a, b response) {
	t.Helper()
	ab, bb := requestID.ReplaceAllString(a.body, ""), requestID.ReplaceAllString(b.body, "")
	if a.status != b.status || ab != bb {
		t.Errorf("%s: the answers differ:\n%d %s\n---\n%d %s", what, a.status, ab, b.status, bb)
	}
}

// TestSearchMatchesOnlyVisibleFields checks that a people search by a
// caller who may not see passports answers a term found only in
// passports exactly as a term found nowhere: no row, no cursor, the same
// page, in the API and the web UI.
func TestSearchMatchesOnlyVisibleFields(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			// More than a web page (50) of RU people whose passports alone
			// hold "20": ids, names and households do not.
			var extra []outpost.PersonRecord
			for i := range 60 {
				id := fmt.Sprintf("RU-P%c%c", 'a'+i/26, 'a'+i%26)
				p := storetest.Person(id, "RU-HP", "RU")
				p.Passport = fmt.Sprintf("X20%03d", i)
				extra = append(extra, p)
			}
			if _, err := f.store.ImportPeople(storetest.Ctx(), storetest.Batch(extra...)); err != nil {
				t.Fatal(err)
			}
			const hidden, nowhere = "20", "qj"
			for _, limit := range []string{"1", "2", "50"} {
				q := func(term string) string { return "/api/v1/people?limit=" + limit + "&q=" + term }
				sameAnswer(t, "API as press, limit "+limit, f.get(q(hidden), "press"), f.get(q(nowhere), "press"))
				// The caller who may see passports finds them.
				page := decode[api.PeoplePage](t, f.get(q(hidden), "staff"))
				if len(page.People) == 0 || page.People[0].Passport == "" {
					t.Errorf("API as staff, limit %s: got %+v, want people found by passport", limit, page)
				}
			}
			web := func(term string) response { return f.get("/people?q="+url.QueryEscape(term), "press") }
			got, miss := web(hidden), web(nowhere)
			miss.body = strings.ReplaceAll(miss.body, nowhere, hidden) // the page repeats the term asked
			sameAnswer(t, "web as press", got, miss)
			if strings.Contains(got.body, "after=") {
				t.Errorf("web as press: the page links a next page:\n%s", got.body)
			}
			if res := f.get("/people?q="+hidden, "staff"); !strings.Contains(res.body, "after=") {
				t.Errorf("web as staff: got no next page, want one (60 people match by passport)")
			}
		})
	}
}
