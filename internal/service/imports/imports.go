// Package imports is importing a file in the browser: an upload is checked
// as `outpost import` checks a file (every located problem, nothing
// written), then kept as a draft in the database while its owner reads
// the preview of what it will change, and committed (checked again, and
// written all or nothing) or cancelled. Drafts live in the database, not
// in a server's memory, so that any server of a post may take the commit.
package imports

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/importer"
	"github.com/outpost-org/outpost/internal/outpost"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/service/registry"
	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
)

// The bounds of an import in the browser.
const (
	// MaxUpload bounds an uploaded file: a mission's staff list or a
	// month of usage is far smaller; a bigger load is the command line's.
	MaxUpload = 4 << 20
	// DraftTTL is how long an uploaded file waits for its commit.
	DraftTTL = time.Hour
	// DraftsPerUser bounds the drafts one user keeps; an upload beyond it
	// drops their oldest.
	DraftsPerUser = 5
	// MaxPreviewRows bounds the rows a preview lists one by one (the
	// counts cover every row).
	MaxPreviewRows = 200
)

// uploadLimits bound the reading of an upload: its size, and the
// importer's defaults for the rest.
func uploadLimits() importer.Limits {
	return importer.Limits{MaxBytes: MaxUpload, MaxXLSXBytes: MaxUpload}
}

// Kinds lists every kind an import in the browser takes, in the order
// the page offers them.
var Kinds = []string{"people", "missions", "departures", "restrictions", "items", "stock", "usage"}

// Service imports files in the browser.
type Service struct {
	store outpost.Store
	// Now is the clock.
	Now func() time.Time
}

// New returns the service over store; now is the clock (time.Now when
// nil).
func New(store outpost.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, Now: now}
}

// May reports whether the caller may import files of kind at all (a
// mission-bound user imports their own mission's rows only).
func May(caller outpost.User, kind string) bool {
	switch kind {
	case "people":
		return caller.CanSome(registry.EditPeople)
	case "missions":
		return caller.Can(registry.EditMissions, "")
	case "departures", "restrictions":
		return caller.Can(evacuation.EditDepartures, "")
	case "items":
		// The catalogue serves every mission: the admin keeps it, as
		// with `outpost import items`.
		return caller.Can(outpost.ManageUsers, "")
	case "stock", "usage":
		return caller.CanSome(supplyservice.RecordStock)
	}
	return false
}

// mayImport answers EFORBIDDEN when the caller may not import files of
// kind at all.
func mayImport(caller outpost.User, kind string) error {
	if !May(caller, kind) {
		return outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not import %s", caller.Role, kind)
	}
	return nil
}

// Allowed lists the kinds the caller may import.
func Allowed(caller outpost.User) []string {
	var out []string
	for _, k := range Kinds {
		if May(caller, k) {
			out = append(out, k)
		}
	}
	return out
}

// Change is one changed column of a row: Old is "" for a new record.
type Change struct {
	Column string `json:"column"`
	Old    string `json:"old"`
	New    string `json:"new"`
}

// Row is one row of a preview.
type Row struct {
	Line int    `json:"line"`
	Key  string `json:"key"`
	// What is "new", "updated" or "unchanged".
	What    string   `json:"what"`
	Changes []Change `json:"changes,omitempty"`
}

// Preview is what committing a file will change.
type Preview struct {
	Draft   int64     `json:"draft"`
	Kind    string    `json:"kind"`
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
	New     int       `json:"new"`
	Updated int       `json:"updated"`
	// Unchanged rows are counted, not listed.
	Unchanged int `json:"unchanged"`
	// Rows lists the new and updated rows, MaxPreviewRows at most;
	// More counts the rest.
	Rows []Row `json:"rows"`
	More int   `json:"more"`
}

// Problems returns the located problems of a refused file, each as
// FILE:LINE: COLUMN: what is wrong (got "VALUE"), and how many more there
// were; nil when err is not a refused file.
func Problems(err error) ([]string, int) {
	var e *outpost.Error
	if !errors.As(err, &e) || e.Code != outpost.EINVALID || len(e.Details) == 0 {
		return nil, 0
	}
	return e.Details, e.More
}

// job is a file read and compared with the database, ready to write.
type job struct {
	preview Preview
	write   func(ctx context.Context) (outpost.ImportStats, error)
}

