package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/importer"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// importFunc reads one file of a kind and writes it, all or nothing.
type importFunc func(ctx context.Context, r io.Reader, opts importer.Options) (outpost.ImportStats, error)

// importKinds maps each KIND of `outpost import KIND FILE` to its reader
// and writer; each capability adds the kinds it owns.
func (a *app) importKinds() map[string]importFunc {
	kinds := map[string]importFunc{
		"missions": a.importMissions,
		"people":   a.importPeople,
	}
	for k, f := range a.capabilityImportKinds() {
		kinds[k] = f
	}
	return kinds
}

// doImport runs a kind's reader into a store write and turns a bad file into
// the located error the reader collected.
func doImport[T any](ctx context.Context, kind importer.Kind[T], r io.Reader, opts importer.Options,
	write func(context.Context, outpost.Batch[T]) (outpost.ImportStats, error)) (outpost.ImportStats, error) {
	opts.Context = ctx
	rd, err := importer.Open(kind, r, opts)
	if err != nil {
		return outpost.ImportStats{}, err
	}
	defer rd.Close()
	st, err := write(ctx, rd.Batch())
	if perr := rd.Err(); perr != nil {
		return outpost.ImportStats{}, perr
	}
	// Rows the store refuses for what it holds (exit documents that break
	// a rule once merged with those recorded) are located as the file's own.
	var rp outpost.RowProblems
	if errors.As(err, &rp) {
		for _, p := range rp {
			rd.Problem(p.Line, p.Column, p.Got, p.Message)
		}
		return outpost.ImportStats{}, rd.Err()
	}
	return st, err
}

func (a *app) importMissions(ctx context.Context, r io.Reader, opts importer.Options) (outpost.ImportStats, error) {
	db, err := a.open(ctx)
	if err != nil {
		return outpost.ImportStats{}, err
	}
	loc, err := a.location(ctx)
	if err != nil {
		return outpost.ImportStats{}, err
	}
	reg, caller := a.registry(db), outpost.Operator("cli")
	return doImport(ctx, importer.MissionsIn(loc), r, opts, func(ctx context.Context, b outpost.Batch[outpost.Mission]) (outpost.ImportStats, error) {
		return reg.ImportMissions(ctx, caller, b)
	})
}

func (a *app) importPeople(ctx context.Context, r io.Reader, opts importer.Options) (outpost.ImportStats, error) {
	db, err := a.open(ctx)
	if err != nil {
		return outpost.ImportStats{}, err
	}
	loc, err := a.location(ctx)
	if err != nil {
		return outpost.ImportStats{}, err
	}
	reg, caller := a.registry(db), outpost.Operator("cli")
	ms, err := reg.MissionList(ctx, caller)
	if err != nil {
		return outpost.ImportStats{}, err
	}
	known := make(map[string]bool, len(ms))
	for _, m := range ms {
		known[m.Code] = true
	}
	kind := importer.People(func(code string) bool { return known[code] }, loc, a.now())
	return doImport(ctx, kind, r, opts, func(ctx context.Context, b outpost.Batch[outpost.PersonRecord]) (outpost.ImportStats, error) {
		return reg.ImportPeople(ctx, caller, b)
	})
}

func (a *app) importCommand() *cobra.Command {
	var asJSON bool
	kinds := a.importKinds()
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	c := &cobra.Command{
		Use:   "import KIND FILE",
		Short: "Import a CSV, XLSX or JSON file (all or nothing): " + strings.Join(names, ", "),
		Long: `Import a file of one kind: ` + strings.Join(names, ", ") + `.

FILE is CSV (a header row naming the columns, in any order; UTF-8 or
UTF-16; columns separated by ',', ';' or tabs), .xlsx (the first sheet
with that header, said on stderr when it is not the first) or .json (an
array of objects); - reads CSV from stdin.
A file with any bad row writes nothing: every problem is printed as
FILE:LINE: COLUMN: what is wrong (got "VALUE"). Rows are keyed by their id
(code for missions and items), so re-importing a corrected file updates.`,
		Example: `  outpost import missions missions.csv
  outpost import people staff.xlsx
  cat people.csv | outpost import people -`,
		GroupID: "registry",
		Args:    args("KIND", "FILE"),
		ValidArgsFunction: func(cmd *cobra.Command, as []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(as) == 0 {
				return names, cobra.ShellCompDirectiveNoFileComp
			}
			return []string{"csv", "xlsx", "json"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(cmd *cobra.Command, as []string) error {
			fn, ok := kinds[as[0]]
			if !ok {
				return usagef("import: unknown kind %q; the kinds are %s", as[0], strings.Join(names, ", "))
			}
			ctx := outpost.WithActor(cmd.Context(), "cli")
			r, size, closeFn, err := a.openInput(as[1])
			if err != nil {
				return err
			}
			defer closeFn()
			opts := importer.Options{File: as[1], Notice: func(s string) { fmt.Fprintln(a.stderr, s) }}
			bar := a.progress(size, "importing "+as[0])
			if bar != nil {
				opts.Progress = func(n int64) { bar.Set64(n) }
			}
			start := time.Now()
			st, err := fn(ctx, r, opts)
			if bar != nil {
				bar.Finish()
				bar.Clear()
			}
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(st)
			}
			from := opts.File
			if from == "-" {
				from = "stdin"
			}
			fmt.Fprintf(a.stdout, "imported %d %s from %s: %d new, %d updated", st.Rows, as[0], from, st.Inserted, st.Updated)
			if st.Events > 0 {
				fmt.Fprintf(a.stdout, ", %d status %s", st.Events, outpost.Plural(st.Events, "event", "events"))
			}
			fmt.Fprintf(a.stdout, " (%s)\n", time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the counts as JSON")
	return c
}

// openInput opens FILE, or stdin for "-", and tells its size when known.
func (a *app) openInput(name string) (io.Reader, int64, func(), error) {
	if name == "-" {
		return a.stdin, -1, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, nil, outpost.Errorf(outpost.EINVALID, "cannot open %s: %v", name, unwrapPathError(err))
	}
	size := int64(-1)
	if st, err := f.Stat(); err == nil {
		if st.IsDir() {
			f.Close()
			return nil, 0, nil, outpost.Errorf(outpost.EINVALID, "%s is a folder, not a file", name)
		}
		size = st.Size()
	}
	return f, size, func() { f.Close() }, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// progress returns a progress bar on stderr for work of size bytes, or nil
// when stderr is not a terminal or the work is small.
func (a *app) progress(size int64, what string) *progressbar.ProgressBar {
	f, ok := a.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	if size >= 0 && size < 1<<20 {
		return nil
	}
	return progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}
