package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/otpress/otpress/generator/internal/serve"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	siteDir := fs.String("s", ".", "the site `folder`, holding site.toml")
	port := fs.Int("port", 1313, "the `port` to serve on (0 picks a free one)")
	bind := fs.String("bind", "127.0.0.1", "the `address` to listen on; other machines can reach the preview only if you change it")
	drafts := fs.Bool("drafts", true, "show pages marked draft: true, each with a Draft banner (--drafts=false hides them)")
	future := fs.Bool("future", true, "show pages dated after now, each with a Scheduled banner (--future=false hides them, as a build does)")
	navigate := fs.Bool("navigate", false, "send open pages to the page of each content file you save")
	var allow []string
	fs.Func("allow-host", "also answer requests that name the preview `NAME` (or NAME:PORT, for a proxy in front); repeat for more", func(v string) error {
		allow = append(allow, v)
		return nil
	})
	editing := fs.Bool("edit", false, "edit pages in the browser: forms for every page at /_edit/, an \"Edit this page\" link on each (with --bind other than 127.0.0.1, a login token is printed)")
	git := fs.Bool("git", false, "with --edit, commit each save to the site's git repository, in the name git config gives")
	expired := fs.Bool("expired", false, "show pages whose expires date has come, each with an Expired banner (hidden by default, as a build does)")
	if help, err := parseSiteFlags(fs, args, "[-s DIR] [--port 1313] [--bind 127.0.0.1] [--allow-host NAME] [--drafts=false] [--future=false] [--expired] [--navigate] [--edit [--git]]", siteDir, stderr); help || err != nil {
		return err
	}
	if *git && !*editing {
		return usageError{"--git commits the browser editor's saves; give it with --edit"}
	}
	// The preview keeps the site's state between rebuilds, so its live heap
	// is larger than a build's: under a build's limit the collector ran
	// without pause (a title edit at 10k pages took 800 ms, not 150).
	setMemory(*siteDir, serveGC, serveFloor, servePerByte)
	err := serve.Run(ctx, serve.Options{SiteDir: *siteDir, Bind: *bind, Port: *port, Drafts: *drafts, Future: *future, Expired: *expired, Navigate: *navigate, Edit: *editing, Git: *git, AllowHosts: allow, Generator: "otpress " + version, Log: stdout})
	if errors.Is(err, serve.ErrPortBusy) {
		fmt.Fprintf(stderr, "generator: %v\n", strings.TrimPrefix(err.Error(), serve.ErrPortBusy.Error()+": "))
		return errReported
	}
	return err
}
