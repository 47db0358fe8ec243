//go:build !linux

package site

import "io/fs"

// statOf is what stat said of a file (readFiles): elsewhere than on
// Linux, nothing this package trusts, so every content file is read.
func statOf(fs.FileInfo) (fileStat, bool) { return fileStat{}, false }
