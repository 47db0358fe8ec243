package content

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/otpress/otpress/generator/internal/diag"
)

// MaxFileBytes is the largest content file (a page or a transcript) that
// is read. A longer one is a mistake, such as a picture or a database
// pasted into the text, and would make every build slow.
const MaxFileBytes = 2 << 20

// readFile reads a content file, refusing one that is too large or that is
// a symbolic link leading out of the site, with a problem an editor can act
// on.
func readFile(fsys fs.FS, p string) ([]byte, *diag.Problem) {
	if _, pr := statFile(fsys, p); pr != nil {
		return nil, pr
	}
	src, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, cannotRead(p, err)
	}
	return src, nil
}

// statFile is readFile's checks without the reading: what stat says of
// the file (of a link's target).
func statFile(fsys fs.FS, p string) (fs.FileInfo, *diag.Problem) {
	fi, err := fs.Lstat(fsys, p)
	if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if pr, _ := CheckLink(fsys, p); pr != nil {
			return nil, pr
		}
		fi, err = fs.Stat(fsys, p)
	}
	if err != nil {
		return nil, cannotRead(p, err)
	}
	if fi.IsDir() {
		return nil, diag.Errorf(p, 0, 0, "this is a folder where a file was expected").
			WithHint("rename the folder, or move the files in it up a level")
	}
	if fi.Size() > MaxFileBytes {
		pr := diag.Errorf(p, 0, 0, "the file is %s; a content file may be at most %d MB", sizeMB(fi.Size()), MaxFileBytes>>20)
		if strings.EqualFold(path.Ext(p), ".md") {
			return nil, pr.WithHint("split the text into several pages, and keep pictures, sound and data in files of their own next to the page rather than inside the text")
		}
		return nil, pr.WithHint("check that this is the right file: the transcript of a three-hour episode is under 1 MB")
	}
	return fi, nil
}

// cannotRead says why a file could not be read, without the Go error's
// repetition of the path.
func cannotRead(p string, err error) *diag.Problem {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrPermission) {
		return diag.Errorf(p, 0, 0, "cannot read the file: permission denied").
			WithHint("make it readable, e.g. chmod a+r %s, or ask whoever owns it", p)
	}
	return diag.Errorf(p, 0, 0, "cannot read the file: %v", err).
		WithHint("check that the file exists and that you may read it")
}

// CheckLink checks a path met while walking the site folder (for
// content/, static/ or a theme) that is, or lies in, a symbolic link:
// followed through every link, it must lead to something inside the site
// folder. It returns a problem for a link that leads outside, round in a
// circle or nowhere, and otherwise whether the path leads to a folder.
func CheckLink(fsys fs.FS, p string) (pr *diag.Problem, dir bool) {
	real, trouble, link := follow(fsys, p)
	target, _ := fs.ReadLink(fsys, link)
	this := "this is a symbolic link"
	if link != p {
		this = fmt.Sprintf("this is in %s, a symbolic link", link)
	}
	switch trouble {
	case linkOutside:
		return diag.Errorf(p, 0, 0, "%s to a place outside the site folder (%s), which otpress does not follow", this, target).
			WithHint("copy the file or folder into the site folder instead of linking to it; a link to something inside the site folder must be relative (ln -s ../shared/page.md)"), false
	case linkLoop:
		return diag.Errorf(p, 0, 0, "%s that leads back to itself", this).
			WithHint("delete the link, or point it at a file in the site folder"), false
	case linkMissing:
		if link == "" {
			return nil, false // no link: the path itself is missing, which is not for here
		}
		return diag.Errorf(p, 0, 0, "%s to %s, which does not exist", this, target).
			WithHint("delete the link, or point it at a file that exists"), false
	}
	fi, err := fs.Stat(fsys, real)
	return nil, err == nil && fi.IsDir()
}

type linkTrouble uint8

const (
	linkOK linkTrouble = iota
	linkOutside
	linkLoop
	linkMissing
)

// follow resolves a slash path in fsys one part at a time, following
// symbolic links, and returns the path it leads to inside fsys, or why it
// does not lead anywhere inside it, with the link at fault. A link to an
// absolute path leads out: fsys is the site folder, and an absolute path
// names a place on the computer, not in the site.
func follow(fsys fs.FS, name string) (real string, trouble linkTrouble, link string) {
	var done []string
	todo := strings.Split(name, "/")
	for hops := 0; len(todo) > 0; {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			if len(done) == 0 {
				return "", linkOutside, link
			}
			done = done[:len(done)-1]
			continue
		}
		cur := path.Join(path.Join(done...), c)
		fi, err := fs.Lstat(fsys, cur)
		if err != nil {
			return cur, linkMissing, link
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			done = append(done, c)
			continue
		}
		if link == "" {
			link = cur // the first link met is the one to name
		}
		if hops++; hops > 40 {
			return cur, linkLoop, link
		}
		target, err := fs.ReadLink(fsys, cur)
		if err != nil {
			return cur, linkMissing, link
		}
		if path.IsAbs(target) || filepath.IsAbs(target) || filepath.VolumeName(target) != "" {
			return "", linkOutside, link
		}
		todo = append(strings.Split(filepath.ToSlash(target), "/"), todo...)
	}
	return path.Join(done...), linkOK, link
}

// linkEntry decides what scan does with a symbolic link it meets: skip it
// with a problem, or (nil, false) to take it as the file it leads to.
func linkEntry(fsys fs.FS, p string) (*diag.Problem, bool) {
	pr, dir := CheckLink(fsys, p)
	if pr != nil {
		return pr, true
	}
	if dir {
		return diag.Warnf(p, 0, 0, "this is a symbolic link to a folder, which otpress does not follow; it is ignored").
			WithHint("move or copy the folder here instead of linking to it"), true
	}
	return nil, false
}

// sizeMB is a file size for messages.
func sizeMB(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }
