#!/usr/bin/env bash
# Times the editors' preview against `hugo server` (Hugo 0.164) on the same
# generated site (default 10 000 items): from saving a story's file to the
# server answering with the changed page, for a change to the text and a
# change to the title, for a change of theme (which moves the story between
# theme pages, lists and feeds), and the server's peak memory. Both servers are asked
# for the page every 5 ms until it shows the change, so neither's reload
# mechanism is part of the measure. Then, for otpress, the same edits with
# the page open in headless Chromium (Debian's): the time until the browser
# shows the change.
#
#   bench/preview.sh                 # 10 000 items, 8 edits of each kind
#   N=1000 EDITS=5 bench/preview.sh
#
# Environment: N (10000), EDITS (8), SEED (1), KINDS (body title theme),
# WORK (scratch folder, kept),
# HUGO (a hugo binary), PAUSE (ms between edits, 2500, 4500 for themes: each
# edit is undone after it is measured, and the servers settle).
set -euo pipefail

N=${N:-10000}
EDITS=${EDITS:-8}
SEED=${SEED:-1}
HUGO_VERSION=v0.164.0
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${WORK:-$(mktemp -d /tmp/otpress-preview.XXXXXX)}
mkdir -p "$WORK"
say() { printf '== %s\n' "$*" >&2; }

# shellcheck source=hugo.sh
source "$ROOT/bench/hugo.sh"
say "building otpress"
(cd "$ROOT" && go build -o "$WORK/otpress" ./generator)
if [[ ! -d "$WORK/sites/otpress" ]]; then
	say "generating $N items (seed $SEED) in otpress and Hugo form under $WORK/sites"
	(cd "$ROOT" && go run ./generator/internal/sitetest/gensite -n "$N" -seed "$SEED" -hugo -o "$WORK/sites")
fi
say "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
# the browser measure uses playwright-core from bench/search's lockfile
if [[ ! -d "$ROOT/bench/search/node_modules/playwright-core" ]]; then
	say "installing bench/search's npm packages"
	(cd "$ROOT/bench/search" && npm ci --no-audit --no-fund --loglevel=error)
fi
for kind in ${KINDS:-body title theme}; do
	pause=${PAUSE:-2500}
	[[ $kind == theme && -z ${PAUSE:-} ]] && pause=4500
	EDIT=$kind PAUSE=$pause node "$ROOT/bench/preview/browser.mjs" "$WORK/otpress" "$WORK/sites/otpress" "$EDITS"
done
for kind in ${KINDS:-body title theme}; do
	# a theme change may rewrite a few thousand list pages (when a big
	# theme's list gains or loses a page): give each edit and its undo time
	# to finish before the next
	pause=${PAUSE:-2500}
	[[ $kind == theme && -z ${PAUSE:-} ]] && pause=4500
	EDIT=$kind PAUSE=$pause node "$ROOT/bench/preview/poll.mjs" otpress "$WORK/otpress" "$WORK/sites/otpress" "$EDITS"
	EDIT=$kind PAUSE=$pause node "$ROOT/bench/preview/poll.mjs" hugo "$HUGO" "$WORK/sites/hugo" "$EDITS"
done
