package site

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/publish"
)

// Check runs everything a build checks (content, themes, templates, every
// rendered page) into a temporary folder it removes after, so the site's
// own output is never touched, and returns every problem found, errors
// first. Internal links and pictures that go nowhere are errors here, and
// links to other sites are asked about when o.External is set. On a
// site in several languages, langs says what each language lacks (nil
// when the build failed). err is only for failures of the check itself
// (a folder it cannot make, a cancelled context).
func Check(ctx context.Context, o Options) (problems []*diag.Problem, langs []Language, err error) {
	tmp, err := publish.TempDir("check")
	if err != nil {
		return nil, nil, err
	}
	defer tmp.Close()
	o.OutDir = filepath.Join(tmp.Dir, "public")
	o.PackDownloads = false
	o.StrictLinks = true
	res, err := Build(ctx, o)
	var be *diag.BuildError
	switch {
	case errors.As(err, &be):
		return append(be.Problems, be.Warnings...), nil, nil
	case err != nil:
		return nil, nil, err
	}
	return res.Warnings, res.Languages, nil
}
