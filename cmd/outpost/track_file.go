package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
)

// scanColumns are the columns of a file of scans; the first three are
// required.
var scanColumns = []string{"person", "checkpoint", "at", "scan_id", "note"}

// trackFile records the scans of a CSV file as one scanner batch (see
// registry.Service.TrackScans): each on its own, the refused ones listed
// by line. A file that is not such a CSV is refused whole, by line and
// column, and nothing is recorded.
func (a *app) trackFile(cmd *cobra.Command, path string, asJSON bool) error {
	f, err := os.Open(path)
	if err != nil {
		return outpost.Errorf(outpost.EINVALID, "%s: cannot read: %v", path, errors.Unwrap(err))
	}
	defer f.Close()
	scans, lines, err := readScans(f, path)
	if err != nil {
		return err
	}
	s, err := a.session(cmd)
	if err != nil {
		return err
	}
	rep, err := a.registry(s.db).TrackScans(s.ctx, s.caller, registry.ScanBatch{Scans: scans})
	if err != nil {
		return err
	}
	if asJSON {
		if err := a.printJSON(rep); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(a.stdout, "%s: %d scans: %d recorded, %d already recorded, %d refused\n", path, len(scans), rep.Recorded, rep.Duplicates, rep.Refused)
		for _, r := range rep.Refusals {
			fmt.Fprintf(a.stdout, "%s:%d: %s: %s\n", path, lines[r.Index], r.Kind, r.Reason)
		}
	}
	if rep.Refused > 0 {
		return outpost.Errorf(outpost.EINVALID, "%s: %d of %d scans refused (listed above); the others are recorded", path, rep.Refused, len(scans))
	}
	return nil
}

// readScans reads a CSV file of scans: a header naming the columns, then
// one scan a row, at most registry.MaxScans; lines[i] is the line of
// scans[i].
func readScans(r io.Reader, name string) ([]registry.Scan, []int, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, outpost.Errorf(outpost.EINVALID, "%s:1: the file is empty: want a header row naming the columns %s", name, strings.Join(scanColumns, ", "))
	}
	if err != nil {
		return nil, nil, csvError(name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if !slices.Contains(scanColumns, h) {
			return nil, nil, outpost.Errorf(outpost.EINVALID, "%s:1: column %d: unknown column (got %q): want %s", name, i+1, outpost.Clip(h), strings.Join(scanColumns, ", "))
		}
		if _, dup := col[h]; dup {
			return nil, nil, outpost.Errorf(outpost.EINVALID, "%s:1: column %d: %s is named twice", name, i+1, h)
		}
		col[h] = i
	}
	for _, need := range scanColumns[:3] {
		if _, ok := col[need]; !ok {
			return nil, nil, outpost.Errorf(outpost.EINVALID, "%s:1: no column %s: want at least person, checkpoint, at", name, need)
		}
	}
	get := func(rec []string, k string) string {
		if i, ok := col[k]; ok {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var scans []registry.Scan
	var lines []int
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return scans, lines, nil
		}
		if err != nil {
			return nil, nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(scans) == registry.MaxScans {
			return nil, nil, outpost.Errorf(outpost.EINVALID, "%s:%d: more than %d scans in one file: split it", name, line, registry.MaxScans)
		}
		scans = append(scans, registry.Scan{Person: get(rec, "person"), Checkpoint: get(rec, "checkpoint"), At: get(rec, "at"),
			ScanID: get(rec, "scan_id"), Note: get(rec, "note")})
		lines = append(lines, line)
	}
}

// csvError locates a CSV syntax error.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return outpost.Errorf(outpost.EINVALID, "%s:%d: wrong number of fields: every row must have one field per header column", name, pe.Line)
		}
		return outpost.Errorf(outpost.EINVALID, "%s:%d: column %d: %v", name, pe.Line, pe.Column, pe.Err)
	}
	return outpost.Errorf(outpost.EINVALID, "%s: %v", name, err)
}
