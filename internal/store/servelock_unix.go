//go:build unix

package store

import (
	"errors"
	"os"
	"syscall"
)

// lockBeside takes an exclusive flock on the file DB.serve-lock beside
// the database's real path (symbolic links resolved), creating it owner
// only; held is true when another open file holds it. The lock file is
// opened without following a symbolic link, so one planted at its name
// cannot make the server create or lock a file elsewhere.
func lockBeside(path string) (release func(), locked string, held bool, err error) {
	real, err := canonical(path)
	if err != nil {
		return nil, path + ServeLockSuffix, false, err
	}
	locked = real + ServeLockSuffix
	f, err := os.OpenFile(locked, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, locked, false, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, locked, true, nil
		}
		return nil, locked, false, err
	}
	return func() { f.Close() }, locked, false, nil
}
