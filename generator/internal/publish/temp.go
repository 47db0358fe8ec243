package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// tempName is the name of a temporary folder a command makes in the
// system's temporary folder: the preview's site, check's throw-away build,
// pack export's build.
var tempName = regexp.MustCompile(`^otpress-(serve|check|export)-[0-9]+$`)

// tempMarker is the file TempDir puts in its folder once it holds the
// lock: Sweep removes only folders that have it, so never one that an
// otpress from before the locks (which took no lock) is still using.
const tempMarker = ".otpress-temp"

// Temp is a temporary folder a command works in, locked while it lives,
// so that Sweep in another process can tell it from one whose command was
// killed.
type Temp struct {
	Dir  string
	lock *os.File
}

// TempDir makes a locked temporary folder for a command of the given
// kind (serve, check or export) in the system's temporary folder. Close
// removes it.
func TempDir(kind string) (*Temp, error) {
	began := time.Now()
	for range 3 {
		dir, err := os.MkdirTemp("", "otpress-"+kind+"-")
		if err != nil {
			return nil, explain("create a temporary folder", os.TempDir(), err)
		}
		lock, err := LockDir(dir)
		if err != nil {
			os.RemoveAll(dir)
			return nil, explain("lock a temporary folder", dir, err)
		}
		// a Sweep that began before this folder was made leaves it alone;
		// should one have taken it between the two calls above anyway,
		// make another
		if same(lock, dir) {
			if err := os.WriteFile(filepath.Join(dir, tempMarker), nil, 0o644); err != nil {
				os.RemoveAll(dir)
				return nil, explain("create a temporary folder", dir, err)
			}
			sweep(os.TempDir(), dir, began)
			return &Temp{Dir: dir, lock: lock}, nil
		}
		if lock != nil {
			lock.Close()
		}
	}
	return nil, fmt.Errorf("create a temporary folder in %s: it was removed as it was made, three times", os.TempDir())
}

// same reports whether the locked folder is still the one at dir.
func same(lock *os.File, dir string) bool {
	if lock == nil {
		_, err := os.Stat(dir)
		return err == nil
	}
	a, err1 := lock.Stat()
	b, err2 := os.Stat(dir)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}

// Close removes the folder and lets go of its lock.
func (t *Temp) Close() error {
	err := os.RemoveAll(t.Dir)
	if t.lock != nil {
		t.lock.Close()
		t.lock = nil
	}
	return err
}

// Sweep removes the temporary folders that commands killed before their
// end left in the system's temporary folder: only names of TempDir's
// making holding its marker, last changed before now, and not locked by a
// command still running. Every command calls it, through TempDir or Begin.
func Sweep() { sweep(os.TempDir(), "", time.Now()) }

func sweep(dir, mine string, began time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if !e.IsDir() || !tempName.MatchString(e.Name()) || p == mine {
			continue
		}
		if fi, err := os.Lstat(filepath.Join(p, tempMarker)); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		removeUnlocked(p, began)
	}
}

// removeUnlocked removes a temporary folder of a command that has ended
// without removing it: last changed before began (less staleAge), and not
// locked. Failures are ignored: the folder is only in the way.
func removeUnlocked(p string, began time.Time) {
	fi, err := os.Lstat(p)
	if err != nil || !fi.IsDir() || !fi.ModTime().Before(began.Add(-staleAge)) {
		return
	}
	lock, err := LockDir(p)
	if err != nil {
		return // a command is still working in it
	}
	_ = os.RemoveAll(p)
	if lock != nil {
		lock.Close()
	}
}
