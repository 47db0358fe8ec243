package site

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/markdown"
	"github.com/otpress/otpress/generator/internal/publish"
	"github.com/otpress/otpress/generator/internal/render"
)

// isAsset says whether a published file is a style or script, which a
// site with fingerprint = true publishes under a hashed name too.
func isAsset(rel string) bool {
	switch strings.ToLower(path.Ext(rel)) {
	case ".css", ".js":
		return true
	}
	return false
}

// fingerprints works out, for a site with fingerprint = true, the name
// with a hash of its content each style and script is published under
// besides its own, and tells the renderer, so that pages link those. It
// reads the files staticFiles copies, in the same order of precedence
// (the site's static/ folder, content files, the theme's, then the ones
// the build writes), so that each hash is of the file published there
// (as written, before the minifier). A file reached by a symbolic link,
// and a content file, keep their one name.
func (b *builder) fingerprints() {
	if !b.cfg.Fingerprint {
		return
	}
	b.assets = map[string]string{}
	taken := map[string]bool{}
	add := func(rel string, data []byte) {
		if taken[rel] {
			return
		}
		taken[rel] = true
		if data != nil {
			sum := sha256.Sum256(data)
			b.assets[rel] = publish.Fingerprinted(rel, hex.EncodeToString(sum[:]))
		}
	}
	_ = fs.WalkDir(b.fsys, content.StaticDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil // staticFiles reports what cannot be read
		}
		rel := strings.TrimPrefix(p, content.StaticDir+"/")
		if !isAsset(rel) {
			return nil
		}
		var data []byte
		if d.Type().IsRegular() {
			data, _ = fs.ReadFile(b.fsys, p)
		}
		add(rel, data)
		return nil
	})
	for _, it := range b.lib.Items {
		for _, a := range it.Assets {
			if out := strings.TrimPrefix(it.Path, "/") + a; isAsset(out) {
				add(out, nil)
			}
		}
	}
	for _, f := range b.lib.Loose {
		if out := strings.TrimPrefix(f, content.Dir+"/"); isAsset(out) {
			add(out, nil)
		}
	}
	files, err := b.rnd.StaticFiles()
	if err != nil {
		return // staticFiles reports it
	}
	for _, f := range files {
		if isAsset(f) {
			data, _ := fs.ReadFile(b.rnd.Files(), "static/"+f)
			add(f, data)
		}
	}
	if c := b.cfg.BrandColour; c != "" {
		add(render.BrandCSS, render.BrandStyle(c))
	}
	add(wordsScript, b.rnd.Words().Script())
	add(syntaxCSS, markdown.CSS())
	names := map[string]string{}
	for rel, h := range b.assets {
		names["/"+rel] = "/" + h
	}
	b.rnd.SetAssets(names)
}

// namesOf is the names a file the build writes is published under: its
// own, and its fingerprinted one (fingerprints) when it has one.
func (b *builder) namesOf(rel string) []string {
	names := []string{rel}
	if h := b.assets[rel]; h != "" && b.makesFile(h) {
		names = append(names, h)
	}
	return names
}
