package config

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"regexp/syntax"
	"strings"

	"github.com/otpress/otpress/generator/internal/diag"
)

// Deploy is the [deploy] table: where generator deploy copies the built
// site, and how each file is served from there.
//
//	[deploy]
//	max_deletes = 0.25
//
//	[[deploy.targets]]
//	name = "live"
//	url = "s3://my-bucket?region=eu-west-2"
//	cloudfront = "E2EXAMPLE1ABCD"
//
//	[[deploy.matchers]]
//	pattern = '^.+\.(css|js)$'
//	cache_control = "public, max-age=31536000, immutable"
//	gzip = true
type Deploy struct {
	// MaxDeletes is the largest share of the files a bucket holds that a
	// deploy deletes without --force: 0.25 refuses to delete more than a
	// quarter of them.
	MaxDeletes float64   `toml:"max_deletes"`
	Targets    []Target  `toml:"targets"`
	Matchers   []Matcher `toml:"matchers"`
}

// Target is one place a site is deployed to, a [[deploy.targets]] table.
// Credentials are never here: each cloud's SDK reads them from the
// environment.
type Target struct {
	Name string `toml:"name"`
	// URL is a gocloud.dev bucket address: s3://bucket?region=…,
	// azblob://container, gs://bucket or file:///path.
	URL string `toml:"url"`
	// CloudFront, when set, is the ID of the CloudFront distribution in
	// front of the bucket: a deploy invalidates the paths it changed there.
	CloudFront string `toml:"cloudfront"`
	Pos        Pos    `toml:"-"` // the [[deploy.targets]] line
}

// Matcher sets how the files whose site path (such as "/css/main.css")
// matches Pattern are served; the first matcher that matches a file wins.
type Matcher struct {
	Pattern      string `toml:"pattern"`
	CacheControl string `toml:"cache_control"`
	// Gzip uploads the file compressed, with Content-Encoding: gzip.
	Gzip bool           `toml:"gzip"`
	Re   *regexp.Regexp `toml:"-"`
	Pos  Pos            `toml:"-"` // the [[deploy.matchers]] line
}

// cloudFrontID is the shape of a distribution's ID: capital letters and
// digits. Real ones are 13 or 14 characters; AWS's examples are shorter,
// so the length is only bounded loosely.
var cloudFrontID = regexp.MustCompile(`^[A-Z0-9]{8,20}$`)

// targetName is what a target's name may hold.
var targetName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

// DeploySchemes are the bucket kinds a target's url may name.
var DeploySchemes = []string{"s3", "azblob", "gs", "file"}

// Target is the deploy target called name, or nil.
func (d *Deploy) Target(name string) *Target {
	for i := range d.Targets {
		if d.Targets[i].Name == name {
			return &d.Targets[i]
		}
	}
	return nil
}

// Match is the first matcher whose pattern matches the site path, or nil.
func (d *Deploy) Match(path string) *Matcher {
	for i := range d.Matchers {
		if m := &d.Matchers[i]; m.Re != nil && m.Re.MatchString(path) {
			return m
		}
	}
	return nil
}

