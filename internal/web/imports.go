package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/imports"
	"github.com/outpost-org/outpost/internal/transport"
)

// importPages are importing a file in the browser: upload, problems or
// preview, then commit or cancel.
func (h *Web) importPages() []Page {
	return []Page{
		{Method: "GET", Path: "/import", Handler: h.importForm},
		{Method: "POST", Path: "/import", Handler: h.importUpload},
		{Method: "GET", Path: "/import/{draft}", Handler: h.importPreview},
		{Method: "POST", Path: "/import/{draft}/commit", Handler: h.importCommit},
		{Method: "POST", Path: "/import/{draft}/cancel", Handler: h.importCancel},
	}
}

// ImportPage is the data of the upload page: the kinds the caller may
// import, and the problems of a refused file.
type ImportPage struct {
	Kinds    []string
	Kind     string
	Name     string
	Problems []ProblemRow
	More     int
	// Summary says what was refused, over the problems.
	Summary string
	Done    string
	// Stats are the counts of the import just committed, with a link to
	// its records.
	Stats      outpost.ImportStats
	SeeHref    string
	SeeLabel   string
	Unchanged  int
	MaxUploadM int
}

// ProblemRow is one located problem of a refused file, numbered.
type ProblemRow struct {
	N    int
	Text string
}

// ImportPreviewPage is the data of a draft's preview.
type ImportPreviewPage struct {
	Preview imports.Preview
	// Total is the rows that change: new and updated.
	Total int
}

func (h *Web) importPage(r *http.Request, kind string) (ImportPage, error) {
	u := transport.Caller(r)
	p := ImportPage{Kinds: imports.Allowed(u), MaxUploadM: imports.MaxUpload >> 20}
	if len(p.Kinds) == 0 {
		return p, outpost.Errorf(outpost.EFORBIDDEN, "Your role (%s) may not import files.", u.Role)
	}
	p.Kind = p.Kinds[0]
	if slices.Contains(p.Kinds, kind) {
		p.Kind = kind
	}
	return p, nil
}

// seeAfter is where the records of a kind are listed.
func seeAfter(kind string) (string, string) {
	switch kind {
	case "people":
		return "/people", "See the people"
	case "missions":
		return "/missions", "See the missions"
	case "departures":
		return "/evac", "See the departures"
	case "restrictions":
		return "/evac/restrictions", "See the restrictions"
	}
	return "/supply", "See the supplies"
}

func (h *Web) importForm(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p, err := h.importPage(r, q.Get("kind"))
	if err != nil {
		return err
	}
	switch q.Get("done") {
	case "imported":
		p.Done = "imported"
		p.Stats.Inserted, _ = strconv.Atoi(q.Get("new"))
		p.Stats.Updated, _ = strconv.Atoi(q.Get("updated"))
		p.Unchanged, _ = strconv.Atoi(q.Get("unchanged"))
		p.SeeHref, p.SeeLabel = seeAfter(p.Kind)
	case "cancelled":
		p.Done = "cancelled"
	case "already":
		p.Done = "already"
		p.Name = outpost.Clip(q.Get("name"))
		p.SeeHref, p.SeeLabel = seeAfter(p.Kind)
	}
	return h.Render(w, r, http.StatusOK, "imports", p)
}

// refusedFile renders the upload page with the problems of a file.
func (h *Web) refusedFile(w http.ResponseWriter, r *http.Request, kind, name string, err error) error {
	p, perr := h.importPage(r, kind)
	if perr != nil {
		return perr
	}
	p.Name = name
	list, more := imports.Problems(err)
	for i, x := range list {
		p.Problems = append(p.Problems, ProblemRow{N: i + 1, Text: x})
	}
	p.More = more
	p.Summary = outpost.ErrorMessage(err)
	return h.Render(w, r, http.StatusBadRequest, "imports", p)
}

func (h *Web) importUpload(w http.ResponseWriter, r *http.Request) error {
	u := transport.Caller(r)
	// The body holds the file and a few fields; anything larger than
	// the file's bound and the form's own bytes is refused unread.
	r.Body = http.MaxBytesReader(w, r.Body, imports.MaxUpload+64<<10)
	kind := r.URL.Query().Get("kind")
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return h.refusedFile(w, r, kind, "", outpost.Errorf(outpost.EINVALID,
				"The file is larger than the %d MiB an upload takes: import it with the command line (outpost import).", imports.MaxUpload>>20))
		}
		return outpost.Errorf(outpost.EINVALID, "The form could not be read: choose a file and send it again.")
	}
	defer r.MultipartForm.RemoveAll()
	kind = r.FormValue("kind")
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return h.refusedFile(w, r, kind, "", outpost.Errorf(outpost.EINVALID, "Choose a file to import."))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, imports.MaxUpload+1))
	if err != nil {
		return outpost.Errorf(outpost.EINVALID, "The file could not be read: send it again.")
	}
	p, err := h.Imports.Upload(r.Context(), u, kind, hdr.Filename, data)
	if outpost.ErrorCode(err) == outpost.EINVALID {
		return h.refusedFile(w, r, kind, hdr.Filename, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/import/"+strconv.FormatInt(p.Draft, 10), http.StatusSeeOther)
	return nil
}

// draftID reads the draft of the path; a malformed one is not found.
func draftID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("draft"), 10, 64)
	if err != nil || id <= 0 {
		return 0, outpost.Errorf(outpost.ENOTFOUND, "There is no import %q.", outpost.Clip(r.PathValue("draft")))
	}
	return id, nil
}

func (h *Web) importPreview(w http.ResponseWriter, r *http.Request) error {
	id, err := draftID(r)
	if err != nil {
		return err
	}
	p, err := h.Imports.Preview(r.Context(), transport.Caller(r), id)
	if outpost.ErrorCode(err) == outpost.EINVALID {
		return h.refusedFile(w, r, p.Kind, p.Name, err)
	}
	if err != nil {
		return err
	}
	return h.Render(w, r, http.StatusOK, "imports_preview", ImportPreviewPage{Preview: p, Total: p.New + p.Updated})
}

func (h *Web) importCommit(w http.ResponseWriter, r *http.Request) error {
	id, err := draftID(r)
	if err != nil {
		return err
	}
	p, _, err := h.Imports.Commit(r.Context(), transport.Caller(r), id)
	if imports.Committed(err) {
		// A second click or another tab: the file is written once; say
		// so where its records are.
		v := url.Values{"done": {"already"}, "kind": {p.Kind}, "name": {p.Name}}
		http.Redirect(w, r, "/import?"+v.Encode(), http.StatusSeeOther)
		return nil
	}
	if outpost.ErrorCode(err) == outpost.EINVALID {
		return h.refusedFile(w, r, p.Kind, p.Name, err)
	}
	if err != nil {
		return err
	}
	v := url.Values{"done": {"imported"}, "kind": {p.Kind}, "new": {strconv.Itoa(p.New)}, "updated": {strconv.Itoa(p.Updated)},
		"unchanged": {strconv.Itoa(p.Unchanged)}}
	http.Redirect(w, r, "/import?"+v.Encode(), http.StatusSeeOther)
	return nil
}

func (h *Web) importCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := draftID(r)
	if err != nil {
		return err
	}
	if err := h.Imports.Cancel(r.Context(), transport.Caller(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/import?done=cancelled", http.StatusSeeOther)
	return nil
}
