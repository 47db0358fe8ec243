package config

import (
	"strings"
	"testing"
)

func TestDeploy(t *testing.T) {
	s, probs := Parse([]byte(measuresBase + `
[deploy]
max_deletes = 0.5

[[deploy.targets]]
name = "live"
url = "s3://bucket?region=eu-west-2"
cloudfront = " E2EXAMPLE1ABCD "

[[deploy.targets]]
name = "copy"
url = "file:///srv/site"

[[deploy.matchers]]
pattern = '^.+\.(css|js)$'
cache_control = "public, max-age=31536000, immutable"
gzip = true
`))
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	d := s.Deploy
	if d.MaxDeletes != 0.5 || len(d.Targets) != 2 || d.Target("copy").URL != "file:///srv/site" || d.Target("nope") != nil {
		t.Errorf("deploy = %+v", d)
	}
	if d.Target("live").CloudFront != "E2EXAMPLE1ABCD" || d.Target("copy").CloudFront != "" {
		t.Errorf("cloudfront = %q, %q", d.Target("live").CloudFront, d.Target("copy").CloudFront)
	}
	if d.Targets[0].Pos != (Pos{7, 1}) || d.Matchers[0].Pos != (Pos{16, 1}) {
		t.Errorf("positions = %+v, %+v", d.Targets[0].Pos, d.Matchers[0].Pos)
	}
	if m := d.Match("/css/main.css"); m == nil || !m.Gzip || m.CacheControl != "public, max-age=31536000, immutable" {
		t.Errorf("Match(css) = %+v", m)
	}
	if m := d.Match("/index.html"); m != nil {
		t.Errorf("Match(html) = %+v", m)
	}
	if s, _ := Parse([]byte(measuresBase)); s.Deploy.MaxDeletes != 0.25 {
		t.Errorf("default max_deletes = %v", s.Deploy.MaxDeletes)
	}
}

func TestDeployProblems(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // each a substring of one problem, in order
	}{
		{"max deletes", "[deploy]\nmax_deletes = 2\n", []string{"site.toml:4:1: deploy max_deletes is 2; it must be from 0 to 1"}},
		{"no name", "[[deploy.targets]]\nurl = \"s3://b\"\n", []string{"site.toml:3:1: deploy target 1 has no name"}},
		{"twice", "[[deploy.targets]]\nname = \"live\"\nurl = \"s3://a\"\n[[deploy.targets]]\nname = \"live\"\nurl = \"s3://b\"\n",
			[]string{`site.toml:7:1: deploy target "live" is given twice (first at line 4)`}},
		{"name with a slash", "[[deploy.targets]]\nname = \"live/../../x\"\nurl = \"s3://b\"\n",
			[]string{`site.toml:4:1: deploy target name "live/../../x" has other characters (it names a file of the deploy's cache, and is typed after --target); use letters, digits, "-" and "_"`}},
		{"no url", "[[deploy.targets]]\nname = \"live\"\n", []string{`site.toml:3:1: deploy target "live" has no url`}},
		{"scheme", "[[deploy.targets]]\nname = \"live\"\nurl = \"ftp://host/site\"\n",
			[]string{`site.toml:5:1: deploy target "live": url "ftp://host/site" is not a bucket address otpress knows; start the address with s3://`}},
		{"no bucket", "[[deploy.targets]]\nname = \"live\"\n  url = \"gs://\"\n", []string{`site.toml:5:3: deploy target "live": url "gs://" names no bucket`}},
		{"credentials", "[[deploy.targets]]\nname = \"live\"\nurl = \"s3://key:secret@bucket\"\n", []string{`site.toml:5:1: deploy target "live": url "s3://key:secret@bucket" holds credentials`}},
		{"bad pattern", "[[deploy.matchers]]\ncache_control = \"no-cache\"\npattern = '^(css$'\n",
			[]string{`site.toml:5:1: deploy matcher pattern "^(css$" is not a regular expression (missing closing ): ^(css$)`}},
		{"no pattern", "[[deploy.matchers]]\ncache_control = \"no-cache\"\n", []string{"site.toml:3:1: deploy matcher 1 has no pattern"}},
		{"cloudfront lower case", "[[deploy.targets]]\nname = \"live\"\nurl = \"s3://b\"\ncloudfront = \"e2example1abcd\"\n",
			[]string{`site.toml:6:1: deploy target "live": cloudfront "e2example1abcd" is not a CloudFront distribution ID; IDs are in capitals: cloudfront = "E2EXAMPLE1ABCD"`}},
		{"cloudfront domain", "[[deploy.targets]]\nname = \"live\"\nurl = \"s3://b\"\n  cloudfront = \"d111111abcdef8.cloudfront.net\"\n",
			[]string{`site.toml:6:3: deploy target "live": cloudfront "d111111abcdef8.cloudfront.net" is not a CloudFront distribution ID; that is a domain name; write the distribution's ID`}},
		{"cloudfront arn", "[[deploy.targets]]\nname = \"live\"\ncloudfront = \"arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE1ABCD\"\nurl = \"s3://b\"\n",
			[]string{`site.toml:5:1: deploy target "live": cloudfront "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE1ABCD" is not a CloudFront distribution ID; that is the distribution's ARN; write the ID at its end: cloudfront = "E2EXAMPLE1ABCD"`}},
		{"cloudfront short", "[[deploy.targets]]\nname = \"live\"\nurl = \"s3://b\"\ncloudfront = \"E2\"\n",
			[]string{`site.toml:6:1: deploy target "live": cloudfront "E2" is not a CloudFront distribution ID; write the distribution's ID, capital letters and digits`}},
		{"unknown key", "[[deploy.targets]]\nname = \"live\"\nurl = \"s3://b\"\nbucket = \"b\"\n", []string{`site.toml:6:1: warning: unknown setting "deploy.targets.bucket" is ignored`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, probs := Parse([]byte(measuresBase + tt.src))
			var got []string
			for _, p := range probs {
				got = append(got, p.Error())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("problems = %q; want %d", got, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d = %q; want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}
