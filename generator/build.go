package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/site"
)

func cmdBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	siteDir := fs.String("s", ".", "the site `folder`, holding site.toml")
	outDir := fs.String("d", "", "the output `folder` (default: the site folder's public/)")
	drafts := fs.Bool("drafts", false, "include pages marked draft: true")
	future := fs.Bool("future", false, "include pages dated after now (otherwise left out until a build on or after their date)")
	expired := fs.Bool("expired", false, "include pages whose expires date has come (otherwise left out from that day)")
	relative := fs.Bool("relative", false, "make every link relative, for a copy opened from disk (also relative_urls in site.toml)")
	force := fs.Bool("force", false, "replace the output folder even if it holds files otpress did not make (never the site's own folders)")
	clean := fs.Bool("clean", false, "build every page afresh, ignoring the cache of the last build in .otpress-cache (it is written again)")
	if help, err := parseSiteFlags(fs, args, "[-s DIR] [-d DIR] [--force] [--clean] [--drafts] [--future] [--expired] [--relative]", siteDir, stderr); help || err != nil {
		return err
	}

	setMemory(*siteDir, buildGC, buildFloor, buildPerByte)
	progress := &site.Progress{}
	stopProgress := showProgress(stderr, progress)
	res, err := site.Build(ctx, site.Options{
		SiteDir:   *siteDir,
		OutDir:    *outDir,
		Drafts:    *drafts,
		Future:    *future,
		Expired:   *expired,
		Relative:  *relative,
		Force:     *force,
		Cache:     true,
		Clean:     *clean,
		Generator: "otpress " + version,
		Minify:    true,
		Progress:  progress,
		// each learning pack as HTML, SCORM and EPUB beside its page
		PackDownloads: true,
	})
	stopProgress()
	var be *diag.BuildError
	if errors.As(err, &be) {
		// Warnings are worth seeing with the errors, but errors come first.
		for _, p := range be.Problems {
			fmt.Fprint(stderr, p.Detail())
		}
		fmt.Fprintf(stderr, "\nThe build failed with %s; the previous output was not changed.\n", count(len(be.Problems), "error", "errors"))
		return errReported
	}
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprint(stderr, w.Detail())
	}
	fmt.Fprintln(stdout, summaryLine(res))
	if res.Reused > 0 {
		fmt.Fprintf(stdout, "%d of %s were the same as in the last build and were not made again (--clean makes every page).\n", res.Reused, count(res.Pages, "page", "pages"))
	}
	if res.Unchanged > 0 {
		fmt.Fprintf(stdout, "%d of %s were as before and kept their times; %d new or changed.\n", res.Unchanged, count(int(res.Files), "file", "files"), res.Files-res.Unchanged)
	}
	leftOutLines(stdout, res)
	untranslatedLines(stdout, res.Languages, 10)
	return nil
}

// untranslatedLines lists, for each language of a site in several, the
// pages not written in it: all of them, or the first shown.
func untranslatedLines(w io.Writer, langs []site.Language, shown int) {
	for _, l := range langs {
		if len(l.Untranslated) == 0 {
			continue
		}
		how := "shown in another language"
		if l.Omitted {
			how = "left out"
		}
		fmt.Fprintf(w, "%s (%s): %s not translated, %s:\n", l.Name, l.Tag, count(len(l.Untranslated), "page", "pages"), how)
		list := l.Untranslated
		if shown > 0 && len(list) > shown {
			list = list[:shown]
		}
		for _, f := range list {
			fmt.Fprintf(w, "  %s\n", f)
		}
		if len(list) < len(l.Untranslated) {
			fmt.Fprintf(w, "  and %d more (generator check lists them all)\n", len(l.Untranslated)-len(list))
		}
	}
}

// leftOutLines says which pages a build left out for their dates:
// scheduled ones, so an editor whose new story is missing knows why and
// when it will come, and expired ones, so nobody is surprised that a page
// went.
func leftOutLines(w io.Writer, res *site.Result) {
	list := func(head string, items []*content.Item, when func(*content.Item) time.Time) {
		const shown = 10
		if len(items) == 0 {
			return
		}
		fmt.Fprintln(w, head)
		for _, it := range items[:min(len(items), shown)] {
			fmt.Fprintf(w, "  %s  %s\n", when(it).Format("2 Jan 2006"), it.File)
		}
		if len(items) > shown {
			fmt.Fprintf(w, "  and %d more\n", len(items)-shown)
		}
	}
	list(fmt.Sprintf("Left out %s dated after now; each is published by the first build on or after its date (--future includes them now):",
		count(len(res.Scheduled), "scheduled page", "scheduled pages")), res.Scheduled, func(it *content.Item) time.Time { return it.Date })
	list(fmt.Sprintf("Left out %s whose expires date has come (--expired includes them):",
		count(len(res.Expired), "expired page", "expired pages")), res.Expired, func(it *content.Item) time.Time { return it.Expires })
}

// summaryLine is the one-line report of a build.
func summaryLine(r *site.Result) string {
	var kinds []string
	for _, k := range content.Kinds {
		kinds = append(kinds, count(r.Items[k], strings.ToLower(k.Singular()), strings.ToLower(k.Plural())))
	}
	out, _ := filepath.Rel(".", r.OutDir)
	if out == "" || strings.HasPrefix(out, "..") {
		out = r.OutDir
	}
	langs := ""
	if len(r.Languages) > 1 {
		var names []string
		for _, l := range r.Languages {
			names = append(names, l.Name)
		}
		langs = " in " + strings.Join(names, " and ")
	}
	return fmt.Sprintf("Built %s%s (%s, %s) into %s in %s, %s.",
		count(r.Pages, "page", "pages"), langs, strings.Join(kinds, ", "), count(r.Themes, "theme", "themes"),
		out, r.Duration.Round(time.Millisecond), count(len(r.Warnings), "warning", "warnings"))
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// showProgress prints a progress line on a terminal for builds that take
// over a second, and clears it when stopped.
func showProgress(w io.Writer, p *site.Progress) (stop func()) {
	f := terminal(w)
	if f == nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-done:
			return
		case <-time.After(time.Second):
		}
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			fmt.Fprintf(f, "\rBuilding: %d of %d pages", p.Done.Load(), p.Total.Load())
			select {
			case <-done:
				fmt.Fprint(f, "\r\033[K")
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

// parseSiteFlags parses the flags of a command that works on a site folder
// (build, serve): it takes no arguments, and the folder must exist. help
// is true when -h asked for the usage, which has been printed.
func parseSiteFlags(fs *flag.FlagSet, args []string, synopsis string, siteDir *string, stderr io.Writer) (help bool, err error) {
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: generator %s %s\n", fs.Name(), synopsis)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return false, usageError{}
	}
	if fs.NArg() > 0 {
		return false, usageError{fmt.Sprintf("%s takes no arguments, got %q", fs.Name(), strings.Join(fs.Args(), " "))}
	}
	if fi, err := os.Stat(*siteDir); err != nil || !fi.IsDir() {
		return false, usageError{fmt.Sprintf("the site folder %q does not exist", *siteDir)}
	}
	return false, nil
}
