package main

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// navLayout is what the page's main menu looks like in the window:
// how many entries it has, how many a reader can see (inside the
// window, not clipped by a scrolling box), and how many rows they take.
type navLayout struct {
	Entries int     `json:"entries"`
	Visible int     `json:"visible"`
	Rows    int     `json:"rows"`
	Width   float64 `json:"width"`
	Widest  string  `json:"widest"`
}

const measureNav = `(() => {
  const vw = document.documentElement.clientWidth;
  const links = [...document.querySelectorAll('.nav a')];
  const tops = new Set();
  let visible = 0;
  for (const a of links) {
    const r = a.getBoundingClientRect();
    tops.add(Math.round(r.top));
    // An entry a scrolling box clips is not seen: the point in its
    // middle must be the link itself.
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const hit = x >= 0 && x <= vw && document.elementFromPoint(x, y);
    if (r.width > 0 && hit && (hit === a || a.contains(hit))) visible++;
  }
  let widest = '', w = 0;
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > w) { w = r.right; widest = el.tagName + (el.id ? '#' + el.id : '') + (el.className && el.className.baseVal === undefined ? '.' + el.className : ''); }
  }
  return {entries: links.length, visible, rows: tops.size, width: document.documentElement.scrollWidth, widest};
})()`

// TestBrowserLayoutFitsPhoneAndDesk opens /supply as a manager of the
// demo: at a phone's 390 px nothing is wider than the window and every
// menu entry can be seen and tapped; at a laptop's 1366 px the menu is
// one line.
func TestBrowserLayoutFitsPhoneAndDesk(t *testing.T) {
	exe := chromiumPath(t)
	base, users, _ := demoSite(t)
	for _, who := range []string{"ru-manager", "coordinator", "admin"} {
		t.Run(who, func(t *testing.T) { layoutAs(t, exe, base, who, users[who]) })
	}
}

func layoutAs(t *testing.T, exe, base, who, password string) {
	ctx, cancel := context.WithTimeout(browser(t, exe), 90*time.Second)
	defer cancel()
	signIn(t, ctx, base, who, password)
	for _, page := range []string{"supply", "supply?as_of=2021-03-01", ""} {
		for _, w := range []int64{390, 1366} {
			// A phone is a mobile viewport: there, content wider than the
			// window widens the page instead of scrolling in its box.
			opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
			if w < 720 {
				opts = append(opts, chromedp.EmulateMobile)
			}
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 844, opts...),
				chromedp.Navigate(base+page), chromedp.WaitVisible(chromedp.ID("main"))); err != nil {
				t.Fatal(err)
			}
			l, err := chromedp.Run(ctx, chromedp.Evaluate[navLayout](measureNav))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("/%s at %d px: %+v", page, w, l)
			if l.Width > float64(w) {
				t.Errorf("/%s at %d px: the page is %.0f px wide (widest: %s)", page, w, l.Width, l.Widest)
			}
			if l.Entries < 5 || l.Visible != l.Entries {
				t.Errorf("/%s at %d px: %d of %d menu entries can be seen", page, w, l.Visible, l.Entries)
			}
			if w == 1366 && l.Rows != 1 {
				t.Errorf("/%s at %d px: the menu takes %d lines, want 1", page, w, l.Rows)
			}
			if w == 390 && page == "supply" && who == "ru-manager" {
				shoot(t, ctx, "supply-menu-phone")
			}
		}
	}
}
