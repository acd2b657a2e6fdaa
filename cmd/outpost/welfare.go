package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/export"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/welfare"
	"github.com/spf13/cobra"
)

func (a *app) welfareCommands() []*cobra.Command {
	return []*cobra.Command{a.rollcallCommand(), a.medicalCommand()}
}

// parseID reads a numeric id argument.
func parseID(what, s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("%s must be a number (got %q)", what, s)
	}
	return id, nil
}

// welfare opens the store (ctx carries the actor of its writes) and
// returns the welfare service over it, on the command's clock.
func (a *app) welfare(ctx context.Context) (*welfare.Service, error) {
	db, err := a.open(ctx)
	if err != nil {
		return nil, err
	}
	return welfare.New(db, nil, a.now), nil
}

// welfareFor reads the numeric id argument arg (what names it in the
// error), then opens the welfare service as welfare does: the commands
// that act on one roll call or one case start so.
func (a *app) welfareFor(ctx context.Context, what, arg string) (*welfare.Service, int64, error) {
	id, err := parseID(what, arg)
	if err != nil {
		return nil, 0, err
	}
	svc, err := a.welfare(ctx)
	if err != nil {
		return nil, 0, err
	}
	return svc, id, nil
}

func (a *app) rollcallCommand() *cobra.Command {
	c := &cobra.Command{Use: "rollcall", Short: "Ask everyone \"are you safe?\" and follow the answers", GroupID: "welfare"}
	c.AddCommand(a.rollcallStartCommand(), a.rollcallCheckinCommand(), a.rollcallStatusCommand(), a.rollcallCloseCommand(),
		a.rollcallListCommand(), a.rollcallLinksCommand(), a.rollcallEscalateCommand(), a.rollcallNotifyCommand())
	return c
}

func (a *app) rollcallStartCommand() *cobra.Command {
	var mission string
	var escalate time.Duration
	c := &cobra.Command{
		Use:   "start TITLE",
		Short: "Start a roll call over everyone in the country, or one mission's people",
		Long: `Start a roll call. It expects every person in the country now, or the
people of one mission with --mission. Its id is printed alone on the last
line. With --escalate-after, the non-responders of each mission are sent
to its manager once that time has passed (see 'rollcall escalate').`,
		Example: `  outpost rollcall start "Morning check"
  id=$(outpost rollcall start "After the storm" --mission RU --escalate-after 2h | tail -1)`,
		Args: args("TITLE"),
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := outpost.WithActor(cmd.Context(), "cli")
			svc, err := a.welfare(ctx)
			if err != nil {
				return err
			}
			rc, err := svc.Start(ctx, outpost.Operator("cli"), outpost.RollCall{Title: as[0], Mission: mission, EscalateAfter: escalate})
			if err != nil {
				return err
			}
			scope := "everyone in the country"
			if mission != "" {
				scope = "the people of " + mission
			}
			fmt.Fprintf(a.stdout, "Roll call %q started over %s: %d expected.\n%d\n", rc.Title, scope, rc.Expected, rc.ID)
			return nil
		},
	}
	c.Flags().StringVar(&mission, "mission", "", "only this mission's people")
	c.Flags().DurationVar(&escalate, "escalate-after", 0, "escalate non-responders after this long (e.g. 2h)")
	return c
}

func (a *app) rollcallCheckinCommand() *cobra.Command {
	var note string
	c := &cobra.Command{
		Use:   "checkin ID PERSON safe|need_help",
		Short: "Record a person's answer (a later answer replaces an earlier one)",
		Args:  args("ID", "PERSON", "ANSWER"),
		ValidArgsFunction: func(cmd *cobra.Command, as []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(as) == 2 {
				return []string{outpost.Safe, outpost.NeedHelp}, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := outpost.WithActor(cmd.Context(), "cli")
			svc, id, err := a.welfareFor(ctx, "roll call id", as[0])
			if err != nil {
				return err
			}
			if err := svc.CheckIn(ctx, outpost.Operator("cli"), outpost.Checkin{RollCall: id, Person: as[1], Status: as[2], Note: note, Via: "cli"}); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s: %s\n", as[1], strings.ReplaceAll(as[2], "_", " "))
			return nil
		},
	}
	c.Flags().StringVar(&note, "note", "", "what the person said")
	return c
}

func (a *app) rollcallStatusCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "status ID",
		Short: "Count the answers: safe, need help, no response",
		Args:  args("ID"),
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := cmd.Context()
			svc, id, err := a.welfareFor(ctx, "roll call id", as[0])
			if err != nil {
				return err
			}
			rep, err := svc.Report(ctx, outpost.Operator("cli"), id)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(rep)
			}
			a.printRollCallReport(rep)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return c
}

