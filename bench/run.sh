#!/usr/bin/env bash
# The benchmark against Hugo 0.164 and Pagefind 1.6 in one command: full
# builds (compare.sh: otpress, Hugo, Hugo + Pagefind at each size), the
# editors' preview (preview.sh), optionally the first search query
# (search.sh), and a report, bench/RESULTS.md, with the machine, the
# versions, the tables and each target of issue 9 met or not.
#
#   bench/run.sh                     # builds at 1 000 and 10 000 items, preview at 10 000
#   SEARCH=1 bench/run.sh            # also search.sh (about 30 minutes more)
#   SIZES="1000 10000 100000" bench/run.sh
#   SMOKE=1 bench/run.sh             # the harness itself at 30 items, otpress only, no
#                                    # preview or search, report in WORK (tests/run.sh runs this)
#
# Environment: SIZES, RUNS (5), TOOLS, PREVIEW (1), SEARCH (0), WORK (kept),
# REPORT (where to write the report; bench/RESULTS.md), OUT (see compare.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${WORK:-$(mktemp -d /tmp/otpress-bench.XXXXXX)}
mkdir -p "$WORK"
if [[ -n "${SMOKE:-}" ]]; then
	export SIZES=${SIZES:-30} RUNS=${RUNS:-1} TOOLS=${TOOLS:-otpress}
	PREVIEW=${PREVIEW:-0} SEARCH=${SEARCH:-0} REPORT=${REPORT:-$WORK/RESULTS.md}
fi
export SIZES=${SIZES:-1000 10000} RUNS=${RUNS:-5} TOOLS=${TOOLS:-otpress hugo hugo+pagefind}
PREVIEW=${PREVIEW:-1}
SEARCH=${SEARCH:-0}
REPORT=${REPORT:-$ROOT/bench/RESULTS.md}
LARGEST=$(tr ' ' '\n' <<<"$SIZES" | sort -n | tail -1)
say() { printf '== %s\n' "$*" >&2; }

load() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_START=$(load)

say "builds: $SIZES items, $RUNS runs, $TOOLS"
WORK=$WORK/build bash "$ROOT/bench/compare.sh" >/dev/null

if [[ $PREVIEW == 1 ]]; then
	say "preview at $LARGEST items"
	# the sites compare.sh wrote serve here too
	mkdir -p "$WORK/preview"
	[[ -e "$WORK/preview/sites" ]] || ln -s "$WORK/build/sites-$LARGEST" "$WORK/preview/sites"
	N=$LARGEST WORK=$WORK/preview bash "$ROOT/bench/preview.sh" 2>&1 | tee "$WORK/preview.log" | grep -E 'p50=' >&2
fi
if [[ $SEARCH == 1 ]]; then
	say "search at $LARGEST items"
	N=$LARGEST RUNS=1 WORK=$WORK/search bash "$ROOT/bench/search.sh" >/dev/null
fi

# --- report ------------------------------------------------------------------

version() { # the first line a program prints for its version, or "not installed"
	local out
	if out=$("$@" 2>/dev/null) && [[ -n $out ]]; then echo "${out%%$'\n'*}"; else echo "not installed"; fi
}
ratio_of() { # ratio_of SIZE OTHER COLUMN: a value from the ratio table, "0.49" without the ×
	awk -F' \\| ' -v n="$(printf "%'d" "$1")" -v o="$2" -v c="$3" '$1 == "| " n && $2 == "otpress / " o { v = $c; sub(/×.*/, "", v); print v }' "$WORK/build/build.md"
}
mark() { awk -v v="$1" -v t="$2" 'BEGIN { if (v == "") print "not measured"; else if (v + 0 <= t + 0) print "**met**"; else print "not met" }'; }
p50() { # p50 LABEL: the p50 in ms of a preview line starting with LABEL
	[[ -f "$WORK/preview.log" ]] && grep -E "^$1" "$WORK/preview.log" | sed -n 's/.*p50=\([0-9.]*\).*/\1/p' | head -1
}

