#!/usr/bin/env bash
# Times full builds of the same generated site by otpress, Hugo 0.164, and
# Hugo followed by Pagefind 1.6 (the search Hugo's users add), several runs
# each, interleaved, at one or more sizes: wall time, CPU time (user +
# system) and peak RSS from /usr/bin/time -v, output bytes and files, and
# ratios otpress/other with the median and the spread over runs.
#
#   bench/compare.sh                       # 1 000 and 10 000 items, 5 runs each
#   SIZES=10000 RUNS=3 bench/compare.sh
#   SIZES="1000 10000 100000" bench/compare.sh
#
# Environment: SIZES (items, "1000 10000"; N=... is one size), RUNS (5), SEED
# (1), TOOLS ("otpress hugo hugo+pagefind"), WORK (scratch folder, kept), OUT
# (where builds write, default $WORK/out; /dev/shm/x takes the disk out),
# HUGO (a hugo binary), MD (write the Markdown table here too).
set -euo pipefail

SIZES=${SIZES:-${N:-1000 10000}}
RUNS=${RUNS:-5}
SEED=${SEED:-1}
TOOLS=${TOOLS:-otpress hugo hugo+pagefind}
TOOLS=${TOOLS//+/_} # hugo+pagefind is hugo_pagefind inside the script
HUGO_VERSION=v0.164.0
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${WORK:-$(mktemp -d /tmp/otpress-bench.XXXXXX)}
OUT=${OUT:-$WORK/out}
mkdir -p "$WORK"
say() { printf '== %s\n' "$*" >&2; }
case "$WORK$ROOT$OUT" in *' '*) echo "paths with spaces are not supported: $WORK, $ROOT, $OUT" >&2; exit 1 ;; esac

# --- tools -----------------------------------------------------------------

if [[ ! -x /usr/bin/time ]]; then
	say "installing GNU time (for peak RSS)"
	apt-get install -y time >/dev/null
fi
say "building otpress"
(cd "$ROOT" && go build -o "$WORK/otpress" ./generator)
OTPRESS=$WORK/otpress
if [[ " $TOOLS " == *" hugo"* ]]; then
	# shellcheck source=hugo.sh
	source "$ROOT/bench/hugo.sh"
fi
if [[ " $TOOLS " == *" hugo_pagefind "* ]]; then
	if [[ ! -x "$ROOT/bench/search/node_modules/.bin/pagefind" ]]; then
		say "installing Pagefind from bench/search's lockfile"
		(cd "$ROOT/bench/search" && npm ci --no-audit --no-fund --loglevel=error)
	fi
	PAGEFIND=$ROOT/bench/search/node_modules/.bin/pagefind
fi

# command TOOL SITES OUT: the shell command with which TOOL builds its form
# of the site into OUT. otpress minifies and writes its search index by
# default; its warnings (generated episodes have no audio) go to the log.
command() {
	case $1 in
	otpress) echo "$OTPRESS build -s $2/otpress -d $3" ;;
	hugo) echo "$HUGO --quiet --minify -s $2/hugo -d $3" ;;
	hugo_pagefind) echo "$HUGO --quiet --minify -s $2/hugo -d $3 && $PAGEFIND --site $3 --quiet" ;;
	*) echo "unknown tool $1" >&2; exit 2 ;;
	esac
}
label() { [[ $1 == hugo_pagefind ]] && echo "Hugo + Pagefind" || { [[ $1 == hugo ]] && echo "Hugo" || echo "$1"; }; }

# Outputs are not deleted between runs but moved aside into $TRASH, which
# is emptied once every run is over. On a file system without a journal
# (this machine's ext4), ext4 will not reuse an inode deleted in the last
# one to five minutes, and finding a free one among some 18 000 just
# deleted made every build after a deleted 10k output spend as much time in
# the kernel as in its own code (perf: recently_deleted under ext4_create
# and ext4_mkdir), for Hugo as for otpress. The outputs need room: about 6
# GB at the default sizes, ten times that with 100 000 items.
TRASH=$OUT/.trash
discard() { mkdir -p "$TRASH" && mv "$1" "$(mktemp -d "$TRASH/XXXXXX")/"; }
trap 'rm -rf "$TRASH"' EXIT

# measure TOOL SITES RUN: one build into a fresh folder, otpress's with no
# cache (.otpress-cache) from an earlier build, under /usr/bin/time
# -v; appends "wall cpu rss_kb bytes files pages" to $WORK/N/TOOL.runs.
measure() {
	local tool=$1 sites=$2 runs=$3 out="$OUT/$1"
	[[ -e "$out" ]] && discard "$out"
	# a cold build: nothing kept from the last (warm builds are timed by
	# the WarmBuild benchmarks, bench/README.md)
	[[ $tool == otpress ]] && rm -rf "$sites/otpress/.otpress-cache"
	/usr/bin/time -v -o "$runs.time" bash -c "$(command "$tool" "$sites" "$out")" >"$runs.log" 2>&1 ||
		{ echo "$tool failed; see $runs.log" >&2; exit 1; }
	local bytes files pages
	bytes=$(du -sb "$out" | cut -f1)
	files=$(find "$out" -type f | wc -l)
	pages=$(find "$out" -name '*.html' | wc -l)
	awk -F': ' -v bytes="$bytes" -v files="$files" -v pages="$pages" '
		/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (k = 1; k <= n; k++) s = s * 60 + p[k] }
		/User time/ { u = $2 } /System time/ { y = $2 }
		/Maximum resident set size/ { rss = $2 }
		END { printf "%.3f %.2f %d %d %d %d\n", s, u + y, rss, bytes, files, pages }' "$runs.time" >>"$runs"
	discard "$out"
}

