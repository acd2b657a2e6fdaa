package server

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics. Requests are labelled by
// route pattern, never by path, so that ids do not multiply the series.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	builds   prometheus.Counter
	buildDur prometheus.Histogram
	applyDur prometheus.Histogram
	people   prometheus.Gauge
}

// dbStatser is a store that reports its connection pool (internal/store
// does).
type dbStatser interface{ Stats() sql.DBStats }

func newMetrics(reg *prometheus.Registry, store outpost.Store) *metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "outpost_http_requests_total", Help: "HTTP requests by method, route pattern and status code.",
		}, []string{"method", "route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "outpost_http_request_duration_seconds", Help: "Time to answer HTTP requests, by method and route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
		builds: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "outpost_census_snapshot_builds_total", Help: "Rebuilds of the in-memory census snapshot (after data changed).",
		}),
		buildDur: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "outpost_census_snapshot_build_seconds", Help: "Time to rebuild the in-memory census snapshot.",
			Buckets: prometheus.ExponentialBuckets(.001, 4, 10),
		}),
		applyDur: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "outpost_census_snapshot_apply_seconds", Help: "Time to apply the changes since the last census snapshot to it (instead of a rebuild).",
			Buckets: prometheus.ExponentialBuckets(.00001, 4, 10),
		}),
		people: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "outpost_census_people", Help: "People in the in-memory census snapshot.",
		}),
	}
	reg.MustRegister(m.requests, m.latency, m.builds, m.buildDur, m.applyDur, m.people)
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "outpost_db_up", Help: "1 when the database answers a ping, 0 otherwise.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if store.Ping(ctx) != nil {
			return 0
		}
		return 1
	}))
	if st, ok := store.(dbStatser); ok {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "outpost_db_open_connections", Help: "Open connections of the database pool that serves reads.",
		}, func() float64 { return float64(st.Stats().OpenConnections) }))
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "outpost_db_in_use_connections", Help: "Connections of the read pool in use.",
		}, func() float64 { return float64(st.Stats().InUse) }))
	}
	return m
}

// methodLabel is the method as the metrics name it: one of the methods
// HTTP defines, or "other". A client may send any token as a method (curl
// -X BREW), and each new label value would be a new series kept for the
// life of the process.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "other"
}

// codeLabel is the status as the metrics name it: a handler writes only
// the codes net/http knows, but one out of range would be a new series.
func codeLabel(status int) string {
	if status < 100 || status > 599 {
		return "other"
	}
	return strconv.Itoa(status)
}

// observe counts one answer. The route is a registered pattern or
// "unmatched" (see Server.handle), never a path.
func (m *metrics) observe(method, route string, status int, d time.Duration) {
	method = methodLabel(method)
	m.requests.WithLabelValues(method, route, codeLabel(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(d.Seconds())
}

func (m *metrics) built(d time.Duration, people int) {
	m.builds.Inc()
	m.buildDur.Observe(d.Seconds())
	m.people.Set(float64(people))
}

func (m *metrics) applied(d time.Duration, _ int) {
	m.applyDur.Observe(d.Seconds())
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
