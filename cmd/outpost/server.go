package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
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
	addr        string
	logJSON     bool
	publicURL   string
	proxies     []string
	metricsAddr string
}

func (f *serveFlags) add(c *cobra.Command) {
	c.Flags().StringVar(&f.addr, "addr", defaultAddr, "address to listen on (host:port; port 0 picks a free one)")
	c.Flags().BoolVar(&f.logJSON, "log-json", false, "write the request log as JSON lines instead of text")
	c.Flags().StringVar(&f.publicURL, "public-url", os.Getenv("OUTPOST_PUBLIC_URL"),
		"the URL users reach the server at, e.g. https://outpost.example.org; https makes cookies Secure (__Host-) and adds HSTS (env OUTPOST_PUBLIC_URL)")
	var proxies []string
	if env := os.Getenv("OUTPOST_TRUSTED_PROXIES"); env != "" {
		proxies = strings.Split(env, ",")
	}
	c.Flags().StringArrayVar(&f.proxies, "trusted-proxy", proxies,
		"address or CIDR range of a reverse proxy whose X-Forwarded-For is believed; repeat for several (env OUTPOST_TRUSTED_PROXIES, comma-separated)")
	c.Flags().StringVar(&f.metricsAddr, "metrics-addr", "",
		"serve /metrics to anyone on this separate address (host:port) instead of to admins on --addr")
}

// config checks the flags and turns them into the server's settings.
func (f *serveFlags) config() (server.Config, error) {
	var cfg server.Config
	if f.publicURL != "" {
		if _, err := server.ParsePublicURL(f.publicURL); err != nil {
			return cfg, usagef("--public-url: %v", err)
		}
		cfg.PublicURL = f.publicURL
	}
	for _, p := range f.proxies {
		if strings.TrimSpace(p) == "" {
			continue
		}
		prefix, err := auth.ParseTrustedProxy(p)
		if err != nil {
			return cfg, usagef("--trusted-proxy: %v", err)
		}
		cfg.TrustedProxies = append(cfg.TrustedProxies, prefix)
	}
	cfg.MetricsElsewhere = f.metricsAddr != ""
	return cfg, nil
}

func (a *app) serveCommand() *cobra.Command {
	var f serveFlags
	c := &cobra.Command{
		Use:   "serve",
		Short: "Serve the web UI and the JSON API",
		Long: `Serve the web UI and the JSON API (/api/v1/, described at
/api/v1/openapi.json) on --addr until interrupted. /healthz answers 200 when
the database answers and takes writes, 503 otherwise; /metrics has
Prometheus metrics for an admin's API token, or for anyone on
--metrics-addr (and then not on --addr). Requests are logged on stderr.
Create users with 'outpost user add' first.

Behind a TLS-terminating reverse proxy, set --public-url https://HOST (the
session cookie becomes Secure with the __Host- prefix, answers carry HSTS)
and --trusted-proxy with the proxy's address (the client's address is then
taken from X-Forwarded-For, for sign-in throttling and the logs).`,
		Example: `  outpost user add admin --role admin
  outpost serve --addr 127.0.0.1:8080
  outpost serve --public-url https://outpost.example.org --trusted-proxy 127.0.0.1 --metrics-addr 127.0.0.1:9090`,
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
	cfg, err := f.config()
	if err != nil {
		return err
	}
	db, err := a.open(ctx)
	if err != nil {
		return err
	}
	var h slog.Handler = slog.NewTextHandler(a.stderr, nil)
	if f.logJSON {
		h = slog.NewJSONHandler(a.stderr, nil)
	}
	cfg.Store, cfg.Log, cfg.Version, cfg.Now = db, slog.New(h), version, a.now
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return outpost.Errorf(outpost.EINVALID, "cannot listen on %s: %v", f.addr, err)
	}
	if f.metricsAddr != "" {
		mln, err := net.Listen("tcp", f.metricsAddr)
		if err != nil {
			ln.Close()
			return outpost.Errorf(outpost.EINVALID, "--metrics-addr: cannot listen on %s: %v", f.metricsAddr, err)
		}
		msrv := &http.Server{Handler: srv.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second}
		go msrv.Serve(mln)
		defer msrv.Close()
		fmt.Fprintf(a.stderr, "Metrics on http://%s/metrics\n", mln.Addr())
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
	c := &cobra.Command{Use: "user", Short: "Add, list, disable and enable the users who sign in to the server", GroupID: "admin"}
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
		Short: "Set a user's password (generated unless --password-stdin), end their sessions and revoke their API tokens",
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
			fmt.Fprintln(tw, "NAME\tROLE\tMISSION\tCREATED\tSTATE")
			for _, u := range users {
				state := "active"
				if u.Disabled {
					state = "disabled"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role, u.Mission, u.Created.Format(time.DateOnly), state)
			}
			tw.Flush()
			return nil
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	c.AddCommand(add, passwd, list, a.userStateCommand(true), a.userStateCommand(false))
	return c
}

// userStateCommand is `user disable` (disable true) or `user enable`.
func (a *app) userStateCommand(disable bool) *cobra.Command {
	verb, short := "enable", "Let a disabled user sign in again (their old API tokens stay revoked)"
	if disable {
		verb, short = "disable", "Stop a user signing in; end their sessions and revoke their API tokens"
	}
	return &cobra.Command{
		Use:   verb + " NAME",
		Short: short,
		Long: short + `.

A running server checks sessions on every request, so a disabled user's
sessions stop at once; it trusts an API token it has checked for up to 5
seconds, so their tokens stop within 5 seconds (at once when an admin
disables the user in the web UI, on /users).`,
		Example: "  outpost user " + verb + " olga",
		Args:    args("NAME"),
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := outpost.WithActor(cmd.Context(), "cli")
			db, err := a.open(ctx)
			if err != nil {
				return err
			}
			if err := db.SetDisabled(ctx, as[0], disable); err != nil {
				return err
			}
			if disable {
				fmt.Fprintf(a.stdout, "Disabled %s: they cannot sign in, and their sessions and API tokens are gone.\n", as[0])
			} else {
				fmt.Fprintf(a.stdout, "Enabled %s: they may sign in again.\n", as[0])
			}
			return nil
		},
	}
}

