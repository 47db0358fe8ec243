package site

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/otpress/otpress/generator/internal/check"
	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/linkcheck"
	"github.com/otpress/otpress/generator/internal/markdown"
)

// MaxImageBytes is the size above which a picture is reported as too large
// for readers on phones and slow connections.
const MaxImageBytes = content.MaxImageBytes

// linkRef is a link or picture written in a content file.
type linkRef struct {
	file      string
	line, col int
	dest      string // as written
	href      string // as the page has it: a site address for internal links
	image     bool
}

// linkLog gathers the links of every Markdown file as they are rendered,
// once each (a section's introduction is rendered for each of its pages).
type linkLog struct {
	mu   sync.Mutex
	refs []linkRef
	seen map[linkDoc]bool
}

// linkDoc is a rendering's links by where the first was written and how
// many there are: a text rendered again adds none.
type linkDoc struct {
	file, dir string
	bundle    *content.Item
	line, col int
	n         int
}

// add records the links of one rendering of file, resolved in dir.
func (l *linkLog) add(file, dir string, bundle *content.Item, refs []linkRef) {
	if len(refs) == 0 {
		return
	}
	d := linkDoc{file: file, dir: dir, bundle: bundle, line: refs[0].line, col: refs[0].col, n: len(refs)}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.seen[d] {
		l.seen[d] = true
		l.refs = append(l.refs, refs...)
	}
}

// noteLinks records a rendered document's links, when links are checked.
func (b *builder) noteLinks(file, dir string, bundle *content.Item, links []markdown.Link) {
	if b.links == nil || len(links) == 0 {
		return
	}
	refs := make([]linkRef, len(links))
	for i, l := range links {
		refs[i] = linkRef{file: file, line: l.Line, col: l.Col, dest: l.Dest, href: b.resolveLink(dir, bundle, l.Dest), image: l.Image}
	}
	b.links.add(file, dir, bundle, refs)
}

// external reports whether href leaves the site: a scheme or "//host".
func external(href string) bool {
	if strings.HasPrefix(href, "//") {
		return true
	}
	i := strings.IndexAny(href, ":/?#")
	return i > 0 && href[i] == ':'
}

