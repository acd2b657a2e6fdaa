package main

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserDashboard opens the demo's dashboard as RU's manager and as
// the coordinator at a laptop's 1366 px and a phone's 390 px: the cards
// are a grid on the desk and one column on the phone, nothing is wider
// than the window, and each role sees its own blocks. With -screenshots
// it saves dashboard-manager.png and dashboard-coordinator.png (desk)
// and their -phone versions.
func TestBrowserDashboard(t *testing.T) {
	exe := chromiumPath(t)
	base, users, _ := demoSite(t)
	for _, x := range []struct {
		who, shot string
		want      []string // element ids the page must have
		not       []string
	}{
		{"ru-manager", "dashboard-manager", []string{"card-help", "card-silent", "card-medical", "card-departures", "card-supply", "card-press", "card-changes"}, []string{"corps"}},
		{"coordinator", "dashboard-coordinator", []string{"corps", "card-help", "card-medical", "card-departures", "card-supply"}, []string{"card-press", "card-changes"}},
	} {
		t.Run(x.who, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(browser(t, exe), 90*time.Second)
			defer cancel()
			signIn(t, ctx, base, x.who, users[x.who])
			for _, w := range []int64{1366, 390} {
				opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
				if w < 720 {
					opts = append(opts, chromedp.EmulateMobile)
				}
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 900, opts...),
					chromedp.Navigate(base+"?as_of=2021-04-01"), chromedp.WaitVisible(chromedp.ID("stat-in-country"))); err != nil {
					t.Fatal(err)
				}
				l, err := chromedp.Run(ctx, chromedp.Evaluate[navLayout](measureNav))
				if err != nil {
					t.Fatal(err)
				}
				if l.Width > float64(w) {
					t.Errorf("%d px: the dashboard is %.0f px wide (widest: %s)", w, l.Width, l.Widest)
				}
				cols, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => {
  const cards = [...document.querySelectorAll('.dash-card')];
  return new Set(cards.map(c => Math.round(c.getBoundingClientRect().left))).size;
})()`))
				if err != nil {
					t.Fatal(err)
				}
				if w == 390 && cols != 1 || w == 1366 && cols < 2 {
					t.Errorf("%d px: the cards stand in %d columns", w, cols)
				}
				for _, id := range x.want {
					n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#`+id+`').length`))
					if err != nil || n != 1 {
						t.Errorf("%d px: #%s: %d (%v)", w, id, n, err)
					}
				}
				for _, id := range x.not {
					if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#`+id+`').length`)); n != 0 {
						t.Errorf("%d px: #%s is shown to %s", w, id, x.who)
					}
				}
				if w == 1366 {
					shoot(t, ctx, x.shot)
				} else {
					shoot(t, ctx, x.shot+"-phone")
				}
			}
		})
	}
}