func (a *app) tokenCommand() *cobra.Command {
	c := &cobra.Command{Use: "token", Short: "Create, list and revoke API tokens", GroupID: "admin"}
	var label, expires string
	var days int
	maxDays := int(outpost.MaxTokenLifetime / (24 * time.Hour))
	defDays := int(outpost.DefaultTokenLifetime / (24 * time.Hour))
	create := &cobra.Command{
		Use:   "create NAME",
		Short: "Create an API token for the user NAME and print it alone on the last line",
		Long: fmt.Sprintf(`Create an API token with the rights of the user NAME. Only its hash is
kept: the token is printed once, alone on the last line. Send it as
'Authorization: Bearer TOKEN'.

Every token expires: after %d days unless --expires (or --days) says
otherwise, and at most %d days from now. A new password or disabling the
user revokes all their tokens.`, defDays, maxDays),
		Example: `  TOKEN=$(outpost token create olga --label scripts | tail -1)
  outpost token create olga --expires 30d
  outpost token create olga --expires 2027-01-31
  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/api/v1/census`,
		Args: args("NAME"),
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := outpost.WithActor(cmd.Context(), "cli")
			at := a.now().Add(outpost.DefaultTokenLifetime)
			switch {
			case cmd.Flags().Changed("expires") && cmd.Flags().Changed("days"):
				return usagef("token create: give --expires or --days, not both")
			case cmd.Flags().Changed("expires"):
				var err error
				if at, err = auth.ParseTokenExpiry(expires, a.now()); err != nil {
					return usagef("--expires %v", err)
				}
			case cmd.Flags().Changed("days"):
				if days < 1 || days > maxDays {
					return usagef("--days %d: want 1 to %d (every token expires)", days, maxDays)
				}
				at = a.now().Add(time.Duration(days) * 24 * time.Hour)
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
			tk := outpost.Token{User: u.Name, Label: label, Hash: hash, Expires: at}
			if tk, err = db.CreateToken(ctx, tk); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "API token %d for %s (%s); it expires %s and is shown once.\n",
				tk.ID, u.Name, describeUser(u), tk.Expires.Format(time.DateOnly))
			fmt.Fprintln(a.stdout, secret)
			return nil
		},
	}
	create.Flags().StringVar(&label, "label", "", "what the token is for")
	create.Flags().StringVar(&expires, "expires", "", fmt.Sprintf("when it expires: 30d, 12w, 720h or a date YYYY-MM-DD; at most %dd (default %dd)", maxDays, defDays))
	create.Flags().IntVar(&days, "days", defDays, fmt.Sprintf("days until it expires, 1 to %d", maxDays))

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
