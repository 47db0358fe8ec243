//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package publish

import (
	"io/fs"
	"path/filepath"
)

// removable reports a folder inside dir that cannot be read; other
// systems offer no cheap test of whether its entries may be removed.
func removable(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error { return err })
}

func removableFolder(dir string) error { return nil }
