package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/supply"
)

// TestSupplyBrowser drives the supplies pages of the demo in headless
// chromium: the coordinator's status of 1 March 2021 shows the shortages
// the command line counts and proposes pooling; the admin records a
// proposed transfer with its button; a staff user's refused issue is
// shown beside its input.
func TestSupplyBrowser(t *testing.T) {
	exe := chromiumPath(t)
	base, users, dbPath := demoSite(t)
	// Each part signs in in a browser of its own, with a deadline, so
	// that a page that never shows fails instead of hanging.
	fresh := func(t *testing.T) context.Context {
		ctx, cancel := context.WithTimeout(browser(t, exe), 90*time.Second)
		t.Cleanup(cancel)
		return ctx
	}
	var st supplyStatus
	if err := json.Unmarshal([]byte(mustCLI(t, dbPath, "supply", "status", "--as-of", "2021-03-01", "--json")), &st); err != nil {
		t.Fatal(err)
	}
	short, out := 0, 0
	for _, r := range st.Rows {
		if r.Shortage {
			short++
			if *r.DaysOfSupply == 0 {
				out++
			}
		}
	}

	t.Run("the coordinator sees the corps' shortages", func(t *testing.T) {
		ctx := fresh(t)
		signIn(t, ctx, base, "coordinator", users["coordinator"])
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"supply?as_of=2021-03-01"), chromedp.WaitVisible(chromedp.ID("corps"))); err != nil {
			t.Fatal(err)
		}
		for css, want := range map[string]int{"#stat-short": short, "#stat-out": out} {
			if got := text(t, ctx, css); got != fmt.Sprint(want) {
				t.Errorf("%s: got %q, want %d as `outpost supply status` counts", css, got, want)
			}
		}
		if got := text(t, ctx, "#stock tbody"); !strings.Contains(got, "Out of stock") {
			t.Errorf("the status table marks nothing out of stock: %q", got)
		}
		if *screenshots != "" {
			// The corps view and the head of the table; the whole table
			// of every mission is several screens long.
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 1640)); err != nil {
				t.Fatal(err)
			}
			shootViewport(t, ctx, "supply-status")
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
				chromedp.Navigate(base+"supply?as_of=2021-03-01#corps-title"), chromedp.WaitVisible(chromedp.ID("corps"))); err != nil {
				t.Fatal(err)
			}
			shoot(t, ctx, "supply-status-phone")
		}
	})

	t.Run("the admin records a proposed transfer", func(t *testing.T) {
		ctx := fresh(t)
		signIn(t, ctx, base, "admin", users["admin"])
		pool := func(item, asOf string) supply.Proposal {
			var p supply.Proposal
			if err := json.Unmarshal([]byte(mustCLI(t, dbPath, "supply", "pool", item, "--as-of", asOf, "--json")), &p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		// Flour on 1 March 2021: the proposal the command line makes.
		p := pool("FLOUR", "2021-03-01")
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"supply/pool/FLOUR?as_of=2021-03-01"), chromedp.WaitVisible(chromedp.ID("shares"))); err != nil {
			t.Fatal(err)
		}
		if got, want := text(t, ctx, "#stat-transfers"), fmt.Sprint(len(p.Transfers)); got != want {
			t.Errorf("transfers: got %s, want %s as `outpost supply pool` proposes", got, want)
		}
		if got, want := text(t, ctx, "#stat-level"), fmt.Sprintf("%.1f", p.LevelDays); got != want {
			t.Errorf("level: got %s, want %s", got, want)
		}
		shoot(t, ctx, "supply-pool")
		// Sugar today (1 June 2021): the donors' later issues stay
		// covered, so the first transfer can be recorded.
		p = pool("SUGAR", "2021-06-01")
		if len(p.Transfers) == 0 {
			t.Fatal("the demo proposes no transfer of sugar on 2021-06-01")
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"supply/pool/SUGAR"), chromedp.WaitVisible(chromedp.ID("proposal"))); err != nil {
			t.Fatal(err)
		}
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#proposal tbody tr:first-child button")))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != 200 || !strings.Contains(resp.URL, "done=") {
			t.Fatalf("recording %+v: got %d at %s", p.Transfers[0], resp.Status, resp.URL)
		}
		if got := text(t, ctx, ".alert-ok"); !strings.Contains(got, "recorded") {
			t.Errorf("after recording: got %q, want a confirmation", got)
		}
		var trs struct{ Transfers []outpost.Transfer }
		if err := json.Unmarshal([]byte(mustCLI(t, dbPath, "supply", "transfers", "--json")), &trs); err != nil {
			t.Fatal(err)
		}
		if len(trs.Transfers) != 1 || trs.Transfers[0].From != p.Transfers[0].From || trs.Transfers[0].To != p.Transfers[0].To {
			t.Errorf("transfers recorded: got %+v, want %+v", trs.Transfers, p.Transfers[0])
		}
	})

	t.Run("a refused issue is shown beside its input", func(t *testing.T) {
		ctx := fresh(t)
		signIn(t, ctx, base, "ru-staff", users["ru-staff"])
		if err := chromedp.Do(ctx,
			chromedp.Navigate(base+"supply?as_of=2021-03-01"),
			chromedp.WaitVisible(chromedp.ID("issue-quantity")),
			chromedp.SetValue(chromedp.ID("issue-item"), "INSULIN"),
			chromedp.SendKeys(chromedp.ID("issue-quantity"), "100000"),
			chromedp.SetValue(chromedp.ID("issue-date"), "2021-03-01"),
		); err != nil {
			t.Fatal(err)
		}
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action^="/supply/issues"] button[type=submit]`)))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != 400 {
			t.Errorf("an issue of 100000 vials: got %d, want 400", resp.Status)
		}
		if got := text(t, ctx, "#issue-quantity-error"); !strings.Contains(got, "on hand on 2021-03-01") {
			t.Errorf("the error beside the quantity: got %q", got)
		}
		if a, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.ID("issue-quantity"), "aria-invalid")); err != nil || a.Value != "true" {
			t.Errorf("the quantity input is not marked invalid: %+v %v", a, err)
		}
		shoot(t, ctx, "supply-form-error")
	})
}

// shootViewport saves a screenshot of the window only.
func shootViewport(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(*screenshots, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}
