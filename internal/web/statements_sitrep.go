package web

import (
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/report"
	"github.com/outpost-org/outpost/internal/service/reports"
	"github.com/outpost-org/outpost/internal/service/statements"
	"github.com/outpost-org/outpost/internal/transport"
)

// SitrepPage is the data of the situation report page.
type SitrepPage struct {
	Date string
	// Mission is the mission reported on, "" for the whole corps;
	// Missions, for the admin, are the other choices.
	Mission  string
	Missions []outpost.Mission
	// Article is the report itself.
	Article template.HTML
	// Downloads are the links to the report as a file, by format.
	Downloads []Download
}

// Download is a link to the report in one format.
type Download struct {
	Label, Href string
}

// sitrepPages are the situation report of any day, read on the page and
// downloaded as Markdown, HTML or PDF.
func (h *Web) sitrepPages() []Page {
	return []Page{
		{Method: "GET", Path: "/sitrep", Handler: h.sitrep, Nav: &NavItem{Label: "Sitrep", Order: 92, Show: reports.CanRead}},
		{Method: "GET", Path: "/sitrep/download", Handler: h.sitrepDownload},
		{Method: "GET", Path: "/sitrep.css", Public: true, Handler: sitrepCSS},
	}
}

func (h *Web) sitrep(w http.ResponseWriter, r *http.Request) error {
	in, err := h.sitrepInput(r)
	if err != nil {
		return err
	}
	article, err := report.HTMLArticle(in)
	if err != nil {
		return err
	}
	p := SitrepPage{Date: in.Date, Article: article}
	if in.Mission != nil {
		p.Mission = in.Mission.Code
	}
	if transport.Caller(r).Role == outpost.RoleAdmin {
		if p.Missions, err = h.Store.Missions(r.Context()); err != nil {
			return err
		}
	}
	for _, f := range []struct{ label, format string }{{"PDF", "pdf"}, {"HTML", "html"}, {"Markdown", "md"}} {
		p.Downloads = append(p.Downloads, Download{Label: f.label,
			Href: "/sitrep/download" + query("date", p.Date, "mission", p.Mission, "format", f.format)})
	}
	return h.Render(w, r, http.StatusOK, "sitrep_page", p)
}

func (h *Web) sitrepDownload(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	if format != "md" && format != "html" && format != "pdf" {
		return outpost.Errorf(outpost.EINVALID, "Choose the format of the download: md, html or pdf.")
	}
	in, err := h.sitrepInput(r)
	if err != nil {
		return err
	}
	doc, err := reports.Render(in, format)
	if err != nil {
		return err
	}
	return transport.WriteDownload(w, doc.Type, doc.Name, doc.Data)
}

// sitrepInput gathers the report the request asks for: ?date= and
// ?mission=, its statements linked to their public pages.
func (h *Web) sitrepInput(r *http.Request) (report.Input, error) {
	q := r.URL.Query()
	return h.Reports.Sitrep(r.Context(), transport.Caller(r), reports.Query{Date: outpost.Date(q.Get("date")),
		Mission: q.Get("mission"), StatementURL: statements.StatementPath})
}

// sitrepCSS serves the report's stylesheet, which the sitrep page links
// to: the page's Content-Security-Policy allows no inline style.
func sitrepCSS(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.ServeContent(w, r, "sitrep.css", time.Time{}, strings.NewReader(report.Stylesheet()))
	return nil
}
