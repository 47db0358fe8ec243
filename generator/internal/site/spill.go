package site

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/otpress/otpress/generator/internal/search"
)

// spillName starts the name of the file in the cache folder where a
// Session's search index keeps the sentences results quote (search.Spill):
// about as many bytes as the site's text, which the preview need not hold
// in memory between edits.
const spillName = "preview"

// A spill is a Session's file for its search index's quotes, one for each
// full build.
type spill struct {
	f      *os.File
	named  bool // its name is still in the folder
	search *search.Spill
}

// openSpill makes a new spill file in the site's cache folder, its name
// removed at once where the system lets an open file live on without one
// (elsewhere at close, or by a later build's sweep after a preview killed
// outright). It returns nil when there is no place for one: the quotes
// then stay in memory.
func openSpill(siteDir string) *spill {
	dir := filepath.Join(siteDir, CacheDir)
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		if makeCacheDir(dir) != nil {
			return nil
		}
	}
	f, err := os.CreateTemp(dir, "."+spillName+"-*")
	if err != nil {
		return nil
	}
	return &spill{f: f, named: os.Remove(f.Name()) != nil, search: search.NewSpill(f)}
}

func (s *spill) close() {
	if s == nil {
		return
	}
	s.f.Close()
	if s.named {
		os.Remove(s.f.Name())
	}
}
