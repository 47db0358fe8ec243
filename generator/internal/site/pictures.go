package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/markdown"
	"github.com/otpress/otpress/generator/internal/render"

	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/picture"
	"github.com/otpress/otpress/generator/internal/publish"
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

// placed says whether a photo, read as data, records where it was taken,
// and names it so that the editor knows: its published copies leave that
// out, as they leave out the camera, its author and any comment
// (picture.Strip); the pixels are as they were.
func (b *builder) placed(name string, data []byte) bool {
	if info, err := picture.Probe(data); err != nil || !info.GPS {
		return false
	}
	b.placeWarning(name)
	return true
}

func (b *builder) placeWarning(name string) {
	b.probs.Add(diag.Warnf(name, 0, 0, "this photo records where it was taken; the published copies leave it out").
		WithHint("nothing to do for the site; to keep the place out of other copies you share, turn off location in the camera app"))
}

// copyOwn publishes a file of the site's own, in static/ or beside a page
// (not an SVG file, which is checked first): a picture without its
// metadata (placed), a text file minified, any other as it is. A picture
// with copies is not published itself (hidden), unless the site keeps
// originals. A warm build links the last build's copy instead when stat
// says the file is as that build read it (readFiles) and the copy is as
// it was left, so that a site's photos, audio and documents are not read
// again every build; a photo that records where it was taken is named all
// the same (the items shelf holds a record under placeKey of its sha256).
func (b *builder) copyOwn(out, name string, hidden bool) {
	w := b.warm
	photo := isPhoto(name)
	var fi fs.FileInfo
	if b.readsKnown() {
		fi, _ = fs.Stat(b.fsys, name) // before it is read: a change after, the next build sees
	}
	if fi != nil {
		if sum, ok := b.knownFile(name, fi); ok && (hidden || b.relink(w, out, copyFP(w, out, sum))) {
			if photo && w.items.hold(placeKey(sum)) {
				b.placeWarning(name)
			}
			return
		}
	}
	fail := func(err error) {
		if err != nil && !b.staticClash(name, out, err) {
			b.fail(fmt.Errorf("copy %s: %w", name, err))
		}
	}
	if !photo && (fi == nil || publish.MediaType(out) == "") {
		// as it is, summed as it is copied
		ownFilesRead.Add(1)
		if err := b.pub.Copy(out, b.fsys, name); err != nil {
			fail(err)
			return
		}
		if sum, ok := b.pub.Sum(out); ok && fi != nil {
			b.readFile(name, fi, sum)
			b.recordFile(w, out, copyFP(w, out, sum))
		}
		return
	}
	data, err := fs.ReadFile(b.fsys, name)
	if err != nil {
		b.fail(fmt.Errorf("copy %s: %w", name, err))
		return
	}
	ownFilesRead.Add(1)
	write := func() error { return b.pub.Write(out, data) }
	if photo {
		write = func() error {
			stripped, _ := picture.Strip(data)
			return b.pub.Write(out, stripped)
		}
	}
	if fi == nil {
		if photo {
			b.placed(name, data)
		}
		if !hidden {
			fail(write())
		}
		return
	}
	sum := sha256.Sum256(data)
	b.readFile(name, fi, sum)
	if photo && b.placed(name, data) {
		w.items.put(placeKey(sum), []byte{1})
	}
	if !hidden {
		fail(b.keepOrWrite(w, out, copyFP(w, out, sum), write))
	}
}

// copyFP is what a copy of a site's file is recorded by in a build that
// keeps its pages: where it goes, the sha256 of the file, how copies are
// made and the settings (minifying).
func copyFP(w *warm, out string, sum [32]byte) [32]byte {
	h := sha256.New()
	h.Write(w.settings[:])
	fmt.Fprintf(h, "%s\n%s\n", copyVersion, out)
	h.Write(sum[:])
	var fp [32]byte
	h.Sum(fp[:0])
	return fp
}

// placeKey is the key of the record that says a photo with this sha256
// records where it was taken.
func placeKey(sum [32]byte) [32]byte {
	return sha256.Sum256(append([]byte("a photo that records where it was taken\n"), sum[:]...))
}

