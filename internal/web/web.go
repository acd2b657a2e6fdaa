// Package web is Outpost's web UI: server-rendered pages (html/template,
// parsed once at start from embedded files), a stylesheet and no
// JavaScript, so that every page reads on a phone and without scripts.
// The server (internal/server) mounts every Page that Pages returns;
// handlers read the request, call the services of the service.Set the
// server shares with the JSON API, with the caller from transport.Caller,
// and render the answer.
//
// # How a capability adds its pages
//
// 1. In its own file, say internal/web/supply.go, declare one method of
// *Web that returns its pages as a literal []Page:
//
//	// supplyPages are the stock ledger's pages.
//	func (h *Web) supplyPages() []Page {
//		return []Page{{
//			Method: "GET", Path: "/supply", Handler: h.supply,
//			Nav: &NavItem{Label: "Supplies", Order: 40,
//				Show: func(u outpost.User) bool { return u.CanSome(supply.ReadStock) }},
//		}}
//	}
//
// and add it to the one table in Pages. A page with Nav appears in the header's navigation of every
// signed-in user for whom Show is true (nil: everyone), ordered by Order:
// the registry uses 10 (Dashboard), 20 (People), 30 (Missions) and 90
// (Audit); pick a number in between.
//
// 2. Add its template file, internal/web/templates/supply.html, defining
// "title" and "content" (see people.html); the handler renders it with
// h.Render(w, r, http.StatusOK, "supply", data) and the template reads
// data as .Page. Shared pieces (badges, the pager, the chart) are in
// _partials.html; files whose names start with "_" are shared by every
// page. TestTemplatesDeclareWhatTheyUse fails when a page uses a template
// that no file defines.
//
// A handler returns an error instead of writing one: it becomes an error
// page with the status of transport.StatusCode. Pages are signed-in only
// unless Public is set; a handler must check the caller's rights with
// outpost.User.Can on the mission whose data it shows and answer
// ENOTFOUND for another mission's records.
package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
	"github.com/outpost-org/outpost/internal/transport"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Web serves the HTML pages.
type Web struct {
	Store outpost.Store
	// Set is the services the pages call, shared with the JSON API.
	service.Set
	// Now is the clock.
	Now func() time.Time
	// Log receives internal errors and sign-ins.
	Log *slog.Logger
	// Version is shown in the footer.
	Version string
	// AddrBackoff slows sign-in attempts per client address, and
	// AccountBackoff per user name at one address: a password guessed at
	// from one address never locks its owner out at another.
	AddrBackoff, AccountBackoff *auth.Backoff
	// SessionTTL is how long a sign-in lasts.
	SessionTTL time.Duration
	// SecureCookies makes the session cookie Secure, with the __Host-
	// prefix: set when the server's public URL is https.
	SecureCookies bool
	// PageDay, when set, is the day pages that default to today show
	// instead (the demo's story day), and Banner a note every page shows
	// (saying so); the clock is not moved.
	PageDay outpost.Date
	Banner  string
	// UserChanged, when set, is called after a user is disabled or
	// enabled here, so that the server forgets what it cached about them.
	UserChanged func(name string)

	pages  map[string]*template.Template
	static map[string]string // file name → content hash, for cache busting
	nav    []Page
}

// HandlerFunc is a page's handler: it writes the page, or returns an
// error that becomes an error page.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Page is one route of the web UI.
type Page struct {
	// Method is GET or POST.
	Method string
	// Path is a net/http ServeMux path with {name} parameters.
	Path string
	// Public pages are served without signing in.
	Public  bool
	Handler HandlerFunc
	// Nav puts the page in the header's navigation.
	Nav *NavItem
}

// Pattern returns the ServeMux pattern of the page, "GET /people".
func (p Page) Pattern() string { return p.Method + " " + p.Path }

// NavItem is a page's entry in the navigation.
type NavItem struct {
	Label string
	// Order places the entry: lower first.
	Order int
	// Show says who sees the entry; nil means every signed-in user.
	Show func(outpost.User) bool
	// Href overrides the link (default: the page's Path).
	Href string
}

