package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/outpost-org/outpost/internal/export"
	"github.com/outpost-org/outpost/internal/outpost"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/spf13/cobra"
)

// Exit statuses, as INTERFACES.md fixes them.
const (
	exitOK          = 0
	exitInput       = 1
	exitUsage       = 2
	exitUnavailable = 3
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// app is what every command shares: the flags, the streams and the store,
// opened on first use.
type app struct {
	dsn    string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	now    func() time.Time
	db     *store.DB
	// files writes every --out file, whole or not at all.
	files export.Files
	// censusService keeps the census snapshot of this run, built once.
	censusService *censusservice.Service
}

// usageError marks a mistake in how the command was called (exit 2).
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// run executes the command line with args, reading stdin and writing
// stdout and stderr, on the clock now, and returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, now func() time.Time) int {
	return (&app{stdin: stdin, stdout: stdout, stderr: stderr, now: now}).run(ctx, args)
}

// run executes the command line with a's streams, clock and files, and
// returns the exit status.
func (a *app) run(ctx context.Context, args []string) int {
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	err := root.ExecuteContext(ctx)
	if a.db != nil {
		a.db.Close()
	}
	return a.report(err)
}

// report prints err for a person and maps it to an exit status.
func (a *app) report(err error) int {
	if err == nil {
		return exitOK
	}
	var ue usageError
	if msg := err.Error(); strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown flag") ||
		strings.HasPrefix(msg, "unknown shorthand flag") {
		ue = usageError{err}
	}
	if ue.err != nil || errors.As(err, &ue) {
		fmt.Fprintf(a.stderr, "outpost: %v\nRun 'outpost --help' for usage.\n", ue.err)
		return exitUsage
	}
	var oe *outpost.Error
	if errors.As(err, &oe) {
		for _, d := range oe.Details {
			fmt.Fprintln(a.stderr, d)
		}
		if oe.More > 0 {
			fmt.Fprintf(a.stderr, "… and %d more %s\n", oe.More, outpost.Plural(oe.More, "problem", "problems"))
		}
		fmt.Fprintf(a.stderr, "outpost: %s\n", oe.Error())
		switch oe.Code {
		case outpost.EUNAVAILABLE:
			return exitUnavailable
		case outpost.EINTERNAL:
			return exitInput
		}
		return exitInput
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(a.stderr, "outpost: interrupted; nothing of the unfinished work was written")
		return exitInput
	}
	fmt.Fprintf(a.stderr, "outpost: %v\n", err)
	return exitInput
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "outpost",
		Short: "Operations for foreign missions in a sealed or failing country",
		Long: `Outpost answers four questions for an embassy, a diplomatic corps or a
foreign ministry: who is still here, what do they lack, who is safe, and
how do they get out.

The database is a SQLite file (default outpost.db) or PostgreSQL
(--db postgres://…); every command creates the schema on first use.`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	def := os.Getenv("OUTPOST_DB")
	if def == "" {
		def = "outpost.db"
	}
	root.PersistentFlags().StringVar(&a.dsn, "db", def, "database: a SQLite file path (or sqlite:PATH), or a postgres:// URL (env OUTPOST_DB)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddGroup(&cobra.Group{ID: "registry", Title: "Registry and census:"},
		&cobra.Group{ID: "supply", Title: "Supplies:"},
		&cobra.Group{ID: "evac", Title: "Evacuation:"},
		&cobra.Group{ID: "welfare", Title: "Welfare:"},
		&cobra.Group{ID: "public", Title: "Statements and reports:"},
		&cobra.Group{ID: "admin", Title: "Administration:"})
	for _, c := range a.commands() {
		root.AddCommand(c)
	}
	return root
}

// commands lists the top-level commands; each capability adds its own.
func (a *app) commands() []*cobra.Command {
	return append([]*cobra.Command{
		a.initCommand(), a.importCommand(), a.censusCommand(), a.trackCommand(),
		a.peopleCommand(), a.missionsCommand(), a.configCommand(), a.demoCommand(),
		a.versionCommand(), a.checkCommand(), a.backupCommand(), a.restoreCommand(),
	}, a.capabilityCommands()...)
}

// open returns the store, opening it on first use.
func (a *app) open(ctx context.Context) (*store.DB, error) {
	if a.db != nil {
		return a.db, nil
	}
	db, err := store.Open(ctx, a.dsn)
	if err != nil {
		return nil, err
	}
	db.Now = a.now
	a.db = db
	return db, nil
}

// session is what a command works on: its context, which records the
// command line as the actor of its writes; the store; and its caller, the
// operator, who holds the database and so has the admin's rights.
type session struct {
	ctx    context.Context
	db     *store.DB
	caller outpost.User
}

// session opens the store for cmd and gives it its caller,
// outpost.Operator("cli").
func (a *app) session(cmd *cobra.Command) (session, error) {
	caller := outpost.Operator("cli")
	ctx := outpost.WithActor(cmd.Context(), caller.Name)
	db, err := a.open(ctx)
	if err != nil {
		return session{}, err
	}
	return session{ctx: ctx, db: db, caller: caller}, nil
}

// census returns the census service of this run over db: the snapshot
// is built on first use, once.
func (a *app) census(db *store.DB) *censusservice.Service {
	if a.censusService == nil {
		a.censusService = censusservice.New(db, a.now, nil)
	}
	return a.censusService
}

