// Package server is Outpost's HTTP server: it mounts the JSON API
// (internal/api) and the web UI (internal/web) on one net/http ServeMux,
// with the middleware every request passes: a request id, structured
// logs and Prometheus metrics, security headers, protection against
// cross-site requests, and authentication by session cookie or bearer
// token. It also keeps the in-memory census snapshot that the dashboard
// and the census API read, rebuilt only when the data changed; owns the
// one batcher of roll-call answers that the API and the web UI share (so
// that concurrent check-ins reach the database in few transactions); and
// escalates roll calls past their escalation time every minute.
//
// Capabilities do not edit this package: their routes and pages come from
// *api.API's …Routes and *web.Web's …Pages methods (see those packages).
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/outpost-org/outpost/internal/api"
	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/service/imports"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/service/reports"
	"github.com/outpost-org/outpost/internal/service/statements"
	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
	"github.com/outpost-org/outpost/internal/service/welfare"
	"github.com/outpost-org/outpost/internal/web"
	"github.com/prometheus/client_golang/prometheus"
)

// Config is what a Server is built from.
type Config struct {
	Store outpost.Store
	// Log receives the request log and errors (default: discarded).
	Log *slog.Logger
	// Version is the binary's version.
	Version string
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Registry receives the metrics (default: a new registry with the Go
	// and process collectors).
	Registry *prometheus.Registry
	// CheckinBatch is the most roll-call answers written in one
	// transaction (default 512).
	CheckinBatch int
	// CheckinLanes is how many transactions of answers are written at
	// once (default 1 on SQLite, which has one writer, and 4 on
	// PostgreSQL).
	CheckinLanes int
	// EscalateEvery is how often Serve sends the non-responders of roll
	// calls past their escalation time to their missions (default one
	// minute).
	EscalateEvery time.Duration
	// PageDay, when set, is the day the web pages that default to today
	// show instead, and Banner a note every page shows: the demo opens on
	// its story's day. Sessions, the audit log and check-ins keep the
	// clock.
	PageDay outpost.Date
	Banner  string
	// PublicURL is where users reach the server, such as
	// "https://outpost.example.org" (see ParsePublicURL). When it is https
	// the session cookie is Secure with the __Host- prefix and every
	// answer carries Strict-Transport-Security, whatever the proxy in
	// front says. Empty: cookies are Secure only over a direct TLS
	// connection (plain http on 127.0.0.1 keeps working).
	PublicURL string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For the
	// server believes: the client's address (for sign-in throttling and
	// the logs) is the rightmost address in it that is not a trusted
	// proxy. From any other peer the header is ignored.
	TrustedProxies []netip.Prefix
	// MetricsElsewhere serves /metrics only through MetricsHandler, on a
	// listener of its own; the main handler then answers 404 there.
	// Otherwise /metrics answers only an admin (by token or session).
	MetricsElsewhere bool
}

// ParsePublicURL checks a public URL: http or https, a host, no user,
// query or fragment, and no path (the session cookie is for the whole
// host).
func ParsePublicURL(s string) (*url.URL, error) {
	origin, err := auth.ParseOrigin(s)
	if err != nil {
		return nil, fmt.Errorf("public URL %w", err)
	}
	return url.Parse(origin)
}

// Server is the HTTP server of Outpost.
type Server struct {
	store    outpost.Store
	log      *slog.Logger
	now      func() time.Time
	api      *api.API
	web      *web.Web
	census   *censusservice.Service
	registry *registry.Service
	tokens   tokenCache
	metrics  *metrics
	mux      *http.ServeMux
	handler  http.Handler
	routes   []RouteInfo
	// checkins is the one batcher of roll-call answers that the API and
	// the web UI share; Close stops it.
	checkins      *welfare.Batcher
	closeOnce     sync.Once
	escalateEvery time.Duration
	// https is true when the public URL is https: Secure cookies, HSTS.
	https            bool
	publicOrigin     string
	proxies          auth.Proxies
	site             auth.Site
	probe            writeProbe
	metricsElsewhere bool
	secretPaths      []secretPath
}

// RouteInfo describes one registered route, for tests and tools.
type RouteInfo struct {
	Method string
	Path   string
	// Public routes answer without signing in.
	Public bool
	// Kind is "api", "web" or "server".
	Kind string
}

// Pattern returns the ServeMux pattern of the route.
func (ri RouteInfo) Pattern() string { return ri.Method + " " + ri.Path }

// New builds the server: the API, the web UI, the snapshot cache, the
// routes and the middleware.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("server: no store")
	}
	s := &Server{store: cfg.Store, now: cfg.Now, mux: http.NewServeMux(),
		proxies: auth.Proxies(cfg.TrustedProxies), metricsElsewhere: cfg.MetricsElsewhere}
	if s.now == nil {
		s.now = time.Now
	}
	if cfg.PublicURL != "" {
		u, err := ParsePublicURL(cfg.PublicURL)
		if err != nil {
			return nil, fmt.Errorf("server: %w", err)
		}
		s.https, s.publicOrigin = u.Scheme == "https", u.String()
	}
	s.site = auth.Site{PublicURL: s.publicOrigin, Proxies: s.proxies}
	base := cfg.Log
	if base == nil {
		base = slog.New(slog.DiscardHandler)
	}
	s.log = slog.New(requestIDHandler{base.Handler()})
	if err := s.wire(cfg); err != nil {
		return nil, err
	}
	s.escalateEvery = cfg.EscalateEvery
	if s.escalateEvery <= 0 {
		s.escalateEvery = time.Minute
	}
	s.route()
	s.handler = s.middleware(s.mux)
	return s, nil
}

