package api

import (
	"net/http"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/transport"
)

// UserList is the answer of GET /api/v1/users.
type UserList struct {
	Users []outpost.User `json:"users"`
}

// The account requests and answers are the registry service's.
type (
	NewUser      = registry.NewUser
	CreatedUser  = registry.CreatedUser
	NewToken     = registry.NewToken
	CreatedToken = registry.CreatedToken
)

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
	list, err := a.Registry.Users(r.Context(), transport.Caller(r))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, UserList{Users: list})
	return nil
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request) error {
	u := transport.Caller(r)
	if err := a.Registry.MayManageUsers(u); err != nil {
		return err
	}
	var req NewUser
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	out, err := a.Registry.CreateUser(r.Context(), u, req)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, out)
	return nil
}

// createToken mints a token for the caller, who must have signed in with
// a password (registry.Service.MayCreateToken says why).
func (a *API) createToken(w http.ResponseWriter, r *http.Request) error {
	if err := a.Registry.MayCreateToken(r.Context()); err != nil {
		return err
	}
	var req NewToken
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	out, err := a.Registry.CreateToken(r.Context(), transport.Caller(r), req)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, out)
	return nil
}