// registry returns the registry service over db.
func (a *app) registry(db *store.DB) *registry.Service {
	return registry.New(db, a.census(db), a.now)
}

// location returns the post's time zone (config key "timezone", default
// UTC).
func (a *app) location(ctx context.Context) (*time.Location, error) {
	db, err := a.open(ctx)
	if err != nil {
		return nil, err
	}
	tz, err := db.Config(ctx, "timezone")
	if err != nil || tz == "" {
		return time.UTC, err
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, outpost.Errorf(outpost.EINVALID, "the configured time zone %q is unknown; set one with `outpost config set timezone Asia/Pyongyang`", tz)
	}
	return loc, nil
}

// writeOut writes an --out file with write, whole or not at all, with
// mode perm; "" or "-" write to stdout.
func (a *app) writeOut(out string, perm os.FileMode, write func(io.Writer) error) error {
	if out == "" || out == "-" {
		return write(a.stdout)
	}
	fs := a.files
	fs.Perm = perm
	if err := fs.WriteFile(out, write); err != nil {
		return outpost.Errorf(outpost.EINVALID, "cannot write %s: %v", out, err)
	}
	return nil
}

// bomUsage is the help of --bom, on every command that writes CSV.
const bomUsage = "start the CSV with a UTF-8 byte order mark, so that Excel on Windows reads non-Latin text"

// printJSON writes v as one indented JSON document.
func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// args returns a cobra.PositionalArgs that demands exactly the named
// arguments, with a usage error that names what is missing.
func args(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, got []string) error {
		if len(got) < len(names) {
			return usagef("%s: missing %s", cmd.CommandPath(), strings.Join(names[len(got):], " "))
		}
		if len(got) > len(names) {
			return usagef("%s: unexpected argument %q", cmd.CommandPath(), got[len(names)])
		}
		return nil
	}
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version",
		GroupID: "admin",
		Args:    args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(a.stdout, "outpost %s\n", version)
			return nil
		},
	}
}

func (a *app) initCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "init",
		Short:   "Create the database and its schema (every command also does this on first use)",
		GroupID: "admin",
		Args:    args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			v, err := db.SchemaVersion(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "database ready (%s, schema version %d)\n", db.Engine(), v)
			return nil
		},
	}
}

func (a *app) checkCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "check",
		Short:   "Verify the database's integrity (exits 1 on any problem)",
		GroupID: "admin",
		Args:    args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := a.openExisting(cmd.Context())
			if err != nil {
				return err
			}
			if err := db.Check(cmd.Context()); err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, "ok")
			return nil
		},
	}
}

func (a *app) configCommand() *cobra.Command {
	c := &cobra.Command{Use: "config", Short: "Read and change settings (timezone, evac.permits)", GroupID: "admin"}
	c.AddCommand(a.configSetCommand(), a.configGetCommand())
	return c
}

func (a *app) configSetCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "set KEY VALUE",
		Short: "Change a setting: timezone (an IANA zone such as Asia/Pyongyang), evac.permits (required or if_recorded)",
		Example: `  outpost config set timezone Asia/Pyongyang
  outpost config set evac.permits required`,
		Args: args("KEY", "VALUE"),
		RunE: func(cmd *cobra.Command, as []string) error {
			key, value := as[0], as[1]
			switch key {
			case "timezone":
				if _, err := time.LoadLocation(value); err != nil || value == "" {
					return outpost.Errorf(outpost.EINVALID, "unknown time zone %q: want an IANA name such as Asia/Pyongyang or UTC", value)
				}
			case outpost.ConfigPermits:
				if value != outpost.PermitsRequired && value != outpost.PermitsIfRecorded {
					return outpost.Errorf(outpost.EINVALID, "evac.permits: want required (plan only people with a granted exit permit and a passport) or if_recorded (only recorded exit documents bind; the default), got %q", value)
				}
			default:
				return outpost.Errorf(outpost.EINVALID, "unknown setting %q: the settings are: timezone, evac.permits", key)
			}
			s, err := a.session(cmd)
			if err != nil {
				return err
			}
			if err := s.db.SetConfig(s.ctx, key, value); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s = %s\n", key, value)
			return nil
		},
	}
}

func (a *app) configGetCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "get KEY",
		Short: "Print a setting",
		Args:  args("KEY"),
		RunE: func(cmd *cobra.Command, as []string) error {
			db, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			v, err := db.Config(cmd.Context(), as[0])
			if err != nil {
				return err
			}
			if v == "" && as[0] == "timezone" {
				v = "UTC"
			}
			if v == "" && as[0] == outpost.ConfigPermits {
				v = outpost.PermitsIfRecorded
			}
			fmt.Fprintln(a.stdout, v)
			return nil
		},
	}
}

func envSet(k string) bool { return os.Getenv(k) != "" }

// listing prints rows: with asJSON as one document {"key": rows};
// otherwise as an aligned table, header first, with each row written by
// row in the post's time zone.
func (a *app) listing(ctx context.Context, asJSON bool, key string, rows any, header string, row func(w io.Writer, loc *time.Location)) error {
	if asJSON {
		return a.printJSON(map[string]any{key: rows})
	}
	loc, err := a.location(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	row(tw, loc)
	return tw.Flush()
}
