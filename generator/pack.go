package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/site"
)

// cmdPack runs "generator pack export SLUG --format html|scorm|scorm2004|epub|pdf".
func cmdPack(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "export" {
		return usageError{`pack needs a command: generator pack export SLUG --format html|scorm|scorm2004|epub|pdf`}
	}
	fl := flag.NewFlagSet("pack export", flag.ContinueOnError)
	fl.SetOutput(stderr)
	siteDir := fl.String("s", ".", "the site `folder`, holding site.toml")
	format := fl.String("format", "html", "`html` (one file to email), scorm (SCORM 1.2 zip for a learning system), scorm2004 (SCORM 2004 4th edition zip), epub (EPUB 3 book) or pdf (printed by Chromium)")
	out := fl.String("o", "", "the `file` to write (default: SLUG.html, .zip, .epub or .pdf here)")
	chromium := fl.String("chromium", "", "the Chromium `program` that prints PDFs (default: found on PATH)")
	drafts := fl.Bool("drafts", false, "include pages marked draft: true")
	future := fl.Bool("future", false, "include pages dated after now")
	expired := fl.Bool("expired", false, "include pages whose expires date has come")
	force := fl.Bool("force", false, "replace the -o file even if it is not an earlier export of the same kind")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "Usage: generator pack export SLUG [--format html|scorm|scorm2004|epub|pdf] [-o FILE] [--force] [-s DIR]")
		fl.PrintDefaults()
	}
	pos, err := parseFlags(fl, args[1:])
	if err != nil {
		return ignoreHelp(err)
	}
	if len(pos) != 1 {
		return usageError{`pack export needs the pack's slug, e.g. generator pack export personalised-care-in-practice --format scorm`}
	}
	if _, ok := site.ExportFormats[*format]; !ok {
		return usageError{fmt.Sprintf("%q is not an export format; use %s", *format, site.ExportFormatList())}
	}
	file, err := site.ExportPack(ctx, site.Options{SiteDir: *siteDir, Drafts: *drafts, Future: *future, Expired: *expired, Generator: "otpress " + version},
		site.ExportOptions{Slug: strings.TrimSpace(pos[0]), Format: *format, Out: *out, Chromium: *chromium, Force: *force})
	var be *diag.BuildError
	if errors.As(err, &be) {
		for _, p := range be.Problems {
			fmt.Fprint(stderr, p.Detail())
		}
		fmt.Fprintf(stderr, "\nThe site has %s, so the pack was not exported.\n", count(len(be.Problems), "error", "errors"))
		return errReported
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, file)
	return nil
}
