package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/hugo"
)

// asFlags collects --as section=kind, given once for each section.
type asFlags map[string]string

func (a asFlags) String() string { return "" }

func (a asFlags) Set(s string) error {
	sec, kind, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("write it as SECTION=KIND, e.g. --as posts=feature")
	}
	a[strings.Trim(sec, "/ ")] = strings.TrimSpace(kind)
	return nil
}

// cmdImport runs "generator import hugo DIR": it writes otpress content
// for a Hugo site's content beside what the site has, replacing nothing,
// and prints what it did at the line each thing came from.
func cmdImport(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "hugo" {
		return usageError{"import reads a Hugo site: generator import hugo HUGO_DIR [-s DIR] [--as SECTION=KIND]"}
	}
	fl := flag.NewFlagSet("import hugo", flag.ContinueOnError)
	fl.SetOutput(stderr)
	siteDir := fl.String("s", ".", "the otpress site `folder` to write into")
	as := asFlags{}
	fl.Var(as, "as", "what a Hugo section's pages become: `SECTION=KIND`, KIND story, feature, page or skip (default feature; repeat for each section)")
	dry := fl.Bool("dry-run", false, "print the report and write nothing")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "Usage: generator import hugo HUGO_DIR [-s DIR] [--as SECTION=KIND]... [--dry-run]")
		fl.PrintDefaults()
	}
	pos, err := parseFlags(fl, args[1:])
	if err != nil {
		return ignoreHelp(err)
	}
	if len(pos) != 1 {
		return usageError{"import hugo needs the Hugo site's folder, e.g. generator import hugo ../old-site"}
	}
	src := pos[0]
	res, err := hugo.Import(os.DirFS(src), os.DirFS(*siteDir), hugo.Options{As: as, Now: time.Now()})
	if err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	failed := false
	for _, e := range res.Report {
		e.File = filepath.ToSlash(filepath.Join(src, filepath.FromSlash(e.File)))
		fmt.Fprintln(stdout, e)
		failed = failed || e.What == hugo.Error
	}
	fmt.Fprint(stdout, res.Summary())
	if *dry {
		fmt.Fprintln(stdout, "Nothing was written (--dry-run).")
	} else {
		for _, err := range hugo.Write(*siteDir, os.DirFS(src), res.Files) {
			fmt.Fprintf(stderr, "generator: %v\n", err)
			failed = true
		}
		fmt.Fprintf(stdout, "Written into %s. Next: generator check -s %s lists what to fix before the first build.\n", *siteDir, *siteDir)
	}
	if failed {
		return errReported
	}
	return nil
}
