package main

import (
	"encoding/csv"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserEvacuationAndWelfare drives the demo as the Russian
// embassy's manager: makes a plan, records a checkpoint on a departure's
// board, starts a roll call and exports its links; then, on a phone-sized
// screen without signing in, opens one person's link and taps "I am
// safe"; the manager's roll-call page counts the answer.
func TestBrowserEvacuationAndWelfare(t *testing.T) {
	ctx, demo := signedInDemo(t, "ru-manager", 0)
	base := demo.base

	// A plan from the demo's today, 1 June 2021: the July train and bus.
	planURL := demoDayPlan(t, ctx, base)
	if got := text(t, ctx, "#plan-title"); got != "From 2021-06-01" {
		t.Errorf("plan title: got %q", got)
	}
	if got := text(t, ctx, "main"); !strings.Contains(got, "You see the households of your mission, RU, by name") {
		t.Errorf("the plan page does not say whose names it shows")
	}
	shoot(t, ctx, "evac-plan")

	// The July train's board: the first passengers assemble.
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(planURL+"/departures/TRAIN-20210702"))
	if err != nil || resp.Status != 200 {
		t.Fatalf("the train's board: %v, %+v", err, resp)
	}
	total := text(t, ctx, "#count-total")
	for range 3 {
		resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#board tbody tr:has(.cp-manifested) form.row-form button`)))
		if err != nil || resp.Status != 200 {
			t.Fatalf("recording a checkpoint: %v, %+v", err, resp)
		}
		if got := text(t, ctx, ".alert-ok"); !strings.HasPrefix(got, "Checkpoint recorded for RU-") {
			t.Errorf("after recording: got %q", got)
		}
	}
	if got := text(t, ctx, "#count-assembled"); got != "3" {
		t.Errorf("assembled: got %s of %s, want 3", got, total)
	}
	shoot(t, ctx, "evac-board")

	// A roll call of RU, started from its page.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"rollcalls"),
		chromedp.WaitVisible(chromedp.ID("title")),
		chromedp.SendKeys(chromedp.ID("title"), "Are you safe? Storm of 1 June"),
		chromedp.SetValue(chromedp.ID("escalate_after"), "2h"),
	); err != nil {
		t.Fatal(err)
	}
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/rollcalls"] button[type=submit]`)))
	if err != nil || resp.Status != 200 || !strings.Contains(resp.URL, "done=started") {
		t.Fatalf("starting a roll call: %v, %+v", err, resp)
	}
	rollcallURL := strings.TrimSuffix(resp.URL, "?done=started")
	if got := text(t, ctx, "#stat-safe"); got != "0" {
		t.Errorf("a new roll call counts %s safe", got)
	}

	// The manager exports the links (with their session) to send them out.
	code, _, body := fetch(t, ctx, rollcallURL, "/links.csv")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) < 3 || code != 200 {
		t.Fatalf("links export: %d, %v, %d rows", code, err, len(rows))
	}
	person, given, link := rows[1][0], rows[1][1], rows[1][4]
	if u, err := url.Parse(link); err != nil || !strings.HasPrefix(link, base+"checkin/") || u.Host == "" {
		t.Fatalf("link of %s: %q", person, link)
	}

	// On a phone, without signing in: one tap.
	phone := browser(t, demo.exe)
	if err := chromedp.Do(phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	resp, err = chromedp.Run(phone, chromedp.NavigateResponse(link))
	if err != nil || resp.Status != 200 {
		t.Fatalf("opening the link: %v, %+v", err, resp)
	}
	if got := text(t, phone, "h1"); got != "Are you safe? Storm of 1 June" {
		t.Errorf("the link's page: heading %q", got)
	}
	if got := text(t, phone, ".checkin-hello"); got != fmt.Sprintf("Hello %s. Please tell your mission how you are.", given) {
		t.Errorf("greeting: got %q", got)
	}
	if got := text(t, phone, "main"); strings.Contains(got, rows[1][2]) {
		t.Errorf("the public page shows the family name %q", rows[1][2])
	}
	shoot(t, phone, "checkin-phone")
	resp, err = chromedp.RunResponse(phone, chromedp.Click(chromedp.ID("answer-safe")))
	if err != nil || resp.Status != 200 {
		t.Fatalf("tapping I am safe: %v, %+v", err, resp)
	}
	if got := text(t, phone, "#checkin-answer"); got != "Your answer was recorded: I am safe" {
		t.Errorf("confirmation: got %q", got)
	}
	shoot(t, phone, "checkin-done-phone")

	// Someone phones the embassy and asks for help.
	if err := chromedp.Do(ctx, chromedp.Navigate(rollcallURL), chromedp.WaitVisible(chromedp.ID("stat-safe"))); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "#stat-safe"); got != "1" {
		t.Errorf("the manager's page counts %s safe, want the 1 who tapped", got)
	}
	if got := text(t, ctx, "#no-response"); strings.Contains(got, person) {
		t.Errorf("%s still listed without an answer", person)
	}
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#no-response li:first-child button[value=need_help]`)))
	if err != nil || resp.Status != 200 {
		t.Fatalf("recording a call for help: %v, %+v", err, resp)
	}
	if got := text(t, ctx, "#stat-need-help"); got != "1" {
		t.Errorf("need help: got %s, want 1", got)
	}
	shoot(t, ctx, "rollcall")
	if *screenshots != "" {
		for _, p := range []struct{ url, ready, name string }{
			{rollcallURL, "#stat-safe", "rollcall-phone"},
			{planURL + "/departures/TRAIN-20210702", "#board", "evac-board-phone"},
		} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
				chromedp.Navigate(p.url), chromedp.WaitVisible(chromedp.CSS(p.ready))); err != nil {
				t.Fatal(err)
			}
			shoot(t, ctx, p.name)
		}
	}
}
