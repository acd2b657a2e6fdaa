package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/reports"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func (a *app) sitrepCommand() *cobra.Command {
	var date, mission, format, out string
	c := &cobra.Command{
		Use:   "sitrep [--date DATE] [--mission CODE] [--format md|html|pdf] [--out FILE]",
		Short: "Write the daily situation report in Markdown, HTML or PDF",
		Long: `Write the situation report for the end of DATE (default today, in the
post's time zone): the census and its change since the day before, the
departures of the last and next 7 days, shortages and near-expiry stock,
roll calls, open medical cases (counts only for the whole corps),
restrictions in force and statements published. HTML and PDF carry two
charts: the headcount over time and the items with the fewest days of
supply. A section with no data yet says so.

Without --mission the report covers the whole corps; with it, one
mission. Without --format the format follows the extension of --out
(.md, .html, .pdf), else Markdown. Without --out it writes to stdout
(a PDF only when stdout is not a terminal).`,
		Example: `  outpost sitrep --date 2021-04-01
  outpost sitrep --date 2021-04-01 --out sitrep-2021-04-01.pdf
  outpost sitrep --mission RU --format html > ru.html`,
		GroupID: "public",
		Args:    args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.sitrep(cmd.Context(), date, mission, format, out)
		},
	}
	c.Flags().StringVar(&date, "date", "", "the day reported on, YYYY-MM-DD (default today)")
	c.Flags().StringVar(&mission, "mission", "", "one mission's report (default: the whole corps)")
	c.Flags().StringVar(&format, "format", "", "md, html or pdf (default: from --out's extension, else md)")
	c.Flags().StringVar(&out, "out", "", "write to this file instead of stdout")
	return c
}

// sitrep writes the situation report of date for mission ("": the whole
// corps) in format to out.
func (a *app) sitrep(ctx context.Context, date, mission, format, out string) error {
	if format == "" {
		format = "md"
		if ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(out)), "."); ext == "html" || ext == "pdf" {
			format = ext
		}
	}
	if !slices.Contains(reports.Formats, format) {
		return usagef("--format %q: want md, html or pdf", format)
	}
	if format == "pdf" && out == "" && a.isTerminal(a.stdout) {
		return usagef("sitrep: will not write a PDF to a terminal; give --out FILE or redirect stdout")
	}
	loc, err := a.location(ctx)
	if err != nil {
		return err
	}
	day := outpost.DateOf(a.now().In(loc))
	if date != "" {
		if day, err = outpost.ParseDate(date); err != nil {
			return usagef("--date %q: %v", date, err)
		}
	}
	db, err := a.open(ctx)
	if err != nil {
		return err
	}
	// The command line holds no census snapshot: the report counts the
	// store's presence history in the configured time zone.
	corps := reports.CorpsFunc(func(context.Context) (reports.Population, error) { return reports.Population{Loc: loc}, nil })
	in, err := reports.New(db, corps, a.now).Sitrep(ctx, outpost.Operator("cli"), reports.Query{Date: day, Mission: mission})
	if err != nil {
		return err
	}
	doc, err := reports.Render(in, format)
	if err != nil {
		return err
	}
	if out == "" || out == "-" {
		_, err = a.stdout.Write(doc.Data)
		return err
	}
	if err := a.writeOut(out, 0o644, func(w io.Writer) error {
		_, err := w.Write(doc.Data)
		return err
	}); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "Wrote the situation report of %s to %s (%s).\n", day, out, size(len(doc.Data)))
	return nil
}

// isTerminal reports whether w is a terminal.
func (a *app) isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