// printRollCallReport writes a roll call's counts, by mission, and who
// needs help or has not answered.
func (a *app) printRollCallReport(rep outpost.RollCallReport) {
	fmt.Fprintf(a.stdout, "Roll call %d %q (%s)\n\n", rep.ID, rep.Title, rep.Status)
	fmt.Fprintf(a.stdout, "  Expected     %6d\n  Safe         %6d\n  Need help    %6d\n  No response  %6d\n\n", rep.Expected, rep.Safe, rep.NeedHelp, rep.NoResponse)
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MISSION\t  EXPECTED\t      SAFE\t NEED HELP\tNO RESPONSE")
	for _, m := range rep.ByMission {
		fmt.Fprintf(tw, "%s\t%10d\t%10d\t%10d\t%11d\n", m.Mission, m.Expected, m.Safe, m.NeedHelp, m.NoResponse)
	}
	tw.Flush()
	if len(rep.NeedHelpIDs) > 0 {
		fmt.Fprintf(a.stdout, "\nNeed help: %s\n", strings.Join(rep.NeedHelpIDs, " "))
	}
	if len(rep.NoResponseIDs) > 0 {
		fmt.Fprintf(a.stdout, "No response: %s\n", strings.Join(rep.NoResponseIDs, " "))
	}
}

func (a *app) rollcallCloseCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "close ID",
		Short: "Close a roll call: it takes no more answers",
		Args:  args("ID"),
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := outpost.WithActor(cmd.Context(), "cli")
			svc, id, err := a.welfareFor(ctx, "roll call id", as[0])
			if err != nil {
				return err
			}
			rc, err := svc.Close(ctx, outpost.Operator("cli"), id)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Roll call %d %q closed.\n", rc.ID, rc.Title)
			return nil
		},
	}
}

func (a *app) rollcallListCommand() *cobra.Command {
	var asJSON bool
	var mission string
	c := &cobra.Command{
		Use:   "list",
		Short: "List roll calls, newest first",
		Args:  args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			svc, err := a.welfare(ctx)
			if err != nil {
				return err
			}
			rcs, err := svc.List(ctx, outpost.Operator("cli"), mission)
			if err != nil {
				return err
			}
			return a.listing(ctx, asJSON, "rollcalls", rcs, "ID\tTITLE\tSCOPE\tSTATUS\tSTARTED\tEXPECTED", func(w io.Writer, loc *time.Location) {
				for _, rc := range rcs {
					scope := rc.Mission
					if scope == "" {
						scope = "everyone"
					}
					fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%d\n", rc.ID, rc.Title, scope, rc.Status, rc.StartedAt.In(loc).Format("2006-01-02 15:04"), rc.Expected)
				}
			})
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	c.Flags().StringVar(&mission, "mission", "", "only roll calls that include this mission")
	return c
}

func (a *app) rollcallLinksCommand() *cobra.Command {
	var baseURL, out string
	var bom bool
	c := &cobra.Command{
		Use:     "links ID",
		Short:   "Export every person's one-tap check-in link as CSV, to send by the mission's own channels",
		Example: `  outpost rollcall links 3 --base-url https://outpost.post.example --out links.csv`,
		Args:    args("ID"),
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := outpost.WithActor(cmd.Context(), "cli")
			id, err := parseID("roll call id", as[0])
			if err != nil {
				return err
			}
			base, err := auth.ParseOrigin(baseURL)
			if err != nil {
				return usagef("--base-url %v", err)
			}
			svc, err := a.welfare(ctx)
			if err != nil {
				return err
			}
			links, scope, err := svc.LinkSheet(ctx, outpost.Operator("cli"), id, base)
			if err != nil {
				return err
			}
			// The links are secrets: the file is for its owner only.
			return a.writeOut(out, 0o600, func(w io.Writer) error {
				if err := export.StartCSV(w, bom); err != nil {
					return err
				}
				return welfare.WriteLinks(w, links, id, scope)
			})
		},
	}
	c.Flags().StringVar(&baseURL, "base-url", "http://127.0.0.1:8080", "the address people reach the server at")
	c.Flags().BoolVar(&bom, "bom", false, bomUsage)
	c.Flags().StringVar(&out, "out", "", "write to this file instead of stdout")
	return c
}

