package registry

import (
	"context"
	"fmt"
	"time"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
)

// NewUser asks for a user; without a password one is generated.
type NewUser struct {
	Name     string `json:"name"`
	Role     string `json:"role"`
	Mission  string `json:"mission,omitempty"`
	Password string `json:"password,omitempty"`
}

// CreatedUser is a new user, with the generated password when none was
// given (shown this once).
type CreatedUser struct {
	User     outpost.User `json:"user"`
	Password string       `json:"password,omitempty"`
}

// NewToken asks for an API token for the caller.
type NewToken struct {
	Label string `json:"label,omitempty"`
	// Days the token lasts: 1 to 365; omitted or 0, 90. No token lasts
	// for ever.
	Days int `json:"days,omitempty"`
}

// CreatedToken is a new API token and its secret, shown this once: send
// it as Authorization: Bearer SECRET.
type CreatedToken struct {
	Token  outpost.Token `json:"token"`
	Secret string        `json:"secret"`
}

// MayManageUsers refuses a caller who is not the admin.
func (s *Service) MayManageUsers(caller outpost.User) error {
	if !caller.Can(outpost.ManageUsers, "") {
		return outpost.Errorf(outpost.EFORBIDDEN, "only the admin manages users")
	}
	return nil
}

// Users lists every user, for the admin.
func (s *Service) Users(ctx context.Context, caller outpost.User) ([]outpost.User, error) {
	if err := s.MayManageUsers(caller); err != nil {
		return nil, err
	}
	v, err := s.store.Users(ctx)
	if err != nil {
		return v, fmt.Errorf("read users: %w", err)
	}
	return v, nil
}

// CreateUser creates a user, generating a password when none is given.
func (s *Service) CreateUser(ctx context.Context, caller outpost.User, req NewUser) (CreatedUser, error) {
	if err := s.MayManageUsers(caller); err != nil {
		return CreatedUser{}, err
	}
	u := outpost.User{Name: req.Name, Role: outpost.Role(req.Role), Mission: req.Mission}
	if err := u.Validate().Err("user"); err != nil {
		return CreatedUser{}, err
	}
	out := CreatedUser{}
	pw := req.Password
	if pw == "" {
		pw = auth.GeneratePassword()
		out.Password = pw
	}
	hash, err := auth.HashPasswordContext(ctx, pw)
	if err != nil {
		return out, fmt.Errorf("hash password: %w", err)
	}
	out.User, err = s.store.CreateUser(outpost.WithActor(ctx, caller.Name), u, hash)
	if err != nil {
		return out, fmt.Errorf("create user %s: %w", u.Name, err)
	}
	return out, nil
}

// SetDisabled disables or enables a user. (The web UI refuses an admin
// disabling themselves there; the operator of the command line may.)
func (s *Service) SetDisabled(ctx context.Context, caller outpost.User, name string, disabled bool) error {
	if err := s.MayManageUsers(caller); err != nil {
		return err
	}
	if err := s.store.SetDisabled(outpost.WithActor(ctx, caller.Name), name, disabled); err != nil {
		return fmt.Errorf("set disabled %s: %w", name, err)
	}
	return nil
}

// SetPassword sets a user's password, which ends their sessions and
// revokes their API tokens.
func (s *Service) SetPassword(ctx context.Context, caller outpost.User, name, password string) error {
	if err := s.MayManageUsers(caller); err != nil {
		return err
	}
	hash, err := auth.HashPasswordContext(ctx, password)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	if err := s.store.SetPassword(outpost.WithActor(ctx, caller.Name), name, hash); err != nil {
		return fmt.Errorf("set password %s: %w", name, err)
	}
	return nil
}

// IssueToken mints an API token for the user name, expiring at expires,
// for the admin; it returns the user too.
func (s *Service) IssueToken(ctx context.Context, caller outpost.User, name, label string, expires time.Time) (CreatedToken, outpost.User, error) {
	if err := s.MayManageUsers(caller); err != nil {
		return CreatedToken{}, outpost.User{}, err
	}
	u, err := s.store.User(ctx, name)
	if err != nil {
		return CreatedToken{}, outpost.User{}, fmt.Errorf("read user %s: %w", name, err)
	}
	secret, hash := auth.NewSecret(auth.TokenPrefix)
	tk, err := s.store.CreateToken(outpost.WithActor(ctx, caller.Name), outpost.Token{User: u.Name, Label: label, Hash: hash, Expires: expires})
	if err != nil {
		return CreatedToken{}, u, fmt.Errorf("create token: %w", err)
	}
	return CreatedToken{Token: tk, Secret: secret}, u, nil
}

