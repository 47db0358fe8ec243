// Command generator is the otpress command line: it builds a site, starts
// new content files and reports its version. Each subcommand parses its
// flags and makes one call into the internal packages; errors become exit
// codes here (0 success, 1 problems in the site, 2 wrong usage).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/otpress/otpress/generator/internal/publish"
)

// version is set at release time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

const usage = `otpress builds an accessible, searchable static site of occupational-therapy
stories, podcast episodes and features from Markdown.

Usage:
  generator build [-s DIR] [-d DIR] [--force] [--clean] [--drafts] [--future] [--expired] [--relative]
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
  generator translate content/stories/denis.md LANGUAGE [-s DIR]
                                                  start the page's version in another of the site's
                                                  languages (denis.cy.md), a draft until translated
  generator pack export SLUG [--format html|scorm|scorm2004|epub|pdf] [-o FILE] [--force] [-s DIR]
                                                  a learning pack as one HTML file, a SCORM 1.2 or
                                                  SCORM 2004 zip, an EPUB 3 book or a PDF (printed
                                                  by Chromium)
  generator import hugo HUGO_DIR [-s DIR] [--as SECTION=story|feature|page|skip] [--dry-run]
                                                  write otpress content for a Hugo site's content,
                                                  replacing nothing; reports each key and shortcode
  generator deploy [-s DIR] [-d DIR] [--target NAME] [--dry-run] [--force] [--confirm]
                                                  copy the built site, as it is (it does not build),
                                                  to a bucket named in site.toml: new and changed
                                                  files, then deletions
  generator version                               print the version

Run "generator <command> -h" for a command's options.
`

// exit codes
const (
	exitOK      = 0
	exitContent = 1
	exitUsage   = 2
)

// stopSaid is what a command stopped by a signal says last: that the
// previous output is as it was, except for a deploy, which has said how far
// it got and that the next deploy finishes the job.
func stopSaid(command string, stop stopped) string {
	if command == "deploy" {
		return fmt.Sprintf("generator: %v before the end.", stop)
	}
	return fmt.Sprintf("generator: %v before the end; the previous output is as it was.", stop)
}

// usageError is wrong use of the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	// Ctrl+C, a service manager's stop and a closed terminal all end a
	// command the same way: a build gives up and removes its temporary
	// folder, the preview and check remove theirs; the previous output
	// stays as it was. A second signal ends the command at once; the next
	// command removes what it left.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		sig := <-sigs
		signal.Reset(os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
		cancel(stopped{sig.(syscall.Signal)})
	}()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// stopped is why a command's context was cancelled: a signal.
type stopped struct{ sig syscall.Signal }

func (s stopped) Error() string { return "stopped by a signal (" + s.sig.String() + ")" }

// run executes one command and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	// What reaches the terminal comes partly from the site's files: a
	// control character there could retitle or recolour the terminal.
	stdout, stderr = printable(stdout), printable(stderr)
	if args[0] != "version" && args[0] != "help" {
		publish.Sweep() // what commands killed before their end left behind
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
	case "translate":
		err = cmdTranslate(args[1:], stdout, stderr)
	case "pack":
		err = cmdPack(ctx, args[1:], stdout, stderr)
	case "import":
		err = cmdImport(args[1:], stdout, stderr)
	case "deploy":
		err = cmdDeploy(ctx, args[1:], os.Stdin, stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "otpress %s\n", version)
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
	default:
		err = usageError{fmt.Sprintf("unknown command %q", args[0])}
	}
	var ue usageError
	var re *publish.RefusedError
	var pp *publish.Problem
	var stop stopped
	switch {
	case err == nil:
		return exitOK
	case errors.As(context.Cause(ctx), &stop):
		fmt.Fprintln(stderr, stopSaid(args[0], stop))
		return 128 + int(stop.sig) // as a shell reports a command a signal ended
	case errors.As(err, &re):
		fmt.Fprintf(stderr, "generator: %s\nfix: %s\n", re.Msg, re.Hint)
		return exitUsage
	case errors.As(err, &pp):
		fmt.Fprintf(stderr, "generator: %v\nfix: %s\n", pp, pp.Hint)
		return exitContent
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

// parseFlags parses a subcommand's flags given before, between or after
// its other arguments, which it returns in order. -h gives flag.ErrHelp.
func parseFlags(fl *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for len(args) > 0 {
		if err := fl.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{}
		}
		args = fl.Args()
		if len(args) > 0 {
			pos = append(pos, args[0])
			args = args[1:]
		}
	}
	return pos, nil
}

// ignoreHelp is nil for -h, whose usage the flag set printed.
func ignoreHelp(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}