// ownFilesRead counts the site's own files that copyOwn and pictureSum
// read (not known by stat), for tests.
var ownFilesRead atomic.Int64

// copyVersion changes when copies are made differently, so that warm
// builds and the preview make them again.
const copyVersion = "picture copies 2"

// copiesMade counts the pictures whose copies were made (not kept from
// the last run), for tests.
var copiesMade atomic.Int64

// coverPicture is a picture the build makes copies of: an item's own, or
// one shown in a text.
type coverPicture struct {
	path, file string // site path and file in the site
	// where it is first used, for a problem making the copies (set once:
	// texts are rendered in parallel)
	used              sync.Once
	usedIn            string
	usedLine, usedCol int
	copies            []render.Copy
	started           atomic.Bool // its copies are being made
	// og is an item's picture's crop for link previews (1200×630), cut
	// from the copy ogFrom around focus (across, down: 0 to 1); nil for
	// a picture only texts show
	og     *render.Copy
	ogFrom render.Copy
	focus  [2]float64
	// tag is the hash fingerprinted copies' names carry (fingerprint =
	// true): of the picture's bytes and how copies are made; "" else
	tag string
	sum *[32]byte // the picture's sha256, when worked out for its tag
}

// usedAt records where the picture is used, if nowhere is yet.
func (p *coverPicture) usedAt(file string, line, col int) {
	p.used.Do(func() { p.usedIn, p.usedLine, p.usedCol = file, line, col })
}

// pictureCopies works out the copies of a JPEG or PNG file of the site
// (known by its first bytes, whatever its name says) at site path sp,
// shown at w×h: registered, once a build, to be made (makeCopies), and
// their view. ok is false for a picture that gets none: a WebP, whose
// colours x/image/webp reads too pale to copy, a GIF, one of another
// host, one already small.
func (b *builder) pictureCopies(sp, file string, w, h int) (p *coverPicture, v render.Picture, ok bool) {
	if w <= 0 || h <= 0 || file == "" || !isPhoto(sp) || !strings.HasPrefix(sp, "/") || strings.Contains(sp, "://") {
		return nil, v, false
	}
	if old, ok := b.copies.Load(file); ok {
		p = old.(*coverPicture)
		return p, pictureView(p), true
	}
	// a picture of few bytes for its pixels (flat art, a drawing, a
	// screenshot) is left as it is: scaled, its edges would take more
	fi, err := fs.Stat(b.fsys, file)
	if err != nil || fi.Size()*16 < int64(w)*int64(h) {
		return nil, v, false
	}
	head, err := readHead(b.fsys, file, 8)
	if err != nil {
		return nil, v, false
	}
	ext := ".jpg"
	switch {
	case bytes.HasPrefix(head, []byte("\xff\xd8")):
	case bytes.HasPrefix(head, []byte("\x89PNG")):
		ext = ".png"
	default:
		return nil, v, false
	}
	p = &coverPicture{path: sp, file: file}
	stem := strings.TrimSuffix(sp, path.Ext(sp))
	if b.cfg.Fingerprint {
		sum, err := b.pictureSum(file)
		if err != nil {
			return nil, v, false // published as it is; staticFiles reports what cannot be read
		}
		q := b.cfg.Pictures
		tag := sha256.Sum256(fmt.Appendf(nil, "%s q%d w%d %x", copyVersion, q.Quality, q.WebPQuality, sum))
		p.tag, p.sum = hex.EncodeToString(tag[:])[:publish.HashLen], &sum
		stem += "." // cup.320.0123456789.jpg: the width, then the hash, which ends every fingerprinted name
	}
	for _, cw := range picture.Sizes(w, picture.Widths) {
		_, ch := picture.Size(w, h, cw)
		p.copies = append(p.copies, render.Copy{Path: copyName(stem, cw, p.tag, ext), Width: cw, Height: ch},
			render.Copy{Path: copyName(stem, cw, p.tag, ".webp"), Width: cw, Height: ch})
	}
	old, _ := b.copies.LoadOrStore(file, p)
	p = old.(*coverPicture)
	return p, pictureView(p), true
}

