package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// The audit log records users and tokens without their secrets: these are
// what before/after hold.
type auditUser struct {
	Name    string `json:"name"`
	Role    string `json:"role"`
	Mission string `json:"mission,omitempty"`
}

type auditToken struct {
	ID      int64  `json:"id"`
	User    string `json:"user"`
	Label   string `json:"label,omitempty"`
	Expires int64  `json:"expires,omitempty"`
}

const userCols = `u.id, u.name, u.role, COALESCE(u.mission, ''), u.created, u.disabled`

func scanUser(sc interface{ Scan(...any) error }) (outpost.User, error) {
	var u outpost.User
	var created, disabled int64
	err := sc.Scan(&u.ID, &u.Name, &u.Role, &u.Mission, &created, &disabled)
	u.Created = time.Unix(created, 0).UTC()
	u.Disabled = disabled != 0
	return u, err
}

// nullable stores "" as NULL, for optional references.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreateUser adds a user with the hash of their password.
func (db *DB) CreateUser(ctx context.Context, u outpost.User, passwordHash string) (outpost.User, error) {
	if err := u.Validate().Err("user"); err != nil {
		return outpost.User{}, err
	}
	if passwordHash == "" {
		return outpost.User{}, outpost.Errorf(outpost.EINVALID, "user %s: no password", u.Name)
	}
	u.Created = db.Now().Truncate(time.Second).UTC()
	err := db.update(ctx, func(t *tx) error {
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE name = ?`, u.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return outpost.Errorf(outpost.ECONFLICT, "there is already a user named %q", u.Name)
		}
		if u.Mission != "" {
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM missions WHERE code = ?`, u.Mission).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return outpost.Errorf(outpost.EINVALID, "user %s: no mission %q (import it first, or see `outpost missions list`)", u.Name, u.Mission)
			}
		}
		if err := t.queryRow(ctx, `INSERT INTO users (name, role, mission, password_hash, created)
			VALUES (?, ?, ?, ?, ?) RETURNING id`,
			u.Name, string(u.Role), nullable(u.Mission), passwordHash, u.Created.Unix()).Scan(&u.ID); err != nil {
			return err
		}
		return t.audit(ctx, "create", "user", u.Name, u.Mission, nil,
			auditUser{Name: u.Name, Role: string(u.Role), Mission: u.Mission})
	})
	if err != nil {
		return outpost.User{}, err
	}
	return u, nil
}

// SetPassword replaces a user's password hash, ends their sessions and
// revokes their API tokens.
func (db *DB) SetPassword(ctx context.Context, name, passwordHash string) error {
	if passwordHash == "" {
		return outpost.Errorf(outpost.EINVALID, "user %s: no password", name)
	}
	return db.update(ctx, func(t *tx) error {
		u, err := t.userNamed(ctx, name)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, passwordHash, u.ID); err != nil {
			return err
		}
		revoked, err := t.endAccess(ctx, u.ID)
		if err != nil {
			return err
		}
		return t.audit(ctx, "set_password", "user", u.Name, u.Mission, nil, revoked)
	})
}

