package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/scenarios"
)

func TestStatementCommands(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db, dir := mk(t), t.TempDir()
			mustCLI(t, db, "import", "missions", writeFile(t, dir, "m.csv", "code,name,country,kind,status,min_staff\nRU,Embassy of Russia,RU,embassy,open,2\n"))
			body := writeFile(t, dir, "body.md", "Fewer than **290** foreigners remain.\n")
			out := mustCLI(t, db, "statement", "draft", "Fewer than 290 remain", "--body-file", body, "--mission", "RU")
			id := lastLine(out)
			if id != "1" {
				t.Fatalf("draft: got last line %q, want the id 1 alone\n%s", id, out)
			}
			out, _, code := cli(t, db, "From stdin.\n", "statement", "draft", "Corps note", "--body-file", "-")
			if code != 0 || lastLine(out) != "2" {
				t.Errorf("draft from stdin: exit %d, last line %q, want 0 and 2", code, lastLine(out))
			}
			cases := []struct {
				args []string
				code int
				err  string
			}{
				{[]string{"statement", "draft", "No body"}, exitUsage, "--body-file is required"},
				{[]string{"statement", "draft", "X", "--body-file", body, "--mission", "ZZ"}, exitInput, `no mission "ZZ"`},
				{[]string{"statement", "publish", id}, exitInput, "not approved"},
				{[]string{"statement", "approve", "abc"}, exitUsage, "must be a number"},
				{[]string{"statement", "approve", "99"}, exitInput, "no statement 99"},
				{[]string{"statement", "attach", id, writeFile(t, dir, "fake.jpg", "<script>")}, exitInput, "not a JPEG, PNG or WebP"},
				{[]string{"statement", "attach", id, filepath.Join(dir, "missing.png")}, exitInput, "cannot read the photo"},
				{[]string{"statement", "list", "--status", "gone"}, exitUsage, "want one of draft, approved, published"},
			}
			for _, c := range cases {
				_, errs, code := cli(t, db, "", c.args...)
				if code != c.code || !strings.Contains(errs, c.err) {
					t.Errorf("outpost %s: got exit %d %q, want %d with %q", strings.Join(c.args, " "), code, errs, c.code, c.err)
				}
			}
			photo := filepath.Join(dir, "trolley.png")
			if err := os.WriteFile(photo, storetest.PNG(6, 4), 0o644); err != nil {
				t.Fatal(err)
			}
			out = mustCLI(t, db, "statement", "attach", id, photo, "--caption", "On the bridge")
			if lastLine(out) != "1" || !strings.Contains(out, "image/png, 6×4") {
				t.Errorf("attach: got %q, want the photo's description and its id last", out)
			}
			mustCLI(t, db, "statement", "approve", id)
			out = mustCLI(t, db, "statement", "publish", id, "--at", "2021-04-01T10:00")
			if !strings.Contains(out, "published 1 Apr 2021 10:00") {
				t.Errorf("publish: got %q", out)
			}
			out = mustCLI(t, db, "statement", "list")
			if !strings.Contains(out, "1   published  RU       2021-04-01 10:00  1       Fewer than 290 remain") || !strings.Contains(out, "2 statements") {
				t.Errorf("list:\n%s", out)
			}
			var doc struct {
				Statements []outpost.Statement `json:"statements"`
			}
			if err := json.Unmarshal([]byte(mustCLI(t, db, "statement", "list", "--json", "--status", "draft")), &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Statements) != 1 || doc.Statements[0].Title != "Corps note" {
				t.Errorf("list --json --status draft: got %+v", doc.Statements)
			}
			out = mustCLI(t, db, "statement", "show", id)
			for _, want := range []string{"Statement 1 (RU): Fewer than 290 remain", "Published  1 Apr 2021 10:00 by cli", "trolley.png (image/png, 6×4", "Fewer than **290**"} {
				if !strings.Contains(out, want) {
					t.Errorf("show: got no %q in\n%s", want, out)
				}
			}
			if _, errs, code := cli(t, db, "", "statement", "edit", id, "--title", "New"); code != exitInput || !strings.Contains(errs, "published") {
				t.Errorf("edit a published statement: got exit %d %q", code, errs)
			}
			out = mustCLI(t, db, "sitrep", "--date", "2021-04-01", "--mission", "RU")
			if !strings.Contains(out, "| 1 Apr 2021 10:00 | RU | Fewer than 290 remain |") || strings.Contains(out, "Corps note") {
				t.Errorf("sitrep: want the published statement and not the draft in\n%s", out)
			}
		})
	}
}

