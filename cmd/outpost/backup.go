package main

import (
	"context"
	"fmt"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/spf13/cobra"
)

func (a *app) backupCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Copy the SQLite database to FILE, consistently, while the server runs",
		Long: `Copy the SQLite database to FILE while outpost serve and other commands go
on reading and writing: the copy holds every change committed before it
began. FILE appears whole or not at all (written beside it, synced and
renamed), readable by its owner only; an existing FILE is replaced.

A PostgreSQL database is backed up with pg_dump: on one, this command
prints the pg_dump and pg_restore commands to use and exits 1.`,
		Example: `  outpost backup /var/backups/outpost-$(date +%F).db
  outpost --db postgres://outpost@db/outpost backup outpost.dump   # prints pg_dump`,
		GroupID: "admin",
		Args:    args("FILE"),
		RunE: func(cmd *cobra.Command, as []string) error {
			if store.IsPostgres(a.dsn) {
				return a.postgresBackupError("backup", as[0])
			}
			db, err := a.openExisting(cmd.Context())
			if err != nil {
				return err
			}
			if err := db.Backup(cmd.Context(), as[0]); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "backed up %s to %s\n", a.dsn, as[0])
			return nil
		},
	}
}

func (a *app) restoreCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "restore FILE",
		Short: "Replace the SQLite database with a backup, after checking the backup",
		Long: `Replace the SQLite database (--db) with the backup FILE made by outpost
backup. FILE is first copied beside the database and checked (integrity,
foreign keys, an Outpost schema this version knows); a bad backup leaves
the database as it was. The database must not be in use: stop outpost
serve first; restore refuses a database another process has open. The
restored database is then brought to this version's schema and checked.
Everyone is signed out. The backup's passwords and API tokens come back
with it, including any changed or revoked since: restore says how many
tokens there are; review them with outpost token list.

A PostgreSQL database is restored with pg_restore: on one, this command
prints the command to use and exits 1.`,
		Example: `  outpost restore /var/backups/outpost-2021-04-01.db`,
		GroupID: "admin",
		Args:    args("FILE"),
		RunE: func(cmd *cobra.Command, as []string) error {
			if store.IsPostgres(a.dsn) {
				return a.postgresBackupError("restore", as[0])
			}
			if err := store.Restore(cmd.Context(), a.dsn, as[0]); err != nil {
				return err
			}
			db, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			if err := db.Check(cmd.Context()); err != nil {
				return err
			}
			tokens, err := db.Tokens(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "restored %s from %s; check ok\n", a.dsn, as[0])
			// The backup's passwords and tokens are back, including any
			// revoked since it was made.
			fmt.Fprintf(a.stdout, "everyone was signed out; the restored database holds %d API token(s): review them with `outpost token list` (and `outpost token revoke ID`), and any password changed since the backup\n", len(tokens))
			return nil
		},
	}
}

// postgresBackupError is the answer of backup and restore on PostgreSQL:
// the commands that do it there.
func (a *app) postgresBackupError(what, file string) error {
	dump, restore := store.PostgresCommands(a.dsn, file)
	return &outpost.Error{Code: outpost.EINVALID,
		Message: fmt.Sprintf("%s: the database is PostgreSQL, which outpost %s does not copy: use pg_dump and pg_restore (the commands are above)", what, what),
		Details: []string{"To back up:  " + dump, "To restore:  " + restore}}
}

// openExisting opens the database for a command that must not create one:
// a mistyped --db would otherwise be a new, empty database that backs up
// and checks "ok" for ever.
func (a *app) openExisting(ctx context.Context) (*store.DB, error) {
	if !store.Exists(a.dsn) {
		return nil, outpost.Errorf(outpost.EINVALID, "no database at %s: check --db (or OUTPOST_DB)", a.dsn)
	}
	return a.open(ctx)
}
