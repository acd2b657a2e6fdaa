package evac

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

func TestStats(t *testing.T) {
	b, err := os.ReadFile("/tmp/kin.json")
	if err != nil {
		t.Skip()
	}
	var in Input
	json.Unmarshal(b, &in)
	m, _ := newModel(&in)
	gs, _ := buildGroups(m)
	arcs := 0
	for _, g := range gs {
		arcs += len(m.classes[g.class].elig)
	}
	nat := map[string]bool{}
	cl := 0
	for _, c := range m.classes {
		cl += len(c.elig)
	}
	_ = nat
	fmt.Println("hh", len(m.hh), "classes", len(m.classes), "groups", len(gs), "arcs", arcs, "classarcs", cl, "missions", len(m.allow))
}
