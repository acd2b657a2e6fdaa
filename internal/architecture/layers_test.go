// Package architecture_test checks the layers of the project (see
// docs/architecture.md): the domain, internal/outpost, imports nothing of
// the project, and the JSON API and the web UI are siblings over the
// services, neither importing the other. It asks `go list -deps`, so it
// sees indirect imports too.
package architecture_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/outpost-org/outpost"

// deps returns every package pkg depends on, directly or not, itself
// included.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool to list the imports with")
	}
	out, err := exec.Command(gotool, "list", "-deps", "-f", "{{.ImportPath}}", pkg).Output()
	if err != nil {
		msg := err.Error()
		if ee, ok := err.(*exec.ExitError); ok {
			msg += ": " + string(ee.Stderr)
		}
		t.Fatalf("go list -deps %s: %s", pkg, msg)
	}
	return strings.Fields(string(out))
}

func TestTheDomainImportsNothingOfTheProject(t *testing.T) {
	domain := module + "/internal/outpost"
	for _, d := range deps(t, domain) {
		if d != domain && (d == module || strings.HasPrefix(d, module+"/")) {
			t.Errorf("%s depends on %s: the domain may import only the standard library and third-party packages", domain, d)
		}
	}
}

func TestTheAPIAndTheWebUIAreSiblings(t *testing.T) {
	api, web := module+"/internal/api", module+"/internal/web"
	for _, c := range []struct{ from, to string }{{web, api}, {api, web}} {
		if slices.Contains(deps(t, c.from), c.to) {
			t.Errorf("%s depends on %s: both are transports over internal/service; move what they share there or to internal/transport", c.from, c.to)
		}
	}
}
