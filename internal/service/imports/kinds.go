package imports

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"strconv"
	"time"

	"github.com/outpost-org/outpost/internal/importer"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/service/registry"
	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
)

// prepare reads a file of kind for the caller and compares it with the
// database: the one place that chooses each kind's checks, rights and
// write.
func (s *Service) prepare(ctx context.Context, caller outpost.User, kind, name string, data []byte) (job, error) {
	if err := mayImport(caller, kind); err != nil {
		return job{}, err
	}
	switch kind {
	case "missions":
		return s.missions(ctx, name, data)
	case "people":
		return s.people(ctx, caller, name, data)
	case "departures":
		return s.departures(ctx, name, data)
	case "restrictions":
		return s.restrictions(ctx, name, data)
	case "items":
		return s.items(ctx, name, data)
	case "stock", "usage":
		return s.ledger(ctx, caller, kind, name, data)
	}
	return job{}, outpost.Errorf(outpost.EINVALID, "kind: unknown kind %q", outpost.Clip(kind))
}

// byKey returns the lookup of a listing by key.
func byKey(m map[string]map[string]string) func(context.Context, string) (map[string]string, error) {
	return func(_ context.Context, k string) (map[string]string, error) { return m[k], nil }
}

func (s *Service) missionSet(ctx context.Context) (func(string) bool, []outpost.Mission, error) {
	ms, err := s.store.Missions(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("read missions: %w", err)
	}
	known := make(map[string]bool, len(ms))
	for _, m := range ms {
		known[m.Code] = true
	}
	return func(c string) bool { return known[c] }, ms, nil
}

func (s *Service) missions(ctx context.Context, name string, data []byte) (job, error) {
	_, ms, err := s.missionSet(ctx)
	if err != nil {
		return job{}, err
	}
	loc, err := s.location(ctx)
	if err != nil {
		return job{}, err
	}
	// Each mission's status history, by since: a row's status_since is
	// compared with the day the current status took effect.
	history := map[string][]outpost.MissionStatusChange{}
	if h, ok := s.store.(interface {
		MissionHistory(ctx context.Context, code string) ([]outpost.MissionStatusChange, error)
	}); ok {
		list, err := h.MissionHistory(ctx, "")
		if err != nil {
			return job{}, fmt.Errorf("read mission history: %w", err)
		}
		for _, c := range list {
			history[c.Mission] = append(history[c.Mission], c)
		}
	}
	cur := make(map[string]map[string]string, len(ms))
	for _, m := range ms {
		cur[m.Code] = registry.MissionValues(m)
		if h := history[m.Code]; len(h) > 0 {
			cur[m.Code]["status_since"] = sinceDay(h[len(h)-1].Since, loc)
		} else {
			cur[m.Code]["status_since"] = ""
		}
	}
	return read(ctx, file[outpost.Mission]{kind: importer.MissionsIn(loc),
		key: func(m outpost.Mission) string { return m.Code },
		values: func(m outpost.Mission) map[string]string {
			v := registry.MissionValues(m)
			if m.StatusSince.IsZero() {
				// Only a row that gives the date changes it.
				return v
			}
			v["status_since"] = sinceDay(m.StatusSince, loc)
			// A row whose status the mission already had then changes no
			// history (the import keeps the earlier entry): it agrees
			// with the record's day.
			var then *outpost.MissionStatusChange
			for i, c := range history[m.Code] {
				if !c.Since.After(m.StatusSince) {
					then = &history[m.Code][i]
				}
			}
			if then != nil && then.Status == m.Status {
				v["status_since"] = sinceDay(then.Since, loc)
			}
			return v
		},
		current: byKey(cur), write: s.store.ImportMissions}, "missions", name, data)
}

// sinceDay is a status's since as a missions file's status_since: the
// day in the post's zone, "" for a status held from the beginning.
func sinceDay(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return string(outpost.DateOf(t.In(loc)))
}

// personValues are the columns a people import compares: the record and
// the status it asserts.
func personValues(p outpost.Person) map[string]string {
	v := registry.PersonValues(p)
	v["status"] = string(p.Status)
	return v
}

