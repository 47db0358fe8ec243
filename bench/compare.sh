#!/usr/bin/env bash
# Times otpress against Hugo 0.164 on the same generated site (default 10 000
# items): wall time and peak RSS of full minified builds into fresh output
# folders, several runs each, interleaved, and the ratio otpress/Hugo.
#
#   bench/compare.sh                 # 10 000 items, 5 runs each
#   N=1000 RUNS=3 bench/compare.sh   # smaller and quicker
#
# Environment: N (items, 10000), RUNS (timed runs per tool, 5), SEED (1),
# WORK (scratch folder, default a new one under /tmp; kept afterwards),
# HUGO (a hugo binary to use instead of finding or installing one), OUT
# (the folder the builds write under, default $WORK/out; a tmpfs such as
# /dev/shm/x measures the builds without the disk).
set -euo pipefail

N=${N:-10000}
RUNS=${RUNS:-5}
SEED=${SEED:-1}
HUGO_VERSION=v0.164.0
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${WORK:-$(mktemp -d /tmp/otpress-bench.XXXXXX)}
mkdir -p "$WORK"

say() { printf '== %s\n' "$*" >&2; }

# --- tools -----------------------------------------------------------------

if [[ ! -x /usr/bin/time ]]; then
	say "installing GNU time (for peak RSS)"
	apt-get install -y time >/dev/null
fi

# shellcheck source=hugo.sh
source "$ROOT/bench/hugo.sh"

say "building otpress"
(cd "$ROOT" && go build -o "$WORK/otpress" ./generator)
OTPRESS=$WORK/otpress

# --- sites -----------------------------------------------------------------

# The generator is internal to generator/; its small command writes the sites.
say "generating $N items (seed $SEED) in otpress and Hugo form under $WORK/sites"
(cd "$ROOT" && go run ./generator/internal/sitetest/gensite -n "$N" -seed "$SEED" -hugo -o "$WORK/sites")
OSITE=$WORK/sites/otpress
HSITE=$WORK/sites/hugo
OUT=${OUT:-$WORK/out} # OUT=/dev/shm/otpress-bench-out takes the disk out of the measurement

# Each tool's command with the output folder as its last argument. otpress
# minifies by default; its warnings (every generated episode has no audio)
# are discarded with the rest of the output.
cmd_otpress() { echo "$OTPRESS" build -s "$OSITE" -d; }
cmd_hugo() { echo "$HUGO" --quiet --minify -s "$HSITE" -d; }

# measure TOOL N: one build into a fresh folder under /usr/bin/time -v;
# appends "wall_seconds rss_kb" to $WORK/TOOL.runs.
measure() {
	local tool=$1 out="$OUT/$1-$2" tv="$WORK/$1-$2.time"
	rm -rf "$out"
	# shellcheck disable=SC2046 # the command's words are paths without spaces
	/usr/bin/time -v -o "$tv" $("cmd_$tool") "$out" >"$WORK/$tool.log" 2>&1 ||
		{ echo "$tool failed; see $WORK/$tool.log" >&2; exit 1; }
	awk -F': ' '
		/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (k = 1; k <= n; k++) s = s * 60 + p[k] }
		/Maximum resident set size/ { rss = $2 }
		END { printf "%.3f %d\n", s, rss }' "$tv" >>"$WORK/$tool.runs"
	# count the pages, then drop the output so the disk does not fill up
	find "$out" -name '*.html' | wc -l >"$WORK/$tool.pages"
	rm -rf "$out"
}

case "$WORK$ROOT" in *' '*) echo "paths with spaces are not supported: $WORK, $ROOT" >&2; exit 1 ;; esac

rm -f "$WORK"/*.runs
say "warm-up build of each (page cache, Go build cache)"
$(cmd_otpress) "$OUT/warm-otpress" >/dev/null 2>&1
$(cmd_hugo) "$OUT/warm-hugo" >/dev/null 2>&1
rm -rf "$OUT"

say "$RUNS timed runs of each, interleaved, under /usr/bin/time -v"
for ((i = 1; i <= RUNS; i++)); do
	measure otpress "$i"
	measure hugo "$i"
	printf '   run %d: otpress %s   hugo %s\n' "$i" "$(tail -1 "$WORK/otpress.runs")" "$(tail -1 "$WORK/hugo.runs")" >&2
done

HF=""
if command -v hyperfine >/dev/null; then
	say "hyperfine, $RUNS runs each (fresh output folder before every run)"
	hyperfine --style basic --runs "$RUNS" --warmup 1 \
		--export-csv "$WORK/hyperfine.csv" \
		--prepare "rm -rf $OUT/hf" \
		-n otpress "$(cmd_otpress) $OUT/hf" \
		-n hugo "$(cmd_hugo) $OUT/hf" >&2
	rm -rf "$OUT/hf"
	HF=$WORK/hyperfine.csv
fi

# --- report ----------------------------------------------------------------

# stats FILE COLUMN: "median min max" of a column of numbers
stats() { awk -v c="$2" '{print $c}' "$1" | sort -g | awk '{v[NR] = $1} END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s %s %s\n", m, v[1], v[NR] }'; }

read -r ot_med ot_min ot_max < <(stats "$WORK/otpress.runs" 1)
read -r hu_med hu_min hu_max < <(stats "$WORK/hugo.runs" 1)
read -r ot_rss _ ot_rss_max < <(stats "$WORK/otpress.runs" 2)
read -r hu_rss _ hu_rss_max < <(stats "$WORK/hugo.runs" 2)
ot_pages=$(cat "$WORK/otpress.pages")
hu_pages=$(cat "$WORK/hugo.pages")

hf_mean() { # hf_mean NAME → "mean ± stddev" in seconds from hyperfine's CSV
	[[ -n "$HF" ]] || { echo "-"; return; }
	awk -F, -v n="$1" '$1 == n { printf "%.2f ± %.2f\n", $2, $3 }' "$HF"
}
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo
echo "otpress vs Hugo $HUGO_VERSION: $N items (seed $SEED), $RUNS runs each, $(nproc) cores; work folder $WORK"
echo
printf '%-8s | %7s | %14s | %16s | %13s | %s\n' tool "pages" "wall median s" "wall min–max s" "hyperfine s" "peak RSS MB (median)"
printf '%-8s-+-%7s-+-%14s-+-%16s-+-%13s-+-%s\n' -------- ------- -------------- ---------------- ------------- --------------------
printf '%-8s | %7s | %14.2f | %7.2f – %6.2f | %13s | %6s (max %s)\n' otpress "$ot_pages" "$ot_med" "$ot_min" "$ot_max" "$(hf_mean otpress)" "$(mb "$ot_rss")" "$(mb "$ot_rss_max")"
printf '%-8s | %7s | %14.2f | %7.2f – %6.2f | %13s | %6s (max %s)\n' hugo "$hu_pages" "$hu_med" "$hu_min" "$hu_max" "$(hf_mean hugo)" "$(mb "$hu_rss")" "$(mb "$hu_rss_max")"
echo
echo "ratio otpress/Hugo (medians): wall time $(ratio "$ot_med" "$hu_med")×, peak RSS $(ratio "$ot_rss" "$hu_rss")×"
echo "(HTML pages differ: Hugo also writes page/1/ redirects and paginates theme pages; otpress does not.)"
