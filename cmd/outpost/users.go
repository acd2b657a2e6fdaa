package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/spf13/cobra"
)

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

// password is the password of `user add` and `user passwd`: read from
// stdin with --password-stdin, otherwise generated (and then printed).
func (a *app) password(fromStdin bool) (pw string, generated bool, err error) {
	if fromStdin {
		pw, err = readPassword(a.stdin)
		return pw, false, err
	}
	return auth.GeneratePassword(), true, nil
}

// printPassword prints a generated password, once.
func (a *app) printPassword(pw string, generated bool) {
	if generated {
		fmt.Fprintln(a.stdout, "Password (shown once):")
		fmt.Fprintln(a.stdout, pw)
	}
}

func (a *app) userCommand() *cobra.Command {
	c := &cobra.Command{Use: "user", Short: "Add, list, disable and enable the users who sign in to the server", GroupID: "admin"}
	c.AddCommand(a.userAddCommand(), a.userPasswdCommand(), a.userListCommand(), a.userStateCommand(true), a.userStateCommand(false))
	return c
}

func (a *app) userAddCommand() *cobra.Command {
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
			if role == "" {
				return usagef("user add: --role is required: one of %s", strings.Join(outpost.Roles, ", "))
			}
			u := outpost.User{Name: as[0], Role: outpost.Role(role), Mission: mission}
			if err := u.Validate().Err("user " + as[0]); err != nil {
				return err
			}
			pw, generated, err := a.password(stdinPW)
			if err != nil {
				return err
			}
			s, err := a.session(cmd)
			if err != nil {
				return err
			}
			created, err := a.registry(s.db).CreateUser(s.ctx, s.caller, registry.NewUser{Name: u.Name, Role: role, Mission: mission, Password: pw})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Created user %s (%s).\n", created.User.Name, describeUser(created.User))
			a.printPassword(pw, generated)
			return nil
		},
	}
	add.Flags().StringVar(&role, "role", "", "admin, coordinator, manager, staff or press (required)")
	add.Flags().StringVar(&mission, "mission", "", "the mission of a manager, staff or press user")
	add.Flags().BoolVar(&stdinPW, "password-stdin", false, "read the password from the first line of standard input")
	return add
}

func (a *app) userPasswdCommand() *cobra.Command {
	var pwStdin bool
	passwd := &cobra.Command{
		Use:   "passwd NAME",
		Short: "Set a user's password (generated unless --password-stdin), end their sessions and revoke their API tokens",
		Args:  args("NAME"),
		RunE: func(cmd *cobra.Command, as []string) error {
			pw, generated, err := a.password(pwStdin)
			if err != nil {
				return err
			}
			s, err := a.session(cmd)
			if err != nil {
				return err
			}
			if err := a.registry(s.db).SetPassword(s.ctx, s.caller, as[0], pw); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Changed the password of %s.\n", as[0])
			a.printPassword(pw, generated)
			return nil
		},
	}
	passwd.Flags().BoolVar(&pwStdin, "password-stdin", false, "read the password from the first line of standard input")
	return passwd
}

func (a *app) userListCommand() *cobra.Command {
	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List the users",
		Args:  args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.session(cmd)
			if err != nil {
				return err
			}
			users, err := a.registry(s.db).Users(s.ctx, s.caller)
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
	return list
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
			s, err := a.session(cmd)
			if err != nil {
				return err
			}
			if err := a.registry(s.db).SetDisabled(s.ctx, s.caller, as[0], disable); err != nil {
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
	c.AddCommand(a.tokenCreateCommand(), a.tokenListCommand(), a.tokenRevokeCommand())
	return c
}

func (a *app) tokenCreateCommand() *cobra.Command {
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
			s, err := a.session(cmd)
			if err != nil {
				return err
			}
			created, u, err := a.registry(s.db).IssueToken(s.ctx, s.caller, as[0], label, at)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "API token %d for %s (%s); it expires %s and is shown once.\n",
				created.Token.ID, u.Name, describeUser(u), created.Token.Expires.Format(time.DateOnly))
			fmt.Fprintln(a.stdout, created.Secret)
			return nil
		},
	}
	create.Flags().StringVar(&label, "label", "", "what the token is for")
	create.Flags().StringVar(&expires, "expires", "", fmt.Sprintf("when it expires: 30d, 12w, 720h or a date YYYY-MM-DD; at most %dd (default %dd)", maxDays, defDays))
	create.Flags().IntVar(&days, "days", defDays, fmt.Sprintf("days until it expires, 1 to %d", maxDays))
	return create
}

func (a *app) tokenListCommand() *cobra.Command {
	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List the API tokens (never their secrets)",
		Args:  args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.session(cmd)
			if err != nil {
				return err
			}
			tks, err := a.registry(s.db).Tokens(s.ctx, s.caller)
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
	return list
}

func (a *app) tokenRevokeCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke an API token",
		Args:  args("ID"),
		RunE: func(cmd *cobra.Command, as []string) error {
			id, err := strconv.ParseInt(as[0], 10, 64)
			if err != nil {
				return usagef("token revoke: %q is not a token id (see `outpost token list`)", as[0])
			}
			s, err := a.session(cmd)
			if err != nil {
				return err
			}
			if err := a.registry(s.db).RevokeToken(s.ctx, s.caller, id); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Revoked API token %d.\n", id)
			return nil
		},
	}
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
			if f.Limit < 1 {
				return usagef("--limit %d: want 1 or more", f.Limit)
			}
			s, err := a.session(cmd)
			if err != nil {
				return err
			}
			rf, ok, err := registry.AuditFilter(s.caller, f.Mission, f.Entity, f.Limit)
			if err != nil {
				return err
			}
			entries, err := a.registry(s.db).Audit(s.ctx, s.caller, rf, ok)
			if err != nil {
				return err
			}
			return a.listing(s.ctx, asJSON, "entries", entries, "ID\tWHEN\tACTOR\tACTION\tENTITY\tRECORD\tMISSION",
				func(w io.Writer, loc *time.Location) {
					for _, e := range entries {
						fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.At.In(loc).Format("2006-01-02 15:04"),
							e.Actor, e.Action, e.Entity, e.EntityID, e.Mission)
					}
				})
		},
	}
	c.Flags().StringVar(&f.Mission, "mission", "", "only this mission's entries")
	c.Flags().StringVar(&f.Entity, "entity", "", "only entries about this kind of record (person, user, token, missions, people, config)")
	c.Flags().IntVar(&f.Limit, "limit", 50, "at most this many entries")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return c
}
