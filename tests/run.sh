#!/usr/bin/env bash
# The whole test suite, as CI runs it: Go tests (unit, golden, whole-site,
# CLI scripts, import directions), a build of the example site, and the
# accessibility gate on every built page in Debian's Chromium.
# Installs what it needs on a fresh Debian machine (run as root there).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

# --- what the suite needs ------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils) # feeds are checked for well-formedness
command -v epubcheck >/dev/null 2>&1 || missing+=(epubcheck)    # learning packs as EPUB
command -v pdfinfo >/dev/null 2>&1 || missing+=(poppler-utils)  # learning packs as PDF
[ -x /usr/bin/time ] || missing+=(time)                            # the benchmark harness's smoke run
command -v git >/dev/null 2>&1 || missing+=(git)                  # the browser editor commits saves (serve --edit --git)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "== npm ci (tests/browser) [${SECONDS} s]"
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

# --- Go ------------------------------------------------------------------
echo "== gofmt and go vet [${SECONDS} s]"
unformatted=$(gofmt -l generator themes bench tests 2>/dev/null || true)
if [ -n "$unformatted" ]; then echo "gofmt needed on: $unformatted"; exit 1; fi
go vet ./...
echo "== go test [${SECONDS} s]"
go test -count=1 ./...

# --- fuzzing, bounded ------------------------------------------------------
# Each fuzz target runs for a few seconds on top of its seed corpus
# (testdata/fuzz/<target>/ in its package, which plain go test already ran):
# front matter (YAML, TOML, and JSON for the Hugo importer), Hugo page text, WebVTT, slugs, the page checks, SVG files, Markdown and the preview's change
# classification (a quick update must write what a full build writes).
# -fuzz takes one package and one target at a time. A failure prints the
# input and writes it to testdata/fuzz/ in that package: fix the bug and
# commit the file as a new seed. Minimising new inputs is cut short, so the
# time goes on fuzzing. The inputs found interesting before (kept in Go's
# cache) are tried first, within the same runs. About a minute in all.
echo "== fuzz (about 5 s a target) [${SECONDS} s]"
# A number of runs, about 5 s of each on 2 cores, not a duration: with
# -fuzztime 8s, Go 1.26's fuzzing coordinator sometimes fails a clean run
# with "context deadline exceeded" as the time runs out
# (go.dev/issue/75804, fixed in Go 1.27).
for target in \
  frontmatter:FuzzParse:15000 \
  frontmatter:FuzzLimits:9000 \
  frontmatter:FuzzParseJSON:50000 \
  hugo:FuzzBody:25000 \
  picture:FuzzProbe:60000 \
  picture:FuzzStrip:60000 \
  vtt:FuzzParse:120000 \
  content:FuzzSlug:40000 \
  content:FuzzPictureSize:30000 \
  check:FuzzPage:150000 \
  check:FuzzSVG:60000 \
  markdown:FuzzRender:12000 \
  markdown:FuzzLinkify:12000 \
  markdown:FuzzNesting:4800 \
  render:FuzzCompact:18000 \
  search:FuzzFold:150000 \
  search:FuzzUnits:60000 \
  site:FuzzSessionUpdate:30; do
  IFS=: read -r pkg name runs <<<"$target"
  go test -run '^$' -fuzz "^$name\$" -fuzztime "${runs}x" -fuzzminimizetime 2s "./generator/internal/$pkg"
done

