//go:build !unix

package store

// lockFile claims nothing where flock is not available: the one-server
// rule of SQLite is then the operator's to keep (docs/deploy.md).
func lockFile(string) (release func(), held bool, err error) {
	return func() {}, false, nil
}