func TestSitrepCommand(t *testing.T) {
	db, dir := filepath.Join(t.TempDir(), "o.db"), t.TempDir()
	out := mustCLI(t, db, "sitrep")
	for _, want := range []string{"# Situation report: Diplomatic corps (all missions)", "End of Tuesday 1 June 2021",
		"No people recorded yet.", "No stock recorded yet.", "No statement published in the last 7 days."} {
		if !strings.Contains(out, want) {
			t.Errorf("sitrep of an empty database: got no %q in\n%s", want, out)
		}
	}
	pdf := filepath.Join(dir, "r.pdf")
	_, errs, code := cli(t, db, "", "sitrep", "--date", "2021-04-01", "--out", pdf)
	if b, err := os.ReadFile(pdf); code != 0 || err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("sitrep --out r.pdf: exit %d %q, want a PDF file", code, errs)
	}
	html := filepath.Join(dir, "r.html")
	mustCLI(t, db, "sitrep", "--out", html)
	if b, _ := os.ReadFile(html); !bytes.HasPrefix(b, []byte("<!doctype html>")) {
		t.Errorf("sitrep --out r.html: got %.20q, want HTML", b)
	}
	cases := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"sitrep", "--format", "docx"}, exitUsage, "want md, html or pdf"},
		{[]string{"sitrep", "--date", "2021-02-30"}, exitUsage, "not a real calendar date"},
		{[]string{"sitrep", "--mission", "ZZ"}, exitInput, `no mission "ZZ"`},
		{[]string{"sitrep", "--out", filepath.Join(dir, "no", "such", "dir.md")}, exitInput, "cannot write"},
	}
	for _, c := range cases {
		_, errs, code := cli(t, db, "", c.args...)
		if code != c.code || !strings.Contains(errs, c.err) {
			t.Errorf("outpost %s: got exit %d %q, want %d with %q", strings.Join(c.args, " "), code, errs, c.code, c.err)
		}
	}
}

// TestDemoSitrep loads the demo scenario and reads the sitrep of 1 April
// 2021, the day of the Russian embassy's statement.
func TestDemoSitrep(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	a := &app{dsn: db, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, now: func() time.Time { return fixedNow }}
	if _, err := a.loadScenario(outpost.WithActor(context.Background(), "demo"), scenarios.Pyongyang, "pyongyang-2021"); err != nil {
		t.Fatal(err)
	}
	a.db.Close()
	out := mustCLI(t, db, "sitrep", "--date", "2021-04-01")
	for _, want := range []string{"End of Thursday 1 April 2021 · times in Asia/Pyongyang",
		"251 people in the country at the end of 1 April", "9 heads of mission present",
		"| 1 Apr 2021 10:00 | RU | Fewer than 290 foreigners remain in Pyongyang |",
		"36 missions: 5 open, 10 reduced, 9 suspended, 12 closed."} {
		if !strings.Contains(out, want) {
			t.Errorf("demo sitrep of 2021-04-01: got no %q in\n%s", want, out)
		}
	}
	out = mustCLI(t, db, "statement", "list")
	if !strings.Contains(out, "Embassy families reach Russia across the Tumen river") {
		t.Errorf("demo statements:\n%s", out)
	}
	out = mustCLI(t, db, "sitrep", "--date", "2021-02-25", "--mission", "RU")
	for _, want := range []string{"Embassy of the Russian Federation (RU)", "down 8 since the day before"} {
		if !strings.Contains(out, want) {
			t.Errorf("RU sitrep of 2021-02-25: got no %q in\n%s", want, out)
		}
	}
}
