//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package publish

import (
	"io/fs"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// removable reports why the output folder dir could not be removed whole
// after a build has put its new output in place, before anything is
// touched: a folder inside it that cannot be read, or whose entries this
// user may not remove (read-only, owned by another user, immutable, or on
// a read-only disk).
func removable(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return removableFolder(p)
		}
		return nil
	})
}

// removableFolder reports why the entries of one folder could not be
// removed.
func removableFolder(dir string) error {
	if err := unix.Faccessat(unix.AT_FDCWD, dir, unix.W_OK|unix.X_OK, unix.AT_EACCESS); err != nil {
		return &fs.PathError{Op: "remove the files of", Path: dir, Err: err}
	}
	return nil
}
