// Package api is Outpost's JSON API under /api/v1/ and the OpenAPI 3
// document that describes it, /api/v1/openapi.json. The server
// (internal/server) mounts every Route that Routes returns; handlers are
// transport only: they read the request, call a service of
// internal/service (registry, census, …) with the caller from
// transport.Caller, and write its answer. The services come as one
// service.Set, which the server shares with the web UI.
//
// # How a capability adds its routes
//
// In its own file, say internal/api/supply.go, a capability declares one
// method of *API that returns its routes as a literal []Route:
//
//	// supplyRoutes are the stock ledger's routes.
//	func (a *API) supplyRoutes() []Route {
//		return []Route{{
//			Method: "GET", Path: "/api/v1/supply/status",
//			Handler: a.supplyStatus,
//			Doc: Op{Summary: "Days of supply by mission and item", Tags: []string{"supply"},
//				Params:   []Param{{Name: "mission", In: "query", Description: "one mission's rows"}},
//				Response: SupplyStatus{}, Errors: []int{400}},
//		}}
//	}
//
// and adds it to the one table in Routes, where every route of the API
// can be read and grepped. The OpenAPI document is made from the same Route values: Doc.Body
// and Doc.Response are example values whose Go types (with their json
// tags) become the schemas, Doc.Files lists the media types of the files
// a route answers with (text/csv, application/pdf, …), path parameters
// come from Path, and internal/server's tests fail when a route and the
// document disagree: TestAPIAnswersMatchTheDocument validates the answers
// of every GET route, as every role, against the document.
//
// A handler returns an error instead of writing one: *outpost.Error codes
// map to statuses in one table (transport.StatusCode), internal errors are logged
// and shown only as "internal error". Routes are signed-in only unless
// Public is set. Every handler must check the caller's rights with
// outpost.User.Can (or Restrict for listings) on the mission whose data
// it touches, and answer ENOTFOUND — never EFORBIDDEN — for a record of
// another mission, so that its existence does not leak; the route-table
// walk in internal/server/authz_test.go checks this for every route.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
	"github.com/outpost-org/outpost/internal/transport"
)

// Prefix is where the API lives.
const Prefix = "/api/v1/"

// API serves the JSON API over a store.
type API struct {
	Store outpost.Store
	// Set is the services the API calls, shared with the web UI.
	service.Set
	// Now is the clock.
	Now func() time.Time
	// Log receives internal errors; the server's handler adds the request id.
	Log *slog.Logger
	// Version is the binary's version, for the OpenAPI document.
	Version string
	// PublicURL is where users reach the server, scheme://host (the
	// server's --public-url), for the document's servers; empty: "/",
	// wherever the document was fetched from.
	PublicURL string

	openapiOnce sync.Once
	openapi     []byte
	openapiErr  error
}

// Snapshot is the in-memory census, as the census service keeps it.
type Snapshot = censusservice.Snapshot

// Snapshots hands out the current Snapshot (the census service does).
type Snapshots interface {
	Snapshot(ctx context.Context) (*Snapshot, error)
}

// New returns an API over store that calls the services of set.
func New(store outpost.Store, set service.Set, log *slog.Logger, version string) *API {
	return &API{Store: store, Set: set, Now: time.Now, Log: log, Version: version}
}

// HandlerFunc is a route's handler: it writes its answer, or returns an
// error that the API turns into a JSON error answer.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Route is one endpoint of the API and its description.
type Route struct {
	// Method is GET, POST, PUT, PATCH or DELETE.
	Method string
	// Path is a net/http ServeMux path, starting with /api/v1/, with
	// {name} parameters.
	Path string
	// Public routes are served without signing in.
	Public  bool
	Handler HandlerFunc
	Doc     Op
}

// Pattern returns the ServeMux pattern of the route, "GET /api/v1/…".
func (rt Route) Pattern() string { return rt.Method + " " + rt.Path }

// Op describes a route in the OpenAPI document.
type Op struct {
	Summary     string
	Description string
	Tags        []string
	// Params are the query parameters, and path parameters when they need
	// more than a generic description.
	Params []Param
	// Body is an example value of the JSON request body; nil for none.
	Body any
	// Response is an example value of the JSON answer.
	Response any
	// Files are the media types of the files the route answers with
	// instead of (or besides, as the query asks) JSON, such as text/csv.
	Files []string
	// Status is the status of success (default 200).
	Status int
	// Errors lists the error statuses the route answers besides 401 and
	// 500 (which every signed-in route may).
	Errors []int
}