# --- the sites the browser tests check -------------------------------------
work=$(mktemp -d)
# the deploy section's servers, should its test program die before it
# kills them (it lists them in servers.pid while they run)
trap 'if [ -f "$work/deploy/servers.pid" ]; then xargs -r kill -9 <"$work/deploy/servers.pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
echo "== build the example site, the every-template fixture and a generated site [${SECONDS} s]"
go run ./generator build -d "$work/example"
go run ./generator/internal/sitetest/gensite -txtar generator/internal/site/testdata/sites/everything.txtar -o "$work/everything-src"
# the fixture lives under /ot/ (its base_url), so serve it from there
go run ./generator build -s "$work/everything-src" -d "$work/everything/ot" >/dev/null
# the example with a phone-sized photo (4000×3000, EXIF with a position)
# on Denis's story, for the pictures' browser test
mkdir -p "$work/photo-src"
cp -r content data static site.toml "$work/photo-src/"
go run ./generator/internal/picture/picturetest/photo "$work/photo-src/static/denis-kitchen.jpg"
sed -i '0,/^date: /s//image: {src: \/denis-kitchen.jpg, alt: "A test photo of soft colour bands"}\ndate: /' "$work/photo-src/content/stories/denis.md"
# and one in the text, copied from the first
cp "$work/photo-src/static/denis-kitchen.jpg" "$work/photo-src/static/denis-hall.jpg"
printf '\n![The same test photo, shown in the text](/denis-hall.jpg)\n' >> "$work/photo-src/content/stories/denis.md"
go run ./generator build -s "$work/photo-src" -d "$work/photo" >/dev/null 2>&1
# the example in Welsh (language = "cy"), for the scripts' words
mkdir -p "$work/welsh-src"
cp -r content data static site.toml "$work/welsh-src/"
sed -i 's/^language = .*/language = "cy"/' "$work/welsh-src/site.toml"
go run ./generator build -s "$work/welsh-src" -d "$work/welsh" >/dev/null 2>&1
# a site in English and Welsh, the Welsh under /cy/ (served from /ot/, its base_url)
go run ./generator/internal/sitetest/gensite -txtar generator/internal/site/testdata/sites/bilingual.txtar -o "$work/bilingual-src"
go run ./generator build -s "$work/bilingual-src" -d "$work/bilingual/ot" >/dev/null
go run ./generator/internal/sitetest/gensite -n 300 -seed 7 -o "$work/generated-src"
go run ./generator build -s "$work/generated-src" -d "$work/generated" 2>/dev/null

# --- the benchmark harness, at a tiny size -----------------------------------
# bench/run.sh end to end (generate, build under /usr/bin/time, report) on 30
# items, otpress only: the real runs against Hugo and Pagefind are manual.
echo "== benchmark harness smoke run [${SECONDS} s]"
SMOKE=1 WORK="$work/bench" bash bench/run.sh 2>/dev/null
grep -q '^| 30 | otpress | ' "$work/bench/RESULTS.md" || { echo "bench/run.sh wrote no build table:"; cat "$work/bench/RESULTS.md"; exit 1; }

# --- HTML validity ---------------------------------------------------------
# html-validate's recommended, document and a11y presets; tests/browser/htmlvalidate.json
# changes these options only: lower-case doctype (what the minifier writes),
# titles up to 120 characters ("Story – Section – Site"), SRI required
# for cross-origin files only (ours are same-origin), radios and checkboxes
# may share a name, and a bare "&" before a space is allowed in text (the
# minifier writes "Goals & outcomes" so, which HTML allows; "&amp;" stays
# wherever a bare "&" could start a character reference), and a table's own
# roles may be written out (no-redundant-role): data tables stack a row at a
# time on narrow screens, and a table given display: block loses its table
# semantics in some browsers unless its roles say them again.
echo "== html-validate [${SECONDS} s]"
for site in example everything generated photo welsh bilingual; do
  tests/browser/node_modules/.bin/html-validate --config tests/browser/htmlvalidate.json "$work/$site/**/*.html"
done

# --- accessibility gate in a real browser ----------------------------------
echo "== accessibility gate (axe-core, keyboard, reflow, print) in Chromium [${SECONDS} s]"
# The example and the every-template fixture in every mode (light, dark and
# forced colours at 1280 px, light and dark at 320, reduced motion); the
# bilingual site (the same templates in two languages, and the language
# links, which only it has) in light at both widths and in dark and forced
# colours at 1280; a sample of the generated one (the same templates at
# scale) in light at both widths, which show what differs in it, its words
# and its lengths.
node tests/browser/a11y.mjs "$work/example" "$work/everything"
A11Y_MODES="1280 light,320 light,1280 dark,1280 forced colours" node tests/browser/a11y.mjs "$work/bilingual"
A11Y_MODES="1280 light,320 light" A11Y_MAX_PAGES=${A11Y_MAX_PAGES:-30} node tests/browser/a11y.mjs "$work/generated"