// copyName is the site path of a picture's copy w pixels wide:
// /images/cup.320.jpg, or with the picture's tag (fingerprint = true)
// /images/cup.320.0123456789.jpg.
func copyName(stem string, w int, tag, ext string) string {
	if tag == "" {
		return fmt.Sprintf("%s.%d%s", stem, w, ext)
	}
	return fmt.Sprintf("%s%d.%s%s", stem, w, tag, ext)
}

// pictureView is the renderer's view of a picture's copies.
func pictureView(p *coverPicture) render.Picture {
	var v render.Picture
	for i := 0; i+1 < len(p.copies); i += 2 {
		c, wc := p.copies[i], p.copies[i+1]
		v.Copies = append(v.Copies, c)
		v.WebP = append(v.WebP, wc)
		if c.Width <= 960 || v.Src == "" {
			v.Src = c.Path // the widest up to 960: for browsers without srcset and for packs
		}
		if c.Width <= 1280 || v.OG.Path == "" {
			v.OG = c // link previews: 1200 pixels wide is what they ask for
		}
	}
	return v
}

// covers works out the copies of the items' own pictures (JPEG and PNG
// files of the site's) from their sizes as shown, tells the renderer
// of them for the pages' srcset, and starts making them beside the pages
// (makeCopies). It returns the wait for them.
func (b *builder) covers() (wait func()) {
	views := map[string]render.Picture{}
	for _, it := range b.lib.Items {
		img := it.Image
		if img == nil || views[img.Path].Src != "" || !strings.HasPrefix(img.Path, "/") {
			continue
		}
		file := rootFile(b.fsys, img.Path)
		if it.Bundle && strings.HasPrefix(img.Path, it.Path) {
			file = path.Join(it.Dir, strings.TrimPrefix(img.Path, it.Path))
		}
		if img.Width > 0 && img.Width < render.CardPictureWidth && !b.quick { // a preview's quick run gave it already
			b.probs.Add(diag.Warnf(it.File, img.Line, img.Col, "the picture %q is %d pixels wide; cards in lists stretch it to %d, where it looks blurred", img.Src, img.Width, render.CardPictureWidth).
				WithHint("use a picture at least %d pixels wide, so it is sharp on phones and high-resolution screens too", 2*render.CardPictureWidth))
		}
		// the size as shown is the item's (PictureSize read it; 0 when it
		// could not, and warned: published as it is)
		p, v, ok := b.pictureCopies(img.Path, file, img.Width, img.Height)
		if !ok {
			continue
		}
		p.usedAt(it.File, img.Line, img.Col)
		if p.og == nil {
			b.linkPreview(p, img.Focus)
		}
		v.OG = *p.og
		views[img.Path] = v
	}
	// the podcast's cover art, shown on episodes' cards and above the
	// list of episodes (the feed gives podcast apps the original)
	if img := b.cfg.Podcast.Image; strings.HasPrefix(img, "/") && hasPodcast(b.lib) {
		file := rootFile(b.fsys, img)
		if w, h, err := content.PictureSize(b.fsys, file); err == nil && file != "" {
			if p, v, ok := b.pictureCopies(img, file, w, h); ok {
				l, c := b.cfg.At("podcast.image")
				p.usedAt(config.File, l, c)
				views[img] = v
			}
		}
	}
	b.rnd.SetPictures(views)
	return b.makeCopies()
}

