package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserDemoDayAndMissionHistory opens the demo as it is served: the
// dashboard on 1 April 2021 with the banner saying the data ends in 2021,
// the seeded roll call, medical case and plan, and a mission page whose
// status history the coordinator adds to.
func TestBrowserDemoDayAndMissionHistory(t *testing.T) {
	ctx, demo := signedInDemo(t, "coordinator", 0, "--page-date", demoDay, "--banner", demoBanner)
	base, users, dbPath := demo.base, demo.users, demo.dbPath

	apr := expectedCensus(t, dbPath, time.Date(2021, 4, 1, 23, 59, 59, 0, mustZone(t, "Asia/Pyongyang")))
	if apr.InCountry != 251 {
		t.Fatalf("the demo's 1 April 2021 counts %d, want 251 (README)", apr.InCountry)
	}
	if got := text(t, ctx, "#stat-in-country"); got != fmt.Sprint(apr.InCountry) {
		t.Errorf("dashboard: %s in the country, want %d, the figure of 1 April 2021", got, apr.InCountry)
	}
	if got := text(t, ctx, "#missions-closed"); got != "12" {
		t.Errorf("dashboard: %s missions closed, want the 12 of 1 April 2021", got)
	}
	if got := text(t, ctx, ".page-head"); !strings.Contains(got, "1 Apr 2021") {
		t.Errorf("dashboard heading: %q, want it to name 1 Apr 2021", got)
	}
	if got := text(t, ctx, ".banner"); got != demoBanner {
		t.Errorf("banner: %q, want %q", got, demoBanner)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"missions"), chromedp.WaitVisible(chromedp.ID("missions"))); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "main"); !strings.Contains(got, "as of the end of 1 Apr 2021") {
		t.Errorf("missions: does not say they are as of 1 Apr 2021")
	}
	signOut(t, ctx)
	signIn(t, ctx, base, "admin", users["admin"])
	// The banner is on every page, and nothing a first visit opens is empty.
	for _, p := range []struct{ path, css, want string }{
		{"rollcalls", "main", "Are you safe? Daily check of the corps"},
		{"medical", "main", "Insulin-dependent diabetes"},
		{"evac", "main", "2021-04-01"},
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(".banner"))); err != nil {
			t.Fatalf("%s: %v", p.path, err)
		}
		if got := text(t, ctx, p.css); !strings.Contains(got, p.want) {
			t.Errorf("%s: does not show %q", p.path, p.want)
		}
	}

	signOut(t, ctx)
	signIn(t, ctx, base, "coordinator", users["coordinator"])
	// The UK embassy before and after its closure.
	for _, c := range []struct{ date, want string }{{"2020-05-26", "Open"}, {"2020-05-27", "Closed"}} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"missions/GB?as_of="+c.date), chromedp.WaitVisible(chromedp.ID("history"))); err != nil {
			t.Fatal(err)
		}
		if got := text(t, ctx, ".page-head .badge"); got != c.want {
			t.Errorf("GB as of %s: %q, want %q", c.date, got, c.want)
		}
	}

	// The coordinator records the Czech embassy's reduction of March 2020.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"missions/CZ"),
		chromedp.WaitVisible(chromedp.ID("since")),
		chromedp.SetValue(chromedp.ID("status"), "reduced"),
		chromedp.SetValue(chromedp.ID("since"), "2020-03-09"),
		chromedp.SendKeys(chromedp.ID("note"), "Half the staff leave on the Vladivostok flight; the embassy works at minimum staff."),
	); err != nil {
		t.Fatal(err)
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/missions/CZ/status"] button[type=submit]`)))
	if err != nil || resp.Status != 200 || !strings.Contains(resp.URL, "done=status") {
		t.Fatalf("recording CZ's status: %v, %+v", err, resp)
	}
	if got := text(t, ctx, ".alert-ok"); !strings.HasPrefix(got, "Status recorded") {
		t.Errorf("after recording: %q", got)
	}
	hist := text(t, ctx, ".history")
	for _, want := range []string{"From the beginning", "Since 9 Mar 2020", "minimum staff", "recorded by coordinator", "Since 12 Aug 2020"} {
		if !strings.Contains(hist, want) {
			t.Errorf("CZ history lacks %q: %q", want, hist)
		}
	}
	if out := mustCLI(t, dbPath, "missions", "history", "CZ"); !strings.Contains(strings.Join(strings.Fields(out), " "), "2020-03-09 reduced Half the staff") {
		t.Errorf("the command line does not show the change:\n%s", out)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	shoot(t, ctx, "mission-history")

	// The page fits a phone.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1), chromedp.EmulateMobile),
		chromedp.Navigate(base+"missions/CZ"), chromedp.WaitVisible(chromedp.ID("history"))); err != nil {
		t.Fatal(err)
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if width > 390 {
		t.Errorf("the mission page is %.0f px wide on a 390 px phone", width)
	}
}
