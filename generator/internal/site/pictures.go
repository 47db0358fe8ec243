package site

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/render"

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

// copyVersion changes when copies are made differently, so that warm
// builds and the preview make them again.
const copyVersion = "picture copies 2"

// copiesMade counts the pictures whose copies were made (not kept from
// the last run), for tests.
var copiesMade atomic.Int64

// coverPicture is an item's picture the build makes copies of.
type coverPicture struct {
	path, file string // site path and file in the site
	item       *content.Item
	copies     []render.Copy
}

// covers works out the copies of the items' own pictures (JPEG and PNG
// files of the site's) from their sizes as shown, tells the renderer
// of them for the pages' srcset, and starts making them beside the pages,
// on all cores, each planned by the picture's bytes: a warm build or a
// Session's run that finds the same bytes keeps the copies the last one
// made. It returns the wait for them.
func (b *builder) covers() (wait func()) {
	seen := map[string]bool{}
	var pics []*coverPicture
	views := map[string]render.Picture{}
	for _, it := range b.lib.Items {
		img := it.Image
		if img == nil || seen[img.Path] || !isPhoto(img.Path) || !strings.HasPrefix(img.Path, "/") || strings.Contains(img.Path, "://") {
			continue
		}
		seen[img.Path] = true
		file := rootFile(b.fsys, img.Path)
		if it.Bundle && strings.HasPrefix(img.Path, it.Path) {
			file = path.Join(it.Dir, strings.TrimPrefix(img.Path, it.Path))
		}
		if img.Width <= 0 || img.Height <= 0 {
			continue // PictureSize could not read it and warned: published as it is
		}
		// the size as shown is the item's (PictureSize read it); the
		// format is the file's first bytes, whatever its name says
		head, err := readHead(b.fsys, file, 8)
		if err != nil {
			continue
		}
		ext := ".jpg"
		switch {
		case bytes.HasPrefix(head, []byte("\xff\xd8")):
		case bytes.HasPrefix(head, []byte("\x89PNG")):
			ext = ".png"
		default:
			continue // a WebP, whose colours x/image/webp reads too pale to copy, or a GIF
		}
		p := &coverPicture{path: img.Path, file: file, item: it}
		stem := strings.TrimSuffix(img.Path, path.Ext(img.Path))
		var v render.Picture
		for _, w := range picture.Sizes(img.Width, picture.Widths) {
			_, h := picture.Size(img.Width, img.Height, w)
			c := render.Copy{Path: fmt.Sprintf("%s.%d%s", stem, w, ext), Width: w, Height: h}
			wc := render.Copy{Path: fmt.Sprintf("%s.%d.webp", stem, w), Width: w, Height: h}
			p.copies = append(p.copies, c, wc)
			v.Copies = append(v.Copies, c)
			v.WebP = append(v.WebP, wc)
			if w <= 960 || v.Src == "" {
				v.Src = c.Path // the widest up to 960: for browsers without srcset and for packs
			}
			if w <= 1280 || v.OG.Path == "" {
				v.OG = c // link previews: 1200 pixels wide is what they ask for
			}
		}
		views[img.Path] = v
		pics = append(pics, p)
	}
	b.rnd.SetPictures(views)
	if len(pics) == 0 {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var wg sync.WaitGroup
		work := make(chan *coverPicture)
		for range min(runtime.GOMAXPROCS(0), len(pics)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for p := range work {
					b.safely(func() { b.writeCopies(p) })
				}
			}()
		}
		for _, p := range pics {
			work <- p
		}
		close(work)
		wg.Wait()
	}()
	return func() { <-done }
}

// writeCopies writes one picture's copies, made only when one of them is
// not already where the last run left it.
func (b *builder) writeCopies(p *coverPicture) {
	sum, err := b.pictureSum(p.file)
	if err != nil {
		b.fail(err)
		return
	}
	var once sync.Once
	var made map[string][]byte
	var makeErr error
	for _, c := range p.copies {
		rel := strings.TrimPrefix(c.Path, "/")
		q := b.cfg.Pictures
		key := sha256.Sum256(fmt.Appendf(nil, "%s %d %s q%d w%d %x", copyVersion, c.Width, path.Ext(rel), q.Quality, q.WebPQuality, sum))
		err := b.putMade(rel, key, func() ([]byte, error) {
			once.Do(func() {
				copiesMade.Add(1)
				var data []byte
				if data, makeErr = fs.ReadFile(b.fsys, p.file); makeErr != nil {
					return
				}
				var copies []picture.Copy
				_, copies, makeErr = picture.Make(data, picture.Options{Quality: q.Quality, WebP: picture.EncodeWebP, WebPQuality: q.WebPQuality})
				made = map[string][]byte{}
				for _, m := range copies {
					made[fmt.Sprintf("%d%s", m.Width, m.Ext)] = m.Data
				}
			})
			if makeErr != nil {
				return nil, diag.Errorf(p.item.File, p.item.Image.Line, p.item.Image.Col, "the picture %s cannot be made smaller for readers: %v", p.file, makeErr).
					WithHint("open it and save it again as JPEG or PNG")
			}
			out, ok := made[fmt.Sprintf("%d%s", c.Width, path.Ext(rel))]
			if !ok {
				return nil, fmt.Errorf("picture %s: no copy %d pixels wide", p.file, c.Width)
			}
			return out, nil
		})
		if err != nil {
			b.fail(err)
			return
		}
	}
}

// pictureSum is what a Session keeps of a picture file: its sha256, with
// the size and time that say it is the same file.
type pictureSum struct {
	size  int64
	mtime time.Time
	sum   [32]byte
}

// pictureSum is the sha256 of a picture file: a Session takes it from
// its last run while the file's size and time are the same, so an edit
// elsewhere does not read every picture again.
func (b *builder) pictureSum(file string) ([32]byte, error) {
	fi, err := fs.Stat(b.fsys, file)
	if err != nil {
		return [32]byte{}, err
	}
	if b.kept != nil {
		if v, ok := b.kept.pictures.Load(file); ok {
			if ps := v.(pictureSum); ps.size == fi.Size() && ps.mtime.Equal(fi.ModTime()) {
				return ps.sum, nil
			}
		}
	}
	data, err := fs.ReadFile(b.fsys, file)
	if err != nil {
		return [32]byte{}, err
	}
	sum := sha256.Sum256(data)
	if b.kept != nil {
		b.kept.pictures.Store(file, pictureSum{size: fi.Size(), mtime: fi.ModTime(), sum: sum})
	}
	return sum, nil
}

// readHead reads at most n bytes from the start of a file.
func readHead(fsys fs.FS, name string, n int) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, n)
	k, err := io.ReadFull(f, head)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return head[:k], err
}
