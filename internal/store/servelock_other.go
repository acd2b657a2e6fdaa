//go:build !unix

package store

// lockServed claims nothing where flock is not available: the one-server
// rule of SQLite is then the operator's to keep (docs/deploy.md).
func lockServed(path string) (release func(), locked string, held bool, err error) {
	return func() {}, path, false, nil
}
