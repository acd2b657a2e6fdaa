package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserBulkDepartureAndCorrection drives the demo as the Russian
// embassy's manager (the consul): records the departure of a whole
// household in one action from a departure's board, sees the board and
// the census follow, then finds that one of them had only assembled, an
// hour earlier, and corrects that event on the person's page: the
// original shows struck through with the reason, and the census counts
// the person in the country again.
func TestBrowserBulkDepartureAndCorrection(t *testing.T) {
	ctx, demo := signedInDemo(t, "ru-manager", 3*time.Minute)
	base := demo.base
	inCountry := func() int {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(base), chromedp.WaitVisible(chromedp.ID("stat-in-country"))); err != nil {
			t.Fatal(err)
		}
		n, err := strconv.Atoi(strings.ReplaceAll(text(t, ctx, "#stat-in-country"), ",", ""))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := inCountry()

	// A plan from the demo's today, and the July train's board.
	board := demoDayPlan(t, ctx, base) + "/departures/TRAIN-20210702"
	if err := chromedp.Do(ctx, chromedp.Navigate(board), chromedp.WaitVisible(chromedp.ID("bulk-group"))); err != nil {
		t.Fatal(err)
	}
	// The largest household none of whom has assembled yet.
	household, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const n = {}, started = new Set();
		for (const r of document.querySelectorAll('#board tbody tr')) {
			const h = r.querySelector('td.opt').textContent.trim();
			n[h] = (n[h] || 0) + 1;
			if (!r.querySelector('.cp-manifested')) started.add(h);
		}
		let best = '';
		for (const h of Object.keys(n)) if (!started.has(h) && (best === '' || n[h] > n[best])) best = h;
		return best;
	})()`))
	if err != nil || household == "" {
		t.Fatalf("no household to choose: %v", err)
	}
	members, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(`[...document.querySelectorAll('#board tbody tr')]
		.filter(r => r.querySelector('td.opt').textContent.trim() === %q).map(r => r.id.slice(4))`, household)))
	if err != nil || len(members) == 0 {
		t.Fatalf("members of %s on the board: %v, %v", household, members, err)
	}

	// One action: the whole household departed.
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("bulk-group"), household),
		chromedp.SetValue(chromedp.ID("bulk-cp"), "departed"),
	); err != nil {
		t.Fatal(err)
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action$="/group"] button[type=submit]`)))
	if err != nil || resp.Status != 200 || !strings.Contains(resp.URL, "done=group") {
		t.Fatalf("recording the household's departure: %v, %+v", err, resp)
	}
	people := "people"
	if len(members) == 1 {
		people = "person"
	}
	if got, want := text(t, ctx, "#bulk .alert-ok"), fmt.Sprintf("Departed recorded for %d %s of household %s.", len(members), people, household); !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "Undo") {
		t.Errorf("confirmation: got %q, want %q with Undo", got, want)
	}
	if got := text(t, ctx, "#count-departed"); got != strconv.Itoa(len(members)) {
		t.Errorf("departed on the board: got %s, want %d", got, len(members))
	}
	phoneShot(t, ctx, "bulk-departure", ".stages")
	afterDeparture := inCountry()
	if afterDeparture != before-len(members) {
		t.Errorf("in the country after the departure: got %d, want %d - %d", afterDeparture, before, len(members))
	}

	// One of them had only assembled, an hour earlier: corrected on their
	// page, with a reason.
	person := members[0]
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"people/"+person), chromedp.WaitVisible(chromedp.ID("timeline"))); err != nil {
		t.Fatal(err)
	}
	event, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#timeline li.tl-in_transit[id^=event-]').id.slice(6)`))
	if err != nil || event == "" {
		t.Fatalf("the departure on %s's timeline: %v", person, err)
	}
	at, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('at-`+event+`').value`))
	if err != nil {
		t.Fatal(err)
	}
	wrong, err := time.Parse("2006-01-02T15:04", at)
	if err != nil {
		t.Fatalf("the amend form's time %q: %v", at, err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#event-`+event+` details summary`)),
		chromedp.WaitVisible(chromedp.ID("why-"+event)),
		chromedp.SetValue(chromedp.ID("at-"+event), wrong.Add(-time.Hour).Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.ID("cp-"+event), "assembled"),
		chromedp.SendKeys(chromedp.ID("why-"+event), "only assembled; the bus left without them"),
	); err != nil {
		t.Fatal(err)
	}
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#event-`+event+` form[action$="/amend"] button[type=submit]`)))
	if err != nil || resp.Status != 200 || !strings.Contains(resp.URL, "done=amended") {
		t.Fatalf("amending: %v, %+v", err, resp)
	}
	if got := text(t, ctx, "#event-"+event+" .tl-fix"); !strings.Contains(got, "Amended by ru-manager") || !strings.Contains(got, "only assembled; the bus left without them") {
		t.Errorf("the original's correction: got %q", got)
	}
	if got := text(t, ctx, "#event-"+event+" .tl-what del"); !strings.Contains(got, "Departed") {
		t.Errorf("the original is not struck through: %q", got)
	}
	phoneShot(t, ctx, "correction", "#correction-done")
	if got := inCountry(); got != afterDeparture+1 {
		t.Errorf("in the country after the correction: got %d, want %d + 1", got, afterDeparture)
	}
}

// phoneShot shows the page at a phone's 390 px, fails if it is wider,
// and saves a screenshot of the viewport scrolled to the element sel as
// name.png.
func phoneShot(t *testing.T, ctx context.Context, name, sel string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1), chromedp.EmulateMobile),
		chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		t.Fatal(err)
	}
	w, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if w > 390 {
		t.Errorf("%s at 390 px: the page is %.0f px wide", name, w)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.querySelector(`+strconv.Quote(sel)+`).scrollIntoView({block: 'start'}), window.scrollBy(0, -72), true)`)); err != nil {
		t.Fatal(err)
	}
	if *screenshots == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(*screenshots, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}
