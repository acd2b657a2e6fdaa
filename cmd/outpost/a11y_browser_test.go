package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/outpost-org/outpost/internal/service"
	"github.com/outpost-org/outpost/internal/web"
)

// pageSamples fills the {parameters} of the web UI's paths for the tests
// that open every page (TestBrowserEveryPageFitsAPhone,
// TestBrowserPagesAreAccessible). A parameter is looked up as
// "<segment before>/{name}" first (people/{id}: an {id} means something
// else on each page), then as "{name}"; a whole path pattern as key fills
// every parameter of that page at once. The values of records the demo
// does not hold (a plan, a roll call, a medical case, a draft, a photo, a
// check-in link) are added by seedEveryPage, which makes them.
//
// A page added later with a parameter that has no entry here makes both
// tests fail naming it: add one line, a value the demo holds (or make
// the record in seedEveryPage).
var pageSamples = map[string]string{
	"{$}":                "",
	"{code}":             "RU",
	"people/{id}":        "RU-0003",
	"{item}":             "RICE",
	"{departure}":        "TRAIN-20210702",
	"{file...}":          "style.css",
	"users/{name}":       "ru-staff",
	"missions/{code}":    "RU",
	"/sitrep/download":   "/sitrep/download?format=html&date=2021-04-01",
	"people/{key}":       "RU-0003",
	"missions/{key}":     "RU",
	"departures/{key}":   "TRAIN-20210702",
	"restrictions/{key}": "R-20200128",
	"households/{id}":    "RU-H02",
}

// pageRoles are the demo's sign-ins every page is opened as; "" is a
// visitor who has not signed in (who sees the public pages and the
// sign-in page).
var pageRoles = []string{"", "admin", "coordinator", "ru-manager", "ru-staff", "ru-press"}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// fillPath fills path's parameters from samples, or names those missing.
func fillPath(path string, samples map[string]string) (string, []string) {
	if v, ok := samples[path]; ok {
		return v, nil
	}
	segs := strings.Split(path, "/")
	var missing []string
	for i, s := range segs {
		if !pathParam.MatchString(s) {
			continue
		}
		if i > 0 {
			if v, ok := samples[segs[i-1]+"/"+s]; ok {
				segs[i] = v
				continue
			}
		}
		if v, ok := samples[s]; ok {
			segs[i] = v
			continue
		}
		missing = append(missing, s)
	}
	return strings.Join(segs, "/"), missing
}

// getPages lists the web UI's GET pages from its own table, with their
// parameters filled; a parameter with no sample fails the test.
func getPages(t *testing.T, samples map[string]string) []web.Page {
	t.Helper()
	h, err := web.New(nil, service.Set{}, slog.New(slog.DiscardHandler), "test")
	if err != nil {
		t.Fatal(err)
	}
	var out []web.Page
	for _, p := range h.Pages() {
		if p.Method != "GET" {
			continue
		}
		filled, missing := fillPath(p.Path, samples)
		if len(missing) > 0 {
			t.Errorf("GET %s: no sample value for %s: add one to pageSamples (cmd/outpost/a11y_browser_test.go)", p.Path, strings.Join(missing, ", "))
			continue
		}
		p.Path = filled
		out = append(out, p)
	}
	if len(out) < 20 {
		t.Fatalf("the web UI lists %d GET pages: the table was not read", len(out))
	}
	return out
}

