package site

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/export"
	"github.com/otpress/otpress/generator/internal/publish"
)

// ExportFormats are the formats ExportPack writes, with their file
// extensions.
var ExportFormats = map[string]string{"html": ".html", "scorm": ".zip", "scorm2004": ".zip", "epub": ".epub", "pdf": ".pdf"}

// exportOrder is the order messages list ExportFormats in.
var exportOrder = []string{"html", "scorm", "scorm2004", "epub", "pdf"}

// ExportFormatList names the formats for a message: "html, scorm, …, epub
// or pdf".
func ExportFormatList() string {
	return strings.Join(exportOrder[:len(exportOrder)-1], ", ") + " or " + exportOrder[len(exportOrder)-1]
}

// ExportOptions say which pack to export, how and where.
type ExportOptions struct {
	Slug     string
	Format   string // a key of ExportFormats
	Out      string // the file to write; default <slug>.<ext> in the working folder
	Chromium string // the browser that prints PDFs; default: found on PATH
	Force    bool   // replace Out even when it is not an earlier export of its kind
}

// ExportPack builds the site into a temporary folder (the site's own
// output is never touched) and writes one pack in one format. It returns
// the file written. Problems in the site fail it as Build would.
func ExportPack(ctx context.Context, o Options, e ExportOptions) (string, error) {
	ext, ok := ExportFormats[e.Format]
	if !ok {
		return "", fmt.Errorf("%q is not an export format; use %s", e.Format, ExportFormatList())
	}
	out := cmp.Or(e.Out, e.Slug+ext)
	if err := publish.CheckFile(out, ext, e.Force); err != nil {
		return "", err
	}
	tmp, err := publish.TempDir("export")
	if err != nil {
		return "", err
	}
	defer tmp.Close()
	o.OutDir = filepath.Join(tmp.Dir, "site")
	o.Minify = true
	o.PackDownloads = false
	b, _, err := build(ctx, o)
	if err != nil {
		return "", err
	}
	var pk *content.Pack
	var slugs []string
	for _, p := range b.lib.Packs {
		slugs = append(slugs, p.Slug)
		if p.Slug == e.Slug {
			pk = p
		}
	}
	if pk == nil {
		if len(slugs) == 0 {
			return "", fmt.Errorf("the site has no pack %q; it has no packs at all (start one with: generator new pack \"Title\")", e.Slug)
		}
		return "", fmt.Errorf("the site has no pack %q; its packs are %s", e.Slug, strings.Join(slugs, ", "))
	}
	p := b.exportPack(pk)
	site := os.DirFS(o.OutDir)
	var data []byte
	switch e.Format {
	case "html":
		if data, err = export.HTML(site, p); err == nil {
			data, err = publish.Minify(".html", data)
		}
	case "scorm":
		data, err = export.SCORM(site, p)
	case "scorm2004":
		data, err = export.SCORM2004(site, p)
	case "epub":
		data, err = export.EPUB(site, p)
	case "pdf":
		var page []byte
		if page, err = export.HTML(site, p); err == nil {
			htmlFile := filepath.Join(tmp.Dir, pk.Slug+".html")
			if err = os.WriteFile(htmlFile, page, 0o644); err == nil {
				data, err = export.PDF(ctx, e.Chromium, htmlFile, tmp.Dir)
			}
		}
	}
	if err != nil {
		return "", err
	}
	if err := publish.WriteFile(out, data); err != nil {
		return "", err
	}
	return out, nil
}

// paper is the paper size people print on where a language tag's region
// is: letter in North America and a few other countries, A4 elsewhere.
func paper(lang string) string {
	_, region, _ := strings.Cut(strings.ToUpper(lang), "-")
	switch region {
	case "US", "CA", "MX", "PH", "CL", "CO", "VE":
		return "letter"
	}
	return "A4"
}

