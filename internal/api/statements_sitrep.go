package api

import (
	"context"
	"net/http"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/report"
	"github.com/outpost-org/outpost/internal/service/reports"
	"github.com/outpost-org/outpost/internal/service/statements"
	"github.com/outpost-org/outpost/internal/transport"
)

// SnapshotCorps is the whole corps as the reports service counts it,
// from the census snapshot snaps hands out.
func SnapshotCorps(snaps Snapshots) reports.CorpsFunc {
	return func(ctx context.Context) (reports.Population, error) {
		snap, err := snaps.Snapshot(ctx)
		if err != nil {
			return reports.Population{}, err
		}
		p := reports.Population{Loc: snap.Loc, Pop: snap.Pop}
		if len(snap.Days) > 0 {
			p.FirstDay = outpost.Date(snap.Days[0].Date)
		}
		return p, nil
	}
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
		Response: report.Input{}, Files: []string{"text/markdown", "text/html", "application/pdf"}, Errors: []int{400, 403, 404}}}}
}

func (a *API) sitrep(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "md" && format != "html" && format != "pdf" {
		return outpost.Errorf(outpost.EINVALID, "format %q: want json, md, html or pdf", format)
	}
	q := r.URL.Query()
	in, err := a.Reports.Sitrep(r.Context(), transport.Caller(r), reports.Query{Date: outpost.Date(q.Get("date")),
		Mission: q.Get("mission"), StatementURL: statements.StatementPath})
	if err != nil {
		return err
	}
	if format == "" || format == "json" {
		WriteJSON(w, http.StatusOK, in)
		return nil
	}
	doc, err := reports.Render(in, format)
	if err != nil {
		return err
	}
	return transport.WriteDownload(w, doc.Type, doc.Name, doc.Data)
}