# --- layout in a real browser ------------------------------------------------
# Every page at 320, 375, 768 and 1280 px: nothing wider than the screen or
# cut off unless in a labelled, focusable scroll region that shows it
# scrolls; no text over text; no map label over a node. Writes a screenshot
# of each template at 375 and 1280 px into screenshots/ (not committed).
echo "== layout at 320, 375, 768 and 1280 px, and screenshots of every template, in Chromium [${SECONDS} s]"
SHOTS_DIR="$PWD/screenshots" LAYOUT_MAX_PAGES=25 node tests/browser/layout.mjs "$work/example" "$work/everything" "$work/generated"

# --- Lighthouse ----------------------------------------------------------------
# Home, a story, the episode, a theme, search and a pack with Lighthouse's
# mobile settings: performance, accessibility, best practices and SEO at
# least 95 each (scores recorded in bench/LIGHTHOUSE.md).
echo "== Lighthouse 12.2.3, mobile (at least 95 in each category) [${SECONDS} s]"
node tests/browser/lighthouse.mjs "$work/example"

# --- search in a real browser ----------------------------------------------
# The search page used as a reader would (typing, filters, keyboard, Back,
# the header box, axe-core), and from disk: file:// needs a --relative build.
echo "== search (typing, filters, keyboard, history, axe, file://) in Chromium [${SECONDS} s]"
go run ./generator build --relative -d "$work/example-relative" >/dev/null
node tests/browser/search.mjs "$work/example" "$work/example-relative"

# search.js on a Welsh index, in node: the table of mutated forms and the
# judged Welsh queries, answered as the Go engine answers them
echo "== search.js on a Welsh index (mutations, same answers as the Go engine) in node [${SECONDS} s]"
node tests/search/welsh.mjs

# --- pictures in a real browser ----------------------------------------------
echo "== pictures (the copy each screen takes, WebP, bytes, lazy cards) in Chromium [${SECONDS} s]"
node tests/browser/pictures.mjs "$work/photo" /stories/denis/ /stories/
node tests/browser/lighthouse.mjs --pictures "$work/photo" /stories/denis/ /stories/

# --- the episode player in a real browser ------------------------------------
echo "== episode player (timestamps seek, aria-current, no scrolling, axe) in Chromium [${SECONDS} s]"
node tests/browser/episode.mjs "$work/example"

# --- outcomes across stories in a real browser ---------------------------------
# /evidence/ sorted by keyboard (order, aria-sort, status), whole without
# JavaScript, axe; and a generated site's theme page with summary charts.
echo "== outcomes table (sorting by keyboard, no-JS, axe) in Chromium [${SECONDS} s]"
node tests/browser/evidence.mjs "$work/example" "$work/generated"

# --- theme maps in a real browser ------------------------------------------------
# every map's shown drawing at 320, 375, 640 and 1280 px, light and dark:
# labels of 12 px or more, inside the drawing, over no label, circle or
# line end; the drawing fits its column.
echo "== theme maps (label boxes, sizes, fit) in Chromium [${SECONDS} s]"
node tests/browser/maps.mjs "$work/example"
MAPS_MAX_PAGES=4 node tests/browser/maps.mjs "$work/generated"

# --- learning packs in a real browser ------------------------------------------
echo "== learning packs (add to my pack, builder by keyboard, finished marks, print, axe) in Chromium [${SECONDS} s]"
node tests/browser/packs.mjs "$work/example" "$work/example-relative"

# --- the scripts' words in another language -------------------------------------
echo "== the scripts in Welsh (js/words.js: packs, search, outcomes table, plural forms) in Chromium [${SECONDS} s]"
node tests/browser/words.mjs "$work/welsh"

# --- learning pack exports ------------------------------------------------------
# The example pack as EPUB (Debian's epubcheck: no errors, no warnings), PDF
# (printed by Chromium: tagged, with an outline, A4 for an en-GB site) and
# SCORM 1.2 and SCORM 2004 (each run in Chromium against scorm-again's
# runtime and against tests/browser/lms.js, a strict LMS of our own).
echo "== learning pack exports: epubcheck, pdfinfo, SCORM 1.2 and 2004 runtimes [${SECONDS} s]"
go build -o "$work/otpress" ./generator
for format in html epub pdf scorm scorm2004; do
  "$work/otpress" pack export personalised-care-in-practice --format "$format" -o "$work/pack.$format" >/dev/null
