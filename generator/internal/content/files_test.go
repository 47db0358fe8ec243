package content

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// TestLinksAndLimits: symbolic links under content/ are followed only to
// files inside the site; links out of it, in a circle or to nothing are
// refused at their file, a link to a folder is ignored with a warning, and
// a file over the size limit is refused unread.
func TestLinksAndLimits(t *testing.T) {
	link := func(target string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(target), Mode: fs.ModeSymlink | 0o777}
	}
	story := "---\ntitle: A\ndate: 2019-04-01\n---\nText.\n"
	fsys := fstest.MapFS{
		"shared/a.md":              {Data: []byte(story)},
		"shared/more/b.md":         {Data: []byte(story)},
		"content/stories/a.md":     link("../../shared/a.md"),
		"content/stories/via.md":   link("a.md"), // a link to a link inside
		"content/stories/out.md":   link("../../../outside.md"),
		"content/stories/abs.md":   link("/etc/passwd"),
		"content/stories/loop.md":  link("loop2.md"),
		"content/stories/loop2.md": link("loop.md"),
		"content/stories/gone.md":  link("nothing.md"),
		"content/stories/more":     link("../../shared/more"),
		"content/stories/big.md":   {Data: []byte(story + strings.Repeat("x", MaxFileBytes))},
	}
	lib, probs := Load(fsys, Options{})
	var got []string
	for _, p := range probs {
		got = append(got, p.Error())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		"content/stories/out.md: this is a symbolic link to a place outside the site folder (../../../outside.md)",
		"content/stories/abs.md: this is a symbolic link to a place outside the site folder (/etc/passwd)",
		"content/stories/loop.md: this is a symbolic link that leads back to itself",
		"content/stories/loop2.md: this is a symbolic link that leads back to itself",
		"content/stories/gone.md: this is a symbolic link to nothing.md, which does not exist",
		"content/stories/more: warning: this is a symbolic link to a folder, which otpress does not follow; it is ignored",
		"content/stories/big.md: the file is 2.0 MB; a content file may be at most 2 MB",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in:\n%s", want, all)
		}
	}
	var paths []string
	for _, it := range lib.Items {
		paths = append(paths, it.Path)
	}
	if strings.Join(paths, " ") != "/stories/a/ /stories/via/" {
		t.Errorf("items %v; want the two links inside the site", paths)
	}

	// content/ itself a link out of the site: nothing is read.
	out := fstest.MapFS{"content": link("../elsewhere/content")}
	if _, probs := Load(out, Options{}); len(probs) != 1 || !strings.Contains(probs[0].Error(), "content: this is a symbolic link to a place outside the site folder") {
		t.Errorf("content/ linked out of the site: %v", probs)
	}
}