// Tokens lists every API token (never their secrets), for the admin.
func (s *Service) Tokens(ctx context.Context, caller outpost.User) ([]outpost.Token, error) {
	if err := s.MayManageUsers(caller); err != nil {
		return nil, err
	}
	v, err := s.store.Tokens(ctx)
	if err != nil {
		return v, fmt.Errorf("read tokens: %w", err)
	}
	return v, nil
}

// RevokeToken revokes an API token, for the admin.
func (s *Service) RevokeToken(ctx context.Context, caller outpost.User, id int64) error {
	if err := s.MayManageUsers(caller); err != nil {
		return err
	}
	if err := s.store.RevokeToken(outpost.WithActor(ctx, caller.Name), id); err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	}
	return nil
}

// CheckPassword says whether pw is the password of the user name; known
// is whether there is such a user, checked is the password hash it was
// checked against, for StartSession. A name no user can have is not
// looked up (it fails like a wrong password); an unknown name takes as
// long to check as a known one. When every password-hashing slot stays
// busy the error says so, and nothing was checked.
func (s *Service) CheckPassword(ctx context.Context, name, pw string) (known, ok bool, checked string, err error) {
	if !outpost.IsUserName(name) {
		return false, false, "", nil
	}
	hash, err := s.store.PasswordHash(ctx, name)
	known = err == nil
	if err != nil && outpost.ErrorCode(err) != outpost.ENOTFOUND {
		return false, false, "", fmt.Errorf("read password hash of %s: %w", name, err)
	}
	if ok, err = auth.VerifyPassword(ctx, pw, hash); err != nil {
		return known, false, "", fmt.Errorf("verify password: %w", err)
	}
	return known, ok, hash, nil
}

// StartSession opens a session of the user name lasting ttl, and returns
// its secret (the cookie's value). It is stored only if checked, the
// password hash CheckPassword checked, is still the user's: a password
// changed meanwhile ends every session, this one included (EUNAUTHORIZED).
// A disabled user's is EFORBIDDEN.
func (s *Service) StartSession(ctx context.Context, name, checked string, ttl time.Duration) (string, error) {
	secret, hash := auth.NewSecret(auth.SessionPrefix)
	now := s.Now()
	sess := outpost.Session{Hash: hash, User: name, Created: now, Expires: now.Add(ttl), PasswordHash: checked}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return secret, nil
}

// EndSession ends the session whose secret this is.
func (s *Service) EndSession(ctx context.Context, secret string) error {
	if err := s.store.DeleteSession(ctx, auth.HashSecret(secret)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// MayCreateToken refuses a caller who did not sign in with a password: a
// token may not mint another, or a stolen token would outlive its own
// expiry and its revocation.
func (s *Service) MayCreateToken(ctx context.Context) error {
	if auth.MethodFrom(ctx) != auth.BySession || auth.SessionFrom(ctx) == "" {
		return outpost.Errorf(outpost.EFORBIDDEN, "an API token cannot create tokens: sign in with your password (the web UI's session) or ask an admin for `outpost token create`")
	}
	return nil
}

// CreateToken mints a token for the caller, who signed in with a
// password (see MayCreateToken).
func (s *Service) CreateToken(ctx context.Context, caller outpost.User, req NewToken) (CreatedToken, error) {
	if err := s.MayCreateToken(ctx); err != nil {
		return CreatedToken{}, err
	}
	maxDays := int(outpost.MaxTokenLifetime / (24 * time.Hour))
	if req.Days < 0 || req.Days > maxDays {
		return CreatedToken{}, outpost.Errorf(outpost.EINVALID, "days: got %d, want 1 to %d (omit it for %d)", req.Days, maxDays,
			int(outpost.DefaultTokenLifetime/(24*time.Hour)))
	}
	if msg := outpost.CheckLine(req.Label, outpost.MaxLabel); msg != "" {
		return CreatedToken{}, outpost.Errorf(outpost.EINVALID, "label: %s (got %q)", msg, outpost.Clip(req.Label))
	}
	secret, hash := auth.NewSecret(auth.TokenPrefix)
	now := s.Now()
	// Session: a password change ends the session, and must not leave a
	// token it was minting meanwhile.
	tk := outpost.Token{User: caller.Name, Label: req.Label, Hash: hash, Expires: now.Add(outpost.DefaultTokenLifetime),
		Session: auth.SessionFrom(ctx)}
	if req.Days > 0 {
		tk.Expires = now.Add(time.Duration(req.Days) * 24 * time.Hour)
	}
	tk, err := s.store.CreateToken(outpost.WithActor(ctx, caller.Name), tk)
	if err != nil {
		return CreatedToken{}, fmt.Errorf("create token: %w", err)
	}
	return CreatedToken{Token: tk, Secret: secret}, nil
}
