package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/content"
)

func cmdNew(args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("new", flag.ContinueOnError)
	fl.SetOutput(stderr)
	siteDir := fl.String("s", ".", "the site `folder`")
	fl.Usage = func() {
		fmt.Fprintln(stderr, `Usage: generator new story|episode|feature|theme|pack "Title" [-s DIR]`)
		fl.PrintDefaults()
	}
	pos, err := parseFlags(fl, args)
	if err != nil {
		return ignoreHelp(err)
	}
	if len(pos) != 2 {
		return usageError{`new needs a kind and a title, e.g. generator new story "Denis walks again"`}
	}
	kind, title := pos[0], strings.TrimSpace(pos[1])
	if !slices.Contains(content.ScaffoldKinds, kind) {
		return usageError{fmt.Sprintf("%q is not a kind of content; use story, episode, feature, theme or pack", kind)}
	}
	if content.Slug(title) == "" {
		return usageError{fmt.Sprintf("the title %q has no letters or digits to make an address from", title)}
	}
	rel := content.ScaffoldPath(kind, title)
	return createFile(stdout, *siteDir, rel, []byte(content.Scaffold(kind, title, time.Now())), "choose another title, or edit that file")
}

// createFile writes a new file of the site, rel, and prints its path; a
// file already there is never replaced (hint says what to do instead).
func createFile(stdout io.Writer, siteDir, rel string, data []byte, hint string) error {
	full := filepath.Join(siteDir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; it was not changed (%s)", rel, hint)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, filepath.ToSlash(full))
	return nil
}