done
java -jar /usr/bin/epubcheck --failonwarnings "$work/pack.epub"
pdfinfo "$work/pack.pdf" | tee "$work/pdfinfo.txt" | grep -E '^(Tagged|Pages|Page size):'
grep -q '^Tagged: *yes' "$work/pdfinfo.txt" || { echo "the PDF is not tagged"; exit 1; }
grep -q '(A4)' "$work/pdfinfo.txt" || { echo "the PDF is not A4"; exit 1; }
grep -aq '/Outlines' "$work/pack.pdf" || { echo "the PDF has no outline"; exit 1; }
node tests/browser/scorm.mjs "$work/pack.scorm" "$work/pack.scorm2004"

# --- the one-page pack download under its own _headers policy ----------------
# Served with the site's _headers applied as Cloudflare Pages and Netlify
# apply them: one policy, the file's own; styled as from disk; pictures;
# no CSP violation; axe. Both policies at once must visibly break it.
echo "== pack downloads under their own policy (Cloudflare and Netlify rules) in Chromium [${SECONDS} s]"
node tests/browser/download.mjs "$work/example" "$work/everything:/ot/"

# --- SVG files that could run script -------------------------------------------
# A battery of tricky SVGs: those the build refuses, with their places;
# those it publishes, opened with no policy, never run script or load from
# elsewhere; as written, the plain script ones do run (the control).
echo "== SVG files (refused at their places; published ones run nothing) in Chromium [${SECONDS} s]"
node tests/browser/svg.mjs "$work/otpress"

# --- the editors' preview in a real browser ----------------------------------
# generator serve on a copy of the example site: an open page reloads by
# itself after an edit, CSS swaps in place, problems show over the last good
# page and go away when fixed.
echo "== preview (generator serve: reload, CSS swap, problems overlay, axe) in Chromium [${SECONDS} s]"
node tests/browser/preview.mjs "$work/otpress" .

# generator serve --edit: a new story written in the form by keyboard alone,
# a hand-written file edited with its other bytes kept, a conflicting disk
# edit, a bad value at its field, unsaved changes brought back, axe on each.
echo "== browser editor (generator serve --edit: forms, saves, conflicts, axe) in Chromium [${SECONDS} s]"
SHOTS_DIR="$PWD/screenshots" node tests/browser/editor.mjs "$work/otpress" .

# --- deploy to emulators of three clouds ----------------------------------------
# generator deploy of the example site to an S3 server (gofakes3,
# tests/deploy/s3server), Azurite (Azure Blob Storage, from npm) and
# fake-gcs-server (Google Cloud Storage, built here), each a process on a
# free port, through a proxy that sees every upload and delete: every file
# with its Content-Type, Content-Encoding (gzip) and Cache-Control; nothing
# uploaded when nothing changed or the manifest is lost; after one story is
# changed and another deleted, exactly the files whose bytes changed
# uploaded and the deleted ones removed; a deploy killed after 10 uploads
# finished by the next. Then the site from each bucket, through a CDN-like
# proxy adding _headers, in Chromium: no console error, failed request or
# CSP violation. Building fake-gcs-server takes most of the time when Go's
# caches are cold.
echo "== deploy to S3, Azure Blob and GCS emulators (uploads, headers, kill and resume, the site in Chromium) [${SECONDS} s]"
GOBIN="$work/bin" go install github.com/fsouza/fake-gcs-server@v1.56.1
go build -o "$work/bin/s3server" ./tests/deploy/s3server
go run ./tests/deploy -otpress "$work/otpress" -work "$work/deploy" -s3server "$work/bin/s3server" \
  -azurite tests/browser/node_modules/.bin/azurite-blob -fake-gcs "$work/bin/fake-gcs-server"
echo "== all passed [${SECONDS} s]"