func (s *Service) people(ctx context.Context, caller outpost.User, name string, data []byte) (job, error) {
	loc, err := s.location(ctx)
	if err != nil {
		return job{}, err
	}
	known, _, err := s.missionSet(ctx)
	if err != nil {
		return job{}, err
	}
	kind := importer.People(known, loc, s.Now())
	kind = mine(kind, caller, registry.EditPeople, func(p outpost.PersonRecord) string { return p.Mission })
	// The people the rows name, read in one pass over the file and a
	// query per chunk of ids, not one a row.
	rows, _, err := importer.ReadAll(importer.People(known, loc, s.Now()), bytes.NewReader(data),
		importer.Options{File: name, Context: ctx, Limits: uploadLimits()})
	if err != nil && outpost.ErrorCode(err) != outpost.EINVALID {
		return job{}, err
	}
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	if err != nil {
		// A file with problems yields no rows: look up its ids as
		// they come instead, so that every problem is still found.
		ids = nil
	}
	known2, lerr := s.store.PeopleByID(ctx, ids)
	if lerr != nil {
		return job{}, fmt.Errorf("read people: %w", lerr)
	}
	// A row whose id is a person the caller may not edit would move that
	// person: it is a problem of the row, worded as for an id in use.
	cur := map[string]map[string]string{}
	var lookErr error
	// The recorded exit documents, read once and only for a file that
	// has their columns.
	var recorded map[string]outpost.ExitDocuments
	docsOf := func(id string) (outpost.ExitDocuments, error) {
		if recorded == nil {
			var err error
			if recorded, err = s.store.AllExitDocuments(ctx); err != nil {
				return outpost.ExitDocuments{}, fmt.Errorf("read exit documents: %w", err)
			}
		}
		return recorded[id], nil
	}
	parse := kind.Parse
	kind.Parse = func(r *importer.Row) (outpost.PersonRecord, bool) {
		p, ok := parse(r)
		if p.ID == "" || !outpost.IsID(p.ID) || lookErr != nil {
			return p, ok
		}
		old, found := known2[p.ID]
		if !found && ids == nil {
			var err error
			old, err = s.store.Person(ctx, p.ID)
			switch {
			case outpost.ErrorCode(err) == outpost.ENOTFOUND:
			case err != nil:
				lookErr = fmt.Errorf("read person %s: %w", p.ID, err)
			default:
				found = true
			}
		}
		switch {
		case !found:
		case !caller.Can(registry.EditPeople, old.Mission):
			r.Problem("id", p.ID, "is already used by a person you may not edit: choose another id")
			ok = false
		default:
			cur[p.ID] = personValues(old)
			if p.Documents != nil {
				// The columns of the file, as recorded: what the import
				// would change there shows too.
				d, err := docsOf(p.ID)
				if err != nil {
					lookErr = err
				}
				maps.Copy(cur[p.ID], registry.ExitDocValues(d, p.DocColumns))
			}
		}
		return p, ok
	}
	j, err := read(ctx, file[outpost.PersonRecord]{kind: kind,
		key: func(p outpost.PersonRecord) string { return p.ID },
		values: func(p outpost.PersonRecord) map[string]string {
			v := personValues(p.Person)
			if p.Documents != nil {
				maps.Copy(v, registry.ExitDocValues(*p.Documents, p.DocColumns))
			}
			return v
		},
		current: byKey(cur), write: s.store.ImportPeople}, "people", name, data)
	if lookErr != nil {
		return job{}, lookErr
	}
	return j, err
}

func (s *Service) departures(ctx context.Context, name string, data []byte) (job, error) {
	loc, err := s.location(ctx)
	if err != nil {
		return job{}, err
	}
	list, err := s.store.Departures(ctx)
	if err != nil {
		return job{}, fmt.Errorf("read departures: %w", err)
	}
	cur := make(map[string]map[string]string, len(list))
	for _, d := range list {
		cur[d.ID] = evacuation.DepartureValues(d, loc)
	}
	return read(ctx, file[outpost.Departure]{kind: importer.Departures(loc),
		key:     func(d outpost.Departure) string { return d.ID },
		values:  func(d outpost.Departure) map[string]string { return evacuation.DepartureValues(d, loc) },
		current: byKey(cur), write: s.store.ImportDepartures}, "departures", name, data)
}