// checkLinks looks up every internal link and picture of the content in the
// finished output: the page or file must exist, a #part must name an id on
// that page, and a picture must exist and not be too large. A missing
// picture is always an error; the other problems are errors when strict
// (generator check) and warnings otherwise, so that a link to a page not
// yet written does not stop an editor's preview.
func (b *builder) checkLinks(strict bool) {
	sev := diag.Warning
	if strict {
		sev = diag.Error
	}
	var found []*diag.Problem // shown with their source lines
	add := func(p *diag.Problem) { found = append(found, p) }
	defer func() { b.probs.Add(withSource(b.fsys, found)...) }()
	ids := map[string][]string{} // page file in the output → its ids
	var pages []string           // every page address, for suggestions
	for _, it := range b.lib.Items {
		pages = append(pages, it.Path)
	}
	for _, th := range b.themes.Themes {
		pages = append(pages, th.Path())
	}
	for _, pg := range b.lib.Pages {
		pages = append(pages, pg.Path)
	}
	leftOut := map[string]*content.Item{} // pages left out for their dates, by address and by file
	for _, it := range slices.Concat(b.lib.Scheduled, b.lib.Expired) {
		leftOut[it.Path] = it
		leftOut["/"+strings.TrimPrefix(it.File, content.Dir+"/")] = it
	}
	// each address is looked up once, however many links lead to it
	type lookup struct {
		file, full string
		fi         os.FileInfo
		err        error
	}
	looked := map[string]lookup{}
	nearest := map[string]string{} // the hint for an address that is not there
	report := func(r linkRef, hint, format string, args ...any) {
		p := diag.Warnf(r.file, r.line, r.col, format, args...).WithHint("%s", hint)
		p.Severity = sev
		add(p)
	}
	downloadFiles := b.downloadFiles()
	withCopies := map[string]bool{} // pictures' site paths, without the base path
	b.copies.Range(func(_, v any) bool {
		withCopies[strings.TrimPrefix(v.(*coverPicture).path, "/")] = true
		return true
	})
	for _, r := range b.links.refs {
		if strings.HasPrefix(r.href, "#") && len(r.href) > 1 {
			// a part of the page the text is on: of that page's address
			if at := b.pageOfFile(r.file); at != "" {
				r.href = b.cfg.Link(at) + r.href
			}
		}
		if r.href == "" || strings.HasPrefix(r.href, "#") || external(r.href) {
			continue // other sites with --external
		}
		what := "link"
		if r.image {
			what = "picture"
		}
		outside := func() {
			if r.image { // a broken picture on the page, and in each pack's download: always an error
				add(diag.Errorf(r.file, r.line, r.col, "the picture %q leads outside the site", r.dest).
					WithHint("put the picture next to the page's file, or in static/, and name it without ../ past the content folder"))
				return
			}
			report(r, "link to a content file, such as ../stories/denis.md, or to a site address starting with /", "the link %q leads outside the site", r.dest)
		}
		if b.lang != nil && b.lang.shared[sharedPath(strings.TrimPrefix(r.href, b.cfg.RootPath()))] {
			continue // a file of the default language's output, at the root
		}
		base := b.cfg.BasePath
		if !strings.HasPrefix(r.href, base) {
			outside()
			continue
		}
		target, frag, _ := strings.Cut(r.href, "#")
		target, _, _ = strings.Cut(target, "?")
		rel, err := url.PathUnescape(strings.TrimPrefix(target, base))
		if err != nil {
			report(r, "write spaces as %20 and other special characters as they are, or rename the file", "the %s %q is not a valid address", what, r.dest)
			continue
		}
		if strings.Contains("/"+rel+"/", "/../") {
			outside()
			continue
		}
		st, seen := looked[rel]
		if !seen {
			st.file = rel
			if st.file == "" || strings.HasSuffix(st.file, "/") {
				st.file += "index.html"
			}
			st.full = filepath.Join(b.pub.Dir(), filepath.FromSlash(st.file))
			st.fi, st.err = os.Stat(st.full)
			if st.err == nil && st.fi.IsDir() {
				st.file = path.Join(st.file, "index.html")
				st.full = filepath.Join(st.full, "index.html")
				st.fi, st.err = os.Stat(st.full)
			}
			looked[rel] = st
		}
		file, full, fi, err := st.file, st.full, st.fi, st.err
		if _, ok := b.written.Load("/" + strings.TrimSuffix(file, "index.html")); err != nil && ok {
			continue // a page refused for problems of its own, reported already
		}
		if err != nil && b.downloads && downloadFiles[file] {
			continue // a pack's download, written once every link is found
		}
		if err != nil && r.image && withCopies[rel] {
			continue // a picture whose copies the page shows instead
		}
		if it := leftOut["/"+rel]; err != nil && it != nil && !r.image {
			if it.Expired {
				report(r, "readers who follow it find nothing there: remove the link, or give that page a later expires date (or none)",
					"the link %q goes to %s, which expired on %s", r.dest, it.Path, it.Expires.Format("2 January 2006"))
			} else {
				report(r, "readers who follow it find nothing there until then: add the link on that day, or give this page the same date",
					"the link %q goes to %s, which is scheduled for %s", r.dest, it.Path, it.Date.Format("2 January 2006"))
			}
			continue
		}
		if err != nil {
			hint, ok := nearest[rel]
			if !ok {
				hint = "link to a content file, such as ../stories/denis.md, or to a page's address, such as /stories/denis/"
				if near := diag.Nearest("/"+strings.TrimSuffix(rel, "index.html"), pages); near != "" {
					hint = fmt.Sprintf("did you mean %s? ", near) + hint
				}
				nearest[rel] = hint
			}
			if r.image { // a broken picture on the page: always an error
				add(diag.Errorf(r.file, r.line, r.col, "the picture %q was not found: the site has nothing at %s", r.dest, "/"+rel).
					WithHint("put the picture next to the page's file, or correct its name"))
				continue
			}
			report(r, hint, "the %s %q goes nowhere: the site has nothing at %s", what, r.dest, "/"+rel)
			continue
		}
		if r.image && fi.Size() > MaxImageBytes && !withCopies[rel] { // copies are made smaller
			p := diag.Warnf(r.file, r.line, r.col, "the picture %q is %s, too large for readers on phones and slow connections (over %s)", r.dest, sizeWords(fi.Size()), sizeWords(MaxImageBytes)).
				WithHint("resize it to the largest width it is shown at (about 1600 pixels) and save it as JPEG or WebP")
			add(p)
		}
		if frag == "" || !strings.HasSuffix(file, ".html") {
			continue
		}
		have, ok := ids[file]
		if !ok {
			if doc, err := os.ReadFile(full); err == nil {
				have = check.IDs(doc)
			}
			ids[file] = have
		}
		id, _ := url.PathUnescape(frag)
		if !slices.Contains(have, id) {
			hint := "link to a heading's id as shown in the page's address bar after choosing it, or remove the #part"
			if near := diag.Nearest(id, have); near != "" {
				hint = fmt.Sprintf("did you mean #%s? ", near) + hint
			}
			if strings.HasPrefix(r.dest, "#") {
				report(r, hint, "the link %q goes nowhere: its page, %s, has no part called #%s", r.dest, "/"+strings.TrimSuffix(rel, "index.html"), id)
			} else {
				report(r, hint, "the link %q goes to %s, which has no part called #%s", r.dest, "/"+strings.TrimSuffix(rel, "index.html"), id)
			}
		}
	}
}