// linkPreview plans p's crop for link previews: 1200×630 (as wide as the
// picture when narrower), cut from the narrowest copy at least 1200
// pixels wide (or the widest) around focus ("30% 40%"; the centre when
// "").
func (b *builder) linkPreview(p *coverPicture, focus string) {
	p.focus = [2]float64{0.5, 0.5}
	var x, y int
	if _, err := fmt.Sscanf(focus, "%d%% %d%%", &x, &y); err == nil {
		p.focus = [2]float64{float64(x) / 100, float64(y) / 100}
	}
	for i := 0; i < len(p.copies); i += 2 { // the JPEG or PNG ones, narrowest first
		if p.ogFrom = p.copies[i]; p.ogFrom.Width >= picture.OGWidth {
			break
		}
	}
	w, h := picture.OGSize(p.ogFrom.Width)
	name := strings.TrimSuffix(p.path, path.Ext(p.path)) + ".og.jpg"
	if p.tag != "" {
		tag := sha256.Sum256(fmt.Appendf(nil, "%s og %d at %v", p.tag, p.ogFrom.Width, p.focus))
		name = publish.Fingerprinted(name, hex.EncodeToString(tag[:]))
	}
	p.og = &render.Copy{Path: name, Width: w, Height: h}
}

// makeCopies starts making, on all cores, the copies of the pictures
// registered and not yet started, each planned by the picture's bytes: a
// warm build or a Session's run that finds the same bytes keeps the
// copies the last one made. It returns the wait for them.
func (b *builder) makeCopies() (wait func()) {
	var pics []*coverPicture
	b.copies.Range(func(_, v any) bool {
		if p := v.(*coverPicture); p.started.CompareAndSwap(false, true) {
			pics = append(pics, p)
		}
		return true
	})
	if len(pics) == 0 {
		return func() {}
	}
	slices.SortFunc(pics, func(x, y *coverPicture) int { return strings.Compare(x.file, y.file) })
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

// hiddenOriginals are the picture files whose copies are published
// instead of them: every picture with copies, unless the site keeps
// originals or something else than a picture of a page leads to the file
// (a link to it, the logo, the podcast's cover art).
func (b *builder) hiddenOriginals() map[string]bool {
	hidden := map[string]bool{}
	if b.cfg.Pictures.KeepOriginals {
		return hidden
	}
	linked := map[string]bool{b.cfg.Link(b.cfg.Logo): true, b.cfg.Link(b.cfg.Podcast.Image): true}
	switch {
	case b.links != nil:
		for _, r := range b.links.refs {
			if !r.image {
				h, _, _ := strings.Cut(r.href, "#")
				linked[h] = true
			}
		}
		if b.kept != nil {
			b.kept.linked = linked
		}
	case b.kept != nil: // a Session's quick run gathers no links: the last full run's
		linked = b.kept.linked
	}
	b.copies.Range(func(k, v any) bool {
		if !linked[b.cfg.Link(v.(*coverPicture).path)] {
			hidden[k.(string)] = true
		}
		return true
	})
	return hidden
}

// textPicture is a text's Doc.Picture (markdownDoc): the size a picture
// written in the text of a file in dir is shown at, and the copies of a
// JPEG or PNG of the site's, which are made with the others
// (makeCopies).
func (b *builder) textPicture(file, dir string, bundle *content.Item) func(dest string, line, col int) (markdown.Picture, error) {
	size := b.pictureSize(dir)
	return func(dest string, line, col int) (markdown.Picture, error) {
		w, h, err := size(dest)
		if err != nil || w == 0 {
			return markdown.Picture{Width: w, Height: h}, err
		}
		target, _ := pictureTarget(dest) // size read it
		var sp, name string
		switch {
		case strings.HasPrefix(target, "/"):
			sp, name = target, rootFile(b.fsys, target)
		case bundle != nil && strings.HasPrefix(path.Join(dir, target), bundle.Dir+"/"):
			sp, name = bundle.Path+strings.TrimPrefix(path.Join(dir, target), bundle.Dir+"/"), path.Join(dir, target)
		}
		p, v, ok := b.pictureCopies(sp, name, w, h)
		if !ok {
			return markdown.Picture{Width: w, Height: h}, nil
		}
		p.usedAt(file, line, col)
		if b.kept != nil { // for a run that keeps this text as rendered
			m, _ := b.kept.textPictures.LoadOrStore(file, &sync.Map{})
			m.(*sync.Map).Store(p.file, p)
		}
		return b.rnd.TextPicture(v, w, h), nil
	}
}

// writeCopies writes one picture's copies, made only when one of them is
// not already where the last run left it.
func (b *builder) writeCopies(p *coverPicture) {
	var sum [32]byte
	var err error
	if p.sum != nil {
		sum = *p.sum
	} else if sum, err = b.pictureSum(p.file); err != nil {
		b.fail(err)
		return
	}
	q := b.cfg.Pictures
	var once sync.Once
	var made map[string][]byte
	var makeErr error
	// copyOf gives the copy w pixels wide of type ext, made (every width at
	// once) the first time one is asked for
	copyOf := func(w int, ext string) ([]byte, error) {
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
			return nil, diag.Errorf(p.usedIn, p.usedLine, p.usedCol, "the picture %s cannot be made smaller for readers: %v", p.file, makeErr).
				WithHint("open it and save it again as JPEG or PNG")
		}
		out, ok := made[fmt.Sprintf("%d%s", w, ext)]
		if !ok {
			return nil, fmt.Errorf("picture %s: no copy %d pixels wide", p.file, w)
		}
		return out, nil
	}
	for _, c := range p.copies {
		rel := strings.TrimPrefix(c.Path, "/")
		if !b.makesFile(rel) {
			continue
		}
		key := sha256.Sum256(fmt.Appendf(nil, "%s %d %s q%d w%d %x", copyVersion, c.Width, path.Ext(rel), q.Quality, q.WebPQuality, sum))
		if err := b.putMade(rel, key, func() ([]byte, error) { return copyOf(c.Width, path.Ext(rel)) }); err != nil {
			b.fail(err)
			return
		}
	}
	if og := p.og; og != nil && b.makesFile(strings.TrimPrefix(og.Path, "/")) { // the crop for link previews, from a copy
		rel := strings.TrimPrefix(og.Path, "/")
		key := sha256.Sum256(fmt.Appendf(nil, "%s og %d from %d%s at %v q%d %x", copyVersion, og.Width, p.ogFrom.Width, path.Ext(p.ogFrom.Path), p.focus, q.Quality, sum))
		err := b.putMade(rel, key, func() ([]byte, error) {
			from, err := copyOf(p.ogFrom.Width, path.Ext(p.ogFrom.Path))
			if err != nil {
				return nil, err
			}
			return picture.Crop(from, og.Width, og.Height, p.focus[0], p.focus[1], q.Quality)
		})
		if err != nil {
			b.fail(err)
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
	if sum, ok := b.knownFile(file, fi); ok {
		return sum, nil
	}
	data, err := fs.ReadFile(b.fsys, file)
	if err != nil {
		return [32]byte{}, err
	}
	ownFilesRead.Add(1)
	sum := sha256.Sum256(data)
	b.readFile(file, fi, sum)
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

// sameOriginals says whether a Session's quick run hides the originals
// the last full run hid; when it does not, the run gives way to a full one,
// which copies the static files.
func (b *builder) sameOriginals() bool {
	return b.kept.hidden == nil || maps.Equal(b.hiddenOriginals(), b.kept.hidden)
}

// textPictureFiles are the picture files with copies a text showed when
// last rendered.
func (b *builder) textPictureFiles(file string) []string {
	var out []string
	if m, ok := b.kept.textPictures.Load(file); ok {
		m.(*sync.Map).Range(func(k, _ any) bool {
			out = append(out, k.(string))
			return true
		})
	}
	slices.Sort(out)
	return out
}

// keptTextPictures registers the pictures with copies of the texts a
// Session's run keeps as the last one rendered them (every one but those
// of the files changed, which are rendered again), so that their copies
// stay in the plan.
func (b *builder) keptTextPictures(changed map[string]bool) {
	b.kept.textPictures.Range(func(k, v any) bool {
		if changed[k.(string)] {
			b.kept.textPictures.Delete(k)
			return true
		}
		v.(*sync.Map).Range(func(file, kept any) bool {
			old := kept.(*coverPicture)
			p := &coverPicture{path: old.path, file: old.file, copies: old.copies}
			p.usedAt(old.usedIn, old.usedLine, old.usedCol)
			b.copies.LoadOrStore(file, p)
			return true
		})
		return true
	})
}
