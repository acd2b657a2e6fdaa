package main

import (
	"context"
	"encoding/csv"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

func ptrTo[T any](v T) *T { return &v }

// TestPlansBrowser drives the plan pages of the demo in headless
// chromium: a mission's manager makes two plans with the form, reads the
// first plan's summary (the same words `outpost evac plan` prints),
// compares it with the second, all at a phone's width; then the
// coordinator downloads the joint manifest of a shared convoy, with every
// passenger's id and mission and no name or passport.
func TestPlansBrowser(t *testing.T) {
	exe := chromiumPath(t)
	base, users, _ := demoSite(t)
	ctx, cancel := context.WithTimeout(browser(t, exe), 120*time.Second)
	defer cancel()
	phone := chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1), chromedp.EmulateMobile)
	fits := func(page string) {
		t.Helper()
		w, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if w > 390 {
			t.Errorf("%s is %.0f px wide on a 390 px phone", page, w)
		}
	}

	signIn(t, ctx, base, "ru-manager", users["ru-manager"])
	var plans []string
	for _, start := range []string{"2021-03-01", "2021-03-19"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"evac"), chromedp.WaitVisible(chromedp.ID("start")),
			chromedp.SetValue(chromedp.ID("start"), start)); err != nil {
			t.Fatal(err)
		}
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/evac/plans"] button`)))
		if err != nil || resp.Status != 200 || !strings.Contains(resp.URL, "?made=1") {
			t.Fatalf("making a plan from %s: %v %+v", start, err, resp)
		}
		plans = append(plans, strings.TrimSuffix(resp.URL, "?made=1"))
	}

	// The list of plans offers two to compare, and fits a phone.
	if err := chromedp.Do(ctx, phone, chromedp.Navigate(base+"evac"), chromedp.WaitVisible(chromedp.ID("compare-a"))); err != nil {
		t.Fatal(err)
	}
	fits("the list of plans")
	if err := chromedp.Do(ctx, chromedp.Navigate(plans[0]), chromedp.WaitVisible(chromedp.ID("plan-summary"))); err != nil {
		t.Fatal(err)
	}
	headline := text(t, ctx, "#plan-summary")
	if !strings.HasPrefix(headline, "179 people leave by 23 July; 110 people stay behind (86 for minimum staff, 21 whose exit documents do not allow it, 3 for lack of seats); this plan is within") {
		t.Errorf("plan summary: %q", headline)
	}
	staying := text(t, ctx, "#staying-behind")
	if !strings.Contains(staying, "86 for minimum staff") || !strings.Contains(staying, "21 whose exit documents do not allow it: Kirill Kozlov") || !strings.Contains(staying, "of other missions") {
		t.Errorf("staying behind, as RU's manager sees it: %q", staying)
	}
	fits("the plan page")
	if *screenshots != "" {
		shootViewport(t, ctx, "plan-summary")
	}

	// The second plan compares itself with the first.
	if err := chromedp.Do(ctx, chromedp.Navigate(plans[1]), chromedp.WaitVisible(chromedp.ID("compare-previous")),
		chromedp.Click(chromedp.ID("compare-previous")), chromedp.WaitVisible(chromedp.ID("compare-words"))); err != nil {
		t.Fatal(err)
	}
	words := text(t, ctx, "#compare-words")
	// The demo saves a plan of its own: the two made here are the next.
	first, second := path.Base(plans[0]), path.Base(plans[1])
	if !strings.HasPrefix(words, "Plan "+second+" places 35 people fewer than plan "+first+" (144 against 179)") {
		t.Errorf("comparison: %q", words)
	}
	if got := text(t, ctx, "#totals"); !strings.Contains(got, "BUS-20210318") {
		t.Errorf("the totals lack the departure only plan 1 uses: %q", got)
	}
	fits("the comparison")
	if *screenshots != "" {
		shootViewport(t, ctx, "plan-compare")
	}
	signOut(t, ctx)

	// The coordinator prints the joint manifest of a shared convoy.
	signIn(t, ctx, base, "coordinator", users["coordinator"])
	if err := chromedp.Do(ctx, chromedp.Navigate(plans[0]), chromedp.WaitVisible(chromedp.ID("plan-summary"))); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	progress := chromedp.Events(ctx, cdpbrowser.DownloadProgress)
	if err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
				Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptrTo(true)})
			return err
		}),
		chromedp.Click(chromedp.CSS(`a[href$="joint-manifest.csv"]`))); err != nil {
		t.Fatalf("the coordinator's plan page has no joint manifest to download: %v", err)
	}
	var file string
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("downloading the joint manifest: %v", err)
		}
		if ev.State == cdpbrowser.DownloadProgressStateCompleted {
			file = filepath.Join(dir, ev.GUID)
			break
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil || len(rows) < 3 {
		t.Fatalf("joint manifest: %v\n%s", err, b)
	}
	missions := map[string]bool{}
	for _, r := range rows[1:] {
		missions[r[0]] = true
		if r[2] == "" || r[3] != "" || r[4] != "" || r[7] != "" || r[6] != "" {
			t.Errorf("the coordinator's row %q: want a person id, no name, birth date or passport", r)
		}
	}
	if rows[0][0] != "mission" || len(missions) < 2 {
		t.Errorf("joint manifest: header %q, %d missions", rows[0], len(missions))
	}
}
