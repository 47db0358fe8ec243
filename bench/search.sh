#!/usr/bin/env bash
# Measures otpress's built-in search against Pagefind on the same site, in
# headless Debian Chromium, and writes bench/SEARCH-RESULTS.md (the summary
# table also goes to stdout). See bench/README.md.
#
#	bench/search.sh                       # 10 000 items, every query cold
#	N=1000 bench/search.sh                # quicker
#	COLD=30 RUNS=1 bench/search.sh        # fewer cold queries, one timed build
#	WORK=/tmp/sb bench/search.sh          # keep sites, logs and results.json
#
# Settings (environment):
#	N        items in the generated site (10000)
#	SEED     generator seed (1)
#	RUNS     timed otpress builds and Pagefind index runs; medians reported (3)
#	QUERIES  query list, one a line (bench/search/queries.txt)
#	COLD     how many of them also run cold, in a fresh context each (all)
#	LATENCY  ms every response waits in a second cold pass, as a round trip
#	         would; 0 skips that pass (50)
#	JUDGED   judged queries for relevance on the example site (tests/search/judged.json)
#	WORK     working folder, kept when given (a temporary one otherwise)
#	OUT      the report (bench/SEARCH-RESULTS.md)
#	CHROMIUM the browser (/usr/bin/chromium)
set -euo pipefail
# WORK as given, relative to where the script was started
if [ -n "${WORK:-}" ]; then
  mkdir -p "$WORK"
  WORK=$(cd "$WORK" && pwd)
  keep=1
fi
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

N=${N:-10000}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
QUERIES=${QUERIES:-bench/search/queries.txt}
COLD=${COLD:-}
LATENCY=${LATENCY:-50}
JUDGED=${JUDGED:-tests/search/judged.json}
OUT=${OUT:-bench/SEARCH-RESULTS.md}
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
# Pagefind indexes what otpress's index holds: the item pages, from the
# article (title, facts, body, themes) without the "Related" list, which names
# other items. A Pagefind user would mark the same with data-pagefind-body and
# data-pagefind-ignore; the flags do it without editing the HTML.
pagefind_flags=(--glob '{stories,episodes,features}/*/index.html' --root-selector article.item --exclude-selectors section.related)

if [ -z "${keep:-}" ]; then
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
fi
echo "== working in $WORK"
# timings are only comparable on a quiet machine: the report shows this
cut -d' ' -f1-3 /proc/loadavg >"$WORK/load-start.txt"
echo "   load average now: $(cat "$WORK/load-start.txt")"
# the settings for the report, and what otpress was measured: its commit
# and any uncommitted change to generator/ or themes/
changed=$(git status --porcelain -- generator themes 2>/dev/null | cut -c4- | paste -sd ' ' || true)
printf '%s\n' "N=$N" "SEED=$SEED" "QUERIES=$QUERIES" "PAGEFIND_FLAGS=${pagefind_flags[*]}" \
  "COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo '?')" "CHANGED=$changed" >"$WORK/settings.txt"

# --- what it needs ---------------------------------------------------------------
missing=()
command -v "$CHROMIUM" >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "== npm ci (bench/search: pagefind, playwright-core)"
(cd bench/search && npm ci --no-audit --no-fund --loglevel=error)
pagefind=bench/search/node_modules/.bin/pagefind

# --- the sites ------------------------------------------------------------------------
echo "== build otpress, generate $N items (seed $SEED)"
go build -o "$WORK/otpress" ./generator
go run ./generator/internal/sitetest/gensite -n "$N" -seed "$SEED" -o "$WORK/src"

# Episodes have no audio, so otpress warns once per episode: stderr is dropped.
echo "== otpress build: 1 warm-up + $RUNS timed"
rm -f "$WORK"/build-* "$WORK"/pagefind-*
"$WORK/otpress" build -s "$WORK/src" -d "$WORK/site" >/dev/null 2>&1
for i in $(seq "$RUNS"); do
  rm -rf "$WORK/site"
  /usr/bin/time -v -o "$WORK/build-time-$i.txt" "$WORK/otpress" build -s "$WORK/src" -d "$WORK/site" >"$WORK/build-$i.log" 2>/dev/null
  cat "$WORK/build-$i.log"
done

echo "== Pagefind index of a copy: $RUNS timed"
for i in $(seq "$RUNS"); do
  rm -rf "$WORK/pf"
  cp -a "$WORK/site" "$WORK/pf"
  /usr/bin/time -v -o "$WORK/pagefind-time-$i.txt" "$pagefind" --site "$WORK/pf" "${pagefind_flags[@]}" >"$WORK/pagefind-$i.log" 2>&1
  grep -E 'Indexed [0-9]+ pages|Finished in' "$WORK/pagefind-$i.log" | tr -s ' ' | paste -sd ' '
done

echo "== example site (relevance)"
"$WORK/otpress" build -d "$WORK/example" >/dev/null
rm -rf "$WORK/example-pf"
cp -a "$WORK/example" "$WORK/example-pf"
"$pagefind" --site "$WORK/example-pf" "${pagefind_flags[@]}" >"$WORK/example-pagefind.log" 2>&1

# --- the search package's own benchmarks, if it has any ----------------------------
rm -f "$WORK/gobench.txt"
if grep -qs '^func Benchmark' generator/internal/search/*_test.go; then
  echo "== go test -bench (generator/internal/search)"
  go test -run '^$' -bench . -benchmem -count 1 ./generator/internal/search/ | grep -E '^(Benchmark|goos|goarch|cpu)' >"$WORK/gobench.txt" || true
  cat "$WORK/gobench.txt"
fi

# --- the browser --------------------------------------------------------------------------
echo "== measure in Chromium (cold: fresh context per query)"
node bench/search/measure.mjs --ours "$WORK/site" --pagefind "$WORK/pf" \
  --queries "$QUERIES" ${COLD:+--cold "$COLD"} --latency "$LATENCY" \
  --judged "$JUDGED" --example-ours "$WORK/example" --example-pagefind "$WORK/example-pf" \
  --out "$WORK/results.json"

echo "== report: $OUT"
node bench/search/report.mjs "$WORK" "$OUT"