// Param is a query or path parameter.
type Param struct {
	Name        string
	In          string // "query" or "path"
	Description string
	// Type is "string" (default), "integer" or "boolean".
	Type     string
	Required bool
	Enum     []string
}

// Routes returns every route of the API, sorted by path and method: the
// one table of the API, a literal list per capability.
func (a *API) Routes() []Route {
	out := slices.Concat(
		a.registryRoutes(),
		a.trackBatchRoutes(),
		a.correctionRoutes(),
		a.accountRoutes(),
		a.supplyRoutes(),
		a.evacRoutes(),
		a.planRoutes(),
		a.welfareRoutes(),
		a.medicalRoutes(),
		a.statementRoutes(),
		a.statementCorrectionRoutes(),
		a.sitrepRoutes(),
		a.openAPIRoutes(),
	)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// Handler returns the http.Handler of a route: it refuses callers who are
// not signed in (unless the route is public) and turns the handler's error
// into a JSON answer.
func (a *API) Handler(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.Log != nil {
			w = logWriter{ResponseWriter: w, log: a.Log}
		}
		if !rt.Public {
			if _, ok := auth.UserFrom(r.Context()); !ok {
				a.Error(w, r, outpost.Errorf(outpost.EUNAUTHORIZED, "sign in, or send the header Authorization: Bearer TOKEN"))
				return
			}
		}
		if err := rt.Handler(w, r); err != nil {
			a.Error(w, r, err)
		}
	})
}

// ErrorBody is the JSON answer of every error.
type ErrorBody struct {
	Error ErrorInfo `json:"error"`
}

// ErrorInfo says what went wrong, for the person or program that asked.
type ErrorInfo struct {
	Code    string   `json:"code"`
	Message string   `json:"message"`
	Details []string `json:"details,omitempty"`
}

// Error writes err as a JSON error answer. Internal errors and an
// unavailable database are logged; their cause is never shown.
func (a *API) Error(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return // the client went away
	}
	status := transport.StatusCode(err)
	info := ErrorInfo{Code: outpost.ErrorCode(err), Message: outpost.ErrorMessage(err)}
	var oe *outpost.Error
	if errors.As(err, &oe) && oe.Code != outpost.EINTERNAL {
		info.Details = oe.Details
	}
	if status >= 500 {
		info.Code = outpost.ErrorCode(err)
		if info.Code != outpost.EUNAVAILABLE {
			info.Code, info.Message = outpost.EINTERNAL, "internal error"
		}
		a.Log.ErrorContext(r.Context(), "request failed", "err", err.Error(), "route", r.Pattern)
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="outpost"`)
	}
	WriteJSON(w, status, ErrorBody{Error: info})
}

// WriteJSON writes v as the JSON answer with the given status. The answer
// is encoded whole before anything is sent, so that a value the encoder
// refuses (a NaN, +Inf) is a logged 500 with a JSON error body, never a
// 200 with an empty or truncated one.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		log := slog.Default()
		if lw, ok := w.(interface{ Logger() *slog.Logger }); ok {
			log = lw.Logger()
		}
		log.Error("response not encoded", "err", err.Error(), "status", status, "type", fmt.Sprintf("%T", v))
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(internalErrorBody)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// internalErrorBody is the answer when an answer could not be encoded;
// written out, so that it cannot fail in turn.
const internalErrorBody = `{
  "error": {
    "code": "` + outpost.EINTERNAL + `",
    "message": "internal error"
  }
}
`

// logWriter carries the API's logger to WriteJSON, which is called with
// the ResponseWriter only.
type logWriter struct {
	http.ResponseWriter
	log *slog.Logger
}

// Logger returns the logger a failed encoding is reported to.
func (l logWriter) Logger() *slog.Logger { return l.log }

// Unwrap lets http.ResponseController reach the underlying writer.
func (l logWriter) Unwrap() http.ResponseWriter { return l.ResponseWriter }