// wire builds the services and the two front ends over them, sharing one
// census cache, one clock and one check-in batcher.
func (s *Server) wire(cfg Config) error {
	s.metrics = newMetrics(cfg.Registry, cfg.Store)
	s.census = censusservice.New(cfg.Store, s.now, s.log)
	s.census.Built = s.metrics.built
	s.census.Applied = s.metrics.applied
	s.registry = registry.New(cfg.Store, s.census, s.now)
	batch, lanes := checkinLanes(cfg)
	s.checkins = welfare.NewLanes(cfg.Store, batch, lanes)
	s.checkins.Now = s.now
	s.metrics.reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "outpost_checkins_total",
			Help: "Roll-call answers written through the check-in batcher."},
			func() float64 { return float64(s.checkins.Stats().Answers) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "outpost_checkin_transactions_total",
			Help: "Transactions the check-in batcher wrote its answers in."},
			func() float64 { return float64(s.checkins.Stats().Transactions) }))
	// One set of services, shared by the API and the web UI.
	set := service.Set{
		Census:     s.census,
		Registry:   s.registry,
		Supply:     supplyservice.New(cfg.Store, s.now, s.supplyPost(cfg.Store)),
		Evacuation: evacuation.New(cfg.Store, s.now, nil),
		Welfare:    welfare.New(cfg.Store, s.checkins, s.now),
		Statements: statements.New(cfg.Store, s.now),
		Reports:    reports.New(cfg.Store, api.SnapshotCorps(s.census), s.now),
		Imports:    imports.New(cfg.Store, s.now),
	}
	s.api = api.New(cfg.Store, set, s.log, cfg.Version)
	s.api.Now = s.now
	s.api.PublicURL = s.publicOrigin
	var err error
	if s.web, err = web.New(cfg.Store, set, s.log, cfg.Version); err != nil {
		return err
	}
	s.web.Now = s.now
	s.web.PageDay, s.web.Banner = cfg.PageDay, cfg.Banner
	s.web.AddrBackoff.Now, s.web.AccountBackoff.Now = s.now, s.now
	// On PostgreSQL sign-in attempts are counted in the database, so that
	// every server on it counts them together, and a restart gives no
	// fresh ones. A SQLite database takes one server (store.LockServing),
	// so there they stay in memory: counting them in the file would put
	// every sign-in attempt, even a refused one, on SQLite's one writer,
	// where strangers' guesses would queue with the check-ins.
	if cfg.Store.Engine() == "postgres" {
		s.web.AddrBackoff.Share(cfg.Store, "addr")
		s.web.AccountBackoff.Share(cfg.Store, "account")
	}
	s.web.SecureCookies = s.https
	s.web.UserChanged = s.tokens.forgetUser
	return nil
}

