package edit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/picture"
)

// maxPicture is the largest picture the editor takes: a phone's photo
// with room to spare. The build makes smaller copies for readers.
const maxPicture = 20 << 20

// pictureExt are the file endings of the pictures the editor takes, by
// the format picture.Probe finds in the bytes (never by the name given).
var pictureExt = map[string]string{"jpeg": ".jpg", "png": ".png", "gif": ".gif", "webp": ".webp"}

// upload takes a picture sent with a form for page file (one that is, or
// will be, at that path): it is checked as the build checks pictures,
// then saved beside the page under a plain name (a file already there is
// never replaced; the same bytes are used again), and the form's picture
// field names it. A problem is put at the field.
func (e *Editor) upload(r *http.Request, f *form, file string) {
	fl := f.field("image")
	if fl == nil || fl.Kept != "" || r.MultipartForm == nil || len(r.MultipartForm.File["image.upload"]) == 0 {
		return
	}
	h := r.MultipartForm.File["image.upload"][0]
	if h.Size == 0 && h.Filename == "" {
		return // no file chosen
	}
	src := sub(fl, "src")
	fail := func(format string, args ...any) {
		src.Probs = append(src.Probs, diag.Errorf("", 0, 0, format, args...).WithHint("choose a JPEG, PNG, WebP or GIF photo of up to %d MB", maxPicture>>20))
	}
	if h.Size > maxPicture {
		fail("the picture %q is %.1f MB, more than the editor takes", h.Filename, float64(h.Size)/(1<<20))
		return
	}
	in, err := h.Open()
	if err != nil {
		fail("the picture could not be read: %v", err)
		return
	}
	defer in.Close()
	data, err := io.ReadAll(io.LimitReader(in, maxPicture+1))
	if err != nil || len(data) > maxPicture {
		fail("the picture could not be read whole")
		return
	}
	info, err := picture.Probe(data)
	if errors.Is(err, picture.ErrFormat) {
		fail("%q is not a picture otpress can publish", h.Filename)
		return
	}
	if err != nil {
		fail("%v", err)
		return
	}
	name, err := e.keepPicture(file, h.Filename, pictureExt[info.Format], data)
	if err != nil {
		fail("the picture could not be saved: %v", err)
		return
	}
	src.Value = name
}

// keepPicture saves a picture beside a page file and returns the name the
// page gives it: its own name, made plain, in a bundle's folder; the
// page's name and its own beside a page of one file.
func (e *Editor) keepPicture(file, given, ext string, data []byte) (string, error) {
	stem := content.Slug(strings.TrimSuffix(path.Base(strings.ReplaceAll(given, "\\", "/")), path.Ext(given)))
	if stem == "" {
		stem = "picture"
	}
	dir := path.Dir(file)
	if base := path.Base(file); !strings.HasPrefix(base, "index.") {
		stem = content.Slug(strings.TrimSuffix(base, path.Ext(base))) + "-" + stem
	}
	for i := 1; i < 100; i++ {
		name := stem + ext
		if i > 1 {
			name = fmt.Sprintf("%s-%d%s", stem, i, ext)
		}
		old, err := fs.ReadFile(e.root.FS(), dir+"/"+name)
		if err == nil {
			if bytes.Equal(old, data) {
				return name, nil
			}
			continue
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		return name, e.writeFile(dir+"/"+name, data, true)
	}
	return "", fmt.Errorf("too many pictures named %s", stem)
}

// sub is the field of a Group with a key.
func sub(fl *field, key string) *field {
	for _, s := range fl.Sub {
		if s.Key == key {
			return s
		}
	}
	return nil
}

// needAlt puts a problem at a picture's text alternative when it has a
// file and no description: the build lets "" through for a decorative
// picture, but a form cannot tell "" from left empty, and a photo of a
// person's story is never decoration.
func needAlt(f *form) bool {
	fl := f.field("image")
	if fl == nil || fl.Kept != "" || sub(fl, "src").Value == "" || sub(fl, "alt").Value != "" {
		return false
	}
	alt := sub(fl, "alt")
	alt.Probs = append(alt.Probs, diag.Errorf("", 0, 0, "the picture has no text alternative").WithHint("say what the picture shows, for readers who cannot see it: Denis standing at his kitchen door"))
	return true
}