func (s *Service) restrictions(ctx context.Context, name string, data []byte) (job, error) {
	list, err := s.store.Restrictions(ctx)
	if err != nil {
		return job{}, fmt.Errorf("read restrictions: %w", err)
	}
	cur := make(map[string]map[string]string, len(list))
	for _, x := range list {
		cur[x.ID] = evacuation.RestrictionValues(x)
	}
	return read(ctx, file[outpost.Restriction]{kind: importer.Restrictions(),
		key: func(x outpost.Restriction) string { return x.ID }, values: evacuation.RestrictionValues,
		current: byKey(cur), write: s.store.ImportRestrictions}, "restrictions", name, data)
}

func itemValues(it outpost.Item) map[string]string {
	return map[string]string{"code": it.Code, "name": it.Name, "kind": string(it.Kind), "unit": it.Unit,
		"daily_per_person": strconv.FormatFloat(it.DailyPerPerson, 'f', -1, 64)}
}

func (s *Service) items(ctx context.Context, name string, data []byte) (job, error) {
	list, err := s.store.Items(ctx)
	if err != nil {
		return job{}, fmt.Errorf("read items: %w", err)
	}
	cur := make(map[string]map[string]string, len(list))
	for _, it := range list {
		cur[it.Code] = itemValues(it)
	}
	return read(ctx, file[outpost.Item]{kind: importer.Items(),
		key: func(it outpost.Item) string { return it.Code }, values: itemValues,
		current: byKey(cur), write: s.store.ImportItems}, "items", name, data)
}

func lotKey(mission, item, lot string) string { return mission + " " + item + " " + lot }

func (s *Service) ledger(ctx context.Context, caller outpost.User, kind, name string, data []byte) (job, error) {
	known, _, err := s.missionSet(ctx)
	if err != nil {
		return job{}, err
	}
	items, err := s.store.Items(ctx)
	if err != nil {
		return job{}, fmt.Errorf("read items: %w", err)
	}
	itemSet := make(map[string]bool, len(items))
	for _, it := range items {
		itemSet[it.Code] = true
	}
	item := func(c string) bool { return itemSet[c] }
	if kind == "usage" {
		k := mine(importer.Usage(known, item), caller, supplyservice.RecordStock, func(u outpost.Issue) string { return u.Mission })
		// Issues are appended, never keyed: every row is new.
		return read(ctx, file[outpost.Issue]{kind: k, values: func(u outpost.Issue) map[string]string {
			return map[string]string{"mission": u.Mission, "item": u.Item, "quantity": strconv.FormatFloat(u.Quantity, 'f', -1, 64),
				"date": string(u.Date), "note": u.Note}
		}, write: s.store.ImportUsage}, kind, name, data)
	}
	mission, _ := caller.Restrict(supplyservice.RecordStock, "")
	l, err := s.store.Ledger(ctx, outpost.LedgerFilter{Mission: mission})
	if err != nil {
		return job{}, fmt.Errorf("read stock: %w", err)
	}
	cur := make(map[string]map[string]string, len(l.Receipts))
	for _, r := range l.Receipts {
		exp := ""
		if !r.Expires.IsZero() {
			exp = r.Expires.String()
		}
		cur[lotKey(r.Mission, r.Item, r.Lot)] = map[string]string{"mission": r.Mission, "item": r.Item, "lot": r.Lot,
			"quantity": strconv.FormatFloat(r.Quantity, 'f', -1, 64), "received": r.Received.String(), "expires": exp}
	}
	k := mine(importer.Stock(known, item), caller, supplyservice.RecordStock, func(r outpost.Receipt) string { return r.Mission })
	return read(ctx, file[outpost.Receipt]{kind: k,
		key: func(r outpost.Receipt) string { return lotKey(r.Mission, r.Item, r.Lot) },
		values: func(r outpost.Receipt) map[string]string {
			return map[string]string{"mission": r.Mission, "item": r.Item, "lot": r.Lot,
				"quantity": strconv.FormatFloat(r.Quantity, 'f', -1, 64), "received": string(r.Received), "expires": string(r.Expires)}
		},
		current: byKey(cur), write: s.store.ImportStock}, kind, name, data)
}
