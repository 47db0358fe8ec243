// Command generator is the otpress command line: it builds a site, starts
// new content files and reports its version. Each subcommand parses its
// flags and makes one call into the internal packages; errors become exit
// codes here (0 success, 1 problems in the site, 2 wrong usage).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
)

// version is set at release time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

const usage = `otpress builds an accessible, searchable static site of occupational-therapy
stories, podcast episodes and features from Markdown.

Usage:
  generator build [-s DIR] [-d DIR] [--drafts] [--future] [--expired] [--relative]
                                                  build the site into DIR/public
  generator check [-s DIR] [--drafts] [--future] [--expired] [--external] [--format text|json]
                                                  every check the build makes, nothing written;
                                                  links and pictures that go nowhere are errors;
                                                  --external asks other sites about links to them;
                                                  one problem a line (file:line:col: severity: message)
  generator serve [-s DIR] [--port 1313] [--bind 127.0.0.1] [--allow-host NAME] [--drafts=false] [--future=false] [--expired] [--navigate]
                                                  preview the site, rebuilt and reloaded as you save
  generator new story|episode|feature|theme|pack "Title" [-s DIR]
                                                  start a content file with every field
  generator pack export SLUG [--format html|scorm|epub|pdf] [-o FILE] [-s DIR]
                                                  a learning pack as one HTML file, a SCORM 1.2 zip,
                                                  an EPUB 3 book or a PDF (printed by Chromium)
  generator version                               print the version

Run "generator <command> -h" for a command's options.
`

// exit codes
const (
	exitOK      = 0
	exitContent = 1
	exitUsage   = 2
)

// usageError is wrong use of the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	var err error
	switch args[0] {
	case "build":
		err = cmdBuild(ctx, args[1:], stdout, stderr)
	case "serve":
		err = cmdServe(ctx, args[1:], stdout, stderr)
	case "check":
		err = cmdCheck(ctx, args[1:], stdout, stderr)
	case "new":
		err = cmdNew(args[1:], stdout, stderr)
	case "pack":
		err = cmdPack(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "otpress %s\n", version)
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
	default:
		err = usageError{fmt.Sprintf("unknown command %q", args[0])}
	}
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		if ue.msg != "" {
			fmt.Fprintf(stderr, "generator: %s\n\n", ue.msg)
		}
		fmt.Fprint(stderr, usage)
		return exitUsage
	case errors.Is(err, errReported):
		return exitContent
	default:
		fmt.Fprintf(stderr, "generator: %v\n", err)
		return exitContent
	}
}

// errReported means the problems were already printed.
var errReported = errors.New("problems reported")
