package export

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/outpost-org/outpost/internal/testkit"
)

func failOnClose(dir, pattern string) (TempFile, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return testkit.CloseFails{File: f}, nil
}

func TestFileAppearsWholeOrNotAtAll(t *testing.T) {
	write := func(w io.Writer) error {
		_, err := io.WriteString(w, "new contents")
		return err
	}
	t.Run("ok", func(t *testing.T) {
		dir := t.TempDir()
		name := filepath.Join(dir, "out.pdf")
		if err := (Files{Perm: 0o600}).WriteFile(name, write); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(name)
		st, _ := os.Stat(name)
		if string(b) != "new contents" || st.Mode().Perm() != 0o600 {
			t.Errorf("got %q with mode %v, want the contents with mode 0600", b, st.Mode().Perm())
		}
		if es := testkit.DirNames(t, dir); len(es) != 1 {
			t.Errorf("files left beside the target: %v", es)
		}
	})
	for _, tc := range []struct {
		name  string
		files Files
		write func(io.Writer) error
	}{
		{"close fails", Files{CreateTemp: failOnClose}, write},
		{"write fails", Files{}, func(w io.Writer) error {
			w.Write([]byte("half"))
			return errors.New("disk full")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, existed := range []bool{false, true} {
				dir := t.TempDir()
				name := filepath.Join(dir, "out.pdf")
				if existed {
					os.WriteFile(name, []byte("old"), 0o644)
				}
				if err := tc.files.WriteFile(name, tc.write); err == nil {
					t.Fatal("got no error")
				}
				b, err := os.ReadFile(name)
				switch {
				case existed && string(b) != "old":
					t.Errorf("the earlier file was changed: %q", b)
				case !existed && !os.IsNotExist(err):
					t.Errorf("a partial file was left: %q", b)
				}
				if es := testkit.DirNames(t, dir); len(es) != map[bool]int{false: 0, true: 1}[existed] {
					t.Errorf("temporary files left: %v", es)
				}
			}
		})
	}
	t.Run("/dev/full", func(t *testing.T) {
		if _, err := os.Stat("/dev/full"); err != nil {
			t.Skip("no /dev/full here")
		}
		if err := (Files{}).WriteFile("/dev/full", write); !errors.Is(err, syscall.ENOSPC) {
			t.Errorf("got %v, want no space left on device", err)
		}
	})
}
