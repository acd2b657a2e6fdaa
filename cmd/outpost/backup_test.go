package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBackupRestoreAndCheckCommands: on SQLite, outpost backup copies the
// database and outpost restore brings that copy back (a bad file is
// refused); on PostgreSQL, both print the pg_dump and pg_restore commands
// and exit 1, and those commands, run as printed, do the job. outpost
// check passes on both.
func TestBackupRestoreAndCheckCommands(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			seedCLI(t, db)
			dir := t.TempDir()
			file := filepath.Join(dir, "backup")
			before := mustCLI(t, db, "census", "--as-of", "2021-06-01", "--json")
			if out := mustCLI(t, db, "check"); strings.TrimSpace(out) != "ok" {
				t.Errorf("check: got %q, want ok", out)
			}
			_, errs, code := cli(t, db, "", "backup", file)
			if name == "postgres" {
				if code != exitInput || !strings.Contains(errs, "pg_dump --format=custom") || !strings.Contains(errs, "pg_restore ") {
					t.Fatalf("backup on PostgreSQL: exit %d, %s; want 1 and the pg_dump and pg_restore commands", code, errs)
				}
				if _, errs2, code := cli(t, db, "", "restore", file); code != exitInput || !strings.Contains(errs2, "pg_restore ") {
					t.Errorf("restore on PostgreSQL: exit %d, %s", code, errs2)
				}
				if _, err := exec.LookPath("pg_dump"); err != nil {
					t.Skip("no pg_dump here to run the printed commands")
				}
				dump := regexp.MustCompile(`To back up:\s+(.*)`).FindStringSubmatch(errs)
				restore := regexp.MustCompile(`To restore:\s+(.*)`).FindStringSubmatch(errs)
				if dump == nil || restore == nil {
					t.Fatalf("commands not found in %s", errs)
				}
				if out, err := exec.Command("sh", "-c", dump[1]).CombinedOutput(); err != nil {
					t.Fatalf("%s: %v\n%s", dump[1], err, out)
				}
				mustCLI(t, db, "track", "RU-0001", "departed", "--at", "2021-05-01T09:00")
				if out, err := exec.Command("sh", "-c", restore[1]).CombinedOutput(); err != nil {
					t.Fatalf("%s: %v\n%s", restore[1], err, out)
				}
			} else {
				if code != 0 {
					t.Fatalf("backup: exit %d, %s", code, errs)
				}
				mustCLI(t, db, "track", "RU-0001", "departed", "--at", "2021-05-01T09:00")
				garbage := writeFile(t, dir, "garbage.db", "not a database")
				if _, errs, code := cli(t, db, "", "restore", garbage); code != exitInput || !strings.Contains(errs, "not a good backup") {
					t.Errorf("restore of a bad file: exit %d, %s", code, errs)
				}
				if out := mustCLI(t, db, "restore", file); !strings.Contains(out, "check ok") {
					t.Errorf("restore: %s", out)
				}
			}
			if after := mustCLI(t, db, "census", "--as-of", "2021-06-01", "--json"); after != before {
				t.Errorf("the restored census differs:\n%s\nwant\n%s", after, before)
			}
			mustCLI(t, db, "check")
			if es, _ := os.ReadDir(dir); name == "sqlite" && len(es) != 2 {
				t.Errorf("files beside the backup: %v", es)
			}
		})
	}
}

// A mistyped path must not cost the database: no --out replaces it (or its
// WAL), no backup is written over its WAL, and backup and check refuse a
// database that is not there instead of making an empty one that "backs
// up" and "checks ok".
func TestNothingIsWrittenOverTheDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "d.db")
	seedCLI(t, db)
	census := mustCLI(t, db, "census", "--as-of", "2021-06-01", "--json")
	link := filepath.Join(dir, "report.md")
	if err := os.Symlink(db, link); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{db, link} {
		if _, errs, code := cli(t, db, "", "sitrep", "--date", "2021-04-01", "--out", target); code == 0 || !strings.Contains(errs, "is a database") {
			t.Errorf("sitrep --out %s: exit %d, %q; want a refusal", filepath.Base(target), code, errs)
		}
	}
	mustCLI(t, db, "track", "RU-0001", "departed", "--at", "2021-06-02T10:00") // the WAL now has a frame
	if _, err := os.Stat(db + "-wal"); err == nil {
		if _, errs, code := cli(t, db, "", "backup", db+"-wal"); code == 0 || !strings.Contains(errs, "wal file") {
			t.Errorf("backup onto the WAL: exit %d, %q; want a refusal", code, errs)
		}
	}
	if got := mustCLI(t, db, "census", "--as-of", "2021-06-01", "--json"); got != census {
		t.Errorf("the census changed after the refused writes:\n%s\nwant\n%s", got, census)
	}
	if out := mustCLI(t, db, "check"); strings.TrimSpace(out) != "ok" {
		t.Errorf("check: %q", out)
	}
	typo := filepath.Join(dir, "typo.db")
	for _, args := range [][]string{{"backup", filepath.Join(dir, "b.db")}, {"check"}} {
		if _, errs, code := cli(t, typo, "", args...); code == 0 || !strings.Contains(errs, "no database at") {
			t.Errorf("%s on a missing database: exit %d, %q; want a refusal", args[0], code, errs)
		}
	}
	if _, err := os.Stat(typo); err == nil {
		t.Error("a missing database was created")
	}
}