# stats FILE COLUMN: "median min max" of a column of numbers
stats() { awk -v c="$2" '{print $c}' "$1" | sort -g | awk '{v[NR] = $1} END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s %s %s\n", m, v[1], v[NR] }'; }
# ratios A B COLUMN: "median min max" of A/B run by run (runs are interleaved, so run i of each pair up)
ratios() { paste -d' ' <(awk -v c="$3" '{print $c}' "$1") <(awk -v c="$3" '{print $c}' "$2") | awk '{print $1 / $2}' >"$1.ratio"; stats "$1.ratio" 1; }

MDOUT=$WORK/build.md
{
	echo "| items | tool | wall s (median, min–max) | CPU s | peak RSS MB | output MB | files | HTML pages |"
	echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
} >"$MDOUT.table"
: >"$MDOUT.ratios"

for n in $SIZES; do
	sites=$WORK/sites-$n
	if [[ ! -d "$sites/otpress" ]]; then
		say "generating $n items (seed $SEED) in otpress and Hugo form under $sites"
		(cd "$ROOT" && go run ./generator/internal/sitetest/gensite -n "$n" -seed "$SEED" -hugo -o "$sites")
	fi
	mkdir -p "$WORK/$n"
	rm -f "$WORK/$n"/*.runs
	say "$n items: a warm-up build of each (page cache), then $RUNS timed runs of each, interleaved"
	for tool in $TOOLS; do
		bash -c "$(command "$tool" "$sites" "$OUT/warm")" >/dev/null 2>&1 || { echo "$tool failed on $sites" >&2; exit 1; }
		discard "$OUT/warm"
	done
	for ((i = 1; i <= RUNS; i++)); do
		line="   run $i:"
		for tool in $TOOLS; do
			measure "$tool" "$sites" "$WORK/$n/$tool.runs"
			line+=" $(label "$tool") $(cut -d' ' -f1 <"$WORK/$n/$tool.runs" | tail -1) s"
		done
		echo "$line" >&2
	done
	for tool in $TOOLS; do
		r=$WORK/$n/$tool.runs
		read -r wm wl wh < <(stats "$r" 1)
		read -r cm _ _ < <(stats "$r" 2)
		read -r rm _ _ < <(stats "$r" 3)
		read -r bm _ _ < <(stats "$r" 4)
		read -r fm _ _ < <(stats "$r" 5)
		read -r pm _ _ < <(stats "$r" 6)
		awk -v n="$n" -v t="$(label "$tool")" -v wm="$wm" -v wl="$wl" -v wh="$wh" -v cm="$cm" -v rm="$rm" -v bm="$bm" -v fm="$fm" -v pm="$pm" 'BEGIN {
			printf "| %\047d | %s | %.2f (%.2f–%.2f) | %.1f | %.0f | %.1f | %\047d | %\047d |\n", n, t, wm, wl, wh, cm, rm / 1024, bm / 1e6, fm, pm }' >>"$MDOUT.table"
	done
	for other in $TOOLS; do
		[[ "$other" == otpress ]] && continue
		[[ " $TOOLS " == *" otpress "* ]] || continue
		read -r wr wrl wrh < <(ratios "$WORK/$n/otpress.runs" "$WORK/$n/$other.runs" 1)
		read -r cr _ _ < <(ratios "$WORK/$n/otpress.runs" "$WORK/$n/$other.runs" 2)
		read -r rr _ _ < <(ratios "$WORK/$n/otpress.runs" "$WORK/$n/$other.runs" 3)
		read -r br _ _ < <(ratios "$WORK/$n/otpress.runs" "$WORK/$n/$other.runs" 4)
		awk -v n="$n" -v o="$(label "$other")" -v wr="$wr" -v wrl="$wrl" -v wrh="$wrh" -v cr="$cr" -v rr="$rr" -v br="$br" 'BEGIN {
			printf "| %\047d | otpress / %s | %.2f× (%.2f–%.2f) | %.2f× | %.2f× | %.2f× |\n", n, o, wr, wrl, wrh, cr, rr, br }' >>"$MDOUT.ratios"
	done
done

{
	echo "Full builds into fresh folders, $RUNS runs of each tool, interleaved, after a warm-up build; $(nproc) cores; sites from \`gensite -seed $SEED\`."
	echo
	cat "$MDOUT.table"
	if [[ -s "$MDOUT.ratios" ]]; then
		echo
		echo "| items | ratio | wall (median of run-by-run ratios, min–max) | CPU | peak RSS | output bytes |"
		echo "| ---: | --- | ---: | ---: | ---: | ---: |"
		cat "$MDOUT.ratios"
	fi
} >"$MDOUT"
rm -f "$MDOUT.table" "$MDOUT.ratios"
echo
cat "$MDOUT"
if [[ -n "${MD:-}" ]]; then cp "$MDOUT" "$MD"; fi