// userNamed reads the user called name inside t, ENOTFOUND when there is
// none.
func (t *tx) userNamed(ctx context.Context, name string) (outpost.User, error) {
	u, err := scanUser(t.queryRow(ctx, `SELECT `+userCols+` FROM users u WHERE u.name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return u, outpost.Errorf(outpost.ENOTFOUND, "no user %q", name)
	}
	return u, err
}

// accessEnded is what the audit log says ending a user's access did.
type accessEnded struct {
	RevokedTokens int64 `json:"revoked_tokens"`
}

// endAccess ends every session of a user and revokes every API token.
func (t *tx) endAccess(ctx context.Context, userID int64) (accessEnded, error) {
	if _, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return accessEnded{}, err
	}
	res, err := t.exec(ctx, `DELETE FROM api_tokens WHERE user_id = ?`, userID)
	if err != nil {
		return accessEnded{}, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return accessEnded{}, err
	}
	return accessEnded{RevokedTokens: n}, t.bumpAuthGeneration(ctx)
}

// SetDisabled disables a user, ending their sessions and revoking their
// tokens, or enables them again. Setting the state a user already has
// changes nothing and writes no audit entry.
func (db *DB) SetDisabled(ctx context.Context, name string, disabled bool) error {
	return db.update(ctx, func(t *tx) error {
		u, err := t.userNamed(ctx, name)
		if err != nil {
			return err
		}
		flag, action := 0, "enable"
		if disabled {
			flag, action = 1, "disable"
		}
		if _, err := t.exec(ctx, `UPDATE users SET disabled = ? WHERE id = ?`, flag, u.ID); err != nil {
			return err
		}
		var after any
		if disabled {
			// Sessions and tokens go even when the user was disabled
			// already: none may outlive the decision.
			if after, err = t.endAccess(ctx, u.ID); err != nil {
				return err
			}
		}
		if u.Disabled == disabled {
			return nil
		}
		return t.audit(ctx, action, "user", u.Name, u.Mission, nil, after)
	})
}

// forbidDisabled answers EFORBIDDEN when the user is disabled.
func forbidDisabled(u outpost.User) error {
	if u.Disabled {
		return outpost.Errorf(outpost.EFORBIDDEN, "user %s is disabled (see `outpost user enable`)", u.Name)
	}
	return nil
}

// User returns a user by name, or ENOTFOUND.
func (db *DB) User(ctx context.Context, name string) (outpost.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userCols+` FROM users u WHERE u.name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return u, outpost.Errorf(outpost.ENOTFOUND, "no user %q", name)
	}
	return u, db.wrap(err)
}

// Users lists every user by name.
func (db *DB) Users(ctx context.Context) ([]outpost.User, error) {
	rows, err := db.query(ctx, `SELECT `+userCols+` FROM users u ORDER BY u.name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []outpost.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, db.wrap(err)
		}
		out = append(out, u)
	}
	return out, db.wrap(rows.Err())
}

// PasswordHash returns the password hash of a user, or ENOTFOUND.
func (db *DB) PasswordHash(ctx context.Context, name string) (string, error) {
	var h string
	err := db.queryRow(ctx, `SELECT password_hash FROM users WHERE name = ?`, name).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", outpost.Errorf(outpost.ENOTFOUND, "no user %q", name)
	}
	return h, db.wrap(err)
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func timeOrZero(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// CreateToken stores an API token by its hash. Every token expires: a
// zero Expires lasts the default lifetime, and one past the longest is
// refused.
func (db *DB) CreateToken(ctx context.Context, tk outpost.Token) (outpost.Token, error) {
	if len(tk.Hash) < 32 {
		return outpost.Token{}, outpost.Errorf(outpost.EINVALID, "token: the hash is missing")
	}
	if msg := outpost.CheckLine(tk.Label, outpost.MaxLabel); msg != "" {
		return outpost.Token{}, outpost.Errorf(outpost.EINVALID, "label: %s (got %q)", msg, outpost.Clip(tk.Label))
	}
	now := db.Now()
	tk.Created = now.Truncate(time.Second).UTC()
	if tk.Expires.IsZero() {
		tk.Expires = tk.Created.Add(outpost.DefaultTokenLifetime)
	}
	// Both ends are truncated to the second, as they are stored: a caller
	// that asked for the longest lifetime from its own (earlier, untruncated)
	// clock reading gets it.
	tk.Expires = tk.Expires.Truncate(time.Second).UTC()
	if tk.Expires.After(tk.Created.Add(outpost.MaxTokenLifetime)) {
		return outpost.Token{}, outpost.Errorf(outpost.EINVALID, "token: expires %s: a token lasts at most %d days",
			tk.Expires.Format(time.DateOnly), int(outpost.MaxTokenLifetime.Hours()/24))
	}
	if !tk.Expires.After(now) {
		return outpost.Token{}, outpost.Errorf(outpost.EINVALID, "token: expires %s: that is not in the future",
			tk.Expires.Format(time.RFC3339))
	}
	err := db.update(ctx, func(t *tx) error {
		u, err := scanUser(t.queryRow(ctx, `SELECT `+userCols+` FROM users u WHERE u.name = ?`, tk.User))
		if errors.Is(err, sql.ErrNoRows) {
			return outpost.Errorf(outpost.ENOTFOUND, "no user %q (create one with `outpost user add`)", tk.User)
		}
		if err != nil {
			return err
		}
		if err := forbidDisabled(u); err != nil {
			return err
		}
		if tk.Session != "" {
			// A password change or a sign-out ends the session: a token
			// it was minting in the meantime must not outlive it.
			var n int
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM sessions WHERE hash = ? AND user_id = ? AND expires > ?`,
				tk.Session, u.ID, now.Unix()).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return outpost.Errorf(outpost.EUNAUTHORIZED, "not signed in, or the session has expired")
			}
		}
		if err := t.queryRow(ctx, `INSERT INTO api_tokens (user_id, label, hash, created, expires)
			VALUES (?, ?, ?, ?, ?) RETURNING id`,
			u.ID, tk.Label, tk.Hash, tk.Created.Unix(), unixOrZero(tk.Expires)).Scan(&tk.ID); err != nil {
			return err
		}
		return t.audit(ctx, "create", "token", strconv.FormatInt(tk.ID, 10), u.Mission, nil,
			auditToken{ID: tk.ID, User: u.Name, Label: tk.Label, Expires: unixOrZero(tk.Expires)})
	})
	if err != nil {
		return outpost.Token{}, err
	}
	tk.Hash = ""
	return tk, nil
}

