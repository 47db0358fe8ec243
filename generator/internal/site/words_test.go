package site_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/otpress/otpress/generator/internal/site"
	"github.com/otpress/otpress/generator/internal/sitetest"
)

// TestWordsScript: every build writes js/words.js, the theme's words for
// its scripts in the site's language, and a warm build writes it again
// when the words change, a site's own or its language.
func TestWordsScript(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	warmBuild(t, s, false)
	js := s.Read("js/words.js")
	if !strings.HasPrefix(js, `window.otpressWords={lang:"en-GB",`) || !strings.Contains(js, `"Add to my pack"`) || strings.Contains(js, "\n\n") {
		t.Errorf("js/words.js in English: %.200q", js)
	}
	// every page with a script that shows words loads them before it
	pages := 0
	err := filepath.WalkDir(s.Out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		html := string(b)
		for _, js := range []string{"/js/packs.js", "/js/search.js", "/js/evidence.js"} {
			if at := strings.Index(html, js+`"`); at >= 0 {
				pages++
				if w := strings.Index(html, `/js/words.js"`); w < 0 || w > at {
					rel, _ := filepath.Rel(s.Out, p)
					t.Errorf("%s loads %s without words.js before it", rel, js)
				}
			}
		}
		return nil
	})
	if err != nil || pages < 5 {
		t.Errorf("%d pages with scripts: %v", pages, err)
	}
	s.Edit("i18n/en-GB.toml", "[js.packs]\nadd = \"Keep in my pack\"\n")
	warmBuild(t, s, false)
	if js := s.Read("js/words.js"); !strings.Contains(js, `"Keep in my pack"`) || strings.Contains(js, `"Add to my pack"`) {
		t.Errorf("js/words.js after the site's own word: %.200q", js)
	}
	toml := fixtureFile(t, "site.toml")
	s.Edit("site.toml", strings.Replace(toml, "title = ", "language = \"cy\"\ntitle = ", 1))
	warmBuild(t, s, false)
	if js := s.Read("js/words.js"); !strings.HasPrefix(js, `window.otpressWords={lang:"cy",`) || !strings.Contains(js, `"Ychwanegu at fy mhecyn"`) || !strings.Contains(js, `"month.11":"Tachwedd"`) {
		t.Errorf("js/words.js in Welsh: %.200q", js)
	}
}

// TestSessionWordsScript: in the preview, an edit to the words writes
// js/words.js again; an edit to the content leaves it in place.
func TestSessionWordsScript(t *testing.T) {
	s, sess := builtSession(t)
	ctx := context.Background()
	words := filepath.Join(s.Dir, "i18n", "en-GB.toml")
	s.Edit("i18n/en-GB.toml", "[js.packs]\nadd = \"Keep in my pack\"\n")
	if _, _, err := sess.Update(ctx, []string{words}); err != nil {
		t.Fatal(err)
	}
	if js := s.Read("js/words.js"); !strings.Contains(js, "Keep in my pack") {
		t.Errorf("js/words.js after the site's own word: %.200q", js)
	}
	// a new story: the site is made again from the plan, static files left as they are
	s.Edit("content/stories/new.md", "---\ntitle: A new story\ndate: 2026-01-05\n---\nNew text.\n")
	if _, partial, err := sess.Update(ctx, []string{filepath.Join(s.Dir, "content/stories/new.md")}); err != nil || !partial {
		t.Fatalf("a new story: partial %v, %v", partial, err)
	}
	if _, err := os.Stat(filepath.Join(s.Out, "js", "words.js")); err != nil {
		t.Errorf("js/words.js after a new story: %v", err)
	}
	if js := s.Read("js/words.js"); !strings.Contains(js, "Keep in my pack") {
		t.Errorf("js/words.js after a new story: %.200q", js)
	}
}

// welsh is a fixture with language = "cy" in its site.toml.
func welsh(t *testing.T, name string) string {
	t.Helper()
	f := fixture(t, name)
	head, rest, ok := strings.Cut(f, "-- site.toml --\n")
	if !ok {
		t.Fatalf("%s has no site.toml", name)
	}
	return head + "-- site.toml --\nlanguage = \"cy\"\n" + rest
}