// Upload checks a file of kind as an import does and, when it is clean,
// keeps it as a draft of the caller and returns its preview. A file with
// problems returns an EINVALID error whose Details locate each (see
// Problems); nothing is kept.
func (s *Service) Upload(ctx context.Context, caller outpost.User, kind, name string, data []byte) (Preview, error) {
	if !slices.Contains(Kinds, kind) {
		return Preview{}, outpost.Errorf(outpost.EINVALID, "kind: must be one of %s (got %q)", strings.Join(Kinds, ", "), outpost.Clip(kind))
	}
	if err := mayImport(caller, kind); err != nil {
		return Preview{}, err
	}
	if len(data) > MaxUpload {
		return Preview{}, outpost.Errorf(outpost.EINVALID, "file: %d bytes, more than the %d an upload takes: import it with `outpost import %s`", len(data), MaxUpload, kind)
	}
	if len(data) == 0 {
		return Preview{}, outpost.Errorf(outpost.EINVALID, "file: choose a file to import")
	}
	name = cleanName(name)
	j, err := s.prepare(ctx, caller, kind, name, data)
	if err != nil {
		return Preview{}, err
	}
	now := s.Now()
	d, err := s.store.SaveImportDraft(ctx, outpost.ImportDraft{Owner: caller.Name, Kind: kind, Name: name, Created: now, Data: data},
		now.Add(-DraftTTL), DraftsPerUser)
	if err != nil {
		return Preview{}, fmt.Errorf("save import draft: %w", err)
	}
	j.preview.Draft, j.preview.Created, j.preview.Expires = d.ID, d.Created, d.Created.Add(DraftTTL)
	return j.preview, nil
}

// cleanName keeps the base name of an uploaded file, bounded, for
// messages (its extension chooses the format).
func cleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if len(name) > 100 {
		name = name[len(name)-100:]
	}
	if name == "" {
		name = "upload.csv"
	}
	return name
}

// draft returns a draft of the caller that has not expired; another
// user's draft is not found, as one that does not exist. A draft already
// committed is a conflict that says so.
func (s *Service) draft(ctx context.Context, caller outpost.User, id int64) (outpost.ImportDraft, error) {
	notFound := outpost.Errorf(outpost.ENOTFOUND, "no import %d: it was committed, cancelled or is more than an hour old; upload the file again", id)
	d, err := s.store.ImportDraft(ctx, id)
	if outpost.ErrorCode(err) == outpost.ENOTFOUND {
		return d, notFound
	}
	if err != nil {
		return d, fmt.Errorf("read import draft %d: %w", id, err)
	}
	if d.Owner != caller.Name {
		return outpost.ImportDraft{}, notFound
	}
	if !d.Committed.IsZero() {
		return d, s.committed(ctx, d)
	}
	if !s.Now().Before(d.Created.Add(DraftTTL)) {
		return outpost.ImportDraft{}, notFound
	}
	if err := mayImport(caller, d.Kind); err != nil {
		return outpost.ImportDraft{}, err
	}
	return d, nil
}

// Committed reports whether err answers a commit of a draft that was
// already committed (a second click, another tab): nothing was written
// again.
func Committed(err error) bool {
	var e *outpost.Error
	return errors.As(err, &e) && e.Code == outpost.ECONFLICT && errors.Is(e, errCommitted)
}

var errCommitted = errors.New("import draft already committed")

// committed is the answer to a draft that a commit has claimed.
func (s *Service) committed(ctx context.Context, d outpost.ImportDraft) error {
	at := d.Committed.Format("15:04")
	if loc, err := s.location(ctx); err == nil {
		at = d.Committed.In(loc).Format("15:04")
	}
	return &outpost.Error{Code: outpost.ECONFLICT, Err: errCommitted,
		Message: fmt.Sprintf("%s was already committed at %s (import %d): it is written once, and nothing was written again", d.Name, at, d.ID)}
}

// Preview reads a draft of the caller again and returns what committing
// it would change now.
func (s *Service) Preview(ctx context.Context, caller outpost.User, id int64) (Preview, error) {
	d, err := s.draft(ctx, caller, id)
	if err != nil {
		return Preview{}, err
	}
	j, err := s.prepare(ctx, caller, d.Kind, d.Name, d.Data)
	if err != nil {
		return Preview{}, err
	}
	j.preview.Draft, j.preview.Created, j.preview.Expires = d.ID, d.Created, d.Created.Add(DraftTTL)
	return j.preview, nil
}

// Commit writes a draft of the caller, all or nothing: the very file
// previewed, checked again against the database as it is now (a file
// that has become wrong, say a mission removed, is refused with its
// problems located). The commit first claims the draft, in one atomic
// statement, so that of several commits of it at once (a double click,
// two tabs, two servers) exactly one writes it; the others, and any
// later one, are told it was already committed. A write that fails
// gives the draft back, to be committed again.
func (s *Service) Commit(ctx context.Context, caller outpost.User, id int64) (Preview, outpost.ImportStats, error) {
	d, err := s.draft(ctx, caller, id)
	if err != nil {
		// The kind and name of a committed draft, for its answer.
		return Preview{Kind: d.Kind, Name: d.Name}, outpost.ImportStats{}, err
	}
	j, err := s.prepare(ctx, caller, d.Kind, d.Name, d.Data)
	if err != nil {
		return Preview{}, outpost.ImportStats{}, err
	}
	now := s.Now()
	claimed, err := s.store.ClaimImportDraft(ctx, d.ID, caller.Name, now, now.Add(-DraftTTL))
	if err != nil {
		return j.preview, outpost.ImportStats{}, fmt.Errorf("claim import draft %d: %w", d.ID, err)
	}
	if !claimed {
		// Another commit took it since it was read (or it expired).
		_, err := s.draft(ctx, caller, id)
		if err == nil {
			err = outpost.Errorf(outpost.ECONFLICT, "import %d is being committed by another request; reload the page", id)
		}
		return j.preview, outpost.ImportStats{}, err
	}
	st, err := j.write(outpost.WithActor(ctx, caller.Name))
	if err != nil {
		if rerr := s.store.ReleaseImportDraft(context.WithoutCancel(ctx), d.ID, caller.Name, now); rerr != nil {
			return j.preview, st, fmt.Errorf("%w (and the file could not be kept for another try: upload it again: %v)", err, rerr)
		}
		return j.preview, st, err
	}
	return j.preview, st, nil
}

