package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/statements"
	"github.com/spf13/cobra"
)

func (a *app) statementCommands() []*cobra.Command {
	return []*cobra.Command{a.statementCommand(), a.sitrepCommand()}
}

func (a *app) statementCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "statement",
		Short: "Draft, approve and publish public statements",
		Long: `Public statements go draft → approved → published. Only published
statements are ever shown to the public (the /statements pages and the
/statements.atom feed of ` + "`outpost serve`" + `). The body is Markdown; raw HTML
in it is never shown. Editing a statement or attaching a photo sends an
approved statement back to draft; a published statement no longer changes.`,
		GroupID: "public",
	}
	c.AddCommand(a.statementDraftCommand(), a.statementEditCommand(), a.statementStepCommand("approve"),
		a.statementStepCommand("publish"), a.statementListCommand(), a.statementShowCommand(), a.statementAttachCommand())
	return c
}

// statements returns the statements service over the command's store.
func (a *app) statements(ctx context.Context) (*statements.Service, error) {
	db, err := a.open(ctx)
	if err != nil {
		return nil, err
	}
	return statements.New(db, a.now), nil
}

// readBody reads a statement's Markdown from a file, or stdin for "-".
func (a *app) readBody(name string) (string, error) {
	var r io.Reader = a.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return "", outpost.Errorf(outpost.EINVALID, "cannot read the body: %v", err)
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, outpost.MaxBody+1))
	if err != nil {
		return "", outpost.Errorf(outpost.EINVALID, "cannot read the body from %s: %v", name, err)
	}
	return string(b), nil
}

func (a *app) statementDraftCommand() *cobra.Command {
	var bodyFile, mission string
	c := &cobra.Command{
		Use:   "draft TITLE --body-file FILE",
		Short: "Save a new draft statement (body in Markdown) and print its id",
		Long: `Save a new draft. The body is Markdown, read from --body-file (- for
stdin). Without --mission the statement speaks for the whole corps. The
new statement's id is printed alone on the last line.`,
		Example: `  outpost statement draft "Fewer than 290 foreigners remain" --body-file statement.md --mission RU
  id=$(outpost statement draft "Update" --body-file - < update.md | tail -1)`,
		Args: args("TITLE"),
		RunE: func(cmd *cobra.Command, as []string) error {
			if bodyFile == "" {
				return usagef("statement draft: --body-file is required (a Markdown file, or - for stdin)")
			}
			ctx := cmd.Context()
			body, err := a.readBody(bodyFile)
			if err != nil {
				return err
			}
			svc, err := a.statements(ctx)
			if err != nil {
				return err
			}
			st, err := svc.Draft(ctx, outpost.Operator("cli"), statements.DraftRequest{Title: as[0], Body: body, Mission: mission}, time.Time{})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Drafted statement %d%s: %s\nNext: outpost statement approve %d\n%d\n",
				st.ID, missionSuffix(st.Mission), st.Title, st.ID, st.ID)
			return nil
		},
	}
	c.Flags().StringVar(&bodyFile, "body-file", "", "the body in Markdown (- for stdin)")
	c.Flags().StringVar(&mission, "mission", "", "the mission that speaks (default: the whole corps)")
	return c
}

func missionSuffix(m string) string {
	if m == "" {
		return " (corps)"
	}
	return " (" + m + ")"
}

func (a *app) statementEditCommand() *cobra.Command {
	var bodyFile, title string
	c := &cobra.Command{
		Use:     "edit ID [--title TITLE] [--body-file FILE]",
		Short:   "Change a draft or approved statement (an approved one goes back to draft)",
		Example: `  outpost statement edit 3 --body-file statement.md`,
		Args:    args("ID"),
		RunE: func(cmd *cobra.Command, as []string) error {
			id, err := parseID("statement id", as[0])
			if err != nil {
				return err
			}
			if bodyFile == "" && title == "" {
				return usagef("statement edit: give --title, --body-file or both")
			}
			ctx, op := cmd.Context(), outpost.Operator("cli")
			svc, err := a.statements(ctx)
			if err != nil {
				return err
			}
			st, err := svc.Editable(ctx, op, id)
			if err != nil {
				return err
			}
			if title != "" {
				st.Title = title
			}
			if bodyFile != "" {
				if st.Body, err = a.readBody(bodyFile); err != nil {
					return err
				}
			}
			st, err = svc.Edit(ctx, op, id, st.Title, st.Body)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Statement %d changed; it is a draft until approved again.\n", st.ID)
			return nil
		},
	}
	c.Flags().StringVar(&bodyFile, "body-file", "", "the new body in Markdown (- for stdin)")
	c.Flags().StringVar(&title, "title", "", "the new title")
	return c
}

