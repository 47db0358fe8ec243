package site_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/otpress/otpress/generator/internal/picture/picturetest"
	"github.com/otpress/otpress/generator/internal/publish"
	"github.com/otpress/otpress/generator/internal/render"
	"github.com/otpress/otpress/generator/internal/site"
	"github.com/otpress/otpress/generator/internal/sitetest"
	"github.com/otpress/otpress/themes"
)

// fingerprinting turns fingerprint on in a fixture's site.toml.
func fingerprinting(archive string) string {
	return strings.Replace(archive, "-- site.toml --\n", "-- site.toml --\nfingerprint = true\n", 1)
}

// assetLinks are the styles, scripts and picture copies an HTML file
// links: each address in href, src and srcset ending .css, .js, .jpg,
// .png or .webp.
var assetLinks = regexp.MustCompile(`(?:href|src)="([^"]+\.(?:css|js|jpg|png|webp))"|srcset="([^"]+)"`)

func linkedAssets(html string) []string {
	var out []string
	for _, m := range assetLinks.FindAllStringSubmatch(html, -1) {
		if m[1] != "" {
			out = append(out, m[1])
			continue
		}
		for _, c := range strings.Split(m[2], ",") {
			out = append(out, strings.Fields(c)[0])
		}
	}
	return out
}

// TestFingerprint: with fingerprint = true every page links its styles,
// scripts and pictures' copies by names with a hash of their content; the
// styles and scripts are published under both names with the same bytes,
// the hash being of those bytes; _headers keeps the hashed ones a year.
func TestFingerprint(t *testing.T) {
	s := sitetest.Build(t, fingerprinting(fixture(t, "everything")))
	pages, linked := 0, map[string]bool{}
	err := filepath.WalkDir(s.Out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") || strings.Contains(p, "/packs/") {
			return err // a pack's one-page download holds its styles inside
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		pages++
		for _, l := range linkedAssets(string(data)) {
			if strings.Contains(l, "://") || strings.Contains(l, "/search/data/") {
				continue // another host's; the search index keeps its names
			}
			if !publish.IsFingerprinted(l) {
				t.Errorf("%s links %s, a name without its content's hash", strings.TrimPrefix(p, s.Out), l)
			}
			linked[strings.TrimPrefix(l, "/ot/")] = true
		}
		return nil
	})
	if err != nil || pages < 20 {
		t.Fatalf("walked %d pages: %v", pages, err)
	}
	headers := s.Read("_headers")
	for _, want := range []string{"css/main.css", "css/syntax.css", "js/words.js", "js/search.js", "js/packs.js", "js/evidence.js", "js/episode.js"} {
		var hashed string
		for l := range linked {
			if strings.HasPrefix(l, strings.TrimSuffix(want, filepath.Ext(want))+".") && strings.HasSuffix(l, filepath.Ext(want)) {
				hashed = l
			}
		}
		if hashed == "" {
			t.Errorf("no page links %s by a hashed name", want)
			continue
		}
		plain, got := s.Read(want), s.Read(hashed)
		if plain != got {
			t.Errorf("%s and %s differ", want, hashed)
		}
		if !strings.Contains(headers, "/ot/"+hashed+"\n  Cache-Control: "+publish.Immutable+"\n") {
			t.Errorf("_headers does not keep /ot/%s a year:\n%s", hashed, headers)
		}
	}
	theme, err := fs.ReadFile(themes.Default, "static/css/main.css")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(theme)
	if want := publish.Fingerprinted("css/main.css", hex.EncodeToString(sum[:])); !linked[want] {
		t.Errorf("pages do not link %s, named by the theme's main.css", want)
	}
}

