//go:build linux

package store

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
)

// served keeps, for the life of the process, one open file on each
// database it has locked, by device and inode. The file is never closed:
// closing any descriptor of a file drops every fcntl lock the process
// holds on it, and SQLite's own locks on the database are fcntl locks.
// Letting the claim go unlocks the file instead.
var served struct {
	sync.Mutex
	files map[[2]uint64]*os.File
	held  map[[2]uint64]bool
}

// lockServed takes an exclusive flock on the database file itself (made,
// owner only, when missing), so every name of it — a symbolic link, a
// relative path, a hard link — meets one lock. On Linux flock locks and
// SQLite's fcntl locks are independent of each other.
func lockServed(path string) (release func(), locked string, held bool, err error) {
	locked, err = canonical(path)
	if err != nil {
		return nil, path, false, err
	}
	served.Lock()
	defer served.Unlock()
	if served.files == nil {
		served.files, served.held = map[[2]uint64]*os.File{}, map[[2]uint64]bool{}
	}
	id, ok := fileID(locked)
	f := served.files[id]
	if !ok || f == nil {
		// Not O_NOFOLLOW: the database path may be a link; what is locked
		// is the file it names, which is the file SQLite opens.
		if f, err = os.OpenFile(locked, os.O_RDONLY|os.O_CREATE, 0o600); err != nil {
			return nil, locked, false, err
		}
		var st syscall.Stat_t
		if err := syscall.Fstat(int(f.Fd()), &st); err != nil {
			return nil, locked, false, fmt.Errorf("stat: %w", err)
		}
		id = [2]uint64{uint64(st.Dev), uint64(st.Ino)}
		if g := served.files[id]; g != nil {
			f = g // named another way since the stat: keep the one on record
		} else {
			served.files[id] = f
		}
	}
	if served.held[id] {
		return nil, locked, true, nil
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, locked, true, nil
		}
		return nil, locked, false, err
	}
	served.held[id] = true
	var once sync.Once
	return func() {
		once.Do(func() {
			served.Lock()
			defer served.Unlock()
			syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
			delete(served.held, id)
		})
	}, locked, false, nil
}

// fileID returns the device and inode of path, following links.
func fileID(path string) ([2]uint64, bool) {
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return [2]uint64{}, false
	}
	return [2]uint64{uint64(st.Dev), uint64(st.Ino)}, true
}
