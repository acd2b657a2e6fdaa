package testkit

import (
	"os"
	"syscall"
	"testing"
)

// DirNames lists the names in dir, failing the test when it cannot be
// read.
func DirNames(t testing.TB, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// CloseFails is a temporary file whose Close fails after the data went to
// the operating system, as a full disk or a network filesystem reports a
// lost write.
type CloseFails struct{ *os.File }

// Close closes the file and reports ENOSPC.
func (f CloseFails) Close() error {
	f.File.Close()
	return syscall.ENOSPC
}