// checkDeploy validates the [deploy] table, compiles the matchers'
// patterns and fills in where each entry is written.
func checkDeploy(d *Deploy, src []byte, at func(string) (int, int)) []*diag.Problem {
	var probs []*diag.Problem
	bad := func(p Pos, hint, format string, args ...any) {
		probs = append(probs, diag.Errorf(File, p.Line, p.Col, format, args...).WithHint("%s", hint))
	}
	if d.MaxDeletes < 0 || d.MaxDeletes > 1 {
		l, c := at("deploy.max_deletes")
		bad(Pos{l, c}, "max_deletes is the share of the bucket's files a deploy may delete without --force, from 0 to 1, e.g. max_deletes = 0.25",
			"deploy max_deletes is %v; it must be from 0 to 1", d.MaxDeletes)
	}
	targets := entryPositions(src, "deploy.targets")
	seen := map[string]Pos{}
	for i := range d.Targets {
		t := &d.Targets[i]
		var keys map[string]Pos
		if i < len(targets) {
			t.Pos, keys = targets[i].at, targets[i].keys
		}
		where := func(key string) Pos {
			if p, ok := keys[key]; ok {
				return p
			}
			if t.Pos.Line != 0 {
				return t.Pos
			}
			l, c := at("deploy")
			return Pos{l, c}
		}
		t.Name = strings.TrimSpace(t.Name)
		switch {
		case t.Name == "":
			bad(where("name"), `give each target a name to choose it by, e.g. name = "live"`, "deploy target %d has no name", i+1)
		case !targetName.MatchString(t.Name):
			bad(where("name"), `use letters, digits, "-" and "_", e.g. name = "live"`, "deploy target name %q has other characters (it names a file of the deploy's cache, and is typed after --target)", t.Name)
		case seen[t.Name] != (Pos{}):
			bad(where("name"), "give each target a name of its own", "deploy target %q is given twice (first at line %d)", t.Name, seen[t.Name].Line)
		default:
			seen[t.Name] = where("name")
		}
		u, err := url.Parse(t.URL)
		switch {
		case strings.TrimSpace(t.URL) == "":
			bad(where("url"), `write the bucket's address, e.g. url = "s3://my-bucket?region=eu-west-2"`, "deploy target %q has no url", t.Name)
		case err != nil || !knownScheme(u.Scheme):
			bad(where("url"), `start the address with s3://, azblob://, gs:// or file://, e.g. url = "s3://my-bucket?region=eu-west-2"`,
				"deploy target %q: url %q is not a bucket address otpress knows", t.Name, t.URL)
		case u.Scheme != "file" && u.Host == "":
			bad(where("url"), fmt.Sprintf(`name the bucket after %s://, e.g. url = "%s://my-bucket"`, u.Scheme, u.Scheme),
				"deploy target %q: url %q names no bucket", t.Name, t.URL)
		case u.User != nil:
			bad(where("url"), "remove them: each cloud's tools read credentials from the environment (see the README's Deploying)",
				"deploy target %q: url %q holds credentials", t.Name, t.URL)
		}
		t.CloudFront = strings.TrimSpace(t.CloudFront)
		if t.CloudFront != "" && !cloudFrontID.MatchString(t.CloudFront) {
			bad(where("cloudfront"), cloudFrontHint(t.CloudFront),
				"deploy target %q: cloudfront %q is not a CloudFront distribution ID", t.Name, t.CloudFront)
		}
	}
	matchers := entryPositions(src, "deploy.matchers")
	for i := range d.Matchers {
		m := &d.Matchers[i]
		var keys map[string]Pos
		if i < len(matchers) {
			m.Pos, keys = matchers[i].at, matchers[i].keys
		}
		p, ok := keys["pattern"]
		if !ok {
			p = m.Pos
		}
		if m.Pattern == "" {
			bad(p, `write which site paths it is for, as a Go regular expression, e.g. pattern = '^.+\.(css|js)$'`, "deploy matcher %d has no pattern", i+1)
			continue
		}
		re, err := regexp.Compile(m.Pattern)
		if err != nil {
			msg := err.Error()
			var e *syntax.Error
			if errors.As(err, &e) {
				msg = string(e.Code) + ": " + e.Expr
			}
			bad(p, `patterns are Go regular expressions (RE2); write them in single quotes so backslashes stay as they are, e.g. pattern = '^.+\.(css|js)$'`,
				"deploy matcher pattern %q is not a regular expression (%s)", m.Pattern, msg)
			continue
		}
		m.Re = re
	}
	return probs
}

// cloudFrontHint says how to write the distribution ID that id was meant
// to be.
func cloudFrontHint(id string) string {
	const find = "it is in the ID column of the CloudFront console, or aws cloudfront list-distributions --query 'DistributionList.Items[].[Id,DomainName]' lists it"
	switch {
	case strings.HasPrefix(id, "arn:"):
		i := strings.LastIndex(id, "/")
		if i >= 0 && cloudFrontID.MatchString(id[i+1:]) {
			return fmt.Sprintf("that is the distribution's ARN; write the ID at its end: cloudfront = %q", id[i+1:])
		}
		return "that is an ARN; write the distribution's ID alone, e.g. cloudfront = \"E2EXAMPLE1ABCD\"; " + find
	case strings.Contains(id, "."):
		return "that is a domain name; write the distribution's ID, e.g. cloudfront = \"E2EXAMPLE1ABCD\"; " + find
	case cloudFrontID.MatchString(strings.ToUpper(id)):
		return fmt.Sprintf("IDs are in capitals: cloudfront = %q", strings.ToUpper(id))
	}
	return "write the distribution's ID, capital letters and digits, e.g. cloudfront = \"E2EXAMPLE1ABCD\"; " + find
}

func knownScheme(s string) bool {
	for _, k := range DeploySchemes {
		if s == k {
			return true
		}
	}
	return false
}

// entry is where one [[table]] entry and its keys are written.
type entry struct {
	at   Pos
	keys map[string]Pos
}

// entryPositions finds each [[name]] header in src, in order, and the
// keys written under it.
func entryPositions(src []byte, name string) []entry {
	var out []entry
	in := false
	for i, line := range strings.Split(string(src), "\n") {
		trimmed := strings.TrimSpace(line)
		col := len(line) - len(strings.TrimLeft(line, " \t")) + 1
		if strings.HasPrefix(trimmed, "[") {
			header := strings.TrimSpace(strings.Trim(strings.SplitN(trimmed, "#", 2)[0], "[] \t\r"))
			in = strings.HasPrefix(trimmed, "[[") && header == name
			if in {
				out = append(out, entry{Pos{i + 1, col}, map[string]Pos{}})
			}
			continue
		}
		if !in || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if k, _, ok := strings.Cut(trimmed, "="); ok {
			out[len(out)-1].keys[strings.Trim(strings.TrimSpace(k), `"'`)] = Pos{i + 1, col}
		}
	}
	return out
}
