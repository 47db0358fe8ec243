package site

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/publish"
	"github.com/otpress/otpress/generator/internal/render"
)

// Two things of the site that want one output file: an alias or a
// standalone page at the address of a page the site makes (/evidence/, a
// theme's page), a file in static/ where the site writes a page, the
// sitemap or a feed (robots.txt, _headers and _redirects of its own are
// taken in instead: machinePages). The publisher refuses the second write;
// these say which two they are and how to part them.

// claim is who wrote a page: the content file it comes from ("" for a
// page the site makes of its own, such as a list) and its title.
type claim struct{ source, title string }

func (c claim) String() string {
	if c.source == "" {
		return fmt.Sprintf("the site's page %q", c.title)
	}
	return "the page from " + c.source
}

// claimPage records, in a full build, who writes the page at a site path,
// and reports it when another page came there first. It says whether the
// page may be written.
func (b *builder) claimPage(p *render.Page, source string) bool {
	return b.claimPath(p.Path, p.Title, source)
}

// claimPath is claimPage for the page of a title at a site path.
func (b *builder) claimPath(sitePath, title, source string) bool {
	if b.links == nil {
		return true // a Session's update rewrites pages it wrote before
	}
	mine := claim{source, title}
	v, taken := b.written.LoadOrStore(sitePath, mine)
	if !taken {
		return true
	}
	prev := v.(claim)
	if file, line, col := b.alias(sitePath); file != "" {
		other := prev
		if other.source == file {
			other = mine
		}
		b.probs.Add(diag.Errorf(file, line, col, "alias %s is already the address of %s", sitePath, other).
			WithHint("remove the alias or choose another address"))
		return false
	}
	file := cmp.Or(prev.source, source)
	b.probs.Add(diag.Errorf(file, 0, 0, "%s and %s both want the address %s", prev, mine, sitePath).
		WithHint("rename %s, or give it another address with a slug: line where its kind has one", file))
	return false
}

// staticClash turns the publisher's refusal to copy a file where the site
// has written one already into a problem at the file.
func (b *builder) staticClash(name, out string, err error) bool {
	if b.folderClash(err, name) {
		return true
	}
	if !errors.Is(err, publish.ErrDuplicate) {
		return false
	}
	what := "the site writes " + out + " itself"
	page, _ := strings.CutSuffix("/"+out, "index.html")
	if file, line, col := b.alias(page); file != "" {
		what = fmt.Sprintf("%s:%d:%d makes it an old address (alias) of its page", file, line, col)
	} else if prev, ok := b.written.Load(page); ok {
		what = fmt.Sprintf("it is the address of %s", prev)
	}
	b.probs.Add(diag.Errorf(name, 0, 0, "this file would be published at %s, but %s", out, what).
		WithHint("rename or move the file; files in static/ cannot replace the site's own pages and files (but for robots.txt, _headers and _redirects)"))
	return true
}

// alias finds the alias line that gives a site path, when one does.
func (b *builder) alias(sitePath string) (file string, line, col int) {
	for _, it := range b.lib.Items {
		if i := slices.Index(it.Aliases, sitePath); i >= 0 {
			if i < len(it.AliasPos) {
				return it.File, it.AliasPos[i].Line, it.AliasPos[i].Col
			}
			return it.File, 0, 0
		}
	}
	return "", 0, 0
}

// folderClash reports a path the build wants as both a file and a folder
// (an alias /atom.xml/ is a folder where the feed is a file; a file in
// static/ named like a page's folder): at the alias's line when one is to
// blame, else at file (a static or bundle file being copied), else at the
// output. It says whether err was such a clash.
func (b *builder) folderClash(err error, file string) bool {
	var ce *publish.ClashError
	if !errors.As(err, &ce) {
		return false
	}
	// an alias's page is the folder's index.html, or an old page file
	for _, p := range []string{ce.File, ce.Path} {
		page, isIndex := strings.CutSuffix("/"+p, "index.html")
		if !isIndex {
			page = "/" + p
		}
		if f, line, col := b.alias(page); f != "" {
			b.probs.Add(diag.Errorf(f, line, col, "alias %s would be published as the folder %s/, but the site writes the file %s there", page, ce.Folder, ce.Folder).
				WithHint("remove the alias, or give an address the site does not use itself (an old page file keeps its .html ending: /news/denis.html)"))
			return true
		}
	}
	if file == "" {
		file = b.outDir
	}
	b.probs.Add(diag.Errorf(file, 0, 0, "%s would be both a file and a folder in the output (it holds %s)", ce.Folder, ce.File).
		WithHint("rename the file in static/ or the content folder that makes one of them"))
	return true
}