// TestWelshWords: a site in Welsh shows the theme's Welsh words wherever
// the generator writes words of its own: titles, breadcrumbs and labels,
// theme maps, outcomes, a pack's times, feeds, transcripts and a pack's
// downloads.
func TestWelshWords(t *testing.T) {
	s := sitetest.Write(t, welsh(t, "everything"))
	if _, err := site.Build(context.Background(), site.Options{SiteDir: s.Dir, OutDir: s.Out, PackDownloads: true}); err != nil {
		t.Fatal(err)
	}
	s.AssertFileContains("stories/page/2/index.html", `
		<title>Case stories (tudalen 2 o 2) – Test OT site</title>
	`)
	s.AssertFileContains("stories/denis/index.html", `
		<title>Denis walks to his kitchen – Straeon – Test OT site</title>
		<li><a href="/ot/">Hafan</a></li>
		<li><a href="/ot/stories/">Straeon</a></li>
		<a href="#goals-heading">Nodau</a>
		! >Home</a>
	`)
	s.AssertFileContains("index.html", `
		<h2 id="latest-stories">Y straeon diweddaraf</h2>
	`)
	s.AssertFileContains("search/index.html", `
		<label for="kind-story">Straeon</label>
	`)
	s.AssertFileContains("themes/co-production/index.html", `
		<title>Co-production – Themâu – Test OT site</title>
		Map o&#39;r themâu sy&#39;n ymddangos gyda&#39;r thema Co-production
		Mae Co-production yn ymddangos gyda 2 thema arall, pob un mewn 1 eitem gyda&#39;i gilydd: dim un yn amlach na&#39;r lleill.
		yn ymddangos gyda&#39;r thema Co-production mewn 1 eitem
	`)
	s.AssertFileContains("themes/index.html", `
		Map o&#39;r themâu a&#39;u cysylltiadau cryfaf
		mae&#39;r tabl yn rhestru&#39;r 3 cysylltiad i gyd.
	`)
	// one story of three gives figures: the Welsh form for two others
	s.AssertFileContains("evidence/index.html", `
		<title>Deilliannau ar draws y straeon – Test OT site</title>
		Daw&#39;r ffigurau cyn ac ar ôl o 1 o&#39;r 3 stori ar y wefan hon; nid yw&#39;r ddwy arall yn rhoi dim, ac ni chânt eu cyfrif.
	`)
	s.AssertFileContains("packs/personalised-care/index.html", `
		Tua 1 awr 6 munud
		tua 1 munud o ddarllen
		Y pecyn cyfan fel un dudalen we, i&#39;w e-bostio neu ei ddarllen all-lein (HTML)
		! About 1 hour
	`)
	s.AssertFileContains("stories/atom.xml", `
		<title>Test OT site: Straeon</title>
	`)
	s.AssertFileContains("episodes/ep1/transcript.txt", `
		Trawsgrifiad o'r podlediad
	`)

	// the pack's downloads: SCORM's completion section and script, the
	// e-book's contents and opening chapter
	dir := filepath.Join(s.Out, "packs", "personalised-care")
	scorm := unzip(t, must(os.ReadFile(filepath.Join(dir, "personalised-care-scorm.zip"))))
	for file, want := range map[string]string{
		"index.html": `<button type="button" id="scorm-complete">Rwyf wedi cwblhau&#39;r pecyn hwn</button>`,
		"scorm.js":   `status.textContent = 'Rydych yn ôl lle gadawoch chi: ' + at.textContent + '.';`,
	} {
		if !strings.Contains(string(scorm.data[file]), want) {
			t.Errorf("the SCORM package's %s lacks %s", file, want)
		}
	}
	if js := string(scorm.data["scorm.js"]); !strings.Contains(js, `'Nid yw eich cynnydd yn cael ei gofnodi: nid yw\'r copi hwn o\'r pecyn yn rhedeg mewn system ddysgu.'`) || strings.Contains(js, "Progress is not recorded") {
		t.Errorf("scorm.js is not in Welsh:\n%s", js)
	}
	book := unzip(t, must(os.ReadFile(filepath.Join(dir, "personalised-care.epub"))))
	if nav := string(book.data["EPUB/nav.xhtml"]); !strings.Contains(nav, "<h1>Cynnwys</h1>") || !strings.Contains(nav, "Am y pecyn hwn") {
		t.Errorf("the e-book's contents:\n%s", nav)
	}
	if opf := string(book.data["EPUB/package.opf"]); !strings.Contains(opf, `<meta property="schema:accessibilitySummary">Testun y pecyn yn nhrefn darllen`) {
		t.Errorf("the e-book's accessibility summary:\n%s", opf)
	}
}

// TestWelshOutcomes: a theme's outcomes in Welsh, measure by measure.
func TestWelshOutcomes(t *testing.T) {
	s := sitetest.Build(t, welsh(t, "evidence"))
	s.AssertFileContains("themes/rehabilitation/index.html", `
		Daw&#39;r ffigurau cyn ac ar ôl o 3 o&#39;r 4 stori o dan y thema hon; nid yw&#39;r stori arall yn rhoi dim, ac ni chaiff ei chyfrif.
		<strong>Care visits per day</strong>: 3 stori; y cyfanswm yn mynd o 12 i 1 visits. Y newid canolrif oedd −4 visits fesul stori (ystod −5 i −2). Yn well ym mhob un o&#39;r 3 stori (gorau po isaf).
		<strong>Walking distance</strong>: 2 stori; y cyfanswm yn mynd o 5 i 32.5 metres. Y newid canolrif oedd &#43;13.75 metres fesul stori (ystod &#43;12.5 i &#43;15). Yn well yn y ddwy stori (gorau po uchaf).
		<li>Falls in three months: o 2 i 0 falls, yn <a href="/stories/cal/">Cal stops falling</a></li>
		<text class="bar-label" x="0" y="17">Cyn</text>
		<text class="bar-label" x="0" y="49">Ar ôl</text>
	`)
	s.AssertFileContains("evidence/index.html", `
		<span class="change-words">is, gwell</span>
	`)
}
