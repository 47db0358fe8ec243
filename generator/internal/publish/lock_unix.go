//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package publish

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// staleAge is how long ago a temporary folder must have last changed before
// a build may remove it. Here the lock tells a live build from a dead one,
// so any folder from before this build began will do.
const staleAge time.Duration = 0

// LockDir takes a lock on a folder without waiting: a build holds one on
// its temporary folder until it ends, and the system lets go of it when
// the process dies, even killed. It fails while another holds it.
func LockDir(dir string) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
