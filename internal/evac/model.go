package evac

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// model is the input reduced to integers: households, departures sorted
// earliest first, and the missions whose minimum staff can bind.
type model struct {
	in      *Input
	hh      []household
	dep     []departure
	classes []class
	// allow[k] is how many essential people of binding mission k may leave.
	allow   []int32
	misCode []string
	// depIdx[j] is the index in in.Departures of departure j.
	depIdx  []int
	horizon int64
	// maxSeats is the largest departure.
	maxSeats int32
}

type household struct {
	id      string
	members []int32 // indices into in.People, sorted by person ID
	size    int32
	w       int64 // Σ weights of the members
	class   int32
	ess     []essCount // essential members per binding mission
}

type essCount struct {
	mission int32
	n       int32
}

type departure struct {
	id    string
	seats int32
	day   int64 // days after the start date
	c     int64 // horizon − day: the value of one unit of weight on it
}

// class is a set of households with the same nationalities, ready day
// and exit-document window, and so the same eligible departures.
type class struct {
	elig []int32 // eligible departures, earliest first
	// cands are the departures that admit the nationalities on or after
	// the ready day, before the exit documents are read.
	cands []int32
	// natOK, readyOK and docsOK tell which filter left elig empty, for
	// the reasons.
	natOK, readyOK, docsOK bool
}