func (a *app) rollcallEscalateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "escalate",
		Short: "Send the non-responders of roll calls past their escalation time to their missions",
		Long: `Send, for every open roll call whose --escalate-after time has passed, one
notice per mission listing who has not answered (and who asked for help).
Channels come from settings: notify.smtp (host:port), notify.from,
notify.email (default recipient) or notify.email.MISSION, notify.webhook
and notify.webhook_secret (signed with HMAC-SHA256 over a timestamp and the
body; a webhook without a secret sends nothing). The server does this
by itself every minute; this command is for cron and for testing.`,
		Args: args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := outpost.WithActor(cmd.Context(), "cli")
			svc, err := a.welfare(ctx)
			if err != nil {
				return err
			}
			sent, err := svc.Escalate(ctx, outpost.Operator("cli"))
			for _, n := range sent {
				fmt.Fprintf(a.stdout, "roll call %d, %s: %d without an answer, %d asking for help\n", n.RollCall, n.Mission, len(n.NoResponse), len(n.NeedHelp))
			}
			if len(sent) == 0 && err == nil {
				fmt.Fprintln(a.stdout, "nothing to escalate")
			}
			return err
		},
	}
}

// notifyKeys are the escalation settings, in the order they are shown.
var notifyKeys = []string{"notify.smtp", "notify.from", "notify.helo", "notify.tls", "notify.email", "notify.webhook", "notify.webhook_secret"}

// notifyFlags are the escalation settings' flags and what they set.
type notifyFlags struct {
	smtp, from, helo, tls, email, webhook, secret string
	forMission                                    []string
	generate                                      bool
}

func (a *app) rollcallNotifyCommand() *cobra.Command {
	var f notifyFlags
	c := &cobra.Command{
		Use:   "notify [--smtp HOST:PORT] [--from ADDR] [--helo NAME] [--tls auto|required|opportunistic] [--email ADDRS] [--email-for MISSION=ADDRS] [--webhook URL] [--webhook-secret S]",
		Short: "Set where escalations go (e-mail over SMTP, a signed webhook); without flags, show it",
		Long: `Set the channels that escalate each mission's non-responders: e-mail through
an SMTP server (to --email, or a mission's own --email-for MISSION=ADDRS;
from --from, an address or 'Name <address>'; greeting the server as --helo,
default the host's name; TLS as --tls says, required by default unless
the server is on this machine) and a webhook whose JSON body is signed with HMAC-SHA256 under
--webhook-secret (at least 32 bytes; --generate-webhook-secret makes one
and prints it once) together with a timestamp, in the header
Outpost-Signature: t=UNIX,v1=HEX (HMAC of "UNIX.BODY"). A webhook cannot
be set without a secret. An empty value removes a setting. The server reads them every minute; 'rollcall escalate'
uses them at once.`,
		Example: `  outpost rollcall notify --smtp mail.post.example:25 --from outpost@post.example --email duty@post.example
  outpost rollcall notify --from 'Outpost duty desk <outpost@post.example>' --helo outpost.post.example
  outpost rollcall notify --email-for RU=consul@ru.example
  outpost rollcall notify --webhook https://hooks.example/outpost --webhook-secret "$SECRET"
  outpost rollcall notify --webhook https://hooks.example/outpost --generate-webhook-secret`,
		Args: args(),
		RunE: func(cmd *cobra.Command, _ []string) error { return a.notify(cmd, f) },
	}
	c.Flags().StringVar(&f.smtp, "smtp", "", "the mail server, HOST:PORT")
	c.Flags().StringVar(&f.from, "from", "", "the sender: ADDRESS or 'NAME <ADDRESS>' (default outpost@localhost)")
	c.Flags().StringVar(&f.helo, "helo", "", "the name to greet the mail server with (default the host's name)")
	c.Flags().StringVar(&f.tls, "tls", "", "when mail goes only inside TLS: auto (required unless the server is on this machine), required, or opportunistic (for a relay without a certificate; never with a sign-in)")
	c.Flags().StringVar(&f.email, "email", "", "recipients of every mission's notices, separated by commas")
	c.Flags().StringArrayVar(&f.forMission, "email-for", nil, "MISSION=ADDRESSES: one mission's own recipients (repeatable)")
	c.Flags().StringVar(&f.webhook, "webhook", "", "an address to POST each notice to, as signed JSON")
	c.Flags().StringVar(&f.secret, "webhook-secret", "", "the key that signs the webhook's body, at least 32 bytes")
	c.Flags().BoolVar(&f.generate, "generate-webhook-secret", false, "make a random webhook secret, store it and print it once")
	return c
}

