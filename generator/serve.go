package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
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
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: generator serve [-s DIR] [--port 1313] [--bind 127.0.0.1] [--drafts=false]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("serve takes no arguments, got %q", strings.Join(fs.Args(), " "))}
	}
	if fi, err := os.Stat(*siteDir); err != nil || !fi.IsDir() {
		return usageError{fmt.Sprintf("the site folder %q does not exist", *siteDir)}
	}
	err := serve.Run(ctx, serve.Options{SiteDir: *siteDir, Bind: *bind, Port: *port, Drafts: *drafts, Generator: "otpress " + version, Log: stdout})
	if errors.Is(err, serve.ErrPortBusy) {
		fmt.Fprintf(stderr, "generator: %v\n", strings.TrimPrefix(err.Error(), serve.ErrPortBusy.Error()+": "))
		return errReported
	}
	return err
}