// seedEveryPage makes, through the browser as the demo's users, the
// records the demo does not hold, so that every page has something to
// show, and returns pageSamples with their ids added.
func seedEveryPage(t *testing.T, ctx context.Context, base string, users map[string]string) map[string]string {
	t.Helper()
	samples := map[string]string{}
	for k, v := range pageSamples {
		samples[k] = v
	}
	idAfter := func(u, prefix string) string {
		t.Helper()
		pu, err := url.Parse(u)
		if err != nil || !strings.HasPrefix(pu.Path, prefix) {
			t.Fatalf("got %s, want a page under %s", u, prefix)
		}
		return strings.SplitN(strings.TrimPrefix(pu.Path, prefix), "/", 2)[0]
	}
	submit := func(form string, fields ...string) string {
		t.Helper()
		var steps []chromedp.Action[chromedp.Void]
		for i := 0; i < len(fields); i += 2 {
			steps = append(steps, chromedp.SetValue(chromedp.CSS(form+" #"+fields[i]), fields[i+1]))
		}
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("filling %s: %v", form, err)
		}
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(form+` button[type=submit]`)))
		if err != nil || resp.Status != 200 {
			t.Fatalf("submitting %s: %v, %+v", form, err, resp)
		}
		return resp.URL
	}
	open := func(path string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.ID("main"))); err != nil {
			t.Fatalf("opening %s: %v", path, err)
		}
	}

	signIn(t, ctx, base, "ru-manager", users["ru-manager"])
	open("evac")
	samples["{plan}"] = idAfter(submit(`form[action="/evac/plans"]`, "start", "2021-06-01"), "/evac/plans/")
	// The demo saves a plan of its own: compare it with this one.
	samples["/evac/plans/compare"] = "/evac/plans/compare?a=1&b=" + samples["{plan}"]
	// A people file waiting for its commit: its preview is the draft's page.
	open("import")
	staff := filepath.Join(t.TempDir(), "staff.csv")
	if err := os.WriteFile(staff, []byte("id,household,given_name,family_name,nationality,mission,category\nRU-0900,RU-H90,Vera,Orlova,RU,RU,staff\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("kind"), "people"), chromedp.SetUploadFiles(chromedp.ID("file"), []string{staff})); err != nil {
		t.Fatal(err)
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/import"] button[type=submit]`)))
	if err != nil || resp.Status != 200 {
		t.Fatalf("uploading a staff list: %v, %+v", err, resp)
	}
	samples["{draft}"] = idAfter(resp.URL, "/import/")
	open("rollcalls")
	samples["{rollcall}"] = idAfter(submit(`form[action="/rollcalls"]`, "title", "Are you safe?"), "/rollcalls/")
	open("medical")
	samples["{case}"] = idAfter(submit(`form[action="/medical"]`, "person", "RU-0003", "need", "insulin"), "/medical/")
	// The check-in page of the roll call's first link.
	_, _, link := fetch(t, ctx, base, "/rollcalls/"+samples["{rollcall}"]+"/links.csv")
	rows, err := csv.NewReader(strings.NewReader(link)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("the roll call's links: %v, %q", err, link)
	}
	lu, err := url.Parse(rows[1][4])
	if err != nil {
		t.Fatal(err)
	}
	samples["/checkin/{rollcall}/{person}/{token}"] = lu.Path
	signOut(t, ctx)

	// A statement with a photo, published: the press office drafts it,
	// the manager approves, the press office publishes.
	signIn(t, ctx, base, "ru-press", users["ru-press"])
	open("press")
	id := idAfter(submit(`form[action="/press"]`, "title", "Embassy open", "body", "The consular section is open from 9 to 12."), "/press/")
	samples["press/{id}"], samples["statements/{id}"] = id, id
	png, err := filepath.Abs("../../docs/screenshots/signin.png")
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.ID("photo"), []string{png}),
		chromedp.SetValue(chromedp.ID("caption"), "The sign-in page")); err != nil {
		t.Fatal(err)
	}
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/press/`+id+`/photos"] button[type=submit]`)))
	if err != nil || resp.Status != 200 {
		t.Fatalf("adding a photo: %v, %+v", err, resp)
	}
	photo, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`(document.querySelector('img[src*="/photos/"]') || {}).getAttribute?.("src") || ""`))
	if err != nil || photo == "" {
		t.Fatalf("the draft shows no photo: %v", err)
	}
	samples["{photo}"] = photo[strings.LastIndex(photo, "/")+1:]
	signOut(t, ctx)
	signIn(t, ctx, base, "ru-manager", users["ru-manager"])
	open("press/" + id)
	submit(`form[action="/press/` + id + `/approve"]`)
	signOut(t, ctx)
	signIn(t, ctx, base, "ru-press", users["ru-press"])
	open("press/" + id)
	submit(`form[action="/press/` + id + `/publish"]`)
	signOut(t, ctx)
	return samples
}

