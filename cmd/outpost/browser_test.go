package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
)

var screenshots = flag.String("screenshots", "", "save screenshots of the main pages into this folder (docs/screenshots is ../../docs/screenshots)")

// lockedBuffer is a bytes.Buffer that the demo writes while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// chromiumPath finds Debian's chromium. Without it the browser tests skip,
// unless CI is set: there .ci/run installs it, so its absence is a failure.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("CI is set but chromium is not installed: .ci/run must install it (apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed, so the browser tests are skipped: apt-get install -y chromium")
	return ""
}

// demoSite runs `outpost demo` on a free port of 127.0.0.1 and returns its
// URL, the sign-ins it printed and the database path. Its pages show the
// clock's day (fixedNow) unless args (more demo flags) give --page-date.
func demoSite(t *testing.T, args ...string) (string, map[string]string, string) {
	t.Helper()
	dbPath := filepath.Join(t.TempDir(), "demo.db")
	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		a := &app{stdin: strings.NewReader(""), stdout: out, stderr: &lockedBuffer{}, now: func() time.Time { return fixedNow }}
		done <- a.run(ctx, append([]string{"--db", dbPath, "demo", "--addr", "127.0.0.1:0", "--page-date="}, args...))
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	urlRE := regexp.MustCompile(`Open (http://127\.0\.0\.1:\d+/) and sign in`)
	userRE := regexp.MustCompile(`(?m)^  (\S+)\s+([a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5})\s`)
	for {
		s := out.String()
		if m := urlRE.FindStringSubmatch(s); m != nil && strings.Contains(s, "Press Ctrl+C") {
			users := map[string]string{}
			for _, u := range userRE.FindAllStringSubmatch(s, -1) {
				users[u[1]] = u[2]
			}
			return m[1], users, dbPath
		}
		select {
		case code := <-done:
			t.Fatalf("outpost demo exited with %d before serving:\n%s", code, s)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// expectedCensus counts the demo database independently of the server.
func expectedCensus(t *testing.T, dbPath string, at time.Time) census.Census {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms, err := db.Missions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pop, err := census.Build(ms, func(fn func(outpost.Presence) error) error { return db.Presence(ctx, fn) })
	if err != nil {
		t.Fatal(err)
	}
	hist, err := db.MissionHistory(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	return pop.WithMissionHistory(hist).At(at)
}

// browser starts headless chromium with a fresh profile.
func browser(t *testing.T, exe string) context.Context {
	t.Helper()
	actx, cancelA := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("force-color-profile", "srgb"), chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	ctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelB()
		cancelA()
	})
	return ctx
}

// demoSession is a started demo site: the chromium it is browsed with, its
// base URL, the printed passwords by user and the database's path.
type demoSession struct {
	exe, base, dbPath string
	users             map[string]string
}

// signedInDemo starts the demo site (serve's extra args as demoSite's)
// and a browser tab signed in as who. A limit over 0 bounds the tab, so
// that a page that never shows fails instead of hanging.
func signedInDemo(t *testing.T, who string, limit time.Duration, args ...string) (context.Context, demoSession) {
	t.Helper()
	var d demoSession
	d.exe = chromiumPath(t)
	d.base, d.users, d.dbPath = demoSite(t, args...)
	ctx := browser(t, d.exe)
	if limit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		t.Cleanup(cancel)
	}
	signIn(t, ctx, d.base, who, d.users[who])
	return ctx, d
}

// demoDayPlan makes a plan from the demo's today, 1 June 2021, on the
// evacuation page and answers the new plan's URL.
func demoDayPlan(t *testing.T, ctx context.Context, base string) string {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"evac"),
		chromedp.WaitVisible(chromedp.ID("start")),
		chromedp.SetValue(chromedp.ID("start"), "2021-06-01"),
	); err != nil {
		t.Fatal(err)
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/evac/plans"] button[type=submit]`)))
	if err != nil || resp.Status != 200 || !strings.Contains(resp.URL, "/evac/plans/") {
		t.Fatalf("making a plan: %v, %+v", err, resp)
	}
	return strings.SplitN(resp.URL, "?", 2)[0]
}