// checkinLanes is the check-in batcher's batch size and number of lanes:
// the configured ones, or 512 answers in one lane (four lanes on
// PostgreSQL).
func checkinLanes(cfg Config) (batch, lanes int) {
	batch = cfg.CheckinBatch
	if batch <= 0 {
		batch = 512
	}
	lanes = cfg.CheckinLanes
	if lanes <= 0 {
		lanes = 1
		if cfg.Store.Engine() == "postgres" {
			lanes = 4
		}
	}
	return batch, lanes
}

// route registers the API's routes, the pages and the server's own
// routes, and the answer for any other path.
func (s *Server) route() {
	for _, rt := range s.api.Routes() {
		s.handle(RouteInfo{Method: rt.Method, Path: rt.Path, Public: rt.Public, Kind: "api"}, s.api.Handler(rt))
	}
	for _, p := range s.web.Pages() {
		s.handle(RouteInfo{Method: p.Method, Path: p.Path, Public: p.Public, Kind: "web"}, s.web.Handler(p))
	}
	s.handle(RouteInfo{Method: "GET", Path: "/healthz", Public: true, Kind: "server"}, http.HandlerFunc(s.healthz))
	s.handle(RouteInfo{Method: "GET", Path: "/robots.txt", Public: true, Kind: "server"}, http.HandlerFunc(robots))
	// /metrics is "public" to the router: it checks the caller itself,
	// and answers 401 rather than sending anyone to the sign-in page.
	s.handle(RouteInfo{Method: "GET", Path: "/metrics", Public: true, Kind: "server"}, http.HandlerFunc(s.metricsRoute))
	s.mux.Handle("/", http.HandlerFunc(s.notFound))
}

// handle registers a route, recording its pattern for the logs and the
// metrics.
func (s *Server) handle(ri RouteInfo, h http.Handler) {
	pattern := ri.Pattern()
	s.routes = append(s.routes, ri)
	if sp, ok := newSecretPath(ri.Path); ok {
		s.secretPaths = append(s.secretPaths, sp)
	}
	s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info := infoFrom(r.Context()); info != nil {
			info.route = pattern
		}
		h.ServeHTTP(w, r)
	}))
}

// Handler returns the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Routes returns every registered route.
func (s *Server) Routes() []RouteInfo { return append([]RouteInfo(nil), s.routes...) }

// API returns the JSON API.
func (s *Server) API() *api.API { return s.api }

// Web returns the web UI.
func (s *Server) Web() *web.Web { return s.web }

// Snapshot returns the current in-memory snapshot, rebuilding it if the
// data changed.
func (s *Server) Snapshot(ctx context.Context) (*censusservice.Snapshot, error) {
	return s.census.Snapshot(ctx)
}

// notFound answers a request that no route took: 405 with Allow when
// routes at its path take other methods, 404 otherwise; as JSON under
// /api/, as a page elsewhere.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if info := infoFrom(r.Context()); info != nil {
		info.route = "unmatched"
	}
	apiPath := strings.HasPrefix(r.URL.Path, api.Prefix) || r.URL.Path+"/" == api.Prefix
	if allow := s.allowed(r); len(allow) > 0 && !slices.Contains(allow, r.Method) {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		err := outpost.Errorf(outpost.EMETHOD, "%s takes %s, not %s", r.URL.Path, strings.Join(allow, ", "), r.Method)
		if apiPath {
			s.api.Error(w, r, err)
		} else {
			s.web.Error(w, r, err)
		}
		return
	}
	if apiPath {
		s.api.Error(w, r, outpost.Errorf(outpost.ENOTFOUND, "no route %s %s; see /api/v1/openapi.json", r.Method, r.URL.Path))
		return
	}
	s.web.NotFound(w, r)
}

// routeMethods are the methods a route may take; HEAD comes with GET
// (net/http serves it from the GET route).
var routeMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// allowed returns the methods that the routes at r's path take, asking
// the mux itself, so that it cannot disagree with the routing.
func (s *Server) allowed(r *http.Request) []string {
	var out []string
	probe := *r // the mux's lookup reads the method, host and path only
	for _, m := range routeMethods {
		probe.Method = m
		// A route's pattern starts with its method (GET for HEAD); the
		// catch-all's and a redirect's (to the path with a slash) do not.
		if _, pattern := s.mux.Handler(&probe); strings.Contains(pattern, " ") {
			out = append(out, m)
		}
	}
	return out
}

