#!/usr/bin/env bash
# Times otpress's builds with and without its cache (issue 28) side by side
# with Hugo's full build of the same generated 10,000-item site: two Hugo
# builds, the site package's build benchmarks (each on its own copy of the
# site, seed 1), then two Hugo builds again. Quote ratios to the median of
# the four Hugo builds (bench/README.md, "Fifth slice").
#
#   bench/warm.sh                          # all seven benchmarks
#   BENCH='WarmBuild10kText$' bench/warm.sh
#
# WORK (default /dev/shm/otpress-warm) holds the Hugo site, its output and
# the test binary; the benchmarks write under it too (TMPDIR).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/dev/shm/otpress-warm}
HUGO_VERSION=v0.164.0
BENCH=${BENCH:-'^Benchmark(Build10k|Build10kCache|ColdBuild10kCache|WarmBuild10k|WarmBuild10kText|WarmBuild10kThemes|WarmBuild10kTemplate)$'}
say() { printf '== %s\n' "$*" >&2; }
source "$ROOT/bench/hugo.sh"

mkdir -p "$WORK"
if [[ ! -d "$WORK/sites/hugo" ]]; then
	say "generating 10000 items (seed 1) in Hugo form under $WORK/sites"
	(cd "$ROOT" && go run ./generator/internal/sitetest/gensite -n 10000 -seed 1 -hugo -o "$WORK/sites")
fi
(cd "$ROOT" && go test -c -o "$WORK/site.test" ./generator/internal/site/)
hugo_build() {
	rm -rf "$WORK/hugo-out"
	/usr/bin/time -f "Hugo %e s, peak RSS %M KB" "$HUGO" --quiet --minify -s "$WORK/sites/hugo" -d "$WORK/hugo-out" 2>&1 | tail -1
}
hugo_build
hugo_build
# run from the package's folder: the template benchmark reads the built-in theme
(cd "$ROOT/generator/internal/site" && TMPDIR=$WORK "$WORK/site.test" -test.run '^$' -test.bench "$BENCH" -test.benchtime 2x | grep '^Benchmark')
hugo_build
hugo_build
rm -rf "$WORK/hugo-out"
