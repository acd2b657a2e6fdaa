package main

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/outpost-org/outpost/internal/report"
)

// TestBrowserExitDocuments drives the demo as the Russian embassy's
// manager: a first plan puts a passenger on the July train; the manager
// opens the passenger's exit documents and records a refused permit; a
// new plan leaves the household behind with the reason in words, and
// the new plan's manifest (CSV) carries the exit-document columns and no
// longer lists the passenger. On a phone the form fits 390 px.
func TestBrowserExitDocuments(t *testing.T) {
	ctx, demo := signedInDemo(t, "ru-manager", 0)
	base := demo.base

	first := demoDayPlan(t, ctx, base)
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(first+"/departures/TRAIN-20210702"))
	if err != nil || resp.Status != 200 {
		t.Fatalf("the train's board: %v, %+v", err, resp)
	}
	person := text(t, ctx, `#board tbody tr td .muted.small.nowrap`)
	if !strings.HasPrefix(person, "RU-") {
		t.Fatalf("first passenger on the board: %q", person)
	}

	// The person's page links to the exit documents; record a refusal.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"people/"+person),
		chromedp.WaitVisible(chromedp.ID("exit-documents")),
	); err != nil {
		t.Fatal(err)
	}
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#exit-documents a[href$="/documents"]`)))
	if err != nil || resp.Status != 200 {
		t.Fatalf("opening the exit documents: %v, %+v", err, resp)
	}
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.ID("permit_status")),
		chromedp.SetValue(chromedp.ID("permit_status"), "refused"),
	); err != nil {
		t.Fatal(err)
	}
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form.exitdocs-form button[type=submit]`)))
	if err != nil || resp.Status != 200 || !strings.Contains(resp.URL, "done=saved") {
		t.Fatalf("saving: %v, %+v", err, resp)
	}
	if got := text(t, ctx, ".alert-ok"); got != "Exit documents saved." {
		t.Errorf("confirmation: got %q", got)
	}

	// A new plan leaves the household behind and says why.
	second := demoDayPlan(t, ctx, base)
	left := text(t, ctx, "#left-behind")
	if !strings.Contains(left, person) && !strings.Contains(left, "exit permit refused") {
		t.Errorf("left behind: %q, want %s with \"exit permit refused\"", left, person)
	}
	if !strings.Contains(left, "exit permit refused") {
		t.Errorf("left behind does not give the reason: %q", left)
	}

	// The new plan's manifest, downloaded with the manager's session.
	code, _, body := fetch(t, ctx, second, "/departures/TRAIN-20210702/manifest.csv")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || code != 200 || len(rows) < 2 {
		t.Fatalf("manifest: %d, %v, %d rows", code, err, len(rows))
	}
	if !slices.Equal(rows[0], report.ManifestHeader) || !slices.Contains(rows[0], "permit_number") {
		t.Errorf("manifest header: %v", rows[0])
	}
	for _, r := range rows[1:] {
		if r[1] == person {
			t.Errorf("%s is on the manifest after the refusal", person)
		}
	}

	// On a phone: the form fits and the left-behind list reads.
	phone := browser(t, demo.exe)
	signIn(t, phone, base, "ru-manager", demo.users["ru-manager"])
	if err := chromedp.Do(phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{base + "people/" + person + "/documents", second} {
		if err := chromedp.Do(phone, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
			t.Fatal(err)
		}
		width, err := chromedp.Run(phone, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if width > 390 {
			t.Errorf("%s is %d px wide on a 390 px phone", page, width)
		}
	}
	if *screenshots != "" {
		if err := chromedp.Do(phone, chromedp.Navigate(base+"people/"+person+"/documents"), chromedp.WaitVisible(chromedp.ID("permit_status"))); err != nil {
			t.Fatal(err)
		}
		shootViewport(t, phone, "exit-documents-form")
		if err := chromedp.Do(phone, chromedp.Navigate(second), chromedp.WaitVisible(chromedp.ID("left-behind"))); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(phone, chromedp.Evaluate[bool](`document.getElementById("left-behind").scrollIntoView({block: "start"}), true`)); err != nil {
			t.Fatal(err)
		}
		shootViewport(t, phone, "exit-documents")
	}
}
