package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestMapBrowser opens the evacuation overview of the demo with its map,
// makes a plan from the page and reads the plan's map: the SVG is drawn
// in the page (no request leaves the server), its table says the same,
// and it fits a phone.
func TestMapBrowser(t *testing.T) {
	ctx, demo := signedInDemo(t, "ru-manager", 120*time.Second)
	base := demo.base

	// The overview on the day of the Sinuiju convoy: every crossing is
	// under the quarantine of 28 January 2020, and no plan yet.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"evac?map_on=2021-03-18"), chromedp.WaitVisible(chromedp.CSS("#evac-map svg"))); err != nil {
		t.Fatal(err)
	}
	crossings := text(t, ctx, "#evac-map-crossings tbody")
	for _, want := range []string{"Sinuiju – Dandong", "Tumangang – Khasan", "Sunan airport", "restricted", "R-20200128"} {
		if !strings.Contains(crossings, want) {
			t.Errorf("the overview's crossings lack %q: %q", want, crossings)
		}
	}
	title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#evac-map svg").getAttribute("role") + " " + document.querySelector("#evac-map svg title").textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(title, "img Map of North Korea's border crossings on 2021-03-18") {
		t.Errorf("the map's role and title: got %q", title)
	}

	// A plan made from the page: its map draws its routes with counts.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"evac"), chromedp.WaitVisible(chromedp.ID("start")),
		chromedp.SetValue(chromedp.ID("start"), "2021-03-18")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/evac/plans"] button[type=submit]`))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#plan-map svg"))); err != nil {
		t.Fatal(err)
	}
	routes := text(t, ctx, "#plan-map-routes")
	for _, want := range []string{"BUS-20210318", "Pyongyang → SINUIJU", "of ru", "Total"} {
		if !strings.Contains(routes, want) && !strings.Contains(strings.ToLower(routes), want) {
			t.Errorf("the plan's routes lack %q: %q", want, routes)
		}
	}
	pills, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#plan-map svg path[marker-end]").length`))
	if err != nil {
		t.Fatal(err)
	}
	if pills == 0 {
		t.Errorf("the plan's map draws no route")
	}
	if *screenshots != "" {
		shootElement(t, ctx, "#plan-map", "map")
	}

	// On a phone the map scales to the width and nothing overflows.
	type sizes struct{ Page, SVG float64 }
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)), chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS("#plan-map svg"))); err != nil {
		t.Fatal(err)
	}
	widths, err := chromedp.Run(ctx, chromedp.Evaluate[sizes](`({Page: document.documentElement.scrollWidth, SVG: document.querySelector("#plan-map svg").getBoundingClientRect().right})`))
	if err != nil {
		t.Fatal(err)
	}
	if widths.Page > 390 || widths.SVG > 390 {
		t.Errorf("at 390 px the page is %v px wide and the map ends at %v px", widths.Page, widths.SVG)
	}
	if *screenshots != "" {
		shootElement(t, ctx, "#plan-map", "map-phone")
	}
}

// shootElement saves a screenshot of the element css selects.
func shootElement(t *testing.T, ctx context.Context, css, name string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.ScrollIntoView(css)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	buf, err := chromedp.Run(ctx, chromedp.Screenshot(css, chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(*screenshots, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}