// Cancel drops a draft of the caller; nothing is written.
func (s *Service) Cancel(ctx context.Context, caller outpost.User, id int64) error {
	d, err := s.draft(ctx, caller, id)
	if err != nil {
		return err
	}
	if err := s.store.DeleteImportDraft(ctx, d.ID, caller.Name); err != nil {
		return fmt.Errorf("remove import draft %d: %w", d.ID, err)
	}
	return nil
}

// location is the post's time zone.
func (s *Service) location(ctx context.Context) (*time.Location, error) {
	loc, err := censusservice.Location(ctx, s.store)
	if err != nil {
		return nil, fmt.Errorf("read location: %w", err)
	}
	return loc, nil
}

// file is the reading of one kind: its importer kind, each row's key
// and columns, the columns of what the database holds under a key (nil:
// nothing), and the write.
type file[T any] struct {
	kind    importer.Kind[T]
	key     func(T) string
	values  func(T) map[string]string
	current func(ctx context.Context, key string) (map[string]string, error)
	write   func(ctx context.Context, b outpost.Batch[T]) (outpost.ImportStats, error)
}

// read reads data as f's kind and compares every row with what the
// database holds.
func read[T any](ctx context.Context, f file[T], kind, name string, data []byte) (job, error) {
	opts := importer.Options{File: name, Context: ctx, Limits: uploadLimits()}
	rows, lines, err := importer.ReadAll(f.kind, bytes.NewReader(data), opts)
	if err != nil {
		return job{}, err
	}
	p := Preview{Kind: kind, Name: name, Rows: []Row{}}
	for i, v := range rows {
		r := Row{Line: lines[i], What: "new"}
		if f.key != nil {
			r.Key = f.key(v)
		}
		next := f.values(v)
		var old map[string]string
		if f.current != nil && r.Key != "" {
			if old, err = f.current(ctx, r.Key); err != nil {
				return job{}, err
			}
		}
		for _, c := range f.kind.Columns {
			n, ok := next[c]
			if !ok || (c == f.kind.Key && r.Key != "") {
				// The key names the row already.
				continue
			}
			if old == nil {
				if n != "" {
					r.Changes = append(r.Changes, Change{Column: c, New: n})
				}
			} else if o := old[c]; o != n {
				r.Changes = append(r.Changes, Change{Column: c, Old: o, New: n})
			}
		}
		switch {
		case old == nil:
			p.New++
		case len(r.Changes) > 0:
			r.What = "updated"
			p.Updated++
		default:
			p.Unchanged++
			continue
		}
		if len(p.Rows) < MaxPreviewRows {
			p.Rows = append(p.Rows, r)
		} else {
			p.More++
		}
	}
	write := func(ctx context.Context) (outpost.ImportStats, error) {
		b := outpost.Batch[T]{Rows: slices.Values(rows), Err: func() error { return nil }}
		st, err := f.write(ctx, b)
		var rp outpost.RowProblems
		if errors.As(err, &rp) {
			e := &outpost.Error{Code: outpost.EINVALID}
			for _, x := range rp {
				if len(e.Details) == importer.MaxShown {
					e.More++
					continue
				}
				e.Details = append(e.Details, fmt.Sprintf("%s:%d: %s: %s (got %s)", name, x.Line, x.Column, x.Message, strconv.Quote(x.Got)))
			}
			e.Message = fmt.Sprintf("%s: %d problems, nothing was imported", name, len(rp))
			return outpost.ImportStats{}, e
		}
		if err != nil {
			return st, fmt.Errorf("import %s: %w", kind, err)
		}
		return st, nil
	}
	return job{preview: p, write: write}, nil
}

// mine adds to a kind's Parse the check that the row's mission is one
// the caller may write: a row of another mission is a located problem.
func mine[T any](k importer.Kind[T], caller outpost.User, a outpost.Action, mission func(T) string) importer.Kind[T] {
	parse := k.Parse
	k.Parse = func(r *importer.Row) (T, bool) {
		v, ok := parse(r)
		if m := mission(v); m != "" && !caller.Can(a, m) {
			r.Problem("mission", m, "is not your mission: you may import the rows of "+caller.Mission+" only")
			ok = false
		}
		return v, ok
	}
	return k
}