// civil returns a date's day number, counting whole days since 1970-01-01.
func civil(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// Weight returns a person's weight w on the start date: 1, plus 0, 1, 3 or 7
// for medical level 0 to 3, plus 1 for a person younger than 18.
func Weight(p Person, start time.Time) int64 {
	w := int64(1) + [4]int64{0, 1, 3, 7}[min(max(p.Medical, 0), 3)]
	if !p.BirthDate.IsZero() {
		by, bm, bd := p.BirthDate.Date()
		sy, sm, sd := start.Date()
		age := sy - by
		if sm < bm || (sm == bm && sd < bd) {
			age--
		}
		if age < 18 {
			w++
		}
	}
	return w
}

// validate reports the first thing wrong with the input.
func validate(in *Input) error {
	start := civil(in.Start)
	seen := make(map[string]bool, len(in.People))
	for i, p := range in.People {
		switch {
		case p.ID == "":
			return fmt.Errorf("evac: person %d: empty id", i+1)
		case seen[p.ID]:
			return fmt.Errorf("evac: person %q: listed twice", p.ID)
		case p.Household == "":
			return fmt.Errorf("evac: person %q: empty household", p.ID)
		case p.Medical < 0 || p.Medical > 3:
			return fmt.Errorf("evac: person %q: medical level %d not in 0..3", p.ID, p.Medical)
		}
		seen[p.ID] = true
	}
	clear(seen)
	for i, d := range in.Departures {
		switch {
		case d.ID == "":
			return fmt.Errorf("evac: departure %d: empty id", i+1)
		case seen[d.ID]:
			return fmt.Errorf("evac: departure %q: listed twice", d.ID)
		case d.Seats < 1:
			return fmt.Errorf("evac: departure %q: %d seats, want at least 1", d.ID, d.Seats)
		case civil(d.Date) < start:
			return fmt.Errorf("evac: departure %q: leaves %s, before the start date %s",
				d.ID, d.Date.Format(time.DateOnly), in.Start.Format(time.DateOnly))
		}
		seen[d.ID] = true
	}
	clear(seen)
	for _, m := range in.Missions {
		switch {
		case seen[m.Code]:
			return fmt.Errorf("evac: mission %q: listed twice", m.Code)
		case m.MinStaff < 0:
			return fmt.Errorf("evac: mission %q: min_staff %d below 0", m.Code, m.MinStaff)
		}
		seen[m.Code] = true
	}
	return nil
}

// newModel validates the input and reduces it to a model.
//
// It stays whole: the departures, the missions whose staff can bind and
// the households are indexed in order, each from the ones before; read top
// to bottom, what each index assumes of the others stays in view.
func newModel(in *Input) (*model, error) {
	if err := validate(in); err != nil {
		return nil, err
	}
	m := &model{in: in, horizon: 1}
	start := civil(in.Start)

	// Departures, earliest first (ties by id).
	order := make([]int, len(in.Departures))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		da, db := civil(in.Departures[a].Date), civil(in.Departures[b].Date)
		if da != db {
			return int(da - db)
		}
		return strings.Compare(in.Departures[a].ID, in.Departures[b].ID)
	})
	depIn := make([]*Departure, len(order))
	for k, i := range order {
		d := &in.Departures[i]
		depIn[k] = d
		m.depIdx = append(m.depIdx, i)
		day := civil(d.Date) - start
		m.horizon = max(m.horizon, day+1)
		m.dep = append(m.dep, departure{id: d.ID, seats: int32(d.Seats), day: day})
		m.maxSeats = max(m.maxSeats, int32(d.Seats))
	}
	for j := range m.dep {
		m.dep[j].c = m.horizon - m.dep[j].day
	}

	// Missions whose minimum staff can bind: allowed to leave < essential.
	minStaff := make(map[string]int, len(in.Missions))
	for _, ms := range in.Missions {
		minStaff[ms.Code] = ms.MinStaff
	}
	essential := map[string]int{}
	for _, p := range in.People {
		if p.Essential {
			essential[p.Mission]++
		}
	}
	codes := make([]string, 0, len(essential))
	for code, e := range essential {
		if minStaff[code] > 0 && e > 0 {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	misIdx := make(map[string]int32, len(codes))
	for k, code := range codes {
		e := essential[code]
		misIdx[code] = int32(k)
		m.misCode = append(m.misCode, code)
		m.allow = append(m.allow, int32(e-min(minStaff[code], e)))
	}

	// Households, sorted by id; members sorted by person id.
	byHH := make(map[string][]int32)
	for i, p := range in.People {
		byHH[p.Household] = append(byHH[p.Household], int32(i))
	}
	ids := make([]string, 0, len(byHH))
	for id := range byHH {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	classIdx := map[string]int32{}
	var key strings.Builder
	for _, id := range ids {
		mem := byHH[id]
		slices.SortFunc(mem, func(a, b int32) int { return strings.Compare(in.People[a].ID, in.People[b].ID) })
		h := household{id: id, members: mem, size: int32(len(mem))}
		var nats []string
		ready := int64(-1 << 40)
		docs := window{lo: -farDay, hi: farDay}
		for _, pi := range mem {
			p := &in.People[pi]
			docs = docs.intersect(docWindow(p, start, in.PermitsRequired))
			h.w += Weight(*p, in.Start)
			nats = append(nats, p.Nationality)
			if !p.Ready.IsZero() {
				ready = max(ready, civil(p.Ready)-start)
			}
			if k, ok := misIdx[p.Mission]; ok && p.Essential {
				found := false
				for e := range h.ess {
					if h.ess[e].mission == k {
						h.ess[e].n++
						found = true
					}
				}
				if !found {
					h.ess = append(h.ess, essCount{mission: k, n: 1})
				}
			}
		}
		slices.SortFunc(h.ess, func(a, b essCount) int { return int(a.mission - b.mission) })
		slices.Sort(nats)
		nats = slices.Compact(nats)
		key.Reset()
		if docs.blocked {
			docs.lo, docs.hi = 0, -1
		}
		fmt.Fprintf(&key, "%d|%d|%d|%s", ready, docs.lo, docs.hi, strings.Join(nats, " "))
		k, ok := classIdx[key.String()]
		if !ok {
			k = int32(len(m.classes))
			classIdx[key.String()] = k
			m.classes = append(m.classes, newClass(depIn, m.dep, nats, ready, docs))
		}
		h.class = k
		m.hh = append(m.hh, h)
	}
	return m, nil
}

// newClass lists the departures that admit every nationality in nats,
// leave on or after the ready day and on a day the exit documents allow.
func newClass(depIn []*Departure, dep []departure, nats []string, ready int64, docs window) class {
	var c class
	for j, d := range depIn {
		if len(d.Eligible) > 0 {
			ok := true
			for _, n := range nats {
				if !slices.Contains(d.Eligible, n) {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
		}
		c.natOK = true
		if dep[j].day < ready {
			continue
		}
		c.readyOK = true
		c.cands = append(c.cands, int32(j))
		if !docs.allows(dep[j].day) {
			continue
		}
		c.docsOK = true
		c.elig = append(c.elig, int32(j))
	}
	return c
}
