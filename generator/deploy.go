package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/deploy"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/publish"
	"github.com/otpress/otpress/generator/internal/site"
)

// cmdDeploy copies the built site, as it is, to a bucket named in
// site.toml: it does not build.
func cmdDeploy(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("deploy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	siteDir := fs.String("s", ".", "the site `folder`, holding site.toml")
	outDir := fs.String("d", "", "the built site's `folder` (default: the site folder's public/); deploy does not build, run generator build first")
	name := fs.String("target", "", "the `name` of the [[deploy.targets]] entry to deploy to (may be left out when site.toml has one)")
	dryRun := fs.Bool("dry-run", false, "print what would be uploaded and deleted, and change nothing")
	force := fs.Bool("force", false, "delete files even when more than max_deletes of the bucket's files would go")
	confirm := fs.Bool("confirm", false, "print the plan and ask before changing anything")
	if help, err := parseSiteFlags(fs, args, "[-s DIR] [-d DIR] [--target NAME] [--dry-run] [--force] [--confirm]", siteDir, stderr); help || err != nil {
		return err
	}
	cfg, probs := config.Load(os.DirFS(*siteDir))
	if cfg == nil {
		for _, p := range probs {
			fmt.Fprint(stderr, p.Detail())
		}
		return errReported
	}
	target, err := chooseTarget(cfg.Deploy, *name)
	if err != nil {
		return err
	}
	dir := *outDir
	if dir == "" {
		dir = filepath.Join(*siteDir, "public")
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return usageError{fmt.Sprintf("the built site's folder %q does not exist; deploy sends the folder as it is and does not build: run generator build first", dir)}
	}
	if fi, err := os.Lstat(filepath.Join(dir, publish.Marker)); err != nil || !fi.Mode().IsRegular() {
		return usageError{fmt.Sprintf("the folder %q was not made by generator build (it has no %s), so deploy will not copy it to %s; build the site into it first, or name the built folder with -d", dir, publish.Marker, target.Name)}
	}

	opts := deploy.Options{Target: *target, Settings: cfg.Deploy, Dir: dir, Skip: publish.Marker,
		Sums: filepath.Join(*siteDir, site.CacheDir, "deploy-"+target.Name+".json")}
	bucket, err := deploy.Open(ctx, *target)
	if err != nil {
		return reportDeploy(err, stderr)
	}
	defer bucket.Close()
	plan, err := deploy.MakePlan(ctx, bucket, opts)
	if err != nil {
		return reportDeploy(err, stderr)
	}
	if *dryRun || *confirm {
		printPlan(stdout, plan, target.CloudFront)
	}
	if !*force {
		if err := plan.Guard(cfg.Deploy.MaxDeletes); err != nil {
			return reportDeploy(err, stderr)
		}
	}
	if *dryRun {
		fmt.Fprintf(stdout, "Dry run for %s: %s to upload (%s), %d to delete, %s unchanged; nothing was changed.\n",
			target.Name, thousands(len(plan.Uploads)), kilobytes(plan.Bytes), len(plan.Deletes), thousands(plan.Unchanged))
		printKept(stdout, plan)
		if target.CloudFront != "" {
			if len(plan.Invalidate) == 0 {
				fmt.Fprintf(stdout, "Nothing to invalidate in CloudFront distribution %s.\n", target.CloudFront)
			} else {
				fmt.Fprintf(stdout, "Would invalidate %s in CloudFront distribution %s; no invalidation was started.\n", covers(plan.CDNPaths()), target.CloudFront)
			}
		}
		return nil
	}
	if *confirm {
		if len(plan.Uploads) == 0 && len(plan.Deletes) == 0 && len(plan.Invalidate) == 0 {
			fmt.Fprintf(stdout, "%s already holds the site; nothing to do.\n", target.Name)
			return nil
		}
		invalidate := ""
		if len(plan.Invalidate) > 0 {
			invalidate = ", " + covers(plan.CDNPaths()) + " to invalidate"
		}
		fmt.Fprintf(stdout, "Deploy to %s: %s to upload, %d to delete%s. Go on? [y/N] ", target.Name, thousands(len(plan.Uploads)), len(plan.Deletes), invalidate)
		answer, _ := bufio.NewReader(stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			fmt.Fprintln(stdout, "\nNothing was changed.")
			return nil
		}
	}
	res, err := deploy.Apply(ctx, bucket, plan, opts)
	if err != nil {
		if res != nil && ctx.Err() != nil {
			fmt.Fprintf(stderr, "generator: the deploy to %s stopped after %s of %s; the next deploy uploads the rest.\n", target.Name, thousands(res.Uploaded), thousands(len(plan.Uploads)))
		}
		return reportDeploy(err, stderr)
	}
	fmt.Fprintf(stdout, "Deployed to %s: %s uploaded (%s), %d deleted, %s unchanged in %s.\n",
		target.Name, thousands(res.Uploaded), kilobytes(res.Bytes), res.Deleted, thousands(res.Unchanged), seconds(res.Duration))
	printKept(stdout, plan)
	inv, err := deploy.Invalidate(ctx, bucket, plan, opts)
	if inv != nil {
		fmt.Fprintf(stdout, "CloudFront invalidation %s of %s started for distribution %s.\n", inv.ID, covers(inv.Paths, inv.Count), inv.Distribution)
	}
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "generator: the deploy to %s is done, but its CloudFront invalidation was stopped; the next deploy starts it.\n", target.Name)
		}
		return reportDeploy(err, stderr)
	}
	return nil
}

