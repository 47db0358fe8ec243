#!/usr/bin/env bash
# Times generator deploy of a generated 10,000-item site (seed 1,
# fingerprint = true) against a local S3 server (tests/deploy/s3server:
# gofakes3, in memory, on 127.0.0.1) (issue 33): the first deploy into an
# empty bucket, one with nothing changed, the same without the kept sums
# (every file read again), and one after a story's text changed and a
# build. Prints each deploy's summary line with its wall time and peak RSS.
#
#   bench/deploy.sh            # N=300 for a quick look
#
# WORK (default /dev/shm/otpress-deploy) holds the site, its output, the
# binaries and the server's log.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/dev/shm/otpress-deploy}
N=${N:-10000}
say() { printf '== %s\n' "$*" >&2; }

mkdir -p "$WORK"
(cd "$ROOT" && go build -o "$WORK/otpress" ./generator && go build -o "$WORK/s3server" ./tests/deploy/s3server)
site=$WORK/site-$N
if [[ ! -f "$site/site.toml" ]]; then
	say "generating $N items (seed 1) in $site"
	(cd "$ROOT" && go run ./generator/internal/sitetest/gensite -n "$N" -seed 1 -o "$site")
	sed -i '1a fingerprint = true' "$site/site.toml"
fi

"$WORK/s3server" -addr 127.0.0.1:0 -bucket site >"$WORK/s3.addr" 2>"$WORK/s3.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do [[ -s "$WORK/s3.addr" ]] && break; sleep 0.1; done
addr=$(head -1 "$WORK/s3.addr")
[[ -n "$addr" ]] || { cat "$WORK/s3.log"; exit 1; }
# the target, at this run's port, replaces the last run's
sed -i '/^# bench\/deploy.sh/,$d' "$site/site.toml"
printf '# bench/deploy.sh\n[[deploy.targets]]\nname = "bench"\nurl = "s3://site?region=eu-west-2&use_path_style=true&endpoint=%s"\n' "$addr" >>"$site/site.toml"
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_SESSION_TOKEN= AWS_PROFILE=
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true

say "building into $WORK/public"
"$WORK/otpress" build -s "$site" -d "$WORK/public" 2>&1 | grep -aoE 'Built [^[:cntrl:]]*|[0-9]+ of [0-9]+ files were as before.*'
files=$(find "$WORK/public" -type f ! -name .otpress-output | wc -l)
size=$(du -sm --apparent-size --exclude=.otpress-output "$WORK/public" | cut -f1)
say "$files files, $size MB"

deploy() {
	/usr/bin/time -f "  wall %e s, peak RSS %M KB" "$WORK/otpress" deploy -s "$site" -d "$WORK/public" 2>&1 | grep -Ev '^Kept'
}
rm -f "$site/.otpress-cache/deploy-bench.json"
say "first deploy, empty bucket"
deploy
say "nothing changed"
deploy
say "nothing changed, the kept sums removed (every file read)"
rm -f "$site/.otpress-cache/deploy-bench.json"
deploy
story=$(find "$site/content/stories" -name '*.md' | sort | sed -n 1p)
printf '\nA sentence added by bench/deploy.sh at %s.\n' "$(date +%s)" >>"$story"
say "one story's text changed ($story), built again"
"$WORK/otpress" build -s "$site" -d "$WORK/public" 2>&1 | grep -aoE 'Built [^[:cntrl:]]*|[0-9]+ of [0-9]+ files were as before.*'
deploy