# the search figures from the last search report (this run's, with SEARCH=1)
search_md=$ROOT/bench/SEARCH-RESULTS.md
if [[ -f $search_md ]]; then
	kb_open=$(awk -F' \\| ' '/search page already open/ { open = 1 } open && /^\| KB transferred/ { split($2, a, " / "); print a[1]; exit }' "$search_md")
	kb_cold=$(awk -F' \\| ' '/^\| KB transferred/ { split($2, a, " / "); print a[1]; exit }' "$search_md")
	index_ratio=$(awk -F' \\| ' '/^\| MB as served/ { v = $4; sub(/×.*/, "", v); print v; exit }' "$search_md")
	search_from="bench/SEARCH-RESULTS.md, commit $(sed -n 's/^- otpress: commit \([0-9a-f]*\).*/\1/p' "$search_md")"
fi
wall=$(ratio_of "$LARGEST" Hugo 3)
rss=$(ratio_of "$LARGEST" Hugo 5)
text_p50=$(p50 'otpress body:' || true)
{
	echo "# Benchmark: otpress vs Hugo $(version "${HUGO:-$(go env GOPATH)/bin/hugo}" version | grep -o 'v[0-9.]*' | head -1) and Pagefind"
	echo
	echo "Written by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC')$([[ -n "${SMOKE:-}" ]] && echo ' as a smoke run (tiny site, otpress only): the figures mean nothing')."
	echo
	echo "- Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM; load average (1, 5, 15 min) $LOAD_START at the start, $(load) at the end."
	echo "- otpress: commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown); $(go version | cut -d' ' -f3-4)."
	echo "- Others: Hugo $(version "${HUGO:-$(go env GOPATH)/bin/hugo}" version | cut -d' ' -f2); Pagefind $(version "$ROOT/bench/search/node_modules/.bin/pagefind" --version | grep -o '[0-9.]*$'); Chromium $(version chromium --version | grep -o '[0-9.]*' | head -1); Node $(version node --version)."
	echo
	echo "## Targets (issue 9), at $(printf "%'d" "$LARGEST") items"
	echo
	echo "| target | measured | |"
	echo "| --- | ---: | --- |"
	echo "| full build ≤ 0.3× Hugo's time (Hugo without related content) | ${wall:-–}× | $(mark "$wall" 0.3) |"
	echo "| peak RSS ≤ 0.3× Hugo's | ${rss:-–}× | $(mark "$rss" 0.3) |"
	echo "| preview edit → page served ≤ 100 ms p50 | ${text_p50:-–} ms | $(mark "$text_p50" 100) |"
	if [[ -n ${search_from:-} ]]; then
		echo "| first search query ≤ 25 KB (median, search page open; from an empty page ${kb_cold:-–} KB) ($search_from) | ${kb_open:-–} KB | $(mark "$kb_open" 25) |"
		echo "| search index ≤ 0.5× Pagefind's bytes as served ($search_from) | ${index_ratio:-–}× | $(mark "$index_ratio" 0.5) |"
	else
		echo "| first search query ≤ 25 KB; index ≤ 0.5× Pagefind's bytes | not measured: run with SEARCH=1 | |"
	fi
	echo
	echo "## Full builds"
	echo
	cat "$WORK/build/build.md"
	echo
	echo "Every build writes into a fresh folder, otpress's with no cache from an earlier build; otpress's includes its search index, theme graph, related lists and feeds; Hugo's layouts (\`gensite -hugo\`) have lists, singles, taxonomy pages, RSS and the sitemap but no related content; Pagefind indexes Hugo's output. CPU is user + system time of the build and its children."
	if [[ -f "$WORK/preview.log" ]]; then
		echo
		echo "## Preview: from saving a story to the page served"
		echo
		echo '```'
		grep -E 'p50=' "$WORK/preview.log"
		echo '```'
		echo
		echo "\`otpress …\` and \`hugo …\` lines: the server asked for the page every 5 ms until it shows the edit (body text, title, themes). \"in Chromium\": the page open in headless Chromium, until it shows the edit. See bench/README.md."
	fi
	if [[ -f "$WORK/search/results.json" ]]; then
		echo
		echo "## Search"
		echo
		echo "See bench/SEARCH-RESULTS.md, written by this run."
	fi
} >"$REPORT"
say "wrote $REPORT"