// statementStepCommand is `statement approve ID` or `statement publish ID`.
func (a *app) statementStepCommand(step string) *cobra.Command {
	var at string
	c := &cobra.Command{
		Use:  step + " ID",
		Args: args("ID"),
		RunE: func(cmd *cobra.Command, as []string) error {
			id, err := parseID("statement id", as[0])
			if err != nil {
				return err
			}
			ctx, op := cmd.Context(), outpost.Operator("cli")
			svc, err := a.statements(ctx)
			if err != nil {
				return err
			}
			var st outpost.Statement
			if step == "approve" {
				st, err = svc.Step(ctx, op, id, step, time.Time{})
				if err == nil {
					fmt.Fprintf(a.stdout, "Statement %d approved. Next: outpost statement publish %d\n", st.ID, st.ID)
				}
				return err
			}
			var when time.Time
			loc, err := a.location(ctx)
			if err != nil {
				return err
			}
			if at != "" {
				if when, _, err = a.asOf(ctx, "--at", at); err != nil {
					return err
				}
			}
			if st, err = svc.Step(ctx, op, id, step, when); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Statement %d published %s: it is now public.\n", st.ID, st.Published.In(loc).Format("2 Jan 2006 15:04 MST"))
			return nil
		},
	}
	if step == "approve" {
		c.Short = "Approve a draft statement for publication"
		c.Example = "  outpost statement approve 3"
	} else {
		c.Short = "Publish an approved statement: from now on it is public"
		c.Long = `Publish an approved statement. A statement that is not approved is
refused (exit status 1). --at records the publication of a statement
that was made public earlier, e.g. on another channel.`
		c.Example = "  outpost statement publish 3\n  outpost statement publish 3 --at 2021-04-01T10:00"
		c.Flags().StringVar(&at, "at", "", "when it was published (default now)")
	}
	return c
}

func (a *app) statementListCommand() *cobra.Command {
	var f outpost.StatementFilter
	var status string
	var asJSON bool
	c := &cobra.Command{
		Use:     "list",
		Short:   "List statements: published ones newest first, then the others",
		Example: "  outpost statement list\n  outpost statement list --status draft --mission RU --json",
		Args:    args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if status != "" {
				if !slices.Contains(outpost.StatementStatuses, status) {
					return usagef("--status %q: want one of %s", status, strings.Join(outpost.StatementStatuses, ", "))
				}
				f.Status = outpost.StatementStatus(status)
			}
			ctx := cmd.Context()
			svc, err := a.statements(ctx)
			if err != nil {
				return err
			}
			list, _, err := svc.List(ctx, outpost.Operator("cli"), f)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(map[string]any{"statements": list})
			}
			loc, err := a.location(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSTATUS\tMISSION\tPUBLISHED\tPHOTOS\tTITLE")
			for _, s := range list {
				pub := "-"
				if !s.Published.IsZero() {
					pub = s.Published.In(loc).Format("2006-01-02 15:04")
				}
				m := s.Mission
				if m == "" {
					m = "corps"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\n", s.ID, s.Status, m, pub, len(s.Photos), s.Title)
			}
			tw.Flush()
			fmt.Fprintf(a.stdout, "%d %s\n", len(list), outpost.Plural(len(list), "statement", "statements"))
			return nil
		},
	}
	c.Flags().StringVar(&f.Mission, "mission", "", "one mission's statements")
	c.Flags().StringVar(&status, "status", "", "draft, approved or published")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return c
}

