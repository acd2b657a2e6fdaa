package api

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/report"
	"github.com/outpost-org/outpost/internal/report/gather"
	"github.com/outpost-org/outpost/internal/transport"
)

// SitrepCSP is the Content-Security-Policy of a situation report shown
// as HTML: the report carries its stylesheet and its charts inline (the
// charts' SVG uses style attributes), and still no script of any kind.
const SitrepCSP = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// SitrepMission returns the mission whose situation report the caller
// may read when they ask for requested ("" = the whole corps): the admin
// any; a mission's manager and staff their own (another mission answers
// 404); the coordinator the corps' only, which holds counts and no one's
// record. Other roles may read none (403).
func SitrepMission(u outpost.User, requested string) (string, error) {
	switch {
	case u.Role == outpost.RoleAdmin:
		return requested, nil
	case u.Role.MissionBound() && u.CanSome(outpost.ReadMissionSitrep):
		if requested != "" && requested != u.Mission {
			return "", outpost.Errorf(outpost.ENOTFOUND, "There is no situation report of %q for you.", requested)
		}
		return u.Mission, nil
	case u.Can(outpost.ReadCorpsSitrep, ""):
		if requested != "" {
			return "", outpost.Errorf(outpost.ENOTFOUND, "There is no situation report of %q for you: the coordinator reads the whole corps' report.", requested)
		}
		return "", nil
	}
	return "", outpost.Errorf(outpost.EFORBIDDEN, "Your role may not read situation reports.")
}

// CanReadSitrep reports whether the user may read some situation report.
func CanReadSitrep(u outpost.User) bool {
	_, err := SitrepMission(u, "")
	return err == nil
}

// GatherSitrep gathers the situation report a request asks for: ?date=
// (default today in the post's time zone) and ?mission=, within what the
// caller may read (SitrepMission). The whole corps' report counts from
// the server's snapshot; statements link to their public pages.
func GatherSitrep(r *http.Request, s outpost.Store, snaps Snapshots, now time.Time) (report.Input, error) {
	q := r.URL.Query()
	mission, err := SitrepMission(transport.Caller(r), q.Get("mission"))
	if err != nil {
		return report.Input{}, err
	}
	snap, err := snaps.Snapshot(r.Context())
	if err != nil {
		return report.Input{}, err
	}
	day := outpost.DateOf(now.In(snap.Loc))
	if d := q.Get("date"); d != "" {
		if day, err = outpost.ParseDate(d); err != nil {
			return report.Input{}, outpost.Errorf(outpost.EINVALID, "date %q: %v", d, err)
		}
	}
	o := gather.Options{Date: day, Loc: snap.Loc, Mission: mission, Now: now, StatementURL: StatementPath}
	if mission == "" {
		o.Pop = snap.Pop
		if len(snap.Days) > 0 {
			o.FirstDay = outpost.Date(snap.Days[0].Date)
		}
	}
	return gather.Sitrep(r.Context(), s, o)
}

// WriteSitrep writes the report in format (md, html or pdf) as a file to
// download.
func WriteSitrep(w http.ResponseWriter, in report.Input, format string) error {
	var b bytes.Buffer
	var err error
	var ctype string
	switch format {
	case "md":
		ctype, err = "text/markdown; charset=utf-8", report.Markdown(&b, in)
	case "html":
		ctype, err = "text/html; charset=utf-8", report.HTML(&b, in)
		w.Header().Set("Content-Security-Policy", SitrepCSP)
	case "pdf":
		ctype, err = "application/pdf", report.PDF(&b, in)
	default:
		return outpost.Errorf(outpost.EINVALID, "format %q: want md, html or pdf", format)
	}
	if err != nil {
		return err
	}
	name := "sitrep-" + in.Date
	if in.Mission != nil {
		name += "-" + in.Mission.Code
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, name, format))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, err = b.WriteTo(w)
	return err
}

// SitrepRoutes serve the situation report.
func (a *API) sitrepRoutes() []Route {
	return []Route{{Method: "GET", Path: "/api/v1/sitrep", Handler: a.sitrep, Doc: Op{
		Summary: "The situation report of a day", Tags: []string{"sitrep"},
		Description: "The figures at the end of the day in the post's time zone: census and its change since the day before, " +
			"departures of the last and next 7 days, stock, roll calls, open medical cases, restrictions in force and statements published. " +
			"A section that is absent has no data yet. format=json (the default) answers the figures; md, html and pdf answer the report as a file. " +
			"The coordinator reads the whole corps' report (counts only); a mission's manager and staff their mission's.",
		Params: []Param{
			{Name: "date", In: "query", Description: "the day, YYYY-MM-DD (default today)"},
			{Name: "mission", In: "query", Description: "one mission's report (default: the whole corps)"},
			{Name: "format", In: "query", Description: "json (default), md, html or pdf", Enum: []string{"json", "md", "html", "pdf"}},
		},
		Response: report.Input{}, Errors: []int{400, 403, 404}}}}
}

func (a *API) sitrep(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "md" && format != "html" && format != "pdf" {
		return outpost.Errorf(outpost.EINVALID, "format %q: want json, md, html or pdf", format)
	}
	in, err := GatherSitrep(r, a.Store, a.Snapshots, a.Now())
	if err != nil {
		return err
	}
	if format == "" || format == "json" {
		WriteJSON(w, http.StatusOK, in)
		return nil
	}
	return WriteSitrep(w, in, format)
}