// pageOfFile is the site path of the one page a content file's text is
// shown on: an item's, a standalone page's, a theme's or a pack's; "" for
// any other file (a section's introduction heads each page of its list).
func (b *builder) pageOfFile(file string) string {
	if it := b.byFile[file]; it != nil {
		return it.Path
	}
	for _, pg := range b.lib.Pages {
		if pg.File == file {
			return pg.Path
		}
	}
	for _, pk := range b.lib.Packs {
		if pk.File == file {
			return pk.Path
		}
	}
	for _, th := range b.themes.Themes {
		if th.Def != nil && th.Def.File == file {
			return th.Path()
		}
	}
	return ""
}

// sizeWords writes a file size for people: "1.4 MB", "820 KB".
func sizeWords(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (n+1023)/1024)
}

// checkExternal asks other sites about the content's links to them, and
// the web addresses of sources: a page that is gone (404, 410) is an error;
// a server that fails or does not answer in time is a warning, since it may
// be down for a moment.
func (b *builder) checkExternal(ctx context.Context, o linkcheck.Options) {
	type at struct {
		file      string
		line, col int
		dest      string
	}
	where := map[string][]at{}
	var urls []string
	add := func(u string, a at) {
		if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
			return
		}
		if where[u] == nil {
			urls = append(urls, u)
		}
		where[u] = append(where[u], a)
	}
	for _, r := range b.links.refs {
		if external(r.href) {
			add(r.href, at{r.file, r.line, r.col, r.dest})
		}
	}
	for _, it := range b.lib.Items {
		for _, s := range it.Sources {
			add(s.Work.URL, at{s.Work.File, s.Work.URLPos.Line, s.Work.URLPos.Col, s.Work.URL})
		}
	}
	for _, res := range linkcheck.Check(ctx, urls, o) {
		if res.Verdict == linkcheck.OK {
			continue
		}
		for _, a := range where[res.URL] {
			p := diag.Warnf(a.file, a.line, a.col, "the link to %s may be broken: %s", res.URL, res.Detail).
				WithHint("open it in a browser; if it works, the site may refuse automatic checks, and you can leave it")
			if res.Verdict == linkcheck.Broken {
				p = diag.Errorf(a.file, a.line, a.col, "the link to %s is broken: %s", res.URL, res.Detail).
					WithHint("find the page's new address, link to an archived copy (web.archive.org), or remove the link")
			}
			b.probs.Add(p)
		}
	}
}

// pictureTarget is the path a picture's destination names, without its
// #part or ?query and unescaped; ok is false for a picture elsewhere
// (another host, a data: URL) or an address that cannot be read.
func pictureTarget(dest string) (target string, ok bool) {
	if dest == "" || strings.Contains(dest, ":") || strings.HasPrefix(dest, "//") {
		return "", false
	}
	target, _, _ = strings.Cut(dest, "#")
	target, _, _ = strings.Cut(target, "?")
	target, err := url.PathUnescape(target)
	return target, err == nil
}

// pictureFile is the size of one picture file, read once a build.
type pictureFile struct {
	once sync.Once
	w, h int
	err  error
}

// pictureSize gives the size of a picture that Markdown in dir (a content
// folder) shows, for its width and height attributes: from the file next
// to the page, or for a root-relative one from static/, content/ or the
// theme's static/, the same files the build copies. A picture elsewhere or
// missing has no size here (the link check reports a missing one).
func (b *builder) pictureSize(dir string) func(dest string) (int, int, error) {
	return func(dest string) (int, int, error) {
		target, ok := pictureTarget(dest)
		if !ok {
			return 0, 0, nil
		}
		fsys, name, key := b.fsys, path.Join(dir, target), ""
		if strings.HasPrefix(target, "/") {
			if name = rootFile(b.fsys, target); name == "" {
				fsys, name, key = b.rnd.Files(), path.Join("static", target), "theme:"
			}
		} else if !strings.HasPrefix(name, content.Dir+"/") {
			return 0, 0, nil
		}
		v, _ := b.pictures.LoadOrStore(key+name, &pictureFile{})
		p := v.(*pictureFile)
		p.once.Do(func() { p.w, p.h, p.err = content.PictureSize(fsys, name) })
		if errors.Is(p.err, fs.ErrNotExist) {
			return 0, 0, nil // the link check reports it, as a missing picture
		}
		return p.w, p.h, p.err
	}
}