// New parses the templates and returns the web UI.
func New(store outpost.Store, set service.Set, log *slog.Logger, version string) (*Web, error) {
	h := &Web{Store: store, Set: set, Now: time.Now, Log: log, Version: version,
		AddrBackoff:    auth.NewBackoff(20, time.Second, 5*time.Minute, 24*time.Hour, 10000),
		AccountBackoff: auth.NewBackoff(5, time.Second, 15*time.Minute, 24*time.Hour, 10000),
		SessionTTL:     12 * time.Hour,
		static:         map[string]string{},
	}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		sum := sha256.Sum256(b)
		h.static[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:6])
		return err
	})
	if err != nil {
		return nil, err
	}
	if h.pages, err = parseTemplates(h.funcs()); err != nil {
		return nil, err
	}
	for _, p := range h.Pages() {
		if p.Nav != nil {
			h.nav = append(h.nav, p)
		}
	}
	sort.SliceStable(h.nav, func(i, j int) bool { return h.nav[i].Nav.Order < h.nav[j].Nav.Order })
	return h, nil
}

// parseTemplates parses the shared files (names starting with "_") once,
// and each page file into its own copy of them, keyed by the file's name
// without .html.
func parseTemplates(funcs template.FuncMap) (map[string]*template.Template, error) {
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	base := template.New("").Funcs(funcs)
	var pageFiles []string
	for _, f := range files {
		name := strings.TrimPrefix(f, "templates/")
		if strings.HasPrefix(name, "_") {
			if base, err = base.ParseFS(templateFS, f); err != nil {
				return nil, fmt.Errorf("template %s: %w", name, err)
			}
		} else {
			pageFiles = append(pageFiles, f)
		}
	}
	pages := map[string]*template.Template{}
	for _, f := range pageFiles {
		t, err := base.Clone()
		if err == nil {
			t, err = t.ParseFS(templateFS, f)
		}
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", f, err)
		}
		pages[strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")] = t
	}
	return pages, nil
}

// Pages returns every page of the web UI, sorted by path and method: the
// one table of the UI, a literal list per capability.
func (h *Web) Pages() []Page {
	out := slices.Concat(
		h.sessionPages(),
		h.registryPages(),
		h.missionHistoryPages(),
		h.auditPages(),
		h.userPages(),
		h.supplyPages(),
		h.evacPages(),
		h.planPages(),
		h.correctionPages(),
		h.welfarePages(),
		h.exitDocsPages(),
		h.checkinPages(),
		h.medicalPages(),
		h.statementPages(),
		h.pressPages(),
		h.statementCorrectionPages(),
		h.sitrepPages(),
		h.staticPages(),
		h.registryEditPages(),
		h.importPages(),
	)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// Handler returns the http.Handler of a page: it sends visitors who are
// not signed in to the sign-in page (unless the page is public) and turns
// the handler's error into an error page.
func (h *Web) Handler(p Page) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !p.Public {
			if _, ok := auth.UserFrom(r.Context()); !ok {
				next := r.URL.Path
				if r.Method == http.MethodGet && r.URL.RawQuery != "" {
					next += "?" + r.URL.RawQuery
				}
				http.Redirect(w, r, "/signin?next="+url.QueryEscape(next), http.StatusSeeOther)
				return
			}
		}
		ctx := context.WithValue(r.Context(), snapKey{}, &snapHolder{})
		if h.PageDay != "" {
			ctx = outpost.WithPageDay(ctx, h.PageDay)
		}
		r = r.WithContext(ctx)
		if err := p.Handler(w, r); err != nil {
			h.Error(w, r, err)
		}
	})
}

type snapKey struct{}

// snapHolder keeps the snapshot a request has read, so that a page and
// its layout read it once.
type snapHolder struct{ snap *censusservice.Snapshot }

// Snapshot returns the in-memory snapshot, once per request.
func (h *Web) Snapshot(r *http.Request) (*censusservice.Snapshot, error) {
	holder, _ := r.Context().Value(snapKey{}).(*snapHolder)
	if holder != nil && holder.snap != nil {
		return holder.snap, nil
	}
	snap, err := h.Census.Snapshot(r.Context())
	if err == nil && holder != nil {
		holder.snap = snap
	}
	return snap, err
}

