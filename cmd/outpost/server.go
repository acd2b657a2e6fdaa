package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/server"
	"github.com/spf13/cobra"
)

// defaultAddr is where `outpost serve` listens: this machine only, until
// the operator chooses otherwise.
const defaultAddr = "127.0.0.1:8080"

func (a *app) serverCommands() []*cobra.Command {
	return []*cobra.Command{a.serveCommand(), a.userCommand(), a.tokenCommand(), a.auditCommand()}
}

// serveFlags are the flags of every command that serves.
type serveFlags struct {
	addr    string
	logJSON bool
}

func (f *serveFlags) add(c *cobra.Command) {
	c.Flags().StringVar(&f.addr, "addr", defaultAddr, "address to listen on (host:port; port 0 picks a free one)")
	c.Flags().BoolVar(&f.logJSON, "log-json", false, "write the request log as JSON lines instead of text")
}

func (a *app) serveCommand() *cobra.Command {
	var f serveFlags
	c := &cobra.Command{
		Use:   "serve",
		Short: "Serve the web UI and the JSON API",
		Long: `Serve the web UI and the JSON API (/api/v1/, described at
/api/v1/openapi.json) on --addr until interrupted. /healthz answers 200 when
the database answers; /metrics has Prometheus metrics. Requests are logged
on stderr. Create users with 'outpost user add' first.`,
		Example: `  outpost user add admin --role admin
  outpost serve --addr 127.0.0.1:8080`,
		GroupID: "admin",
		Args:    args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.serve(cmd.Context(), f, func(url string) {
				fmt.Fprintf(a.stdout, "Outpost is serving on %s (Ctrl+C to stop)\n", url)
			})
		},
	}
	f.add(c)
	return c
}

// serve runs the HTTP server over the app's database until ctx is done;
// ready is called with the server's URL once it listens.
func (a *app) serve(ctx context.Context, f serveFlags, ready func(url string)) error {
	db, err := a.open(ctx)
	if err != nil {
		return err
	}
	var h slog.Handler = slog.NewTextHandler(a.stderr, nil)
	if f.logJSON {
		h = slog.NewJSONHandler(a.stderr, nil)
	}
	srv, err := server.New(server.Config{Store: db, Log: slog.New(h), Version: version, Now: a.now})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return outpost.Errorf(outpost.EINVALID, "cannot listen on %s: %v", f.addr, err)
	}
	ready("http://" + ln.Addr().String() + "/")
	return srv.Serve(ctx, ln)
}

// readPassword reads one line from stdin as a password.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", outpost.Errorf(outpost.EINVALID, "--password-stdin: no password on standard input")
	}
	return pw, nil
}

// describeUser says what a user is: "staff of RU", "admin".
func describeUser(u outpost.User) string {
	if u.Mission != "" {
		return fmt.Sprintf("%s of %s", u.Role, u.Mission)
	}
	return string(u.Role)
}

func (a *app) userCommand() *cobra.Command {
	c := &cobra.Command{Use: "user", Short: "Add and list the users who sign in to the server", GroupID: "admin"}
	var role, mission string
	var stdinPW bool
	add := &cobra.Command{
		Use:   "add NAME --role ROLE [--mission CODE]",
		Short: "Add a user; without --password-stdin a password is generated and printed",
		Long: `Add a user of the server. Roles: admin (everything); coordinator (the
aggregates of every mission, never a person's record); manager, staff and
press, which are bound to one mission (--mission). Without --password-stdin
a password is generated and printed alone on the last line.`,
		Example: `  outpost user add olga --role staff --mission RU
  echo 'a long passphrase' | outpost user add dean --role coordinator --password-stdin`,
		Args: args("NAME"),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := outpost.WithActor(cmd.Context(), "cli")
			if role == "" {
				return usagef("user add: --role is required: one of %s", strings.Join(outpost.Roles, ", "))
			}
			u := outpost.User{Name: as[0], Role: outpost.Role(role), Mission: mission}
			if err := u.Validate().Err("user " + as[0]); err != nil {
				return err
			}
			pw, generated := "", false
			if stdinPW {
				var err error
				if pw, err = readPassword(a.stdin); err != nil {
					return err
				}
			} else {
				pw, generated = auth.GeneratePassword(), true
			}
			hash, err := auth.HashPassword(pw)
			if err != nil {
				return err
			}
			db, err := a.open(ctx)
			if err != nil {
				return err
			}
			if u, err = db.CreateUser(ctx, u, hash); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Created user %s (%s).\n", u.Name, describeUser(u))
			if generated {
				fmt.Fprintln(a.stdout, "Password (shown once):")
				fmt.Fprintln(a.stdout, pw)
			}
			return nil
		},
	}
	add.Flags().StringVar(&role, "role", "", "admin, coordinator, manager, staff or press (required)")
	add.Flags().StringVar(&mission, "mission", "", "the mission of a manager, staff or press user")
	add.Flags().BoolVar(&stdinPW, "password-stdin", false, "read the password from the first line of standard input")

	var pwStdin bool
	passwd := &cobra.Command{
		Use:   "passwd NAME",
		Short: "Set a user's password (generated unless --password-stdin) and end their sessions",
		Args:  args("NAME"),
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := outpost.WithActor(cmd.Context(), "cli")
			pw, generated := "", false
			if pwStdin {
				var err error
				if pw, err = readPassword(a.stdin); err != nil {
					return err
				}
			} else {
				pw, generated = auth.GeneratePassword(), true
			}
			hash, err := auth.HashPassword(pw)
			if err != nil {
				return err
			}
			db, err := a.open(ctx)
			if err != nil {
				return err
			}
			if err := db.SetPassword(ctx, as[0], hash); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Changed the password of %s.\n", as[0])
			if generated {
				fmt.Fprintln(a.stdout, "Password (shown once):")
				fmt.Fprintln(a.stdout, pw)
			}
			return nil
		},
	}
	passwd.Flags().BoolVar(&pwStdin, "password-stdin", false, "read the password from the first line of standard input")

	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List the users",
		Args:  args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			users, err := db.Users(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(map[string]any{"users": users})
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tROLE\tMISSION\tCREATED")
			for _, u := range users {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Name, u.Role, u.Mission, u.Created.Format(time.DateOnly))
			}
			tw.Flush()
			return nil
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	c.AddCommand(add, passwd, list)
	return c
}