// notify stores the escalation settings the flags change, then shows
// every one of them.
func (a *app) notify(cmd *cobra.Command, f notifyFlags) error {
	ctx := outpost.WithActor(cmd.Context(), "cli")
	db, err := a.open(ctx)
	if err != nil {
		return err
	}
	svc := welfare.New(db, nil, a.now)
	set := map[string]string{}
	for _, fl := range []struct {
		flag, key string
		value     string
	}{{"smtp", "notify.smtp", f.smtp}, {"from", "notify.from", f.from}, {"helo", "notify.helo", f.helo}, {"tls", "notify.tls", f.tls}, {"email", "notify.email", f.email},
		{"webhook", "notify.webhook", f.webhook}, {"webhook-secret", "notify.webhook_secret", f.secret}} {
		if cmd.Flags().Changed(fl.flag) {
			set[fl.key] = strings.TrimSpace(fl.value)
		}
	}
	keys := slices.Clone(notifyKeys)
	for _, e := range f.forMission {
		m, to, ok := strings.Cut(e, "=")
		if !ok || m == "" {
			return usagef("--email-for %q: want MISSION=ADDRESSES", e)
		}
		if _, err := db.Mission(ctx, m); err != nil {
			return err
		}
		set["notify.email."+m] = strings.TrimSpace(to)
		keys = append(keys, "notify.email."+m)
	}
	if v := set["notify.smtp"]; v != "" {
		if _, _, err := net.SplitHostPort(v); err != nil {
			return outpost.Errorf(outpost.EINVALID, "--smtp %q: want HOST:PORT, e.g. mail.post.example:25", v)
		}
	}
	if f.generate {
		if cmd.Flags().Changed("webhook-secret") {
			return usagef("--generate-webhook-secret and --webhook-secret: give one")
		}
		set["notify.webhook_secret"] = welfare.NewWebhookSecret()
	}
	if err := svc.SetNotify(ctx, outpost.Operator("cli"), set, keys); err != nil {
		return err
	}
	values, err := svc.Notify(ctx, outpost.Operator("cli"), keys)
	if err != nil {
		return err
	}
	for i, k := range keys {
		v := values[i]
		if k == "notify.webhook_secret" && v != "" {
			v = "(set)"
			if f.generate {
				// Shown this once: the receiver needs it to check signatures.
				v = "(set) " + set[k]
			}
		}
		if v == "" {
			v = "-"
		}
		fmt.Fprintf(a.stdout, "%-22s %s\n", k, v)
	}
	return nil
}

func (a *app) medicalCommand() *cobra.Command {
	c := &cobra.Command{Use: "medical", Short: "Medical cases: open, update, close, list", GroupID: "welfare",
		Long: `Medical cases follow a person's need (urgent, priority, routine). An open
case raises the person's medical level for the evacuation planner: urgent
to 3, priority to 2, routine to 1, or the imported level if higher.`}
	c.AddCommand(a.medicalOpenCommand(), a.medicalUpdateCommand(), a.medicalCloseCommand(), a.medicalListCommand())
	return c
}

