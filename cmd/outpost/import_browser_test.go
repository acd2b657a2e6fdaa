package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/outpost-org/outpost/internal/store"
)

// TestImportBrowser: on a phone, the consul of RU imports a staff list
// with two mistakes, reads both, uploads the corrected file, reads the
// preview, commits it and finds the new people; then adds a person by
// form, is told the birth date is wrong beside it, and corrects it.
func TestImportBrowser(t *testing.T) {
	exe := chromiumPath(t)
	base, users, dbPath := demoSite(t)
	ctx, cancel := context.WithTimeout(browser(t, exe), 120*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2))); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, base, "ru-manager", users["ru-manager"])
	// fits fails when the page is wider than the phone.
	fits := func(t *testing.T, what string) {
		t.Helper()
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if w > 390 {
			t.Errorf("%s is %d px wide on a 390 px phone", what, w)
		}
	}
	dir := t.TempDir()
	// Both files have the name the consul's spreadsheet gives them.
	write := func(sub, body string) string {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, sub, "ru-staff.csv")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	header := "id,household,given_name,family_name,nationality,mission,category,birth_date,essential\n"
	bad := write("first", header+
		"RU-N001,RU-HN1,Olga,Vasilieva,RU,RU,staff,31/02/1985,false\n"+
		"RU-N002,RU-HN1,Pavel,Vasiliev,RU,RU,driver,1983-07-14,false\n"+
		"RU-N003,RU-HN2,Irina,Kuznetsova,RU,RU,diplomat,1979-11-03,true\n")
	good := write("corrected", header+
		"RU-N001,RU-HN1,Olga,Vasilieva,RU,RU,staff,1985-02-28,false\n"+
		"RU-N002,RU-HN1,Pavel,Vasiliev,RU,RU,dependent,1983-07-14,false\n"+
		"RU-N003,RU-HN2,Irina,Kuznetsova,RU,RU,diplomat,1979-11-03,true\n")

	upload := func(t *testing.T, file string) {
		t.Helper()
		step := func(what string, a chromedp.Action[chromedp.Void]) {
			t.Helper()
			sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
			defer cancel()
			if err := chromedp.Do(sctx, a); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
		step("open people", chromedp.Navigate(base+"people"))
		step("follow the import link", chromedp.Click(chromedp.CSS(`a[href="/import?kind=people"]`), chromedp.NodeVisible))
		step("wait for the file input", chromedp.WaitVisible(chromedp.CSS(`#file`)))
		step("choose the file", chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file}))
		step("send the file", chromedp.Click(chromedp.CSS(`form[action="/import"] button[type=submit]`)))

	}

	t.Run("a file with two mistakes is refused, each located", func(t *testing.T) {
		upload(t, bad)
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#problems`)), chromedp.WaitVisible(chromedp.CSS(`h1`))); err != nil {
			t.Fatal(err)
		}
		got := text(t, ctx, "#problems tbody")
		for _, want := range []string{
			`ru-staff.csv:2: birth_date: not a date, want YYYY-MM-DD (got "31/02/1985")`,
			`ru-staff.csv:3: category: must be one of head_of_mission, diplomat, staff, dependent, national, org_staff (got "driver")`,
		} {
			if !strings.Contains(got, want) {
				t.Errorf("the problems lack %q; they are:\n%s", want, got)
			}
		}
		fits(t, "the problems page")
		shoot(t, ctx, "import-errors")
	})

	t.Run("the corrected file is previewed and committed", func(t *testing.T) {
		upload(t, good)
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#count-new`))); err != nil {
			t.Fatal(err)
		}
		if n, u := text(t, ctx, "#count-new"), text(t, ctx, "#count-updated"); n != "3" || u != "0" {
			t.Errorf("preview: got %s new, %s updated; want 3 and 0", n, u)
		}
		fits(t, "the preview")
		shoot(t, ctx, "import-preview")
		db, err := store.Open(context.Background(), dbPath)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Person(context.Background(), "RU-N001"); err == nil {
			t.Errorf("RU-N001 exists before the commit")
		}
		db.Close()
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#commit`))); err != nil {
			t.Fatal(err)
		}
		if got := text(t, ctx, ".alert-ok"); !strings.HasPrefix(got, "Imported: 3 new, 0 updated") {
			t.Errorf("after the commit: got %q", got)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"people?q=RU-N"), chromedp.WaitVisible(chromedp.CSS(`#people`))); err != nil {
			t.Fatal(err)
		}
		got := text(t, ctx, "#people tbody")
		for _, want := range []string{"RU-N001", "Vasilieva, Olga", "RU-N002", "RU-N003", "Kuznetsova, Irina"} {
			if !strings.Contains(got, want) {
				t.Errorf("the people list lacks %q after the import", want)
			}
		}
	})

	t.Run("a person added by form: a wrong date shown beside it, then fixed", func(t *testing.T) {
		if err := chromedp.Do(ctx,
			chromedp.Navigate(base+"people"),
			chromedp.Click(chromedp.CSS(`a[href="/people/new"]`), chromedp.NodeVisible),
			chromedp.WaitVisible(chromedp.CSS(`#f-id`)),
			chromedp.SendKeys(chromedp.CSS(`#f-id`), "RU-N004"),
			chromedp.SendKeys(chromedp.CSS(`#f-household`), "RU-HN2"),
			chromedp.SendKeys(chromedp.CSS(`#f-given_name`), "Mikhail"),
			chromedp.SendKeys(chromedp.CSS(`#f-family_name`), "Kuznetsov"),
			chromedp.SendKeys(chromedp.CSS(`#f-nationality`), "RU"),
			chromedp.SetValue(chromedp.CSS(`#f-category`), "dependent"),
			chromedp.SendKeys(chromedp.CSS(`#f-birth_date`), "2014-13-01"),
		); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form.record-form button[type=submit]`))); err != nil {
			t.Fatal(err)
		}
		if got := text(t, ctx, "#f-birth_date-error"); got != `birth_date: not a real calendar date (got "2014-13-01")` {
			t.Errorf("the date's problem: got %q", got)
		}
		if kept, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#f-family_name`))); err != nil || kept != "Kuznetsov" {
			t.Errorf("the form kept family name %q (%v)", kept, err)
		}
		fits(t, "the person form")
		if err := chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.CSS(`#form-error`))); err != nil {
			t.Fatal(err)
		}
		shoot(t, ctx, "person-form")
		if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#f-birth_date`), "2014-12-01")); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form.record-form button[type=submit]`))); err != nil {
			t.Fatal(err)
		}
		if got := text(t, ctx, ".alert-ok"); got != "Person added." {
			t.Errorf("after the fix: got %q", got)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"households/RU-HN2"), chromedp.WaitVisible(chromedp.CSS(`#members`))); err != nil {
			t.Fatal(err)
		}
		if got := text(t, ctx, "#members"); !strings.Contains(got, "Kuznetsov, Mikhail") || !strings.Contains(got, "Kuznetsova, Irina") {
			t.Errorf("household RU-HN2: got %q", got)
		}
		fits(t, "the household page")
	})
}
