package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserCloseReopenAndCorrect drives the demo as the Russian
// embassy: the manager closes a roll call from the page that names who
// has not answered, then reopens it, and corrects a
// published statement, whose public page then says so above the new
// text and keeps the old one readable.
func TestBrowserCloseReopenAndCorrect(t *testing.T) {
	ctx, demo := signedInDemo(t, "ru-manager", 0)
	base := demo.base

	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"rollcalls"),
		chromedp.WaitVisible(chromedp.ID("title")),
		chromedp.SendKeys(chromedp.ID("title"), "Are you safe? Evening check"),
	); err != nil {
		t.Fatal(err)
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/rollcalls"] button[type=submit]`)))
	if err != nil || resp.Status != 200 {
		t.Fatalf("starting a roll call: %v, %+v", err, resp)
	}
	rollcallURL := strings.SplitN(resp.URL, "?", 2)[0]
	// Two answers phoned in.
	for range 2 {
		if resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#no-response li:first-child button[value=safe]`))); err != nil || resp.Status != 200 {
			t.Fatalf("recording an answer: %v, %+v", err, resp)
		}
	}
	silent := text(t, ctx, "#stat-no-response")
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("close-rollcall")))
	if err != nil || resp.Status != 200 || !strings.HasSuffix(resp.URL, "/close") {
		t.Fatalf("asking to close: %v, %+v", err, resp)
	}
	if got := text(t, ctx, "#close-no-response"); got != silent {
		t.Errorf("the question counts %s without an answer, the roll call %s", got, silent)
	}
	names, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#close-silent li a[href^="/people/RU-"]').length`))
	if err != nil || names == 0 {
		t.Errorf("the question names nobody (%v)", err)
	}
	if *screenshots != "" {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1100, 900, chromedp.EmulateScale(1))); err != nil {
			t.Fatal(err)
		}
		shoot(t, ctx, "rollcall-close-confirm")
	}
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("confirm-close")))
	if err != nil || resp.Status != 200 || !strings.HasSuffix(resp.URL, "?done=closed") {
		t.Fatalf("closing: %v, %+v", err, resp)
	}
	if got := text(t, ctx, "#rollcall-title .badge"); got != "Closed" {
		t.Errorf("after closing the roll call is %q", got)
	}
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action$="/reopen"] button`)))
	if err != nil || resp.Status != 200 || resp.URL != rollcallURL+"?done=reopened" {
		t.Fatalf("reopening: %v, %+v", err, resp)
	}
	if got := text(t, ctx, ".alert-ok"); !strings.HasPrefix(got, "Roll call reopened") {
		t.Errorf("after reopening: %q", got)
	}
	// A correction publishes a new text: the manager, who approves
	// statements, makes it.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"press"), chromedp.WaitVisible(chromedp.ID("statements"))); err != nil {
		t.Fatal(err)
	}
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('#statements tbody a.plain')]
		.find(a => a.textContent.includes('Special flight to Vladivostok')).getAttribute('href')`))
	if err != nil {
		t.Fatalf("the press desk lists no flight to Vladivostok: %v", err)
	}
	resp, err = chromedp.Run(ctx, chromedp.NavigateResponse(base+strings.TrimPrefix(href, "/")))
	if err != nil || resp.Status != 200 {
		t.Fatalf("opening a published statement: %v, %+v", err, resp)
	}
	pressURL := resp.URL
	changed, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const b = document.getElementById('correct-body');
		const before = b.value; b.value = before.replace('This morning', 'On the morning of 9 March'); return b.value !== before })()`))
	if err != nil || !changed {
		t.Fatalf("editing the text: %v (changed: %v)", err, changed)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("correct-note"), "The statement did not say on which day the flight left.")); err != nil {
		t.Fatal(err)
	}
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action$="/correct"] button[type=submit]`)))
	if err != nil || resp.Status != 200 || !strings.HasSuffix(resp.URL, "?done=corrected") {
		t.Fatalf("correcting: %v, %+v", err, resp)
	}
	id := strings.TrimPrefix(strings.SplitN(pressURL, "?", 2)[0], base+"press/")
	signOut(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"statements/"+id), chromedp.WaitVisible(chromedp.ID("corrected"))); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "#corrected"); got != "Corrected on 1 June 2021: The statement did not say on which day the flight left." {
		t.Errorf("the public page says %q", got)
	}
	if got := text(t, ctx, ".statement-body"); !strings.Contains(got, "On the morning of 9 March") {
		t.Errorf("the public page shows %q, not the new text", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#versions summary"))); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "#versions details"); !strings.Contains(got, "This morning") || !strings.Contains(got, "Version 1") {
		t.Errorf("the earlier version reads %q", got)
	}
	shoot(t, ctx, "statement-corrected")
}