// signIn fills the sign-in form and waits for the dashboard.
func signIn(t *testing.T, ctx context.Context, base, name, password string) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"signin"),
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SendKeys(chromedp.ID("name"), name),
		chromedp.SendKeys(chromedp.ID("password"), password),
	); err != nil {
		t.Fatalf("sign-in form: %v", err)
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type=submit]`)))
	if err != nil {
		t.Fatalf("signing in as %s: %v", name, err)
	}
	if resp.Status != 200 || !strings.HasSuffix(resp.URL, "/") {
		t.Fatalf("signing in as %s: got %d at %s, want 200 at the dashboard", name, resp.Status, resp.URL)
	}
}

func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/signout"] button`))); err != nil {
		t.Fatalf("signing out: %v", err)
	}
}

func text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("reading %s: %v", css, err)
	}
	return strings.TrimSpace(s)
}

// shoot saves a screenshot of the whole page, or of the viewport only
// when name ends in "-phone".
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if *screenshots == "" {
		return
	}
	act := chromedp.FullScreenshot(100)
	if strings.HasSuffix(name, "-phone") {
		act = chromedp.CaptureScreenshot()
	}
	buf, err := chromedp.Run(ctx, act)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(*screenshots, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowser drives the demo's web UI in headless chromium: signing in,
// the dashboard's census, a person's page, and mission isolation.
func TestBrowser(t *testing.T) {
	exe := chromiumPath(t)
	base, users, dbPath := demoSite(t)
	for _, u := range []string{"admin", "coordinator", "ru-manager", "ru-staff", "ru-press"} {
		if users[u] == "" {
			t.Fatalf("the demo printed no password for %s; it printed %v", u, users)
		}
	}
	ctx := browser(t, exe)
	want := expectedCensus(t, dbPath, fixedNow)

	t.Run("the sign-in page refuses a wrong password", func(t *testing.T) {
		resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(base))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(resp.URL, "/signin") {
			t.Fatalf("got %s, want the sign-in page for a visitor", resp.URL)
		}
		shoot(t, ctx, "signin")
		if err := chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.ID("name"), "ru-staff"),
			chromedp.SendKeys(chromedp.ID("password"), "not the password"),
		); err != nil {
			t.Fatal(err)
		}
		resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type=submit]`)))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != 401 {
			t.Errorf("wrong password: got status %d, want 401", resp.Status)
		}
		if got := text(t, ctx, ".alert-error"); got != "Wrong user name or password." {
			t.Errorf("wrong password: got %q", got)
		}
	})

	t.Run("the dashboard shows the census", func(t *testing.T) {
		signIn(t, ctx, base, "ru-staff", users["ru-staff"])
		checks := []struct {
			css  string
			want int
		}{
			{"#stat-in-country", want.InCountry},
			{"#stat-heads", want.HeadsOfMissionInCountry},
			{"#missions-open", want.Missions["open"]},
			{"#missions-reduced", want.Missions["reduced"]},
			{"#missions-suspended", want.Missions["suspended"]},
			{"#missions-closed", want.Missions["closed"]},
		}
		for _, c := range checks {
			if got := text(t, ctx, c.css); got != fmt.Sprint(c.want) {
				t.Errorf("%s: got %q, want %d", c.css, got, c.want)
			}
		}
		if got := text(t, ctx, ".user-name"); got != "ru-staff" {
			t.Errorf("signed-in user in the header: got %q", got)
		}
		if _, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS(".chart svg path.chart-line"))); err != nil {
			t.Errorf("no headcount chart: %v", err)
		}
	})

	t.Run("a staff user opens a person of their mission", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"people"), chromedp.WaitVisible(chromedp.ID("people"))); err != nil {
			t.Fatal(err)
		}
		first := text(t, ctx, "#people tbody tr:first-child td:first-child a")
		if !strings.HasPrefix(first, "RU-") {
			t.Errorf("first person listed: got %q, want one of RU", first)
		}
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#people tbody tr:first-child td:first-child a")))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != 200 || !strings.HasSuffix(resp.URL, "/people/"+first) {
			t.Fatalf("got %d at %s, want the page of %s", resp.Status, resp.URL, first)
		}
		if got := text(t, ctx, "#person-name"); got == "" {
			t.Error("the person page has no name")
		}
		if got := text(t, ctx, "#timeline"); !strings.Contains(got, "In country") {
			t.Errorf("timeline: got %q, want an in-country event", got)
		}
		if _, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.ID("passport"))); err != nil {
			t.Errorf("staff of the person's own mission see no passport: %v", err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.ID("checkpoint"))); err != nil {
			t.Errorf("staff see no tracking form: %v", err)
		}
	})

	t.Run("a staff user cannot reach another mission's person", func(t *testing.T) {
		for _, id := range []string{"DE-0001", "CN-0002"} {
			resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(base+"people/"+id))
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != 404 {
				t.Errorf("%s: got status %d, want 404", id, resp.Status)
			}
			if got := text(t, ctx, "h1"); got != "Not found" {
				t.Errorf("%s: got heading %q, want Not found", id, got)
			}
			body := text(t, ctx, "main")
			if strings.Contains(body, "Born") || strings.Contains(body, "Passport") {
				t.Errorf("%s: the page shows a record: %q", id, body)
			}
		}
		resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(base+"people/NOBODY-0000"))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != 404 {
			t.Errorf("a person who does not exist: got %d, want the same 404", resp.Status)
		}
		signOut(t, ctx)
	})

	t.Run("the admin's pages", func(t *testing.T) {
		signIn(t, ctx, base, "admin", users["admin"])
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"?as_of=2021-04-01"), chromedp.WaitVisible(chromedp.ID("stat-in-country"))); err != nil {
			t.Fatal(err)
		}
		apr := expectedCensus(t, dbPath, time.Date(2021, 4, 1, 23, 59, 59, 0, mustZone(t, "Asia/Pyongyang")))
		if got := text(t, ctx, "#stat-in-country"); got != fmt.Sprint(apr.InCountry) {
			t.Errorf("1 April 2021: got %s in the country, want %d", got, apr.InCountry)
		}
		shoot(t, ctx, "dashboard")
		for _, p := range []struct{ path, name, ready string }{
			{"people?mission=RU", "people", "#people"},
			{"people/RU-0003", "person", "#timeline"},
			{"missions", "missions", "#missions"},
			{"audit", "audit", "#audit"},
		} {
			if err := chromedp.Do(ctx, chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready))); err != nil {
				t.Fatalf("%s: %v", p.path, err)
			}
			shoot(t, ctx, p.name)
		}
		// Disabling a user from the Users page, and enabling them again.
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"users"), chromedp.WaitVisible(chromedp.ID("users"))); err != nil {
			t.Fatal(err)
		}
		for _, step := range []struct{ button, state string }{{"disable", "disabled"}, {"enable", "active"}} {
			resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/users/ru-press/`+step.button+`"] button`)))
			if err != nil {
				t.Fatalf("%s ru-press: %v", step.button, err)
			}
			if resp.Status != 200 {
				t.Fatalf("%s ru-press: got status %d, want the Users page", step.button, resp.Status)
			}
			if got := text(t, ctx, "#user-ru-press .badge"); got != step.state {
				t.Errorf("after %s: ru-press is %q, want %q", step.button, got, step.state)
			}
			if step.state == "disabled" {
				shoot(t, ctx, "users")
			}
		}
		if *screenshots != "" {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
				chromedp.Navigate(base+"?as_of=2021-04-01"), chromedp.WaitVisible(chromedp.ID("stat-in-country"))); err != nil {
				t.Fatal(err)
			}
			shoot(t, ctx, "dashboard-phone")
			if err := chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.CSS(".chart"))); err != nil {
				t.Fatal(err)
			}
			shoot(t, ctx, "chart-phone")
			if err := chromedp.Do(ctx, chromedp.Navigate(base+"people/RU-0003"), chromedp.WaitVisible(chromedp.ID("timeline"))); err != nil {
				t.Fatal(err)
			}
			shoot(t, ctx, "person-phone")
		}
	})
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(errors.New("time zone " + name + ": " + err.Error()))
	}
	return loc
}
