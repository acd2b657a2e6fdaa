package export

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// TempFile is the part of *os.File an output file is written through.
type TempFile interface {
	io.Writer
	Name() string
	Sync() error
	Close() error
}

// Files makes output files that appear whole or not at all: the bytes go
// to a temporary file beside the target, which is synced, closed and
// renamed over the target, and the folder is synced so the rename itself
// survives a crash. Every error on the way (write, sync, close, rename) is
// reported and leaves the target as it was. The zero value uses the
// operating system's files.
type Files struct {
	// CreateTemp makes the temporary file (os.CreateTemp when nil); tests
	// give one that fails as a full disk would.
	CreateTemp func(dir, pattern string) (TempFile, error)
	// Perm is the target's permission (0644 when zero).
	Perm os.FileMode
}

// File is an output file being written; Commit makes it the target,
// Abort (or a failed Commit) removes it.
type File struct {
	f      TempFile
	target string
	perm   os.FileMode
	err    error
	done   bool
	// direct is set for a target that is not a regular file: it is
	// written in place.
	direct bool
}

// Create starts writing the file name.
func (fs Files) Create(name string) (*File, error) {
	create := fs.CreateTemp
	if create == nil {
		create = func(dir, pattern string) (TempFile, error) { return os.CreateTemp(dir, pattern) }
	}
	perm := fs.Perm
	if perm == 0 {
		perm = 0o644
	}
	if real, err := filepath.EvalSymlinks(name); err == nil {
		// Replace what a link points to, not the link.
		name = real
	}
	if isDatabase(name) {
		return nil, fmt.Errorf("%s is a database: write the output to another file", name)
	}
	if st, err := os.Stat(name); err == nil && !st.Mode().IsRegular() {
		if st.IsDir() {
			return nil, fmt.Errorf("%s is a folder", name)
		}
		// A device or a pipe (/dev/stdout, a FIFO) cannot be replaced:
		// write to it directly, errors still reported.
		f, err := os.OpenFile(name, os.O_WRONLY, 0)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", name, unwrapPath(err))
		}
		return &File{f: f, target: name, direct: true}, nil
	}
	// The leading dot keeps the unfinished file out of listings and globs.
	f, err := create(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", name, unwrapPath(err))
	}
	return &File{f: f, target: name, perm: perm}, nil
}

// Write writes to the temporary file; the first error sticks and fails
// Commit.
func (o *File) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	n, err := o.f.Write(p)
	if err != nil {
		o.err = fmt.Errorf("write %s: %w", o.target, unwrapPath(err))
	}
	return n, o.err
}

// Commit syncs and closes the temporary file and renames it over the
// target. On any error the temporary file is removed and the target is
// left untouched.
func (o *File) Commit() error {
	if o.done {
		return errors.New("export: file already committed or aborted")
	}
	o.done = true
	err := o.err
	if err == nil && !o.direct {
		if e := o.f.Sync(); e != nil {
			err = fmt.Errorf("sync %s: %w", o.target, unwrapPath(e))
		}
	}
	if e := o.f.Close(); e != nil && err == nil {
		err = fmt.Errorf("close %s: %w", o.target, unwrapPath(e))
	}
	if o.direct {
		return err
	}
	if err == nil {
		if e := os.Chmod(o.f.Name(), o.perm); e != nil {
			err = fmt.Errorf("chmod %s: %w", o.target, unwrapPath(e))
		}
	}
	if err == nil {
		if e := os.Rename(o.f.Name(), o.target); e != nil {
			err = fmt.Errorf("rename to %s: %w", o.target, unwrapPath(e))
		}
	}
	if err != nil {
		os.Remove(o.f.Name())
		return err
	}
	if e := SyncDir(filepath.Dir(o.target)); e != nil {
		return fmt.Errorf("sync the folder of %s: %w", o.target, e)
	}
	return nil
}

// Abort removes the temporary file; after Commit it does nothing, so it
// can be deferred.
func (o *File) Abort() {
	if o.done {
		return
	}
	o.done = true
	o.f.Close()
	if !o.direct {
		os.Remove(o.f.Name())
	}
}

// WriteFile writes the file name with write, whole or not at all.
func (fs Files) WriteFile(name string, write func(io.Writer) error) error {
	f, err := fs.Create(name)
	if err != nil {
		return err
	}
	defer f.Abort()
	if err := write(f); err != nil {
		return err
	}
	return f.Commit()
}

// SyncDir syncs a folder, so that a file created or renamed in it is
// still there after a crash.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return unwrapPath(err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return unwrapPath(err)
	}
	return nil
}

// unwrapPath drops the temporary file's name from an *os.PathError: the
// person asked for the target, not for the temporary name.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// sqliteHeader begins every SQLite database file.
const sqliteHeader = "SQLite format 3\x00"

// isDatabase reports whether name is a SQLite database, or the journal,
// WAL or shared-memory file of one: an output file must never replace
// Outpost's own data because a --out was mistyped.
func isDatabase(name string) bool {
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if base, ok := strings.CutSuffix(name, suffix); ok && startsWithSQLite(base) {
			return true
		}
	}
	return startsWithSQLite(name)
}

func startsWithSQLite(name string) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	_, err = io.ReadFull(f, head)
	return err == nil && string(head) == sqliteHeader
}
