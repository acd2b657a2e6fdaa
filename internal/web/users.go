package web

import (
	"net/http"
	"net/url"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/transport"
)

// UsersPage is the data of the admin's users page.
type UsersPage struct {
	Users []outpost.User
	// Me is the admin looking, who may not disable themselves.
	Me string
	// Done says what the last form did: "disabled NAME", "enabled NAME".
	Done string
}

// userPages are the admin's list of users, where they disable and enable
// them. The forms are protected from other sites like every other form
// (see internal/server's cross-origin protection).
func (h *Web) userPages() []Page {
	return []Page{
		{Method: "GET", Path: "/users", Handler: h.users, Nav: &NavItem{Label: "Users", Order: 95,
			Show: func(u outpost.User) bool { return u.Can(outpost.ManageUsers, "") }}},
		{Method: "POST", Path: "/users/{name}/disable", Handler: h.setDisabled(true)},
		{Method: "POST", Path: "/users/{name}/enable", Handler: h.setDisabled(false)},
	}
}

func (h *Web) users(w http.ResponseWriter, r *http.Request) error {
	u := transport.Caller(r)
	list, err := h.Registry.Users(r.Context(), u)
	if err != nil {
		return usersError(err)
	}
	p := UsersPage{Users: list, Me: u.Name}
	// The query is only a pointer to what the form did: the page says it
	// only of a user in the list whose state it matches, so a link
	// cannot put words of its own on the admin's page.
	q := r.URL.Query()
	for _, x := range list {
		switch {
		case x.Disabled && q.Get("disabled") == x.Name:
			p.Done = "Disabled " + x.Name + ": their sessions and API tokens no longer work."
		case !x.Disabled && q.Get("enabled") == x.Name:
			p.Done = "Enabled " + x.Name + ": they may sign in again."
		}
	}
	return h.Render(w, r, http.StatusOK, "users", p)
}

// usersError words the registry's refusal of a caller who is not the
// admin as the web UI does.
func usersError(err error) error {
	if outpost.ErrorCode(err) == outpost.EFORBIDDEN {
		return outpost.Errorf(outpost.EFORBIDDEN, "Only the admin manages users.")
	}
	return err
}

func (h *Web) setDisabled(disabled bool) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		u := transport.Caller(r)
		if err := h.Registry.MayManageUsers(u); err != nil {
			return usersError(err)
		}
		name := r.PathValue("name")
		if disabled && name == u.Name {
			return outpost.Errorf(outpost.EINVALID, "You cannot disable yourself: ask another admin, or use `outpost user disable`.")
		}
		if err := h.Registry.SetDisabled(r.Context(), u, name, disabled); err != nil {
			return usersError(err)
		}
		if h.UserChanged != nil {
			h.UserChanged(name)
		}
		done := "enabled"
		if disabled {
			done = "disabled"
		}
		http.Redirect(w, r, "/users?"+url.Values{done: {name}}.Encode(), http.StatusSeeOther)
		return nil
	}
}
