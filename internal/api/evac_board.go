package api

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/planning"
	"github.com/outpost-org/outpost/internal/report"
	"github.com/outpost-org/outpost/internal/transport"
)

// BoardFor returns the tracking board of a departure in a saved plan at
// now, as the caller may see it: every count, the rows of the people they
// may read.
func BoardFor(r *http.Request, s outpost.Store, now time.Time, planText, departure string) (planning.Board, error) {
	if err := canReadEvacuation(r); err != nil {
		return planning.Board{}, err
	}
	id, err := planID(planText)
	if err != nil {
		return planning.Board{}, err
	}
	loc, err := Location(r.Context(), s)
	if err != nil {
		return planning.Board{}, err
	}
	b, err := planning.NewBoard(r.Context(), s, loc, id, departure, now)
	if err != nil {
		return planning.Board{}, err
	}
	return b.ForUser(transport.Caller(r)), nil
}

func (a *API) board(w http.ResponseWriter, r *http.Request) error {
	b, err := BoardFor(r, a.Store, a.Now(), r.PathValue("plan"), r.PathValue("departure"))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, b)
	return nil
}

// TrackOnBoard records a checkpoint, from a departure's tracking board,
// for one of its passengers whom the caller may track; anyone else is
// ENOTFOUND.
func TrackOnBoard(r *http.Request, s outpost.Store, now time.Time, planText, departure, person string, req TrackRequest) (outpost.Event, error) {
	b, err := BoardFor(r, s, now, planText, departure)
	if err != nil {
		return outpost.Event{}, err
	}
	if !b.HasPassenger(person) {
		return outpost.Event{}, outpost.Errorf(outpost.ENOTFOUND, "no passenger %q on departure %s", person, departure)
	}
	loc, err := Location(r.Context(), s)
	if err != nil {
		return outpost.Event{}, err
	}
	return Track(r, s, now, loc, person, req)
}

// ManifestFor returns the manifest of a departure in a saved plan as the
// caller may read it: one row per passenger, the details of another
// mission's passengers withheld and passports only where the caller may
// read them.
func ManifestFor(r *http.Request, s outpost.Store, planText, departure string) (report.Manifest, error) {
	u := transport.Caller(r)
	if !u.CanSome(planning.ReadManifests) {
		return report.Manifest{}, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not download manifests", u.Role)
	}
	id, err := planID(planText)
	if err != nil {
		return report.Manifest{}, err
	}
	loc, err := Location(r.Context(), s)
	if err != nil {
		return report.Manifest{}, err
	}
	m, err := planning.Manifest(r.Context(), s, loc, id, departure)
	if err != nil {
		return report.Manifest{}, err
	}
	return planning.Redact(m, u), nil
}

// WriteManifest writes a manifest as a download, format "csv" or "pdf".
func WriteManifest(w http.ResponseWriter, m report.Manifest, format string) error {
	var buf bytes.Buffer
	typ := "text/csv; charset=utf-8"
	switch format {
	case "", "csv":
		format = "csv"
		if err := report.ManifestCSV(&buf, m); err != nil {
			return err
		}
	case "pdf":
		typ = "application/pdf"
		if err := report.ManifestPDF(&buf, m); err != nil {
			return err
		}
	default:
		return outpost.Errorf(outpost.EINVALID, "format %q: want csv or pdf", format)
	}
	name := fmt.Sprintf("manifest-%d-%s.%s", m.Plan, m.Departure, format)
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Content-Disposition", "attachment; filename="+strconv.Quote(name))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Header().Set("Cache-Control", "no-store")
	_, err := buf.WriteTo(w)
	return err
}

func (a *API) manifest(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	if format != "" && format != "csv" && format != "pdf" {
		return outpost.Errorf(outpost.EINVALID, "format %q: want csv or pdf", format)
	}
	m, err := ManifestFor(r, a.Store, r.PathValue("plan"), r.PathValue("departure"))
	if err != nil {
		return err
	}
	return WriteManifest(w, m, format)
}
