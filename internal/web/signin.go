package web

import (
	"fmt"
	"net"
	"net/http"
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

// SessionPages are signing in and out.
func (h *Web) SessionPages() []Page {
	return []Page{
		{Method: "GET", Path: "/signin", Public: true, Handler: h.signInForm},
		{Method: "POST", Path: "/signin", Public: true, Handler: h.signIn},
		{Method: "POST", Path: "/signout", Public: true, Handler: h.signOut},
	}
}

// safeNext returns next if it is a path on this site, else "/": the
// sign-in form must not send anyone elsewhere.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/"
	}
	return next
}

func (h *Web) signInForm(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if _, ok := auth.UserFrom(r.Context()); ok {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	return h.Render(w, r, http.StatusOK, "signin", SignInPage{Next: next})
}

// clientIP is the address the request came from, without the port.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (h *Web) signIn(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return outpost.Errorf(outpost.EINVALID, "the form could not be read")
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	pw := r.PostForm.Get("password")
	page := SignInPage{Name: name, Next: safeNext(r.PostForm.Get("next"))}
	ok, wait := h.IPLimit.Allow(clientIP(r))
	if ok {
		ok, wait = h.NameLimit.Allow(strings.ToLower(name))
	}
	if !ok {
		h.Log.WarnContext(r.Context(), "sign-in refused: too many attempts", "user", name, "ip", clientIP(r))
		w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())))
		page.Message = fmt.Sprintf("Too many sign-in attempts. Try again in %s.", wait.Round(time.Second))
		return h.Render(w, r, http.StatusTooManyRequests, "signin", page)
	}
	hash, err := h.Store.PasswordHash(r.Context(), name)
	if err != nil && outpost.ErrorCode(err) != outpost.ENOTFOUND {
		return err
	}
	if !auth.CheckPassword(pw, hash) {
		h.Log.InfoContext(r.Context(), "sign-in failed", "user", name, "ip", clientIP(r))
		page.Message = "Wrong user name or password."
		return h.Render(w, r, http.StatusUnauthorized, "signin", page)
	}
	secret, sh := auth.NewSecret(auth.SessionPrefix)
	now := h.Now()
	if err := h.Store.CreateSession(r.Context(), outpost.Session{Hash: sh, User: name, Created: now, Expires: now.Add(h.SessionTTL)}); err != nil {
		return err
	}
	h.Log.InfoContext(r.Context(), "signed in", "user", name, "ip", clientIP(r))
	http.SetCookie(w, &http.Cookie{
		Name: auth.SessionCookie, Value: secret, Path: "/",
		MaxAge: int(h.SessionTTL.Seconds()), HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, page.Next, http.StatusSeeOther)
	return nil
}

func (h *Web) signOut(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(auth.SessionCookie); err == nil {
		if err := h.Store.DeleteSession(r.Context(), auth.HashSecret(c.Value)); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: auth.SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}