// pageVisit is one page opened as one role.
type pageVisit struct {
	Role, Path string
	// Status is the page's HTTP status: an error page (403, 404) is the
	// same template for every path.
	Status int
}

// eachPage opens every GET page of the web UI as every role in one tab
// of ctx at a phone's width, calls check on each HTML page, and fails
// when an HTML page answered no role with 200 (its sample is wrong, or
// nobody may open it). Pages that are not HTML (files, feeds, images)
// are fetched to prove their sample works, and not checked further.
func eachPage(t *testing.T, ctx context.Context, base string, users map[string]string, check func(v pageVisit)) {
	t.Helper()
	samples := seedEveryPage(t, ctx, base, users)
	pages := getPages(t, samples)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1), chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	ok := map[string]bool{}
	html := map[string]bool{}
	for _, role := range pageRoles {
		if role != "" {
			signIn(t, ctx, base, role, users[role])
		}
		for _, p := range pages {
			if role == "" && !p.Public && p.Path != "/signin" {
				continue
			}
			status, ctype, _ := fetch(t, ctx, base, p.Path)
			if status == 200 {
				ok[p.Path] = true
			}
			if !strings.HasPrefix(ctype, "text/html") {
				continue
			}
			html[p.Path] = true
			if err := chromedp.Do(ctx, chromedp.Navigate(base+strings.TrimPrefix(p.Path, "/")), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
				t.Fatalf("%s as %s: %v", p.Path, role, err)
			}
			check(pageVisit{Role: roleName(role), Path: p.Path, Status: status})
		}
		if role != "" {
			signOut(t, ctx)
		}
	}
	var notSeen []string
	for _, p := range pages {
		if !ok[p.Path] {
			notSeen = append(notSeen, p.Path)
		}
	}
	if len(notSeen) > 0 {
		t.Errorf("no role could open %s: fix its sample in pageSamples or seedEveryPage", strings.Join(notSeen, ", "))
	}
	t.Logf("%d GET pages, %d of them HTML, opened as %d roles", len(pages), len(html), len(pageRoles))
}

func roleName(r string) string {
	if r == "" {
		return "visitor"
	}
	return r
}

// fetch GETs path with the browser's session (the pages' own
// Content-Security-Policy forbids a script's fetch), following no
// redirect, and returns the status, the type and the body.
func fetch(t *testing.T, ctx context.Context, base, path string) (int, string, string) {
	t.Helper()
	jar, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(ctx, "GET", strings.TrimSuffix(base, "/")+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range jar.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	ctype := res.Header.Get("Content-Type")
	if strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		ctype = "attachment; " + ctype // a download, which a browser does not show
	}
	return res.StatusCode, ctype, string(b)
}

// overflow is how wide a page is at a phone's width, and the element
// that reaches furthest right.
type overflow struct {
	ScrollWidth int     `json:"scrollWidth"`
	ClientWidth int     `json:"clientWidth"`
	Widest      string  `json:"widest"`
	Right       float64 `json:"right"`
}

const measureOverflow = `(() => {
  const de = document.documentElement;
  // An element inside a box that scrolls or clips sideways (a table's
  // scroll box) widens nothing: only the others are candidates.
  const clipped = new Map();
  const inClip = el => {
    const p = el.parentElement;
    if (!p || p === document.body) return false;
    if (clipped.has(p)) return clipped.get(p);
    const v = getComputedStyle(p).overflowX !== 'visible' || inClip(p);
    clipped.set(p, v);
    return v;
  };
  let widest = '', right = 0;
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > right + 0.5 && !inClip(el)) {
      right = r.right;
      const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '';
      const txt = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
      widest = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls + (txt ? ' "' + txt + '"' : '');
    }
  }
  return {scrollWidth: de.scrollWidth, clientWidth: de.clientWidth, widest, right};
})()`