func (a *app) medicalOpenCommand() *cobra.Command {
	var precedence, need string
	c := &cobra.Command{
		Use:     "open PERSON --precedence urgent|priority|routine --need TEXT",
		Short:   "Open a case; its id is printed alone on the last line",
		Example: `  outpost medical open RU-0002 --precedence priority --need "insulin, 2 vials a week"`,
		Args:    args("PERSON"),
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := outpost.WithActor(cmd.Context(), "cli")
			if precedence == "" {
				return usagef("medical open: --precedence is required (urgent, priority or routine)")
			}
			svc, err := a.welfare(ctx)
			if err != nil {
				return err
			}
			mc, err := svc.Open(ctx, outpost.Operator("cli"), outpost.MedicalCase{Person: as[0], Precedence: outpost.Precedence(precedence), Need: need})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Case opened for %s (%s).\n%d\n", mc.Person, mc.Precedence, mc.ID)
			return nil
		},
	}
	c.Flags().StringVar(&precedence, "precedence", "", "urgent, priority or routine")
	c.Flags().StringVar(&need, "need", "", "what the person needs")
	return c
}

func (a *app) medicalUpdateCommand() *cobra.Command {
	var precedence, need string
	c := &cobra.Command{
		Use:   "update ID [--precedence P] [--need TEXT]",
		Short: "Change an open case",
		Args:  args("ID"),
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := outpost.WithActor(cmd.Context(), "cli")
			id, err := parseID("case id", as[0])
			if err != nil {
				return err
			}
			var u outpost.CaseUpdate
			if cmd.Flags().Changed("precedence") {
				p := outpost.Precedence(precedence)
				u.Precedence = &p
			}
			if cmd.Flags().Changed("need") {
				u.Need = &need
			}
			if u.Precedence == nil && u.Need == nil {
				return usagef("medical update: give --precedence or --need")
			}
			svc, err := a.welfare(ctx)
			if err != nil {
				return err
			}
			mc, err := svc.Update(ctx, outpost.Operator("cli"), id, u)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Case %d: %s, %s\n", mc.ID, mc.Precedence, mc.Need)
			return nil
		},
	}
	c.Flags().StringVar(&precedence, "precedence", "", "urgent, priority or routine")
	c.Flags().StringVar(&need, "need", "", "what the person needs")
	return c
}

func (a *app) medicalCloseCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "close ID",
		Short: "Close a case",
		Args:  args("ID"),
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := outpost.WithActor(cmd.Context(), "cli")
			svc, id, err := a.welfareFor(ctx, "case id", as[0])
			if err != nil {
				return err
			}
			mc, err := svc.Resolve(ctx, outpost.Operator("cli"), id)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Case %d of %s closed.\n", mc.ID, mc.Person)
			return nil
		},
	}
}

func (a *app) medicalListCommand() *cobra.Command {
	var f outpost.CaseFilter
	var asJSON bool
	c := &cobra.Command{
		Use:   "list",
		Short: "List open cases, most urgent first",
		Args:  args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			svc, err := a.welfare(ctx)
			if err != nil {
				return err
			}
			cases, err := svc.ListCases(ctx, outpost.Operator("cli"), f)
			if err != nil {
				return err
			}
			return a.listing(ctx, asJSON, "cases", cases, "ID\tPERSON\tMISSION\tPRECEDENCE\tSTATUS\tOPENED\tNEED", func(w io.Writer, loc *time.Location) {
				for _, mc := range cases {
					fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", mc.ID, mc.Person, mc.Mission, mc.Precedence, mc.Status, mc.OpenedAt.In(loc).Format(time.DateOnly), mc.Need)
				}
			})
		},
	}
	c.Flags().StringVar(&f.Mission, "mission", "", "only this mission's cases")
	c.Flags().BoolVar(&f.All, "all", false, "include closed cases")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return c
}
