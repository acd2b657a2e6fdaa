package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/evac"
)

// instance is one planning problem as the CSV files of gen.py hold it
// (missions.csv, people.csv, departures.csv, restrictions.csv).
type instance struct {
	missions     []map[string]string
	people       []map[string]string
	departures   []map[string]string
	restrictions []map[string]string
}

func readCSV(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = false
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var rows []map[string]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		row := make(map[string]string, len(head))
		for i, h := range head {
			row[h] = rec[i]
		}
		rows = append(rows, row)
	}
}

func writeCSV(path string, cols []string, rows []map[string]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(cols)
	rec := make([]string, len(cols))
	for _, r := range rows {
		for i, c := range cols {
			rec[i] = r[c]
		}
		w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func loadInstance(dir string) (*instance, error) {
	var in instance
	var err error
	for _, x := range []struct {
		name string
		dst  *[]map[string]string
	}{
		{"missions.csv", &in.missions}, {"people.csv", &in.people},
		{"departures.csv", &in.departures}, {"restrictions.csv", &in.restrictions},
	} {
		if *x.dst, err = readCSV(filepath.Join(dir, x.name)); err != nil {
			return nil, err
		}
	}
	return &in, nil
}

func (in *instance) save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := []struct {
		name string
		cols []string
		rows []map[string]string
	}{
		{"missions.csv", []string{"code", "name", "country", "kind", "status", "min_staff"}, in.missions},
		{"people.csv", []string{"id", "household", "given_name", "family_name", "nationality", "mission",
			"category", "birth_date", "essential", "medical", "status", "since", "ready", "passport"}, in.people},
		{"departures.csv", []string{"id", "route", "departs", "seats", "crossing", "eligible"}, in.departures},
		{"restrictions.csv", []string{"id", "kind", "crossing", "starts", "ends", "days", "note", "source"}, in.restrictions},
	}
	for _, f := range files {
		if err := writeCSV(filepath.Join(dir, f.name), f.cols, f.rows); err != nil {
			return err
		}
	}
	return nil
}

func date(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.DateOnly, s[:min(len(s), 10)])
}

// planInput builds the planner's input the way gen.py's plan_instance
// does: people in_country at the end of the day before start, departures
// on or after start whose crossing is open on their day.
func (in *instance) planInput(start time.Time) (evac.Input, []evac.Excluded, error) {
	pin := evac.Input{Start: start}
	dayBefore := start.AddDate(0, 0, -1).Format(time.DateOnly)
	for _, m := range in.missions {
		n, err := strconv.Atoi(m["min_staff"])
		if err != nil {
			return pin, nil, fmt.Errorf("mission %s: min_staff: %w", m["code"], err)
		}
		pin.Missions = append(pin.Missions, evac.Mission{Code: m["code"], MinStaff: n})
	}
	for _, p := range in.people {
		if p["status"] != "in_country" || p["since"] > dayBefore {
			continue
		}
		med, err := strconv.Atoi(p["medical"])
		if err != nil {
			return pin, nil, fmt.Errorf("person %s: medical: %w", p["id"], err)
		}
		bd, err1 := date(p["birth_date"])
		ready, err2 := date(p["ready"])
		if err1 != nil || err2 != nil {
			return pin, nil, fmt.Errorf("person %s: bad date", p["id"])
		}
		pin.People = append(pin.People, evac.Person{
			ID: p["id"], Household: p["household"], Nationality: p["nationality"],
			Mission: p["mission"], Essential: p["essential"] == "true", Medical: med,
			BirthDate: bd, Ready: ready,
		})
	}
	var deps []evac.Departure
	for _, d := range in.departures {
		day, err := date(d["departs"])
		if err != nil {
			return pin, nil, fmt.Errorf("departure %s: %w", d["id"], err)
		}
		seats, err := strconv.Atoi(d["seats"])
		if err != nil {
			return pin, nil, fmt.Errorf("departure %s: seats: %w", d["id"], err)
		}
		deps = append(deps, evac.Departure{ID: d["id"], Date: day, Seats: seats,
			Crossing: d["crossing"], Eligible: strings.Fields(d["eligible"])})
	}
	var cls []evac.Closure
	for _, r := range in.restrictions {
		if r["kind"] != "border_closure" {
			continue
		}
		s, err1 := date(r["starts"])
		e, err2 := date(r["ends"])
		if err1 != nil || err2 != nil {
			return pin, nil, fmt.Errorf("restriction %s: bad date", r["id"])
		}
		cls = append(cls, evac.Closure{ID: r["id"], Crossing: r["crossing"], Starts: s, Ends: e})
	}
	usable, excluded := evac.UsableDepartures(start, deps, cls)
	pin.Departures = usable
	return pin, excluded, nil
}
