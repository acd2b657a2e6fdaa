package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/service/statements"
	"github.com/outpost-org/outpost/internal/transport"
)

func TestSitrepPageAndDownloads(t *testing.T) {
	p := newPress(t)
	cases := []struct {
		target, who string
		status      int
		want        string
	}{
		{"/sitrep?date=2021-04-02", "coordinator", 200, "Diplomatic corps (all missions)"},
		{"/sitrep?date=2021-04-02", "manager", 200, "Embassy of Russia (RU)"},
		{"/sitrep?date=2021-04-02&mission=RU", "staff", 200, "Embassy of Russia (RU)"},
		{"/sitrep?date=2021-04-02&mission=SE", "manager", 404, ""},
		{"/sitrep?date=2021-04-02&mission=RU", "coordinator", 404, ""},
		{"/sitrep?date=2021-04-02&mission=SE", "admin", 200, "Embassy of Sweden (SE)"},
		{"/sitrep", "press", 403, ""},
		{"/sitrep?date=2021-02-30", "coordinator", 400, "not a real calendar date"},
		{"/sitrep/download?date=2021-04-02&format=md", "coordinator", 200, "# Situation report: Diplomatic corps (all missions)"},
		{"/sitrep/download?date=2021-04-02&format=pdf", "manager", 200, "%PDF-"},
		{"/sitrep/download?date=2021-04-02&format=html", "coordinator", 200, "<svg"},
		{"/sitrep/download?date=2021-04-02&format=doc", "coordinator", 400, ""},
		{"/api/v1/sitrep?date=2021-04-02", "coordinator", 200, `"in_country": 5`},
		{"/api/v1/sitrep?date=2021-04-02&format=md", "manager", 200, "Embassy of Russia (RU)"},
		{"/api/v1/sitrep", "press", 403, ""},
	}
	for _, c := range cases {
		res := p.get(c.target, c.who)
		if res.status != c.status || !strings.Contains(res.body, c.want) {
			t.Errorf("GET %s as %s: got %d, want %d with %q", c.target, c.who, res.status, c.status, c.want)
		}
	}
	// The page keeps the strict policy: its report has no inline style
	// and draws its charts as images.
	res := p.get("/sitrep?date=2021-04-02", "coordinator")
	if csp := res.header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe") {
		t.Errorf("sitrep page CSP: got %q, want no unsafe source", csp)
	}
	if strings.Contains(res.body, " style=") || strings.Contains(res.body, "<style") || strings.Contains(res.body, "<svg") {
		t.Errorf("sitrep page: got inline styles or SVG, which its CSP would block")
	}
	if !strings.Contains(res.body, `<img src="data:image/svg`) || !strings.Contains(res.body, `href="/sitrep.css`) {
		t.Errorf("sitrep page: got no chart image or no report stylesheet")
	}
	if !strings.Contains(res.body, statements.StatementPath(p.published)) || strings.Contains(res.body, draftMarker) {
		t.Errorf("sitrep page: want the published statement linked and no draft")
	}
	// The standalone HTML carries its styles, so it gets the policy that
	// allows them, still without scripts.
	res = p.get("/sitrep/download?date=2021-04-02&format=html", "coordinator")
	if res.header.Get("Content-Security-Policy") != transport.ReportCSP || !strings.Contains(res.header.Get("Content-Disposition"), `filename="sitrep-2021-04-02.html"`) {
		t.Errorf("html download: got CSP %q, disposition %q", res.header.Get("Content-Security-Policy"), res.header.Get("Content-Disposition"))
	}
	if res := p.get("/sitrep.css", ""); res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/css") {
		t.Errorf("sitrep.css: got %d %q", res.status, res.header.Get("Content-Type"))
	}
	if res := p.get("/sitrep", ""); res.status != http.StatusSeeOther {
		t.Errorf("sitrep without signing in: got %d, want a redirect to sign in", res.status)
	}
}