// robotsTxt asks every crawler to keep out: nothing Outpost serves is
// for search engines (the public statements have their Atom feed, and a
// person's name in an index would outlive its record).
const robotsTxt = "User-agent: *\nDisallow: /\n"

func robots(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write([]byte(robotsTxt))
}

// healthz answers 200 "ok" when the database answers and takes a write,
// 503 "unavailable" when it does not answer, and 503 "degraded" when it
// answers but cannot write (a full disk, a read-only file): a server that
// can show but not record is not healthy. The write probe's result is
// reused for a few seconds (see probeTTL).
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.WarnContext(r.Context(), "health check failed", "err", err.Error())
		api.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	if err := s.probe.check(ctx, s.store, s.now); err != nil {
		s.log.WarnContext(r.Context(), "health check: the database takes no writes", "err", err.Error())
		api.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "degraded", "engine": s.store.Engine(),
			"reason": "the database does not take writes"})
		return
	}
	api.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok", "engine": s.store.Engine()})
}

// metricsRoute serves /metrics to an admin only: the counts of requests
// by route and status tell an attacker which sign-ins failed. With
// MetricsElsewhere it is not here at all.
func (s *Server) metricsRoute(w http.ResponseWriter, r *http.Request) {
	if s.metricsElsewhere {
		s.notFound(w, r)
		return
	}
	u, ok := auth.UserFrom(r.Context())
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="outpost"`)
		s.api.Error(w, r, outpost.Errorf(outpost.EUNAUTHORIZED, "/metrics needs an admin's API token: send Authorization: Bearer TOKEN"))
		return
	}
	if u.Role != outpost.RoleAdmin {
		s.api.Error(w, r, outpost.Errorf(outpost.EFORBIDDEN, "only an admin reads /metrics"))
		return
	}
	s.metrics.handler().ServeHTTP(w, r)
}

// MetricsHandler serves the Prometheus metrics to anyone: mount it only
// on a listener that the metrics collector alone can reach (outpost
// serve --metrics-addr).
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics.handler())
	return mux
}

// Close stops the check-in batcher once every answer it holds is
// written. Serve calls it when it ends; a Server used only through
// Handler (in tests) may call it.
func (s *Server) Close() {
	s.closeOnce.Do(s.checkins.Close)
}

// Serve answers requests on ln until ctx is done, then shuts down
// gracefully, giving open requests ten seconds, and writes the roll-call
// answers still queued. It builds the census snapshot and keeps it
// current, removes expired sessions every hour and escalates roll calls
// every EscalateEvery.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	defer s.Close()
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	// The census is built at once and then follows the database, so that
	// writes through another server on it are counted here too.
	go s.census.Follow(ctx)
	go s.sweepSessions(ctx)
	go s.escalate(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	err := srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		<-done
		return nil
	}
	return err
}

func (s *Server) sweepSessions(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := s.store.DeleteExpiredSessions(ctx, s.now()); err != nil && ctx.Err() == nil {
			s.log.Warn("removing expired sessions failed", "err", err.Error())
		} else if n > 0 {
			s.log.Info("removed expired sessions", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// escalate sends, now and every escalateEvery until ctx is done, the
// non-responders of every roll call past its escalation time to their
// missions through the channels the settings name (read each time, so a
// change needs no restart).
func (s *Server) escalate(ctx context.Context) {
	t := time.NewTicker(s.escalateEvery)
	defer t.Stop()
	for {
		s.escalateOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Server) escalateOnce(ctx context.Context) {
	ctx = outpost.WithActor(ctx, "system")
	notifiers, err := welfare.Notifiers(ctx, s.store)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("reading the escalation settings failed", "err", err.Error())
		}
		return
	}
	sent, err := welfare.Escalate(ctx, s.store, s.now(), notifiers)
	for _, n := range sent {
		s.log.Info("roll call escalated", "rollcall", n.RollCall, "mission", n.Mission,
			"no_response", len(n.NoResponse), "need_help", len(n.NeedHelp), "channels", len(notifiers))
	}
	if err != nil && ctx.Err() == nil {
		s.log.Warn("escalating roll calls failed", "err", err.Error())
	}
}
