package site

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/picture"
)

// isPhoto says whether a file is a picture that may carry metadata: a
// JPEG, PNG or WebP by its name.
func isPhoto(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".png", ".webp":
		return true
	}
	return false
}

// copyPicture publishes a picture of the site's (in static/ or beside a
// page) without its metadata: the place it was taken, the camera, its
// author, a comment. Its pixels are as they were; a photo that recorded
// where it was taken is named, so the editor knows.
func (b *builder) copyPicture(out, name string) {
	data, err := fs.ReadFile(b.fsys, name)
	if err != nil {
		b.fail(fmt.Errorf("copy %s: %w", name, err))
		return
	}
	if info, err := picture.Probe(data); err == nil && info.GPS {
		b.probs.Add(diag.Warnf(name, 0, 0, "this photo records where it was taken; the published copy leaves that out").
			WithHint("nothing to do for the site; to keep the place out of other copies you share, turn off location in the camera app"))
	}
	data, _ = picture.Strip(data)
	if err := b.pub.Write(out, data); err != nil && !b.staticClash(name, out, err) {
		b.fail(fmt.Errorf("copy %s: %w", name, err))
	}
}