// View is what every page template gets: the layout's data, and the
// page's own as Page.
type View struct {
	Title    string
	User     outpost.User
	SignedIn bool
	Nav      []NavLink
	Loc      *time.Location
	Version  string
	Page     any
	// Banner is the server's note on every page (Web.Banner).
	Banner string
}

// NavLink is one entry of the navigation as the layout shows it.
type NavLink struct {
	Label   string
	Href    string
	Current bool
}

func (h *Web) navFor(r *http.Request, u outpost.User) []NavLink {
	var out []NavLink
	for _, p := range h.nav {
		if p.Nav.Show != nil && !p.Nav.Show(u) {
			continue
		}
		href := p.Nav.Href
		if href == "" {
			href = p.Path
		}
		cur := r.URL.Path == href || (href != "/" && strings.HasPrefix(r.URL.Path, href+"/"))
		out = append(out, NavLink{Label: p.Nav.Label, Href: href, Current: cur})
	}
	return out
}

// Render writes the page template name with data as .Page. The page is
// rendered into a buffer first, so that a template error becomes an error
// page rather than half a page.
func (h *Web) Render(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	t, ok := h.pages[name]
	if !ok {
		return fmt.Errorf("web: no page template %q", name)
	}
	u, signed := auth.UserFrom(r.Context())
	v := View{User: u, SignedIn: signed, Loc: time.UTC, Version: h.Version, Page: data, Banner: h.Banner}
	if signed {
		v.Nav = h.navFor(r, u)
	}
	if h.Census != nil && signed {
		if snap, err := h.Snapshot(r); err == nil {
			v.Loc = snap.Loc
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("web: page %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(namedQuotes(buf.Bytes()))
	return err
}

// namedQuotes writes html/template's escaped quote, &#34;, as &quot;,
// the reference every HTML reader, screen reader and scraper of captions
// and attributes knows. The two mean the same wherever a reference is
// read, and the pages have no <script> or <style> element, the only
// places where one is not.
func namedQuotes(b []byte) []byte { return bytes.ReplaceAll(b, []byte("&#34;"), []byte("&quot;")) }

// ErrorPage is the data of the error page.
type ErrorPage struct {
	Status    int
	Heading   string
	Message   string
	RequestID string
}

// Error writes an error page for err. Internal errors are logged and shown
// only with the request id.
func (h *Web) Error(w http.ResponseWriter, r *http.Request, err error) {
	status := transport.StatusCode(err)
	p := ErrorPage{Status: status, Message: outpost.ErrorMessage(err), RequestID: w.Header().Get("X-Request-Id")}
	switch status {
	case http.StatusNotFound:
		p.Heading = "Not found"
	case http.StatusForbidden:
		p.Heading = "Not allowed"
	case http.StatusBadRequest:
		p.Heading = "That did not work"
	case http.StatusUnauthorized:
		p.Heading = "Please sign in"
	case http.StatusConflict:
		p.Heading = "Conflict"
	case http.StatusMethodNotAllowed:
		p.Heading = "Method not allowed"
	case http.StatusServiceUnavailable:
		p.Heading = "The database is not answering"
		p.Message = "Try again in a moment."
		h.Log.ErrorContext(r.Context(), "request failed", "err", err.Error())
	default:
		p.Heading = "Something went wrong"
		p.Message = "The error has been logged."
		h.Log.ErrorContext(r.Context(), "request failed", "err", err.Error())
	}
	if rerr := h.Render(w, r, status, "error", p); rerr != nil {
		h.Log.ErrorContext(r.Context(), "error page failed", "err", rerr.Error())
		http.Error(w, http.StatusText(status), status)
	}
}

// NotFound writes the not-found page.
func (h *Web) NotFound(w http.ResponseWriter, r *http.Request) {
	h.Error(w, r, outpost.Errorf(outpost.ENOTFOUND, "There is no page at %s.", r.URL.Path))
}
