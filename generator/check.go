package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/linkcheck"
	"github.com/otpress/otpress/generator/internal/site"
)

// cmdCheck runs "generator check": every check the build makes, nothing
// written, one problem a line.
func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	siteDir := fs.String("s", ".", "the site `folder`, holding site.toml")
	drafts := fs.Bool("drafts", false, "check pages marked draft: true too")
	future := fs.Bool("future", false, "check pages dated after now as published pages (otherwise their errors are warnings)")
	expired := fs.Bool("expired", false, "check pages whose expires date has come as published pages (otherwise they are not checked)")
	format := fs.String("format", "text", "`text`: one problem a line, file:line:col: severity: message; json: a list for tools")
	ext := fs.Bool("external", false, "also ask other sites whether links to them still work (8 at once, 10 s each; answers that worked are kept for a day)")
	timeout := fs.Duration("timeout", 10*time.Second, "with --external, how long to wait for each site")
	if help, err := parseSiteFlags(fs, args, "[-s DIR] [--drafts] [--future] [--expired] [--external [--timeout 10s]] [--format text|json]", siteDir, stderr); help || err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return usageError{fmt.Sprintf("--format is text or json, not %q", *format)}
	}
	setMemory(*siteDir, buildGC, buildFloor, buildPerByte)
	o := site.Options{SiteDir: *siteDir, Drafts: *drafts, Future: *future, Expired: *expired, Generator: "otpress " + version, Minify: true}
	if *ext {
		o.External = &linkcheck.Options{Timeout: *timeout, Cache: linkcheck.DefaultCache(), UserAgent: "otpress/" + version + " (link check)"}
	}
	problems, langs, err := site.Check(ctx, o)
	if err != nil {
		return err
	}
	errs := 0
	for _, p := range problems {
		if p.Severity == diag.Error {
			errs++
		}
	}
	if *format == "json" {
		type entry struct {
			File     string `json:"file"`
			Line     int    `json:"line"`
			Column   int    `json:"column"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
			Fix      string `json:"fix,omitempty"`
		}
		out := []entry{}
		for _, p := range problems {
			out = append(out, entry{p.File, p.Line, p.Col, p.Severity.String(), p.Msg, p.Hint})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		for _, p := range problems {
			fmt.Fprintln(stdout, p.OneLine())
		}
		untranslatedLines(stdout, langs, 0)
		fmt.Fprintf(stderr, "%s, %s.\n", count(errs, "error", "errors"), count(len(problems)-errs, "warning", "warnings"))
	}
	if errs > 0 {
		return errReported
	}
	return nil
}