func (a *app) tokenCommand() *cobra.Command {
	c := &cobra.Command{Use: "token", Short: "Create, list and revoke API tokens", GroupID: "admin"}
	var label string
	var days int
	create := &cobra.Command{
		Use:   "create NAME",
		Short: "Create an API token for the user NAME and print it alone on the last line",
		Long: `Create an API token with the rights of the user NAME. Only its hash is
kept: the token is printed once, alone on the last line. Send it as
'Authorization: Bearer TOKEN'.`,
		Example: `  TOKEN=$(outpost token create olga --label scripts | tail -1)
  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/api/v1/census`,
		Args: args("NAME"),
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := outpost.WithActor(cmd.Context(), "cli")
			if days < 0 {
				return usagef("--days %d: want 0 (never expires) or more", days)
			}
			db, err := a.open(ctx)
			if err != nil {
				return err
			}
			u, err := db.User(ctx, as[0])
			if err != nil {
				return err
			}
			secret, hash := auth.NewSecret(auth.TokenPrefix)
			tk := outpost.Token{User: u.Name, Label: label, Hash: hash}
			if days > 0 {
				tk.Expires = a.now().Add(time.Duration(days) * 24 * time.Hour)
			}
			if tk, err = db.CreateToken(ctx, tk); err != nil {
				return err
			}
			expiry := "never expires"
			if !tk.Expires.IsZero() {
				expiry = "expires " + tk.Expires.Format(time.DateOnly)
			}
			fmt.Fprintf(a.stdout, "API token %d for %s (%s); it %s and is shown once.\n", tk.ID, u.Name, describeUser(u), expiry)
			fmt.Fprintln(a.stdout, secret)
			return nil
		},
	}
	create.Flags().StringVar(&label, "label", "", "what the token is for")
	create.Flags().IntVar(&days, "days", 0, "days until it expires (default never)")

	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List the API tokens (never their secrets)",
		Args:  args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			tks, err := db.Tokens(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(map[string]any{"tokens": tks})
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tUSER\tLABEL\tCREATED\tEXPIRES")
			for _, tk := range tks {
				exp := "never"
				if !tk.Expires.IsZero() {
					exp = tk.Expires.Format(time.DateOnly)
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", tk.ID, tk.User, tk.Label, tk.Created.Format(time.DateOnly), exp)
			}
			tw.Flush()
			return nil
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")

	revoke := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke an API token",
		Args:  args("ID"),
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := outpost.WithActor(cmd.Context(), "cli")
			id, err := strconv.ParseInt(as[0], 10, 64)
			if err != nil {
				return usagef("token revoke: %q is not a token id (see `outpost token list`)", as[0])
			}
			db, err := a.open(ctx)
			if err != nil {
				return err
			}
			if err := db.RevokeToken(ctx, id); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Revoked API token %d.\n", id)
			return nil
		},
	}
	c.AddCommand(create, list, revoke)
	return c
}

func (a *app) auditCommand() *cobra.Command {
	var f outpost.AuditFilter
	var asJSON bool
	c := &cobra.Command{
		Use:   "audit",
		Short: "Show the audit log: every write, who made it and when",
		Long: `Show the audit log, newest first: every write, by whom ("cli", "demo",
or the user signed in to the server), when, and the record before and
after (with --json).`,
		Example: `  outpost audit --mission RU --limit 20
  outpost audit --json`,
		GroupID: "admin",
		Args:    args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if f.Limit < 1 {
				return usagef("--limit %d: want 1 or more", f.Limit)
			}
			db, err := a.open(ctx)
			if err != nil {
				return err
			}
			entries, err := db.Audit(ctx, f)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(map[string]any{"entries": entries})
			}
			loc, err := a.location(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tWHEN\tACTOR\tACTION\tENTITY\tRECORD\tMISSION")
			for _, e := range entries {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.At.In(loc).Format("2006-01-02 15:04"),
					e.Actor, e.Action, e.Entity, e.EntityID, e.Mission)
			}
			tw.Flush()
			return nil
		},
	}
	c.Flags().StringVar(&f.Mission, "mission", "", "only this mission's entries")
	c.Flags().StringVar(&f.Entity, "entity", "", "only entries about this kind of record (person, user, token, missions, people, config)")
	c.Flags().IntVar(&f.Limit, "limit", 50, "at most this many entries")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return c
}