func (a *app) statementShowCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:     "show ID",
		Short:   "Show a statement: its state, its Markdown body and its photos",
		Example: "  outpost statement show 3",
		Args:    args("ID"),
		RunE: func(cmd *cobra.Command, as []string) error {
			id, err := parseID("statement id", as[0])
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			svc, err := a.statements(ctx)
			if err != nil {
				return err
			}
			st, err := svc.Managed(ctx, outpost.Operator("cli"), id)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(st)
			}
			loc, err := a.location(ctx)
			if err != nil {
				return err
			}
			w := a.stdout
			stamp := func(t time.Time, by string) string {
				return t.In(loc).Format("2 Jan 2006 15:04") + " by " + by
			}
			fmt.Fprintf(w, "Statement %d%s: %s\n\n", st.ID, missionSuffix(st.Mission), st.Title)
			fmt.Fprintf(w, "  Status     %s\n", st.Status)
			fmt.Fprintf(w, "  Drafted    %s\n", stamp(st.Created, st.CreatedBy))
			if !st.Approved.IsZero() {
				fmt.Fprintf(w, "  Approved   %s\n", stamp(st.Approved, st.ApprovedBy))
			}
			if !st.Published.IsZero() {
				fmt.Fprintf(w, "  Published  %s\n", stamp(st.Published, st.PublishedBy))
			}
			for _, p := range st.Photos {
				fmt.Fprintf(w, "  Photo %d    %s (%s, %d×%d, %s)%s\n", p.ID, p.Name, p.Type, p.Width, p.Height, size(p.Size),
					map[bool]string{true: ": " + p.Caption}[p.Caption != ""])
			}
			fmt.Fprintf(w, "\n%s\n", strings.TrimRight(st.Body, "\n"))
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return c
}

// size writes a byte count for people: 812 B, 120 KB, 4.2 MB.
func size(n int) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%d KB", (n+512)>>10)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

func (a *app) statementAttachCommand() *cobra.Command {
	var caption string
	c := &cobra.Command{
		Use:   "attach ID PHOTO",
		Short: "Attach a photo (JPEG, PNG or WebP, at most 5 MB) to a statement",
		Long: `Attach a photo to a draft or approved statement (an approved one goes
back to draft). The type is judged by the file's content, not its name.
The photo is written again from its pixels alone: its EXIF (the GPS
position), XMP and comments are not kept. It is kept in the database, so
a backup of the database holds it.
The new photo's id is printed alone on the last line.`,
		Example: `  outpost statement attach 3 trolley.jpg --caption "Crossing the Tumen bridge"`,
		Args:    args("ID", "PHOTO"),
		RunE: func(cmd *cobra.Command, as []string) error {
			id, err := parseID("statement id", as[0])
			if err != nil {
				return err
			}
			data, err := readPhoto(as[1])
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			svc, err := a.statements(ctx)
			if err != nil {
				return err
			}
			p, err := svc.Attach(ctx, outpost.Operator("cli"), id, outpost.Photo{PhotoInfo: outpost.PhotoInfo{Name: filepath.Base(as[1]), Caption: caption}, Data: data})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Attached photo %d to statement %d: %s (%s, %d×%d, %s)\n%d\n",
				p.ID, id, p.Name, p.Type, p.Width, p.Height, size(p.Size), p.ID)
			return nil
		},
	}
	c.Flags().StringVar(&caption, "caption", "", "a caption shown under the photo")
	return c
}

// readPhoto reads a photo file, refusing one over the size limit before
// reading it whole.
func readPhoto(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, outpost.Errorf(outpost.EINVALID, "cannot read the photo: %v", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, outpost.MaxPhotoBytes+1))
	if err != nil {
		return nil, outpost.Errorf(outpost.EINVALID, "cannot read the photo %s: %v", name, err)
	}
	return data, nil
}

// loadStatements records the statements of a scenario's statements.csv
// (mission, title, published, body, source): each is drafted, approved
// and published at its date, with its source under the body.
func (a *app) loadStatements(ctx context.Context, r io.Reader, name string) error {
	svc, err := a.statements(ctx)
	if err != nil {
		return err
	}
	op := outpost.Operator(outpost.ActorFrom(ctx))
	loc, err := a.location(ctx)
	if err != nil {
		return err
	}
	return eachScenarioRow(r, name, func(get func(string) string) error {
		at, err := outpost.ParseTime(get("published"), loc)
		if err != nil {
			return fmt.Errorf("published: %w", err)
		}
		body := get("body")
		if src := get("source"); src != "" {
			body = strings.TrimRight(body, "\n") + "\n\n---\n\n*Source: " + src + "*\n"
		}
		st, err := svc.Draft(ctx, op, statements.DraftRequest{Mission: get("mission"), Title: get("title"), Body: body}, at)
		if err == nil {
			_, err = svc.Step(ctx, op, st.ID, "approve", at)
		}
		if err == nil {
			_, err = svc.Step(ctx, op, st.ID, "publish", at)
		}
		return err
	})
}
