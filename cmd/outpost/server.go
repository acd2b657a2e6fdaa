package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/server"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/spf13/cobra"
)

// defaultAddr is where `outpost serve` listens: this machine only, until
// the operator chooses otherwise.
const defaultAddr = "127.0.0.1:8080"

func (a *app) serverCommands() []*cobra.Command {
	return []*cobra.Command{a.serveCommand(), a.userCommand(), a.tokenCommand(), a.auditCommand()}
}

// serveFlags are the flags of every command that serves.
type serveFlags struct {
	addr        string
	logJSON     bool
	publicURL   string
	proxies     []string
	metricsAddr string
	// pageDate and banner fix the day pages default to and the note every
	// page shows (the demo's story day).
	pageDate, banner string
}

func (f *serveFlags) add(c *cobra.Command) {
	c.Flags().StringVar(&f.addr, "addr", defaultAddr, "address to listen on (host:port; port 0 picks a free one)")
	c.Flags().BoolVar(&f.logJSON, "log-json", false, "write the request log as JSON lines instead of text")
	c.Flags().StringVar(&f.publicURL, "public-url", os.Getenv("OUTPOST_PUBLIC_URL"),
		"the URL users reach the server at, e.g. https://outpost.example.org; https makes cookies Secure (__Host-) and adds HSTS (env OUTPOST_PUBLIC_URL)")
	var proxies []string
	if env := os.Getenv("OUTPOST_TRUSTED_PROXIES"); env != "" {
		proxies = strings.Split(env, ",")
	}
	c.Flags().StringArrayVar(&f.proxies, "trusted-proxy", proxies,
		"address or CIDR range of a reverse proxy whose X-Forwarded-For is believed; repeat for several (env OUTPOST_TRUSTED_PROXIES, comma-separated)")
	c.Flags().StringVar(&f.pageDate, "page-date", f.pageDate,
		"the day (YYYY-MM-DD) the web pages show when none is asked for, instead of today: for a data set of the past; the clock that stamps sessions, the audit log and check-ins is not moved")
	c.Flags().StringVar(&f.banner, "banner", f.banner, "a note shown at the top of every web page (e.g. that the data is a demo)")
	c.Flags().StringVar(&f.metricsAddr, "metrics-addr", "",
		"serve /metrics to anyone on this separate address (host:port) instead of to admins on --addr")
}

// config checks the flags and turns them into the server's settings.
func (f *serveFlags) config() (server.Config, error) {
	var cfg server.Config
	if f.pageDate != "" {
		d, err := outpost.ParseDate(f.pageDate)
		if err != nil {
			return cfg, usagef("--page-date %q: %v", f.pageDate, err)
		}
		cfg.PageDay = d
	}
	if msg := outpost.CheckLine(f.banner, outpost.MaxName); msg != "" {
		return cfg, usagef("--banner: %s", msg)
	}
	cfg.Banner = f.banner
	if f.publicURL != "" {
		if _, err := server.ParsePublicURL(f.publicURL); err != nil {
			return cfg, usagef("--public-url: %v", err)
		}
		cfg.PublicURL = f.publicURL
	}
	for _, p := range f.proxies {
		if strings.TrimSpace(p) == "" {
			continue
		}
		prefix, err := auth.ParseTrustedProxy(p)
		if err != nil {
			return cfg, usagef("--trusted-proxy: %v", err)
		}
		cfg.TrustedProxies = append(cfg.TrustedProxies, prefix)
	}
	cfg.MetricsElsewhere = f.metricsAddr != ""
	return cfg, nil
}

func (a *app) serveCommand() *cobra.Command {
	var f serveFlags
	c := &cobra.Command{
		Use:   "serve",
		Short: "Serve the web UI and the JSON API",
		Long: `Serve the web UI and the JSON API (/api/v1/, described at
/api/v1/openapi.json) on --addr until interrupted. /healthz answers 200 when
the database answers and takes writes, 503 otherwise; /metrics has
Prometheus metrics for an admin's API token, or for anyone on
--metrics-addr (and then not on --addr). Requests are logged on stderr.
Create users with 'outpost user add' first.

Behind a TLS-terminating reverse proxy, set --public-url https://HOST (the
session cookie becomes Secure with the __Host- prefix, answers carry HSTS)
and --trusted-proxy with the proxy's address (the client's address is then
taken from X-Forwarded-For, for sign-in throttling and the logs).

On PostgreSQL, several servers may serve one database behind a load
balancer: sessions, sign-in throttling, token revocation and roll-call
answers are shared through it (see docs/deploy.md). A SQLite database
takes one server: a second 'outpost serve' on the same file is refused.`,
		Example: `  outpost user add admin --role admin
  outpost serve --addr 127.0.0.1:8080
  outpost serve --public-url https://outpost.example.org --trusted-proxy 127.0.0.1 --metrics-addr 127.0.0.1:9090`,
		GroupID: "admin",
		Args:    args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.serve(cmd.Context(), f, func(url string) {
				fmt.Fprintf(a.stdout, "Outpost is serving on %s (Ctrl+C to stop)\n", url)
			})
		},
	}
	f.add(c)
	return c
}

// serve runs the HTTP server over the app's database until ctx is done;
// ready is called with the server's URL once it listens.
func (a *app) serve(ctx context.Context, f serveFlags, ready func(url string)) error {
	cfg, err := f.config()
	if err != nil {
		return err
	}
	// One server per SQLite file: a second is refused here, before it
	// opens anything (see store.LockServing).
	release, err := store.LockServing(a.dsn)
	if err != nil {
		return err
	}
	defer release()
	db, err := a.open(ctx)
	if err != nil {
		return err
	}
	var h slog.Handler = slog.NewTextHandler(a.stderr, nil)
	if f.logJSON {
		h = slog.NewJSONHandler(a.stderr, nil)
	}
	cfg.Store, cfg.Log, cfg.Version, cfg.Now = db, slog.New(h), version, a.now
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return outpost.Errorf(outpost.EINVALID, "cannot listen on %s: %v", f.addr, err)
	}
	if f.metricsAddr != "" {
		mln, err := net.Listen("tcp", f.metricsAddr)
		if err != nil {
			ln.Close()
			return outpost.Errorf(outpost.EINVALID, "--metrics-addr: cannot listen on %s: %v", f.metricsAddr, err)
		}
		msrv := &http.Server{Handler: srv.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second}
		go msrv.Serve(mln)
		defer msrv.Close()
		fmt.Fprintf(a.stderr, "Metrics on http://%s/metrics\n", mln.Addr())
	}
	ready("http://" + ln.Addr().String() + "/")
	return srv.Serve(ctx, ln)
}