// covers is what an invalidation's paths stand for: "6 paths", or "/*"
// and how many paths it replaced.
func covers(paths []string, count int) string {
	if len(paths) == 1 && paths[0] == "/*" {
		if count > deploy.MaxInvalidationPaths {
			return fmt.Sprintf("/* (%s paths changed, more than %d)", thousands(count), deploy.MaxInvalidationPaths)
		}
		return "/*"
	}
	if len(paths) == 1 {
		return "1 path"
	}
	return thousands(len(paths)) + " paths"
}

// printKept says which old files named by their hash the bucket keeps,
// and until when.
func printKept(w io.Writer, p *deploy.Plan) {
	if len(p.Kept) == 0 {
		return
	}
	var last time.Time
	for _, since := range p.Kept {
		if since.After(last) {
			last = since
		}
	}
	fmt.Fprintf(w, "Kept %s the site no longer links, named by a hash of their content, for pages cached before; a deploy after %s deletes them.\n",
		diag.Count(len(p.Kept), "file", "files"), last.Add(deploy.KeepOld).UTC().Format("2 Jan 2006 15:04 UTC"))
}

// chooseTarget is the target named, or the only one.
func chooseTarget(d config.Deploy, name string) (*config.Target, error) {
	var names []string
	for _, t := range d.Targets {
		names = append(names, t.Name)
	}
	switch {
	case len(d.Targets) == 0:
		return nil, usageError{`site.toml names no deploy target; add one, e.g.
  [[deploy.targets]]
  name = "live"
  url = "s3://my-bucket?region=eu-west-2"`}
	case name != "":
		if t := d.Target(name); t != nil {
			return t, nil
		}
		return nil, usageError{fmt.Sprintf("site.toml has no deploy target %q; its targets are %s", name, strings.Join(names, ", "))}
	case len(d.Targets) > 1:
		return nil, usageError{fmt.Sprintf("site.toml has %d deploy targets (%s); choose one with --target NAME", len(d.Targets), strings.Join(names, ", "))}
	}
	return &d.Targets[0], nil
}

// reportDeploy prints a failure at the bucket with its fix.
func reportDeploy(err error, stderr io.Writer) error {
	var te *deploy.TargetError
	var de *deploy.DeleteError
	switch {
	case errors.As(err, &te):
		fmt.Fprintf(stderr, "generator: %s\nfix: %s\n", te.Msg, te.Hint)
	case errors.As(err, &de):
		fmt.Fprintf(stderr, "generator: %s\nfix: %s\n", de.Error(), de.Hint())
	default:
		return err
	}
	return errReported
}

// printPlan lists what a deploy will change, in the order it will, and
// the paths it will ask the CloudFront distribution (when there is one)
// to invalidate.
func printPlan(w io.Writer, p *deploy.Plan, distribution string) {
	for _, f := range p.Uploads {
		enc := ""
		if f.Encoding != "" {
			enc = ", " + f.Encoding
		}
		fmt.Fprintf(w, "upload %s (%s, %s%s; %s)\n", f.Path, kilobytes(f.Size), f.ContentType, enc, f.CacheControl)
	}
	for _, path := range p.Deletes {
		fmt.Fprintf(w, "delete %s\n", path)
	}
	for _, path := range slices.Sorted(maps.Keys(p.Kept)) {
		fmt.Fprintf(w, "keep %s (no longer linked; deleted after %s)\n", path, p.Kept[path].Add(deploy.KeepOld).UTC().Format("2 Jan 2006 15:04 UTC"))
	}
	if len(p.Invalidate) > 0 {
		paths, _ := p.CDNPaths()
		for _, path := range paths {
			fmt.Fprintf(w, "invalidate %s in %s\n", path, distribution)
		}
	}
}

// thousands writes n with commas: 4,512.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// kilobytes is a size for people: 340 KB, 12.5 MB.
func kilobytes(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n > 0 && n < 1<<10:
		return "1 KB"
	}
	return fmt.Sprintf("%s KB", thousands(int(n>>10)))
}

// seconds is a duration as 1.2 s.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.1f s", d.Seconds())
}
