# Shared by the benchmark scripts: finds Hugo $HUGO_VERSION (HUGO if set,
# then GOPATH/bin, then PATH) or installs it with go install, and sets HUGO.
# Needs say() and HUGO_VERSION from the caller.
hugo_ok() { [[ -x "$1" ]] && "$1" version 2>/dev/null | grep -q "hugo $HUGO_VERSION"; }
if [[ -n "${HUGO:-}" ]]; then
	hugo_ok "$HUGO" || { echo "HUGO=$HUGO is not Hugo $HUGO_VERSION" >&2; exit 1; }
else
	HUGO="$(go env GOPATH)/bin/hugo"
	if ! hugo_ok "$HUGO"; then
		if command -v hugo >/dev/null && hugo_ok "$(command -v hugo)"; then
			HUGO=$(command -v hugo)
		else
			# Debian's hugo (0.111) is about twice as slow: not the bar.
			say "installing Hugo $HUGO_VERSION with go install"
			go install "github.com/gohugoio/hugo@$HUGO_VERSION"
		fi
	fi
	hugo_ok "$HUGO" || { echo "cannot find or install Hugo $HUGO_VERSION" >&2; exit 1; }
fi

