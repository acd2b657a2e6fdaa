// Command peoplegen writes a synthetic registry for benchmarks:
// DIR/missions.csv and DIR/people.csv.
//
//	go run ./bench/peoplegen -n 1000000 -out bench/out
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/outpost-org/outpost/internal/synth"
)

func main() {
	n := flag.Int("n", 1_000_000, "people")
	missions := flag.Int("missions", 120, "missions")
	out := flag.String("out", "bench/out", "output folder")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	write := func(name string, fn func(f *os.File) error) {
		f, err := os.Create(filepath.Join(*out, name))
		if err == nil {
			err = fn(f)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	write("missions.csv", func(f *os.File) error { return synth.WriteMissions(f, *missions) })
	write("people.csv", func(f *os.File) error { return synth.WritePeople(f, *n, *missions, "P", *seed) })
}