// TestFingerprintFollowsChanges: a site's own main.css in static/ is
// hashed in place of the theme's, and a changed one gets a new name that
// every page links, even in a warm build that would reuse the pages;
// a picture's copies are renamed when its bytes change.
func TestFingerprintFollowsChanges(t *testing.T) {
	s := sitetest.Write(t, strings.Replace(fingerprinting(denisWithPhoto), "fingerprint = true\n", "fingerprint = true\nbrand_colour = \"#005eb8\"\n", 1))
	s.Edit("static/css/main.css", "body { color: #222; }\n")
	photo := picturetest.Photo(1600, 1200, 1, false)
	s.Edit("content/stories/denis/kitchen.jpg", string(photo))
	build := func() string {
		t.Helper()
		if _, err := site.Build(context.Background(), site.Options{SiteDir: s.Dir, OutDir: s.Out, Generator: "otpress test", Cache: true}); err != nil {
			t.Fatal(err)
		}
		return s.Read("stories/denis/index.html")
	}
	hashedAs := func(rel, data string) string {
		sum := sha256.Sum256([]byte(data))
		return publish.Fingerprinted(rel, hex.EncodeToString(sum[:]))
	}
	page := build()
	first := hashedAs("/css/main.css", "body { color: #222; }\n")
	if !strings.Contains(page, `href="`+first+`"`) {
		t.Fatalf("the page does not link %s, the site's own main.css by its hash", first)
	}
	brand := hashedAs("/css/brand.css", string(render.BrandStyle("#005eb8"))) // a file the build writes
	if !strings.Contains(page, `href="`+brand+`"`) || s.Read(strings.TrimPrefix(brand, "/")) != s.Read("css/brand.css") {
		t.Errorf("the page does not link %s, the brand colour's styles by their hash, or it differs from css/brand.css", brand)
	}
	copies := copyLinks(page)
	if len(copies) == 0 {
		t.Fatal("the story's picture has no copies")
	}
	for _, c := range copies {
		if !publish.IsFingerprinted(c) {
			t.Errorf("copy %s has no hash in its name", c)
		}
		s.Read(strings.TrimPrefix(c, "/"))
	}

	s.Edit("static/css/main.css", "body { color: #111; }\n")
	page = build()
	second := hashedAs("/css/main.css", "body { color: #111; }\n")
	if !strings.Contains(page, `href="`+second+`"`) || strings.Contains(page, first) {
		t.Errorf("after main.css changed, the warm build's page does not link %s alone", second)
	}
	if _, err := os.Stat(filepath.Join(s.Out, first)); err == nil {
		t.Errorf("the old %s is still published", first)
	}
	if got := copyLinks(page); strings.Join(got, " ") != strings.Join(copies, " ") {
		t.Errorf("the copies were renamed though the picture did not change: %v, then %v", copies, got)
	}

	s.Edit("content/stories/denis/kitchen.jpg", string(picturetest.Photo(1600, 1200, 6, false)))
	page = build()
	for _, c := range copyLinks(page) {
		for _, old := range copies {
			if c == old {
				t.Errorf("copy %s kept its name though the picture changed", c)
			}
		}
	}
}

// copyLinks are the pictures a page links: JPEG, PNG and WebP files.
func copyLinks(html string) []string {
	var out []string
	for _, l := range linkedAssets(html) {
		if ext := filepath.Ext(l); ext == ".jpg" || ext == ".png" || ext == ".webp" {
			out = append(out, l)
		}
	}
	return out
}

// TestFingerprintNotInPreview: the preview links styles and scripts by
// their own names, which it reloads in place, and writes no hashed copies.
func TestFingerprintNotInPreview(t *testing.T) {
	s := sitetest.Write(t, fingerprinting(fixture(t, "everything")))
	sessionOf(t, s)
	page := s.Read("index.html")
	if !strings.Contains(page, `href="/ot/css/main.css"`) {
		t.Errorf("the preview's home page does not link /ot/css/main.css")
	}
	for _, l := range linkedAssets(page) {
		if publish.IsFingerprinted(l) {
			t.Errorf("the preview links %s", l)
		}
	}
}

// TestFingerprintLanguages: the languages share the root's hashed styles,
// and each has its own words for its scripts, under its own hashed name.
func TestFingerprintLanguages(t *testing.T) {
	s := sitetest.Build(t, fingerprinting(fixture(t, "bilingual")))
	en, cy := s.Read("index.html"), s.Read("cy/index.html")
	style := regexp.MustCompile(`href="(/ot/css/main\.[0-9a-f]{10}\.css)"`)
	words := regexp.MustCompile(`src="(/ot/(?:cy/)?js/words\.[0-9a-f]{10}\.js)"`)
	enStyle, cyStyle := style.FindStringSubmatch(en), style.FindStringSubmatch(cy)
	if enStyle == nil || cyStyle == nil || enStyle[1] != cyStyle[1] {
		t.Fatalf("the languages do not link one hashed main.css: %v, %v", enStyle, cyStyle)
	}
	search := func(page string) string { return s.Read(page) }
	enWords, cyWords := words.FindStringSubmatch(search("search/index.html")), words.FindStringSubmatch(search("cy/search/index.html"))
	if enWords == nil || cyWords == nil || enWords[1] == cyWords[1] || !strings.HasPrefix(cyWords[1], "/ot/cy/js/") {
		t.Fatalf("each language's search page should link its own words by hash: %v, %v", enWords, cyWords)
	}
	if s.Read(strings.TrimPrefix(cyWords[1], "/ot/")) != s.Read("cy/js/words.js") {
		t.Error("the Welsh words' hashed copy differs from cy/js/words.js")
	}
}
