package publish

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Marker is the file a build leaves in its output folder, so that the next
// build knows the folder is otpress's to replace.
const Marker = ".otpress-output"

const markerText = `This folder was written by otpress (generator build). Each build replaces
the whole folder: files of your own here are removed. Keep them in the
site's static/ folder, which every build copies in.
`

// RefusedError is an output folder that a build will not replace: it holds
// files otpress did not make, or it is or holds the site's own files. The
// command line reports it as wrong use, with the fix.
type RefusedError struct {
	Dir  string
	Msg  string
	Hint string
	// Forcible: --force (Options.Force) would let the build replace it.
	Forcible bool
}

func (e *RefusedError) Error() string { return e.Msg + "; fix: " + e.Hint }

// Problem is a failure to write the output, with what to do about it.
type Problem struct {
	Msg  string
	Hint string
	Err  error
}

func (e *Problem) Error() string { return e.Msg + ": " + errText(e.Err) }
func (e *Problem) Unwrap() error { return e.Err }

// errText is an error from the system without the path it repeats.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + " " + pe.Path + ": " + pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Op + " " + le.Old + ": " + le.Err.Error()
	}
	return err.Error()
}

// explain wraps a failure to write dir (the output folder) with a fix for
// the causes people meet: a full disk, a read-only disk, no permission.
func explain(msg, dir string, err error) error {
	if err == nil {
		return nil
	}
	var p *Problem
	if errors.As(err, &p) {
		return err
	}
	hint := ""
	switch {
	case errors.Is(err, syscall.ENOSPC):
		hint = "the disk is full: free some space (a build needs room for a second copy of the output while it writes) and build again"
	case errors.Is(err, syscall.EDQUOT):
		hint = "you have used your disk quota: free some space and build again"
	case errors.Is(err, syscall.EROFS):
		hint = fmt.Sprintf("%s is on a read-only disk: build into a folder on another disk with -d", dir)
	case errors.Is(err, fs.ErrPermission):
		hint = fmt.Sprintf("you may not write there: give yourself permission (chmod -R u+w %s and its parent folder) or build into another folder with -d", dir)
	case errors.Is(err, syscall.EBUSY):
		hint = fmt.Sprintf("%s is in use by the system (a mount point cannot be swapped): build into a folder inside it, such as -d %s", dir, filepath.Join(dir, "site"))
	default:
		hint = "check the disk and the folder's permissions, then build again"
	}
	return &Problem{Msg: msg, Hint: hint, Err: err}
}

// guard refuses an output folder that is not otpress's to replace: dest
// must be missing, an empty folder, or one that an otpress build made.
// dest is never the site folder or a folder holding it, never one of the
// folders a build reads (inputs), holding one or inside one, and never the
// user's home folder; force lets a build replace any other.
func guard(dest, site string, inputs []string, force bool) error {
	real := realPath(dest)
	home, _ := os.UserHomeDir()
	for i, p := range append([]string{site}, inputs...) {
		if p == "" {
			continue
		}
		what := "the site's own folder"
		if i > 0 {
			what = fmt.Sprintf("the site's %s folder", filepath.Base(p))
		}
		rp := realPath(p)
		if within(rp, real) {
			verb := "is"
			if rp != real {
				verb = "holds"
			}
			return &RefusedError{Dir: dest,
				Msg:  fmt.Sprintf("the output folder %s %s %s, which a build would delete", dest, verb, what),
				Hint: "build into a folder of its own, such as the site's public/ (the default); -d names it"}
		}
	}
	for _, p := range inputs {
		if within(real, realPath(p)) {
			return &RefusedError{Dir: dest,
				Msg:  fmt.Sprintf("the output folder %s is inside the site's %s folder, which the build reads: each build would take in the last one's output", dest, filepath.Base(p)),
				Hint: "build into a folder outside the site's content, themes, static and data folders, such as the site's public/ (the default)"}
		}
	}
	if home != "" && real == realPath(home) {
		return &RefusedError{Dir: dest, Msg: fmt.Sprintf("the output folder %s is your home folder, which a build would replace whole", dest),
			Hint: "build into a folder of its own, such as the site's public/ (the default)"}
	}
	fi, err := os.Lstat(dest)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return explain("read the output folder", dest, err)
	case fi.Mode()&fs.ModeSymlink != 0:
		to, _ := os.Readlink(dest)
		return &RefusedError{Dir: dest, Msg: fmt.Sprintf("the output folder %s is a symbolic link to %s; a build would replace the link, not the folder it leads to", dest, to),
			Hint: fmt.Sprintf("build into the folder itself: -d %s", real)}
	case !fi.IsDir():
		return &RefusedError{Dir: dest, Msg: fmt.Sprintf("the output %s is a file, not a folder; a build would replace it", dest),
			Hint: "name a folder with -d (a missing one is made)", Forcible: true}
	}
	entries, err := os.ReadDir(dest)
	if err != nil {
		return explain("read the output folder", dest, err)
	}
	if len(entries) == 0 || madeByUs(dest) || force {
		return nil
	}
	var names []string
	for _, e := range entries[:min(len(entries), 4)] {
		n := e.Name()
		if e.IsDir() {
			n += "/"
		}
		names = append(names, n)
	}
	held := strings.Join(names, ", ")
	if len(entries) > len(names) {
		held += fmt.Sprintf(" and %d more", len(entries)-len(names))
	}
	return &RefusedError{Dir: dest, Forcible: true,
		Msg:  fmt.Sprintf("the output folder %s holds files otpress did not make (%s), and a build replaces the whole folder", dest, held),
		Hint: "build into an empty or new folder with -d, or add --force to replace everything in it"}
}

// madeByUs reports whether an otpress build made the folder: it has the
// marker, or, from builds before the marker, a home page that says so.
func madeByUs(dir string) bool {
	if fi, err := os.Lstat(filepath.Join(dir, Marker)); err == nil && fi.Mode().IsRegular() {
		return true
	}
	f, err := os.Open(filepath.Join(dir, "index.html"))
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	return bytes.Contains(head[:n], []byte(`<meta name="generator" content="otpress `))
}

// realPath is p absolute with its symbolic links resolved, as far as it
// exists: the folders a missing path would be made in are resolved.
func realPath(p string) string {
	p, _ = filepath.Abs(p)
	var rest []string
	for {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(append([]string{r}, rest...)...)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(append([]string{p}, rest...)...)
		}
		rest = append([]string{filepath.Base(p)}, rest...)
		p = parent
	}
}

// within reports whether p is dir or inside it.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// shownPath rewrites the path in err from under abs to under shown, the
// same folder as the editor named it.
func shownPath(err error, abs, shown string) error {
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		return err
	}
	if rel, rerr := filepath.Rel(abs, pe.Path); rerr == nil && !strings.HasPrefix(rel, "..") {
		return &fs.PathError{Op: pe.Op, Path: filepath.Join(shown, rel), Err: pe.Err}
	}
	return err
}