// Tokens lists every API token without its hash, newest first.
func (db *DB) Tokens(ctx context.Context) ([]outpost.Token, error) {
	rows, err := db.query(ctx, `SELECT k.id, u.name, k.label, k.created, k.expires
		FROM api_tokens k JOIN users u ON u.id = k.user_id ORDER BY k.id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []outpost.Token{}
	for rows.Next() {
		var tk outpost.Token
		var created, expires int64
		if err := rows.Scan(&tk.ID, &tk.User, &tk.Label, &created, &expires); err != nil {
			return nil, db.wrap(err)
		}
		tk.Created, tk.Expires = time.Unix(created, 0).UTC(), timeOrZero(expires)
		out = append(out, tk)
	}
	return out, db.wrap(rows.Err())
}

// RevokeToken deletes an API token.
func (db *DB) RevokeToken(ctx context.Context, id int64) error {
	return db.update(ctx, func(t *tx) error {
		var user, mission, label string
		err := t.queryRow(ctx, `SELECT u.name, COALESCE(u.mission, ''), k.label FROM api_tokens k
			JOIN users u ON u.id = k.user_id WHERE k.id = ?`, id).Scan(&user, &mission, &label)
		if errors.Is(err, sql.ErrNoRows) {
			return outpost.Errorf(outpost.ENOTFOUND, "no API token %d", id)
		}
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM api_tokens WHERE id = ?`, id); err != nil {
			return err
		}
		if err := t.bumpAuthGeneration(ctx); err != nil {
			return err
		}
		return t.audit(ctx, "revoke", "token", strconv.FormatInt(id, 10), mission, auditToken{ID: id, User: user, Label: label}, nil)
	})
}

// UserByToken returns the enabled user of the unexpired token with this
// hash.
func (db *DB) UserByToken(ctx context.Context, hash string, now time.Time) (outpost.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userCols+` FROM api_tokens k JOIN users u ON u.id = k.user_id
		WHERE k.hash = ? AND k.expires > ? AND u.disabled = 0`, hash, now.Unix()))
	if errors.Is(err, sql.ErrNoRows) {
		return u, outpost.Errorf(outpost.EUNAUTHORIZED, "the API token is not valid")
	}
	return u, db.wrap(err)
}

// CreateSession stores a session by the hash of its secret. Sessions are
// not audited: signing in changes no data, and the server logs it.
func (db *DB) CreateSession(ctx context.Context, s outpost.Session) error {
	if len(s.Hash) < 32 {
		return outpost.Errorf(outpost.EINVALID, "session: the hash is missing")
	}
	return db.update(ctx, func(t *tx) error {
		u, err := scanUser(t.queryRow(ctx, `SELECT `+userCols+` FROM users u WHERE u.name = ?`, s.User))
		if errors.Is(err, sql.ErrNoRows) {
			return outpost.Errorf(outpost.ENOTFOUND, "no user %q", s.User)
		}
		if err != nil {
			return err
		}
		if err := forbidDisabled(u); err != nil {
			return err
		}
		if s.PasswordHash != "" {
			var current string
			if err := t.queryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, u.ID).Scan(&current); err != nil {
				return err
			}
			if current != s.PasswordHash {
				return outpost.Errorf(outpost.EUNAUTHORIZED, "the password of %s changed during the sign-in: sign in again", u.Name)
			}
		}
		_, err = t.exec(ctx, `INSERT INTO sessions (hash, user_id, created, expires) VALUES (?, ?, ?, ?)`,
			s.Hash, u.ID, s.Created.Unix(), s.Expires.Unix())
		return err
	})
}

// UserBySession returns the enabled user of the unexpired session with
// this hash.
func (db *DB) UserBySession(ctx context.Context, hash string, now time.Time) (outpost.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userCols+` FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.hash = ? AND s.expires > ? AND u.disabled = 0`, hash, now.Unix()))
	if errors.Is(err, sql.ErrNoRows) {
		return u, outpost.Errorf(outpost.EUNAUTHORIZED, "not signed in, or the session has expired")
	}
	return u, db.wrap(err)
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	return db.update(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `DELETE FROM sessions WHERE hash = ?`, hash)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return t.bumpAuthGeneration(ctx)
	})
}

// DeleteExpiredSessions removes the sessions that expired before now.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := db.update(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `DELETE FROM sessions WHERE expires <= ?`, now.Unix())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// LastAuditID returns the id of the newest audit entry, 0 when none.
func (db *DB) LastAuditID(ctx context.Context) (int64, error) {
	var id int64
	err := db.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM audit`).Scan(&id)
	return id, db.wrap(err)
}

// PingWrite writes the one row of health_probe in a write transaction:
// on SQLite that takes the write lock and appends to the journal, so a
// read-only file or a full disk answers an error.
func (db *DB) PingWrite(ctx context.Context) error {
	err := db.update(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `UPDATE health_probe SET at = ? WHERE id = 1`, db.Now().Unix())
		return err
	})
	if err != nil {
		return fmt.Errorf("write probe: %w", err)
	}
	return nil
}

// Stats returns the connection pool's statistics (of the pool that serves
// reads), for the server's metrics.
func (db *DB) Stats() sql.DBStats { return db.read.Stats() }
