package edit

import (
	"bytes"
	"errors"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

// overlay is the site's folder as it would be with one file holding data:
// what a save is checked against before it is written.
type overlay struct {
	fs.FS
	name string
	data []byte
}

func (o overlay) Open(name string) (fs.File, error) {
	if name == o.name {
		return &memFile{Reader: bytes.NewReader(o.data), info: o.info()}, nil
	}
	return o.FS.Open(name)
}

func (o overlay) ReadFile(name string) ([]byte, error) {
	if name == o.name {
		return slices.Clone(o.data), nil
	}
	return fs.ReadFile(o.FS, name)
}

func (o overlay) Stat(name string) (fs.FileInfo, error) {
	if name == o.name {
		return o.info(), nil
	}
	fi, err := fs.Stat(o.FS, name)
	if err != nil && strings.HasPrefix(o.name, name+"/") {
		return dirInfo(path.Base(name)), nil // a new bundle's folder
	}
	return fi, err
}

// ReadDir lists a folder, the file among its entries (a new page's
// folder, too, in its parent's).
func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	es, err := fs.ReadDir(o.FS, name)
	if err != nil && (name != path.Dir(o.name) || !errors.Is(err, fs.ErrNotExist)) {
		return nil, err
	}
	if dir := path.Dir(o.name); name == dir {
		if !slices.ContainsFunc(es, func(e fs.DirEntry) bool { return e.Name() == path.Base(o.name) }) {
			es = append(es, fs.FileInfoToDirEntry(o.info()))
		}
	} else if rest, ok := cutDir(o.name, name); ok {
		if !slices.ContainsFunc(es, func(e fs.DirEntry) bool { return e.Name() == rest }) {
			es = append(es, fs.FileInfoToDirEntry(dirInfo(rest)))
		}
	}
	slices.SortFunc(es, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return es, nil
}

// cutDir says whether dir holds the file's folder, and the name in dir of
// the folder on the way to it.
func cutDir(file, dir string) (string, bool) {
	rest, ok := strings.CutPrefix(path.Dir(file), dir+"/")
	first, _, _ := strings.Cut(rest, "/")
	return first, ok
}

func (o overlay) info() fs.FileInfo {
	return fileInfo{name: path.Base(o.name), size: int64(len(o.data)), mode: 0o644}
}

func dirInfo(name string) fs.FileInfo { return fileInfo{name: name, mode: fs.ModeDir | 0o755} }

type fileInfo struct {
	name string
	size int64
	mode fs.FileMode
}

func (fi fileInfo) Name() string       { return fi.name }
func (fi fileInfo) Size() int64        { return fi.size }
func (fi fileInfo) Mode() fs.FileMode  { return fi.mode }
func (fi fileInfo) ModTime() time.Time { return time.Time{} }
func (fi fileInfo) IsDir() bool        { return fi.mode.IsDir() }
func (fi fileInfo) Sys() any           { return nil }

type memFile struct {
	*bytes.Reader
	info fs.FileInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }
