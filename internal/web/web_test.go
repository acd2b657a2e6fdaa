package web

import (
	"html/template"
	"slices"
	"strings"
	"testing"
	"text/template/parse"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/service"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
)

// templateCalls returns the names of the templates that node calls.
func templateCalls(node parse.Node, out *[]string) {
	switch n := node.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			templateCalls(c, out)
		}
	case *parse.TemplateNode:
		*out = append(*out, n.Name)
	case *parse.IfNode:
		templateCalls(n.List, out)
		templateCalls(n.ElseList, out)
	case *parse.RangeNode:
		templateCalls(n.List, out)
		templateCalls(n.ElseList, out)
	case *parse.WithNode:
		templateCalls(n.List, out)
		templateCalls(n.ElseList, out)
	}
}

// TestTemplatesDeclareWhatTheyUse fails when a page, or a template it
// shares, calls a template that no file defines, and when a page does not
// define the two the layout needs.
func TestTemplatesDeclareWhatTheyUse(t *testing.T) {
	h, err := New(nil, service.Set{}, nil, "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(h.pages) < 8 {
		t.Fatalf("got %d page templates, want the registry's pages at least", len(h.pages))
	}
	for name, set := range h.pages {
		for _, want := range []string{"layout", "title", "content"} {
			if set.Lookup(want) == nil {
				t.Errorf("page %s: no template %q", name, want)
			}
		}
		for _, tmpl := range set.Templates() {
			if tmpl.Tree == nil {
				continue
			}
			var calls []string
			templateCalls(tmpl.Tree.Root, &calls)
			for _, c := range calls {
				if set.Lookup(c) == nil {
					t.Errorf("page %s: template %q uses %q, which no file defines", name, tmpl.Name(), c)
				}
			}
		}
	}
}

// TestEveryRenderedPageExists checks that each name a handler renders is
// a page template.
func TestEveryRenderedPageExists(t *testing.T) {
	h, err := New(nil, service.Set{}, nil, "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"signin", "dashboard", "people", "person", "missions", "mission", "audit", "error"} {
		if _, ok := h.pages[name]; !ok {
			t.Errorf("no page template %q", name)
		}
	}
}

func TestUndeclaredTemplateIsCaught(t *testing.T) {
	set := template.Must(template.New("x").Parse(`{{define "content"}}{{template "missing" .}}{{end}}`))
	var calls []string
	templateCalls(set.Lookup("content").Tree.Root, &calls)
	if !slices.Equal(calls, []string{"missing"}) {
		t.Errorf("got %v, want the call to be seen", calls)
	}
}

func TestNavIsOrderedAndFiltered(t *testing.T) {
	h, err := New(nil, service.Set{}, nil, "test")
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, p := range h.nav {
		labels = append(labels, p.Nav.Label)
	}
	if want := []string{"Dashboard", "People", "Missions", "Audit log"}; !slices.Equal(labels[:4], want) && !slices.Equal(labels, want) {
		t.Errorf("navigation: got %v, want %v first", labels, want)
	}
}

func TestSafeNext(t *testing.T) {
	cases := map[string]string{
		"/people?q=a":          "/people?q=a",
		"":                     "/",
		"//evil.example":       "/",
		"https://evil.example": "/",
		"/\\evil.example":      "/",
		"/ok\r\nSet-Cookie: x": "/",
		"/%09/evil.example/x":  "/",
		"/\t/evil.example/x":   "/",
	}
	for in, want := range cases {
		if got := auth.SafeNext(in); got != want {
			t.Errorf("SafeNext(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestFormatting(t *testing.T) {
	cases := []struct{ got, want string }{
		{outpost.Thousands(0), "0"},
		{outpost.Thousands(999), "999"},
		{outpost.Thousands(1000), "1,000"},
		{outpost.Thousands(1234567), "1,234,567"},
		{outpost.Thousands(-4500), "-4,500"},
		{label("in_country"), "In country"},
		{label("head_of_mission"), "Head of mission"},
		{compact(950), "950"},
		{compact(25000), "25k"},
		{compact(1500000), "1.5M"},
		{compact(2000000), "2M"},
		{query("q", "a b", "mission", "", "after", "RU-1"), "?after=RU-1&q=a+b"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestNiceScale(t *testing.T) {
	cases := []struct{ v, top, step int }{
		{0, 10, 2}, {7, 8, 2}, {9, 10, 2}, {287, 300, 100}, {380, 400, 100}, {1000, 1200, 200}, {999_999, 1_000_000, 200_000},
	}
	for _, c := range cases {
		top, step := niceScale(c.v)
		if top != c.top || step != c.step {
			t.Errorf("niceScale(%d): got %d by %d, want %d by %d", c.v, top, step, c.top, c.step)
		}
		if top <= c.v || top/step > 8 {
			t.Errorf("niceScale(%d): %d by %d leaves no headroom or too many ticks", c.v, top, step)
		}
	}
}

func TestHeadcountChart(t *testing.T) {
	days := []census.DayCount{
		{Date: "2021-01-30", InCountry: 300}, {Date: "2021-01-31", InCountry: 300},
		{Date: "2021-02-01", InCountry: 290, HeadsOfMission: 9}, {Date: "2021-02-02", InCountry: 280},
	}
	c := HeadcountChart(days, "2021-02-01")
	if !strings.HasPrefix(c.Line, "M72.0 ") || strings.Count(c.Line, "L") != 3 {
		t.Errorf("line: got %q, want a move and three lines", c.Line)
	}
	if c.Marker == nil || c.Marker.Label != "as of 2021-02-01" {
		t.Errorf("marker: got %+v", c.Marker)
	}
	if len(c.Rows) != 1 || c.Rows[0].Date != "2021-02-01" {
		t.Errorf("rows: got %+v, want the first of the month", c.Rows)
	}
	if c.Last.Label != "280" || c.Last.X != c.Right {
		t.Errorf("last point: got %+v", c.Last)
	}
	if len(c.YTicks) != 5 || c.YTicks[4].Label != "400" {
		t.Errorf("y ticks: got %+v", c.YTicks)
	}
	if empty := HeadcountChart(nil, ""); empty.Line != "" {
		t.Errorf("no days: got a line %q", empty.Line)
	}
}
