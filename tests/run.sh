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
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "== npm ci (tests/browser)"
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

# --- Go ------------------------------------------------------------------
echo "== gofmt and go vet"
unformatted=$(gofmt -l generator themes bench 2>/dev/null || true)
if [ -n "$unformatted" ]; then echo "gofmt needed on: $unformatted"; exit 1; fi
go vet ./...
echo "== go test"
go test -count=1 ./...

# --- the example site, built as an editor would ----------------------------
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== build the example site"
go run ./generator build -d "$work/example"

# --- accessibility gate in a real browser ----------------------------------
echo "== accessibility gate (axe-core, keyboard, reflow, print) in Chromium"
node tests/browser/a11y.mjs "$work/example"
