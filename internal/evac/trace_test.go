package evac

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

func TestTraceDual(t *testing.T) {
	in := loadDirForTrace(t)
	m, _ := newModel(&in)
	gs, _ := buildGroups(m)
	for _, sl := range []int{12, 30, 60, 120} {
		stallLimit = sl
		for _, it := range []int{400, 1000, 3000, 10000} {
			ds := newDualSearch(m, gs)
			ds.run(it, func() int64 { return 22198 }, nil)
			fmt.Println(sl, it, ds.best)
		}
	}
}

func loadDirForTrace(t *testing.T) Input {
	b, err := os.ReadFile("/tmp/in.json")
	if err != nil {
		t.Skip()
	}
	var in Input
	json.Unmarshal(b, &in)
	return in
}
