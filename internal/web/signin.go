package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
)

// SignInPage is the data of the sign-in form.
type SignInPage struct {
	Name    string
	Next    string
	Message string
}

// sessionPages are signing in and out.
func (h *Web) sessionPages() []Page {
	return []Page{
		{Method: "GET", Path: "/signin", Public: true, Handler: h.signInForm},
		{Method: "POST", Path: "/signin", Public: true, Handler: h.signIn},
		{Method: "POST", Path: "/signout", Public: true, Handler: h.signOut},
	}
}

// SessionCookieName is the name of the session cookie: with the __Host-
// prefix when cookies are Secure, so that the browser keeps it only from
// this host over https, for every path.
func (h *Web) SessionCookieName() string {
	if h.SecureCookies {
		return auth.SecureSessionCookie
	}
	return auth.SessionCookie
}

// sessionCookie is the session cookie carrying value for maxAge seconds
// (negative: delete it).
func (h *Web) sessionCookie(r *http.Request, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: h.SessionCookieName(), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: h.SecureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode,
	}
}

func (h *Web) signInForm(w http.ResponseWriter, r *http.Request) error {
	next := auth.SafeNext(r.URL.Query().Get("next"))
	if _, ok := auth.UserFrom(r.Context()); ok {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	return h.Render(w, r, http.StatusOK, "signin", SignInPage{Next: next})
}

// clientAddr is the address the request came from: the one the server
// found (behind a trusted proxy, the client's), else the peer's.
func clientAddr(r *http.Request) netip.Addr {
	if a, ok := auth.ClientAddrFrom(r.Context()); ok {
		return a
	}
	return auth.Proxies(nil).ClientAddr(r.RemoteAddr, nil)
}

// throttle counts a sign-in attempt for the address and for the account
// at that address, or answers how long to wait. The account is counted
// per address so that guesses from one place do not lock its owner out
// of another. The counts may be in the database, shared by every server
// (see auth.Backoff.Share): an error there refuses the attempt.
func (h *Web) throttle(ctx context.Context, addr, account string) (ok bool, wait time.Duration, err error) {
	if ok, wait, err = h.AddrBackoff.TryContext(ctx, addr); !ok || err != nil {
		return false, wait, err
	}
	if ok, wait, err = h.AccountBackoff.TryContext(ctx, account); !ok || err != nil {
		return false, wait, errors.Join(err, h.AddrBackoff.ForgiveContext(ctx, addr))
	}
	return true, 0, nil
}

// forgive gives back the attempts of a sign-in that was not made (the
// store failed) or succeeded; a failure to is logged, the sign-in goes
// on.
func (h *Web) forgive(ctx context.Context, addr, account string, reset bool) {
	err := h.AddrBackoff.ForgiveContext(ctx, addr)
	if reset {
		err = errors.Join(err, h.AccountBackoff.ResetContext(ctx, account))
	} else {
		err = errors.Join(err, h.AccountBackoff.ForgiveContext(ctx, account))
	}
	if err != nil {
		h.Log.WarnContext(ctx, "sign-in throttling: giving back an attempt failed", "err", err.Error())
	}
}

func (h *Web) signIn(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return outpost.Errorf(outpost.EINVALID, "the form could not be read")
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	pw := r.PostForm.Get("password")
	page := SignInPage{Name: name, Next: auth.SafeNext(r.PostForm.Get("next"))}
	// No user has a name that is not a user name: such a one (up to the
	// form's 64 KiB) is not echoed, and fails like a wrong password.
	valid := outpost.IsUserName(name)
	if !valid {
		page.Name = ""
	}
	ip := clientAddr(r)
	addr := auth.AddrKey(ip)
	account := strings.ToLower(name) + "\x00" + addr
	// A name that is no user's may be a password typed in the wrong box:
	// the log names only real users.
	logName := func(known bool) string {
		if known {
			return name
		}
		return "(unknown)"
	}
	ok, wait, err := h.throttle(r.Context(), addr, account)
	if err != nil {
		return err
	}
	if !ok {
		secs := int((wait + time.Second - 1) / time.Second)
		h.Log.WarnContext(r.Context(), "sign-in refused: too many attempts", "ip", ip.String(), "retry_after_s", secs)
		w.Header().Set("Retry-After", fmt.Sprint(secs))
		page.Message = fmt.Sprintf("Too many sign-in attempts. Try again in %s.", (time.Duration(secs) * time.Second).String())
		return h.Render(w, r, http.StatusTooManyRequests, "signin", page)
	}
	known, match, checked, err := h.Registry.CheckPassword(r.Context(), name, pw)
	if err != nil {
		// The store failed, or every hashing slot stayed busy: the
		// attempt was not made, so it does not count.
		h.forgive(r.Context(), addr, account, false)
		return err
	}
	if !match {
		h.Log.InfoContext(r.Context(), "sign-in failed", "user", logName(known), "ip", ip.String())
		page.Message = "Wrong user name or password."
		return h.Render(w, r, http.StatusUnauthorized, "signin", page)
	}
	h.forgive(r.Context(), addr, account, true)
	secret, err := h.Registry.StartSession(r.Context(), name, checked, h.SessionTTL)
	if err != nil {
		if outpost.ErrorCode(err) == outpost.EUNAUTHORIZED {
			h.Log.InfoContext(r.Context(), "sign-in refused: the password changed meanwhile", "user", name, "ip", ip.String())
			page.Message = "Wrong user name or password."
			return h.Render(w, r, http.StatusUnauthorized, "signin", page)
		}
		if outpost.ErrorCode(err) == outpost.EFORBIDDEN {
			h.Log.InfoContext(r.Context(), "sign-in refused: user disabled", "user", name, "ip", ip.String())
			page.Message = "This account is disabled. Ask an administrator."
			return h.Render(w, r, http.StatusForbidden, "signin", page)
		}
		return err
	}
	h.Log.InfoContext(r.Context(), "signed in", "user", name, "ip", ip.String())
	http.SetCookie(w, h.sessionCookie(r, secret, int(h.SessionTTL.Seconds())))
	http.Redirect(w, r, page.Next, http.StatusSeeOther)
	return nil
}

func (h *Web) signOut(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(h.SessionCookieName()); err == nil {
		if err := h.Registry.EndSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, h.sessionCookie(r, "", -1))
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}
