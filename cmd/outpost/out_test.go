package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/export"
	"github.com/outpost-org/outpost/internal/testkit"
)

// cliFiles runs the command line with files as the --out writer.
func cliFiles(t *testing.T, db string, files export.Files, args ...string) (string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, now: func() time.Time { return fixedNow }, files: files}
	code := a.run(context.Background(), append([]string{"--db", db}, args...))
	return errb.String(), code
}

// TestOutFileFailingOnCloseLeavesNoTarget writes every kind of --out file
// (PDF and CSV manifests, check-in links, situation reports) through a
// disk that fails when the file is closed: the command fails, says so,
// and leaves neither a partial file nor a temporary one.
func TestOutFileFailingOnCloseLeavesNoTarget(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			seedCLI(t, db)
			dir := t.TempDir()
			mustCLI(t, db, "import", "departures", writeFile(t, dir, "d.csv", departuresCSV))
			plan := lastLine(mustCLI(t, db, "evac", "plan", "--start", "2021-02-25"))
			if _, err := strconv.Atoi(plan); err != nil {
				t.Fatalf("evac plan: last line %q is not an id", plan)
			}
			rc := lastLine(mustCLI(t, db, "rollcall", "start", "Morning check", "--mission", "RU"))
			fail := export.Files{CreateTemp: func(dir, pattern string) (export.TempFile, error) {
				f, err := os.CreateTemp(dir, pattern)
				if err != nil {
					return nil, err
				}
				return testkit.CloseFails{File: f}, nil
			}}
			outDir := t.TempDir()
			for _, args := range [][]string{
				{"evac", "manifest", plan, "TRAIN-1", "--format", "pdf", "--out", filepath.Join(outDir, "m.pdf")},
				{"evac", "manifest", plan, "TRAIN-1", "--out", filepath.Join(outDir, "m.csv")},
				{"rollcall", "links", rc, "--out", filepath.Join(outDir, "links.csv")},
				{"sitrep", "--date", "2021-03-01", "--out", filepath.Join(outDir, "sitrep.pdf")},
				{"sitrep", "--date", "2021-03-01", "--out", filepath.Join(outDir, "sitrep.md")},
			} {
				errs, code := cliFiles(t, db, fail, args...)
				if code != exitInput || !strings.Contains(errs, "no space left on device") {
					t.Errorf("outpost %s: exit %d, %q; want 1 and the disk's error", strings.Join(args, " "), code, errs)
				}
				if es, _ := os.ReadDir(outDir); len(es) > 0 {
					t.Errorf("outpost %s left %s", strings.Join(args, " "), es[0].Name())
				}
				// The same command on a good disk writes the file.
				if errs, code := cliFiles(t, db, export.Files{}, args...); code != 0 {
					t.Errorf("outpost %s on a good disk: exit %d, %s", strings.Join(args, " "), code, errs)
				} else if strings.Contains(errs, "(0 B)") {
					// What it says it wrote is what a user checks.
					t.Errorf("outpost %s says it wrote nothing: %s", strings.Join(args, " "), errs)
				}
				for _, e := range testkit.DirNames(t, outDir) {
					os.Remove(filepath.Join(outDir, e))
				}
			}
		})
	}
}
