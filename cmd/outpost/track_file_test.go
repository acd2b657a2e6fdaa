package main

import (
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
)

// outpost track --file records a scanner's file each scan on its own, lists
// the refused ones by line, records nothing twice when the file is sent
// again, and refuses a file that is not one whole, by line and column.
func TestTrackFile(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			seedCLI(t, db)
			dir := t.TempDir()
			scans := writeFile(t, dir, "gate2.csv", "person,checkpoint,at,scan_id\n"+
				"RU-0001,assembled,2021-06-01T08:00,G2-1\n"+
				"RU-0001,departed,2021-06-01T09:00,G2-2\n"+
				"NOPE-1,departed,2021-06-01T09:00,G2-3\n"+
				"RU-0002,crossed,2021-06-01T07:00,G2-4\n"+
				"RU-0002,departed,2021-06-01T09:30,G2-5\n"+
				"RU-0003,boarded,2021-06-01T09:00,G2-6\n")
			out, errs, code := cli(t, db, "", "track", "--file", scans)
			want := scans + ": 6 scans: 3 recorded, 0 already recorded, 3 refused\n" +
				scans + `:4: unknown_person: no person "NOPE-1"` + "\n" +
				scans + ":6: out_of_order: departed at 2021-06-01T09:30:00Z is after crossed at 2021-06-01T07:00:00Z\n" +
				scans + `:7: invalid: checkpoint "boarded": want one of assembled, departed, crossed, arrived, returned` + "\n"
			if code != 1 || out != want || !strings.Contains(errs, "3 of 6 scans refused") {
				t.Errorf("first: exit %d\n%s\nwant\n%s\nstderr %s", code, out, want, errs)
			}
			out, _, code = cli(t, db, "", "track", "--file", scans)
			if code != 1 || !strings.HasPrefix(out, scans+": 6 scans: 0 recorded, 3 already recorded, 3 refused\n") {
				t.Errorf("again: exit %d\n%s", code, out)
			}
			if show := mustCLI(t, db, "people", "show", "RU-0001"); strings.Count(show, "departed") != 1 {
				t.Errorf("RU-0001 after the file twice:\n%s", show)
			}
			for _, c := range []struct{ body, want string }{
				{"", "bad.csv:1: the file is empty"},
				{"person,checkpoint,when\nRU-0003,departed,2021-06-01\n", `bad.csv:1: column 3: unknown column (got "when")`},
				{"person,checkpoint\nRU-0003,departed\n", "bad.csv:1: no column at"},
				{"person,checkpoint,at\nRU-0003,departed\n", "bad.csv:2: wrong number of fields"},
				{"person,checkpoint,at\nRU-0003,departed,\"2021\n", "bad.csv:2: column"},
			} {
				bad := writeFile(t, dir, "bad.csv", c.body)
				if _, errs, code := cli(t, db, "", "track", "--file", bad); code != 1 || !strings.Contains(errs, c.want) {
					t.Errorf("%q: exit %d, want %q in\n%s", c.body, code, c.want, errs)
				}
			}
			if _, errs, code := cli(t, db, "", "track", "--file", scans, "RU-0003"); code != 2 || !strings.Contains(errs, "unexpected argument") {
				t.Errorf("--file with a person: exit %d %s", code, errs)
			}
			if show := mustCLI(t, db, "people", "show", "RU-0003"); strings.Contains(show, "departed") {
				t.Errorf("a refused file recorded something:\n%s", show)
			}
		})
	}
}

// FuzzReadScans: the scans file reader refuses what it cannot read with an
// EINVALID located at a line of the file, and what it reads is at most
// MaxScans scans, each from a line after the header, in order.
func FuzzReadScans(f *testing.F) {
	for _, s := range []string{
		"person,checkpoint,at\nRU-0001,departed,2021-06-01T09:00\n", "", "\ufeffperson,checkpoint,at,scan_id,note\nA,b,c,d,\"e\nf\"\n",
		"person,checkpoint\n", "person,person,checkpoint,at\n", "person,checkpoint,at\nA,b\n", "person,checkpoint,at\n\"x\n",
		"x\n", "person,checkpoint,at\r\nA,b,c\r\n\r\nD,e,f\r\n", "person,checkpoint,at\n\x00,\xff,\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		scans, lines, err := readScans(strings.NewReader(body), "s.csv")
		if err != nil {
			if outpost.ErrorCode(err) != outpost.EINVALID || !strings.HasPrefix(outpost.ErrorMessage(err), "s.csv:") {
				t.Fatalf("%q: refused with %v, want EINVALID located in s.csv", body, err)
			}
			return
		}
		if len(scans) != len(lines) || len(scans) > registry.MaxScans {
			t.Fatalf("%q: %d scans, %d lines", body, len(scans), len(lines))
		}
		for i, l := range lines {
			if l < 2 || (i > 0 && l <= lines[i-1]) {
				t.Fatalf("%q: lines %v", body, lines)
			}
		}
	})
}
