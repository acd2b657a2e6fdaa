package api

import (
	"net/http"
	"time"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/transport"
)

// UserList is the answer of GET /api/v1/users.
type UserList struct {
	Users []outpost.User `json:"users"`
}

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

// accountRoutes are the routes of users and API tokens.
func (a *API) accountRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/me", Handler: a.me, Doc: Op{
			Summary: "The signed-in user", Tags: []string{"users"}, Response: outpost.User{}}},
		{Method: "POST", Path: "/api/v1/me/tokens", Handler: a.createToken, Doc: Op{
			Summary: "Create an API token for yourself", Tags: []string{"users"},
			Description: "The secret is in the answer only: keep it. The token has the rights of your role and lasts `days` (default 90, at most 365). Only a session signed in with a password may create one: a token cannot (403).",
			Body:        NewToken{}, Response: CreatedToken{}, Status: http.StatusCreated, Errors: []int{400, 403}}},
		{Method: "GET", Path: "/api/v1/users", Handler: a.users, Doc: Op{
			Summary: "Every user (admin only)", Tags: []string{"users"}, Response: UserList{}, Errors: []int{403}}},
		{Method: "POST", Path: "/api/v1/users", Handler: a.createUser, Doc: Op{
			Summary: "Create a user (admin only)", Tags: []string{"users"},
			Description: "role is one of admin, coordinator, manager, staff, press; the last three need a mission. Without a password one is generated and returned once.",
			Body:        NewUser{}, Response: CreatedUser{}, Status: http.StatusCreated, Errors: []int{400, 403, 409}}},
	}
}

func (a *API) me(w http.ResponseWriter, r *http.Request) error {
	WriteJSON(w, http.StatusOK, transport.Caller(r))
	return nil
}

func (a *API) users(w http.ResponseWriter, r *http.Request) error {
	if !transport.Caller(r).Can(outpost.ManageUsers, "") {
		return outpost.Errorf(outpost.EFORBIDDEN, "only the admin manages users")
	}
	list, err := a.Store.Users(r.Context())
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, UserList{Users: list})
	return nil
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request) error {
	if !transport.Caller(r).Can(outpost.ManageUsers, "") {
		return outpost.Errorf(outpost.EFORBIDDEN, "only the admin manages users")
	}
	var req NewUser
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	u := outpost.User{Name: req.Name, Role: outpost.Role(req.Role), Mission: req.Mission}
	if err := u.Validate().Err("user"); err != nil {
		return err
	}
	out := CreatedUser{}
	pw := req.Password
	if pw == "" {
		pw = auth.GeneratePassword()
		out.Password = pw
	}
	hash, err := auth.HashPasswordContext(r.Context(), pw)
	if err != nil {
		return err
	}
	if out.User, err = a.Store.CreateUser(transport.Actor(r), u, hash); err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, out)
	return nil
}

// createToken mints a token for the caller. A token may not mint
// another: a stolen token would otherwise outlive its own expiry and its
// revocation.
func (a *API) createToken(w http.ResponseWriter, r *http.Request) error {
	session := auth.SessionFrom(r.Context())
	if auth.MethodFrom(r.Context()) != auth.BySession || session == "" {
		return outpost.Errorf(outpost.EFORBIDDEN, "an API token cannot create tokens: sign in with your password (the web UI's session) or ask an admin for `outpost token create`")
	}
	var req NewToken
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	maxDays := int(outpost.MaxTokenLifetime / (24 * time.Hour))
	if req.Days < 0 || req.Days > maxDays {
		return outpost.Errorf(outpost.EINVALID, "days: got %d, want 1 to %d (omit it for %d)", req.Days, maxDays,
			int(outpost.DefaultTokenLifetime/(24*time.Hour)))
	}
	if msg := outpost.CheckLine(req.Label, outpost.MaxLabel); msg != "" {
		return outpost.Errorf(outpost.EINVALID, "label: %s (got %q)", msg, outpost.Clip(req.Label))
	}
	secret, hash := auth.NewSecret(auth.TokenPrefix)
	// Session: a password change ends the session, and must not leave a
	// token it was minting meanwhile.
	tk := outpost.Token{User: transport.Caller(r).Name, Label: req.Label, Hash: hash,
		Expires: a.Now().Add(outpost.DefaultTokenLifetime), Session: session}
	if req.Days > 0 {
		tk.Expires = a.Now().Add(time.Duration(req.Days) * 24 * time.Hour)
	}
	tk, err := a.Store.CreateToken(transport.Actor(r), tk)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, CreatedToken{Token: tk, Secret: secret})
	return nil
}
