package evac

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"
)

func TestTraceDual(t *testing.T) {
	for _, f := range []string{"/tmp/in.json", "/tmp/kin.json"} {
		in := loadDirForTrace(t, f)
		m, _ := newModel(&in)
		gs, _ := buildGroups(m)
		for _, r := range []int{1, 2, 4, 8} {
			t0 := time.Now()
			_, _, b, a := solveDual(m, gs, r, 1e-3)
			fmt.Println(f, r, b, a.bids, time.Since(t0))
		}
	}
}

func loadDirForTrace(t *testing.T, f string) Input {
	b, err := os.ReadFile(f)
	if err != nil {
		t.Skip()
	}
	var in Input
	json.Unmarshal(b, &in)
	return in
}