// exportPack is what package export needs to know of a pack.
func (b *builder) exportPack(pk *content.Pack) export.Pack {
	var updated time.Time // the newest of its items' dates, as its print page's version
	for _, e := range pk.Entries {
		for _, t := range []time.Time{e.Item.Date, e.Item.Updated} {
			if t.After(updated) {
				updated = t
			}
		}
	}
	// a language under its own folder reads the root's files too
	root, dir := b.cfg.RootPath(), ""
	if b.lang != nil && b.lang.outer != nil && !b.lang.own {
		dir = strings.TrimPrefix(b.cfg.BasePath, root)
	}
	return export.Pack{Slug: pk.Slug, Title: pk.Title, Summary: pk.Summary, Language: b.cfg.Language, SiteURL: b.cfg.RootURL(), BasePath: root, Dir: dir, Paper: paper(b.cfg.Language), Updated: updated,
		Certifier: cmp.Or(b.cfg.Packs.CertifiedBy, b.cfg.Title), CertifierCredential: b.cfg.Packs.CertifierCredential, CertifierReport: b.cfg.Packs.CertifierReport,
		Words: b.exportWords()}
}

// exportWords are the text an export adds, from the theme's words.
func (b *builder) exportWords() export.Words {
	w := b.rnd.Words()
	return export.Words{
		Opening:           w.Must("export.opening"),
		Contents:          w.Must("export.contents"),
		Accessibility:     w.Must("export.accessibility"),
		CompletionHeading: w.Must("export.completion_heading"),
		CompletionText:    w.Must("export.completion_text"),
		CompletionButton:  w.Must("export.completion_button"),
		NotRecorded:       w.Must("export.not_recorded"),
		Recorded:          w.Must("export.recorded"),
		Back:              w.Must("export.back", "Place", export.Here),
		Thanks:            w.Must("export.thanks"),
	}
}

// downloads are the exports a build writes beside each pack's page, by
// file name: cheap to make, and what a training lead takes away. The
// pack's page names each with the word export.download.<format>.
var downloads = []struct {
	suffix, format string
	make           func(fs.FS, export.Pack) ([]byte, error)
}{
	{".html", "html", export.HTML},
	{"-scorm.zip", "scorm", export.SCORM},
	{"-scorm2004.zip", "scorm2004", export.SCORM2004},
	{".epub", "epub", export.EPUB},
}

// packDownloads writes each pack's downloads from the pages and files
// already in the output: the print page, stylesheets and pictures.
func (b *builder) packDownloads(emit func(job)) {
	built := os.DirFS(b.pub.Dir())
	if b.lang != nil && b.lang.outer != nil && !b.lang.own {
		built = os.DirFS(b.lang.outer.Dir()) // this language's folder is in it
	}
	for _, pk := range b.lib.Packs {
		for _, d := range downloads {
			emit(func() {
				rel := downloadFile(pk, d.suffix)
				data, err := d.make(built, b.exportPack(pk))
				if err == nil {
					err = b.pub.Write(rel, data)
				}
				if err == nil && d.format == "html" {
					// its own policy, from the file as written (minified):
					// the site's forbids the inline style it is made of
					if data, err = os.ReadFile(filepath.Join(b.pub.Dir(), filepath.FromSlash(rel))); err == nil {
						b.policies.Store(b.cfg.Link("/"+rel), export.Policy(data))
					}
				}
				if err != nil {
					b.fail(fmt.Errorf("the %s download of the pack %s: %w", d.format, pk.Slug, err))
				}
			})
		}
	}
}

// downloadFiles are the files packDownloads writes, as paths in the output.
func (b *builder) downloadFiles() map[string]bool {
	out := map[string]bool{}
	for _, pk := range b.lib.Packs {
		for _, d := range downloads {
			out[downloadFile(pk, d.suffix)] = true
		}
	}
	return out
}

// downloadFile is where a pack's download with that suffix is written.
func downloadFile(pk *content.Pack, suffix string) string {
	return strings.TrimPrefix(pk.Path, "/") + pk.Slug + suffix
}
