package internal_test

import (
	"os/exec"
	"strings"
	"testing"
)

// allowed lists, for each package under generator/internal, the other
// internal packages it may import. Lower layers never import higher ones;
// siblings on one level (taxonomy, feed, and later search) never import each
// other. A new package or edge is a design decision: add it here on purpose.
var allowed = map[string][]string{
	"diag":                      {},
	"frontmatter":               {},
	"config":                    {"diag", "frontmatter", "check"},
	"markdown":                  {"diag", "check"},
	"publish":                   {},
	"feed":                      {},
	"csl":                       {},
	"check":                     {},
	"search":                    {},
	"export":                    {"check"}, // SVG: an export carries no picture the build would refuse
	"linkcheck":                 {},
	"search/searchq":            {"search"},
	"vtt":                       {},
	"content":                   {"diag", "frontmatter", "vtt", "check", "picture"},
	"taxonomy":                  {"diag", "content"},
	"evidence":                  {"diag", "config", "content"},
	"harvard":                   {"content"},
	"themap":                    {"taxonomy"},
	"words":                     {"diag", "frontmatter", "themes"}, // the theme's words in a language; its tests read the default theme's files
	"render":                    {"diag", "config", "content", "taxonomy", "evidence", "markdown", "themes", "vtt", "harvard", "themap", "words"},
	"site":                      {"diag", "config", "content", "picture", "card", "taxonomy", "evidence", "markdown", "feed", "render", "publish", "check", "search", "vtt", "export", "linkcheck", "csl", "harvard", "words", "themes"}, // themes: its tests read the built-in words
	"sitetest":                  {"diag", "content", "site"},
	"sitetest/gensite":          {"sitetest"},
	"serve":                     {"diag", "config", "site", "search", "publish", "edit"},
	"edit":                      {"diag", "config", "content", "frontmatter", "taxonomy", "evidence", "markdown", "harvard", "picture", "vtt"}, // the browser editor: forms from content's fields, the build's checks
	"hugo":                      {"frontmatter", "content"},                                                                                    // reads a Hugo site, plans otpress content
	"picture":                   {},
	"picture/picturetest":       {}, // test photos with EXIF, for tests and the browser test
	"picture/picturetest/photo": {"picture/picturetest"},
	"main":                      {"diag", "config", "content", "site", "serve", "linkcheck", "publish", "hugo", "deploy"}, // config: translate reads the languages
	"themes":                    {},
	"card":                      {},                            // Open Graph cards: draws from its inputs alone
	"deploy":                    {"diag", "config", "publish"}, // makes a bucket hold exactly a folder's files; knows nothing of the build
	"deploy/cloudfronttest":     {},                            // a fake CloudFront, for deploy's tests and the command's scripts
}

// thirdParty is the allow-list of outside modules, by import path prefix.
var thirdParty = []string{
	"github.com/yuin/goldmark",
	"github.com/alecthomas/chroma/v2",
	"github.com/tdewolff/minify/v2",
	"github.com/tdewolff/parse/v2", // minify's own: its byte reader, which minify reads without a copy
	"github.com/goccy/go-yaml",
	"github.com/pelletier/go-toml/v2",
	"golang.org/x/text",
	"github.com/nicksnyder/go-i18n/v2", // the theme's words: CLDR plural forms
	"golang.org/x/sys",
	"github.com/kljensen/snowball",
	"github.com/google/uuid",
	"github.com/fsnotify/fsnotify",
	"golang.org/x/net/html",
	"golang.org/x/image/webp",     // picture sizes (content.PictureSize); the standard library reads the other formats
	"golang.org/x/image/draw",     // the feed icon scaled from the cover art (site/icon.go), pictures' copies
	"golang.org/x/sync/semaphore", // pictures: how many pixels are worked on at once
	"github.com/gen2brain/webp",   // pictures' WebP copies: libwebp as WebAssembly (bench/README.md)
	"github.com/go-shiori/go-epub",
	"github.com/go-text/typesetting",      // shaping (HarfBuzz port) and line breaking of card titles (card)
	"golang.org/x/image/vector",           // the card's letters and shapes, rasterized (card)
	"golang.org/x/image/math/fixed",       // go-text's units (card)
	"github.com/klauspost/compress/flate", // cards' PNG rows, deflated twice as fast as compress/zlib (card/png.go)
	"gocloud.dev",                         // deploy: S3, Azure Blob Storage, Google Cloud Storage and folders as one bucket API
	"golang.org/x/sync/errgroup",          // deploy: uploads a few at a time, stopping at the first failure
	"github.com/aws/aws-sdk-go-v2",        // deploy: CloudFront invalidations (gocloud.dev has no CDN API), with the SDK's config and credentials, as s3blob reads them
	"github.com/aws/smithy-go",            // deploy: the AWS SDK's error codes (AccessDenied, NoSuchDistribution)
}

// testOnly may be imported by tests (and by sitetest, which only tests use).
var testOnly = []string{
	"github.com/rogpeppe/go-internal",
	"github.com/google/go-cmp",
	"github.com/mmcdole/gofeed",
	"github.com/johannesboyne/gofakes3", // deploy: an S3 server in the test, no network
}

const module = "github.com/otpress/otpress"

func short(path string) string {
	switch {
	case path == module+"/generator":
		return "main"
	case path == module+"/themes":
		return "themes"
	}
	return strings.TrimPrefix(path, module+"/generator/internal/")
}

// TestImportDirections checks every import of every package in the module
// against the layering above and the dependency allow-list.
func TestImportDirections(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}|{{join .TestImports \" \"}} {{join .XTestImports \" \"}}", module+"/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.Split(line, "|")
		pkg, imports, testImports := parts[0], strings.Fields(parts[1]), strings.Fields(parts[2])
		if pkg == module+"/generator/internal" || !strings.HasPrefix(pkg, module+"/generator") && pkg != module+"/themes" {
			continue // bench tools and the like
		}
		name := short(pkg)
		seen[name] = true
		rules, known := allowed[name]
		if !known {
			t.Errorf("package %s is not in the layering table in deps_test.go", pkg)
			continue
		}
		check := func(imp string, inTest bool) {
			switch {
			case strings.HasPrefix(imp, module+"/"):
				dep := short(imp)
				if dep == name {
					return
				}
				if inTest && (dep == "sitetest" || dep == "picture/picturetest" || dep == "deploy/cloudfronttest" || containsAny(rules, dep) || dep == "site" || dep == "content" || dep == "diag") {
					return // tests may build sites, content, test pictures and a fake CloudFront to check their package
				}
				if !containsAny(rules, dep) {
					t.Errorf("%s imports %s, which the layering does not allow", name, dep)
				}
			case !strings.Contains(strings.Split(imp, "/")[0], "."):
				// standard library
			case hasPrefix(imp, thirdParty):
			case (inTest || strings.HasPrefix(name, "sitetest")) && hasPrefix(imp, testOnly):
			default:
				t.Errorf("%s imports %s, which is not on the dependency allow-list", name, imp)
			}
		}
		for _, imp := range imports {
			check(imp, false)
		}
		for _, imp := range testImports {
			check(imp, true)
		}
	}
	for name := range allowed {
		if !seen[name] {
			t.Errorf("deps_test.go lists %s, but no such package exists", name)
		}
	}
}

func containsAny(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func hasPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if s == p || strings.HasPrefix(s, p+"/") {
			return true
		}
	}
	return false
}