// TestBrowserEveryPageFitsAPhone opens every GET page of the web UI
// (from internal/web's table of pages) as every role of the demo at a
// phone's 390 px, and fails on any page wider than the window, naming
// the element that reaches furthest.
func TestBrowserEveryPageFitsAPhone(t *testing.T) {
	exe := chromiumPath(t)
	base, users, _ := demoSite(t)
	ctx, cancel := context.WithTimeout(browser(t, exe), 10*time.Minute)
	defer cancel()
	start := time.Now()
	n := 0
	var widest overflow
	eachPage(t, ctx, base, users, func(v pageVisit) {
		n++
		o, err := chromedp.Run(ctx, chromedp.Evaluate[overflow](measureOverflow))
		if err != nil {
			t.Fatalf("%s as %s: %v", v.Path, v.Role, err)
		}
		if o.ClientWidth != 390 {
			t.Fatalf("%s as %s: the window is %d px wide, want a phone's 390", v.Path, v.Role, o.ClientWidth)
		}
		if o.ScrollWidth >= widest.ScrollWidth {
			widest = o
			widest.Widest = v.Path + " as " + v.Role + ": " + o.Widest
		}
		if o.ScrollWidth > o.ClientWidth {
			t.Errorf("%s as %s: the page is %d px wide in a %d px window; widest: %s (right edge %.0f px)",
				v.Path, v.Role, o.ScrollWidth, o.ClientWidth, o.Widest, o.Right)
		}
	})
	t.Logf("%d page views measured in %s; the widest was %d px (%s)", n, time.Since(start).Round(time.Millisecond), widest.ScrollWidth, widest.Widest)
}

// axeViolation is one rule axe-core found broken on a page.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

const runAxe = `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact || '', help: v.help,
  targets: v.nodes.map(n => n.target.join(' '))
})))`

// TestBrowserPagesAreAccessible injects axe-core (vendored in
// testdata/axe) into every GET page of the web UI as every role at a
// phone's width, and fails on every serious or critical violation,
// listed by rule, element, page and role.
func TestBrowserPagesAreAccessible(t *testing.T) {
	exe := chromiumPath(t)
	src, err := os.ReadFile("testdata/axe/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	base, users, _ := demoSite(t)
	ctx, cancel := context.WithTimeout(browser(t, exe), 15*time.Minute)
	defer cancel()
	start := time.Now()
	n := 0
	var found []string
	errorPages := map[string]bool{}
	eachPage(t, ctx, base, users, func(v pageVisit) {
		// An error page is one template: checked once per role and status.
		if k := fmt.Sprint(v.Role, v.Status); v.Status != 200 {
			if errorPages[k] {
				return
			}
			errorPages[k] = true
		}
		n++
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(src)+"\n;true")); err != nil {
			t.Fatalf("injecting axe-core into %s: %v", v.Path, err)
		}
		vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](runAxe, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("axe on %s as %s: %v", v.Path, v.Role, err)
		}
		for _, x := range vs {
			if x.Impact != "serious" && x.Impact != "critical" {
				continue
			}
			for _, target := range x.Targets {
				found = append(found, fmt.Sprintf("%s (%s) %s on %s as %s: %s", x.ID, x.Impact, target, v.Path, v.Role, x.Help))
			}
		}
	})
	sort.Strings(found)
	for _, f := range found {
		t.Error(f)
	}
	t.Logf("%d page views checked by axe-core in %s", n, time.Since(start).Round(time.Millisecond))
}

// fillPath fills a parameter from "<segment before>/{name}" before
// "{name}", a whole path from its own key, and names what it cannot.
func TestFillPathFromTheSamples(t *testing.T) {
	samples := map[string]string{"{id}": "7", "people/{id}": "RU-0003", "{code}": "RU",
		"/checkin/{rollcall}/{person}/{token}": "/checkin/1/RU-0001/abc"}
	for _, c := range []struct{ path, want, missing string }{
		{"/people/{id}", "/people/RU-0003", ""},
		{"/press/{id}/photos/{photo}", "/press/7/photos/{photo}", "{photo}"},
		{"/missions/{code}", "/missions/RU", ""},
		{"/checkin/{rollcall}/{person}/{token}", "/checkin/1/RU-0001/abc", ""},
		{"/x/{new}/{other}", "/x/{new}/{other}", "{new} {other}"},
	} {
		got, missing := fillPath(c.path, samples)
		if got != c.want || strings.Join(missing, " ") != c.missing {
			t.Errorf("%s: got %s, missing %v; want %s, missing %s", c.path, got, missing, c.want, c.missing)
		}
	}
}
