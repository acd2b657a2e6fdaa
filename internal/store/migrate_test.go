package store

import (
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// migrationSteps lists the steps of each dialect's folder under dir of
// fsys, by dialect, as the file names of the .sql steps in order.
func migrationSteps(fsys fs.FS, dir string) (map[string][]string, error) {
	dialects, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("list dialects: %w", err)
	}
	out := map[string][]string{}
	for _, d := range dialects {
		if !d.IsDir() {
			continue
		}
		entries, err := fs.ReadDir(fsys, dir+"/"+d.Name())
		if err != nil {
			return nil, fmt.Errorf("list %s steps: %w", d.Name(), err)
		}
		steps := []string{}
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".sql") {
				steps = append(steps, e.Name())
			}
		}
		out[d.Name()] = steps
	}
	return out, nil
}

// stepProblems says how the dialects' steps differ from one another's,
// and where a dialect numbers two steps alike or one without a number: a
// database migrated on one engine must have had the same steps, by number
// and name, as on the other, since schema_version records numbers only.
func stepProblems(steps map[string][]string) []string {
	var problems []string
	dialects := slices.Sorted(maps.Keys(steps))
	for _, d := range dialects {
		seen := map[int]string{}
		for _, name := range steps[d] {
			n, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s/%s: name does not start with a step number", d, name))
				continue
			}
			if other, ok := seen[n]; ok {
				problems = append(problems, fmt.Sprintf("%s: steps %s and %s have the same number", d, other, name))
			}
			seen[n] = name
		}
	}
	for i, a := range dialects {
		for _, b := range dialects[i+1:] {
			for _, name := range steps[a] {
				if !slices.Contains(steps[b], name) {
					problems = append(problems, fmt.Sprintf("%s/%s has no counterpart in %s", a, name, b))
				}
			}
			for _, name := range steps[b] {
				if !slices.Contains(steps[a], name) {
					problems = append(problems, fmt.Sprintf("%s/%s has no counterpart in %s", b, name, a))
				}
			}
		}
	}
	return problems
}

func TestMigrationDirectoriesListTheSameSteps(t *testing.T) {
	steps, err := migrationSteps(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []Dialect{SQLite, Postgres} {
		if len(steps[string(d)]) == 0 {
			t.Errorf("no migration steps for %s", d)
		}
	}
	for _, p := range stepProblems(steps) {
		t.Error(p)
	}
}

// The check above would notice a step missing, renamed or numbered twice.
func TestStepProblemsFindsStepsOutOfStep(t *testing.T) {
	file := &fstest.MapFile{Data: []byte("SELECT 1;")}
	both := fstest.MapFS{
		"m/sqlite/0001_a.sql":   file,
		"m/sqlite/0002_b.sql":   file,
		"m/postgres/0001_a.sql": file,
		"m/postgres/0002_b.sql": file,
		"m/postgres/README":     file,
	}
	for _, c := range []struct {
		name   string
		change func(fstest.MapFS)
		want   []string
	}{
		{"in step", func(fstest.MapFS) {}, nil},
		{"missing", func(m fstest.MapFS) { delete(m, "m/postgres/0002_b.sql") },
			[]string{"sqlite/0002_b.sql has no counterpart in postgres"}},
		{"added to one", func(m fstest.MapFS) { m["m/postgres/0003_c.sql"] = file },
			[]string{"postgres/0003_c.sql has no counterpart in sqlite"}},
		{"renamed", func(m fstest.MapFS) {
			delete(m, "m/sqlite/0002_b.sql")
			m["m/sqlite/0002_bee.sql"] = file
		}, []string{"sqlite/0002_bee.sql has no counterpart in postgres", "postgres/0002_b.sql has no counterpart in sqlite"}},
		{"numbered twice", func(m fstest.MapFS) {
			m["m/sqlite/0002_c.sql"] = file
			m["m/postgres/0002_c.sql"] = file
		}, []string{"postgres: steps 0002_b.sql and 0002_c.sql have the same number", "sqlite: steps 0002_b.sql and 0002_c.sql have the same number"}},
		{"no number", func(m fstest.MapFS) {
			m["m/sqlite/x.sql"] = file
			m["m/postgres/x.sql"] = file
		}, []string{"postgres/x.sql: name does not start with a step number", "sqlite/x.sql: name does not start with a step number"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for k, v := range both {
				fsys[k] = v
			}
			c.change(fsys)
			steps, err := migrationSteps(fsys, "m")
			if err != nil {
				t.Fatal(err)
			}
			got := stepProblems(steps)
			slices.Sort(got)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}
