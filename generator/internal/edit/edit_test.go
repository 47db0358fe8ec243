package edit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/otpress/otpress/generator/internal/diag"
	fm "github.com/otpress/otpress/generator/internal/frontmatter"
	"golang.org/x/net/html"
)

// A hand-written story: comments, odd spacing, quoting and order that a
// save must leave alone where the editor changed nothing.
const denis = `---
# Checked with Laura, 3 March.
title:   "Denis walks again"
date: 2026-11-23
summary: >-
  After a year in bed, Denis walks
  to his kitchen.
themes: [rehab-potential, goal-setting]   # two for now
person: Denis
goals:
    - Get out of that bed
    - Walk to the kitchen
outcomes:
  - measure: Care visits a day
    before: 4
    after: 0   # none now
    unit: visits
sources:
  - {id: iaap-72, relation: basedOn}
---
## Where Denis started

He had been in bed for a year.
`

var siteFiles = map[string]string{
	"site.toml":                      "title = \"Edit test\"\nbase_url = \"https://example.org/\"\n\n[[measures]]\nname = \"Care visits a day\"\nunit = \"visits\"\nbetter = \"lower\"\n",
	"content/stories/denis.md":       denis,
	"content/themes/goal-setting.md": "---\ntitle: Goal setting\n---\nGoals the person sets.\n",
	"data/sources.yaml":              "iaap-72:\n  type: broadcast\n  title: \"It's all about people, episode 72\"\n  issued: 2024-05-01\n",
}

type site struct {
	t   *testing.T
	dir string
	e   *Editor
	srv *httptest.Server
}

func newSite(t *testing.T, token string) *site {
	t.Helper()
	dir := t.TempDir()
	for name, body := range siteFiles {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e, err := New(Options{SiteDir: dir, Token: token, Now: func() time.Time { return time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(func() { srv.Close(); e.Close() })
	return &site{t: t, dir: dir, e: e, srv: srv}
}

func (s *site) read(name string) string {
	b, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(name)))
	if err != nil {
		s.t.Fatal(err)
	}
	return string(b)
}

// get fetches a page of the editor as a browser would.
func (s *site) get(path string) (int, string) {
	s.t.Helper()
	req, _ := http.NewRequest("GET", s.srv.URL+path, nil)
	return s.do(req)
}

func (s *site) do(req *http.Request) (int, string) {
	s.t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(res.Body)
	return res.StatusCode, b.String()
}

// save sends the form as its Save button does and fails the test unless
// the page was saved (303, to the saved page).
func (s *site) save(path string, v url.Values) {
	s.t.Helper()
	v.Set("op", "save")
	if code, page := s.post(path, v); code != http.StatusSeeOther {
		s.t.Fatalf("save %s: %d\n%s", path, code, page)
	}
}

// fileHas returns a file of the site, failing the test for each of wants
// it does not hold.
func (s *site) fileHas(name string, wants ...string) string {
	s.t.Helper()
	got := s.read(name)
	for _, want := range wants {
		if !strings.Contains(got, want) {
			s.t.Errorf("%s lacks %q:\n%s", name, want, got)
		}
	}
	return got
}

// post sends a form as the editor's own page would: its Origin, the
// values given.
func (s *site) post(path string, v url.Values) (int, string) {
	s.t.Helper()
	req, _ := http.NewRequest("POST", s.srv.URL+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.srv.URL)
	return s.do(req)
}

// formOf is what a browser would send for the page's form unchanged:
// every input, checked box, chosen option and text area.
func formOf(t *testing.T, page string) url.Values {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	v := url.Values{}
	attr := func(n *html.Node, k string) (string, bool) {
		for _, a := range n.Attr {
			if a.Key == k {
				return a.Val, true
			}
		}
		return "", false
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			name, named := attr(n, "name")
			switch n.Data {
			case "input":
				typ, _ := attr(n, "type")
				val, _ := attr(n, "value")
				_, checked := attr(n, "checked")
				if named && (typ != "checkbox" || checked) {
					v.Add(name, val)
				}
			case "textarea":
				text := ""
				if n.FirstChild != nil {
					text = n.FirstChild.Data
				}
				if named {
					v.Add(name, text)
				}
			case "select":
				chosen, first := "", ""
				for o := n.FirstChild; o != nil; o = o.NextSibling {
					if o.Type != html.ElementNode || o.Data != "option" {
						continue
					}
					val, _ := attr(o, "value")
					if first == "" {
						first = val
					}
					if _, sel := attr(o, "selected"); sel {
						chosen = val
					}
				}
				if chosen == "" {
					chosen = first
				}
				if named {
					v.Add(name, chosen)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	v.Del("op")
	return v
}

const denisPage = "/_edit/page?file=content%2Fstories%2Fdenis.md"

func TestSaveChangesOnlyWhatChanged(t *testing.T) {
	s := newSite(t, "")
	code, page := s.get(denisPage)
	if code != 200 {
		t.Fatalf("GET form: %d\n%s", code, page)
	}
	v := formOf(t, page)
	if got := v.Get("title"); got != "Denis walks again" {
		t.Fatalf("title in the form = %q", got)
	}
	if got := v["goals"]; len(got) != 2 || got[1] != "Walk to the kitchen" {
		t.Fatalf("goals in the form = %q", got)
	}
	if got := v.Get("outcomes.0.after"); got != "0" {
		t.Fatalf("outcome after in the form = %q", got)
	}
	v.Set("title", "Denis: walking again")
	v.Set("op", "save")
	code, page = s.post(denisPage, v)
	if code != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", code, page)
	}
	want := strings.Replace(denis, `title:   "Denis walks again"`, `title: "Denis: walking again"`, 1)
	if got := s.read("content/stories/denis.md"); got != want {
		t.Errorf("file after a title change:\n%s\nwant:\n%s", got, want)
	}

	// the text alone
	_, page = s.get(denisPage)
	v = formOf(t, page)
	v.Set("body", strings.Replace(v.Get("body"), "a year", "more than a year", 1))
	v.Set("op", "save")
	if code, page = s.post(denisPage, v); code != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", code, page)
	}
	want = strings.Replace(want, "for a year.", "for more than a year.", 1)
	if got := s.read("content/stories/denis.md"); got != want {
		t.Errorf("file after a text change:\n%s\nwant:\n%s", got, want)
	}
}

func TestSaveUnchangedWritesNothing(t *testing.T) {
	s := newSite(t, "")
	p := filepath.Join(s.dir, "content/stories/denis.md")
	old := time.Now().Add(-time.Hour)
	os.Chtimes(p, old, old)
	_, page := s.get(denisPage)
	v := formOf(t, page)
	v.Set("op", "save")
	code, page := s.post(denisPage, v)
	if code != 200 || !strings.Contains(page, "nothing was written") {
		t.Fatalf("unchanged save: %d\n%s", code, page)
	}
	if fi, _ := os.Stat(p); !fi.ModTime().Equal(old) || s.read("content/stories/denis.md") != denis {
		t.Error("an unchanged save touched the file")
	}
}

func TestConflictShowsBothVersions(t *testing.T) {
	s := newSite(t, "")
	_, page := s.get(denisPage)
	v := formOf(t, page)
	theirs := strings.Replace(denis, "person: Denis", "person: Denis, 82", 1)
	os.WriteFile(filepath.Join(s.dir, "content/stories/denis.md"), []byte(theirs), 0o644)
	v.Set("title", "Mine")
	v.Set("op", "save")
	code, page := s.post(denisPage, v)
	if code != http.StatusConflict {
		t.Fatalf("save over a changed file: %d\n%s", code, page)
	}
	for _, want := range []string{"changed by someone else", "Denis, 82", "Mine", "Denis walks again"} {
		if !strings.Contains(page, want) {
			t.Errorf("conflict page lacks %q", want)
		}
	}
	if s.read("content/stories/denis.md") != theirs {
		t.Fatal("a conflicting save wrote the file")
	}
	// saving again from the conflict page keeps the form's values
	v = formOf(t, page)
	v.Set("op", "save")
	if code, page = s.post(denisPage, v); code != http.StatusSeeOther {
		t.Fatalf("second save: %d\n%s", code, page)
	}
	got := s.read("content/stories/denis.md")
	if !strings.Contains(got, "title: Mine") || !strings.Contains(got, "person: Denis\n") {
		t.Errorf("after choosing the form's version:\n%s", got)
	}
}

func TestBadValueShownAtItsField(t *testing.T) {
	s := newSite(t, "")
	_, page := s.get(denisPage)
	v := formOf(t, page)
	v.Set("outcomes.0.before", "lots")
	v.Set("op", "save")
	code, page := s.post(denisPage, v)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("bad outcome: %d\n%s", code, page)
	}
	if s.read("content/stories/denis.md") != denis {
		t.Fatal("a refused save wrote the file")
	}
	at := between(page, `id="w-outcomes-0-before"`, "</div>")
	if !strings.Contains(at, `class="error"`) || !strings.Contains(at, "Before must be a number") || !strings.Contains(at, `aria-describedby="e-outcomes-0-before"`) {
		t.Errorf("the outcome's before field does not show its problem:\n%s", at)
	}
	if strings.Contains(between(page, `id="w-outcomes-0-after"`, "</div>"), `class="error"`) {
		t.Error("the problem is shown at the after field too")
	}
	if !strings.Contains(page, `href="#f-outcomes-0-before"`) || !strings.Contains(page, `value="lots"`) {
		t.Error("the summary does not link to the field, or the value typed was lost")
	}
}

func TestMissingTitleShownAtTitle(t *testing.T) {
	s := newSite(t, "")
	_, page := s.get(denisPage)
	v := formOf(t, page)
	v.Set("title", "")
	v.Set("op", "save")
	code, page := s.post(denisPage, v)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("no title: %d", code)
	}
	if !strings.Contains(between(page, `id="w-title"`, "</div>"), `class="error"`) {
		t.Errorf("no problem at the title:\n%s", page)
	}
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}

func TestListActions(t *testing.T) {
	s := newSite(t, "")
	_, page := s.get(denisPage)
	v := formOf(t, page)
	v.Set("op", "add goals")
	_, page = s.post(denisPage, v)
	v = formOf(t, page)
	if got := v["goals"]; len(got) != 3 || got[2] != "" {
		t.Fatalf("after add: %q", got)
	}
	if !strings.Contains(page, `id="f-goals-2" name="goals" value="" autofocus`) {
		t.Error("the new entry is not focused")
	}
	v["goals"] = []string{"Get out of that bed", "Walk to the kitchen", "Garden"}
	v.Set("op", "up goals 2")
	_, page = s.post(denisPage, v)
	if got := formOf(t, page)["goals"]; strings.Join(got, "|") != "Get out of that bed|Garden|Walk to the kitchen" {
		t.Fatalf("after up: %q", got)
	}
	v = formOf(t, page)
	v.Set("op", "remove goals 0")
	_, page = s.post(denisPage, v)
	v = formOf(t, page)
	if got := v["goals"]; strings.Join(got, "|") != "Garden|Walk to the kitchen" {
		t.Fatalf("after remove: %q", got)
	}
	v.Set("op", "add outcomes")
	_, page = s.post(denisPage, v)
	v = formOf(t, page)
	v.Set("outcomes.1.measure", "Falls a month")
	v.Set("outcomes.1.before", "3")
	v.Set("outcomes.1.after", "1")
	s.save(denisPage, v)
	s.fileHas("content/stories/denis.md", "# Checked with Laura, 3 March.", "- Garden", "measure: Falls a month", "before: 3", "themes: [rehab-potential, goal-setting]   # two for now")
}

func TestNewStory(t *testing.T) {
	s := newSite(t, "")
	code, page := s.get("/_edit/new?kind=story")
	if code != 200 {
		t.Fatalf("new form: %d", code)
	}
	v := formOf(t, page)
	if v.Get("date") != "2026-12-06" || v.Get("draft") != "true" {
		t.Fatalf("a new story starts today, as a draft: date %q draft %q", v.Get("date"), v.Get("draft"))
	}
	v.Set("title", "Mair gardens again")
	v["goals"] = []string{"Plant the beans"}
	v["themes"] = []string{"Goal setting"}
	v.Set("body", "Mair wanted her garden back.\n")
	v.Set("op", "save")
	code, page = s.post("/_edit/new?kind=story", v)
	if code != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", code, page)
	}
	s.fileHas("content/stories/mair-gardens-again.md", "title: Mair gardens again\n", "date: 2026-12-06\n", "draft: true\n", "- Plant the beans", "- Goal setting", "---\nMair wanted her garden back.\n")
	// the same title again: refused at the title, nothing replaced
	code, page = s.post("/_edit/new?kind=story", v)
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "already a page at content/stories/mair-gardens-again.md") {
		t.Errorf("a second page with the same title: %d", code)
	}
}

func TestRefusals(t *testing.T) {
	s := newSite(t, "")
	_, page := s.get(denisPage)
	v := formOf(t, page)
	v.Set("title", "Hacked")
	v.Set("op", "save")
	send := func(method, path string, body url.Values, header map[string]string) int {
		req, _ := http.NewRequest(method, s.srv.URL+path, strings.NewReader(body.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, val := range header {
			req.Header.Set(k, val)
		}
		code, _ := s.do(req)
		return code
	}
	bad := url.Values{}
	for k, val := range v {
		bad[k] = val
	}
	bad.Set("csrf", "0000")
	cases := []struct {
		name   string
		method string
		path   string
		body   url.Values
		header map[string]string
		want   int
	}{
		{"no Origin", "POST", denisPage, v, nil, http.StatusForbidden},
		{"another Origin", "POST", denisPage, v, map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
		{"wrong token", "POST", denisPage, bad, map[string]string{"Origin": s.srv.URL}, http.StatusForbidden},
		{"from another site", "GET", denisPage, nil, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"up and out", "GET", "/_edit/page?file=content/../site.toml", nil, nil, http.StatusNotFound},
		{"outside", "GET", "/_edit/page?file=../secret.md", nil, nil, http.StatusNotFound},
		{"absolute", "GET", "/_edit/page?file=/etc/passwd", nil, nil, http.StatusNotFound},
		{"not a page", "GET", "/_edit/page?file=data/sources.yaml", nil, nil, http.StatusNotFound},
		{"dot file", "GET", "/_edit/page?file=content/stories/.secret.md", nil, nil, http.StatusNotFound},
		{"link out", "GET", "/_edit/page?file=content/stories/out.md", nil, nil, http.StatusNotFound},
		{"save out", "POST", "/_edit/page?file=content/../../x.md", v, map[string]string{"Origin": s.srv.URL}, http.StatusNotFound},
		{"new of no kind", "GET", "/_edit/new?kind=../../x", nil, nil, http.StatusNotFound},
		{"PUT", "PUT", denisPage, v, map[string]string{"Origin": s.srv.URL}, http.StatusMethodNotAllowed},
	}
	outside := filepath.Join(t.TempDir(), "out.md")
	os.WriteFile(outside, []byte("---\ntitle: Secret\ndate: 2026-01-01\n---\nsecret\n"), 0o644)
	os.Symlink(outside, filepath.Join(s.dir, "content/stories/out.md"))
	for _, c := range cases {
		if got := send(c.method, c.path, c.body, c.header); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
	if s.read("content/stories/denis.md") != denis {
		t.Error("a refused request changed the file")
	}
}

func TestLoginToken(t *testing.T) {
	s := newSite(t, "let-me-in")
	if code, page := s.get("/_edit/"); code != http.StatusUnauthorized || !strings.Contains(page, "Sign in") {
		t.Fatalf("without signing in: %d", code)
	}
	if code, _ := s.get(denisPage); code != http.StatusUnauthorized {
		t.Fatalf("a form without signing in: %d", code)
	}
	if code, page := s.post("/_edit/login", url.Values{"token": {"guess"}}); code != http.StatusUnauthorized || !strings.Contains(page, "not the token") {
		t.Fatalf("a wrong token: %d", code)
	}
	req, _ := http.NewRequest("GET", s.srv.URL+"/_edit/login?token=let-me-in", nil)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cookies := res.Cookies()
	if res.StatusCode != http.StatusSeeOther || len(cookies) != 1 || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteStrictMode {
		t.Fatalf("signing in: %d %v", res.StatusCode, cookies)
	}
	req, _ = http.NewRequest("GET", s.srv.URL+denisPage, nil)
	req.AddCookie(cookies[0])
	if code, _ := s.do(req); code != 200 {
		t.Fatalf("with the cookie: %d", code)
	}
	req, _ = http.NewRequest("GET", s.srv.URL+denisPage, nil)
	req.AddCookie(&http.Cookie{Name: cookieName, Value: "forged"})
	if code, _ := s.do(req); code != http.StatusUnauthorized {
		t.Fatalf("with a forged cookie: %d", code)
	}
}

func TestDashboardListsEveryPage(t *testing.T) {
	s := newSite(t, "")
	os.WriteFile(filepath.Join(s.dir, "content/stories/broken.md"), []byte("---\ntitle: [\n---\n"), 0o644)
	code, page := s.get("/_edit/")
	if code != 200 {
		t.Fatal(code)
	}
	for _, want := range []string{"Denis walks again", "Goal setting", "content/stories/broken.md", "Has problems", `href="/_edit/new?kind=story"`, "Published"} {
		if !strings.Contains(page, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	if got := s.e.FileOf("/stories/denis/"); got != "content/stories/denis.md" {
		t.Errorf("FileOf = %q", got)
	}
}

func TestCRLFFileStaysCRLF(t *testing.T) {
	s := newSite(t, "")
	crlf := strings.ReplaceAll(denis, "\n", "\r\n")
	os.WriteFile(filepath.Join(s.dir, "content/stories/denis.md"), []byte(crlf), 0o644)
	_, page := s.get(denisPage)
	v := formOf(t, page)
	v.Set("person", "Denis, 82")
	v.Set("body", strings.ReplaceAll(v.Get("body"), "\n", "\r\n")+"More.\r\n") // as a browser sends a text area
	s.save(denisPage, v)
	want := strings.Replace(crlf, "person: Denis\r\n", "person: \"Denis, 82\"\r\n", 1) + "More.\r\n"
	if got := s.read("content/stories/denis.md"); got != want {
		t.Errorf("CRLF file:\n%q\nwant\n%q", got, want)
	}
}

// postMultipart sends a form with a file, as a browser sends one with a
// file input.
func (s *site) postMultipart(path string, v url.Values, field, filename string, data []byte) (int, string) {
	s.t.Helper()
	return s.postFiles(path, v, map[string][2]string{field: {filename, string(data)}})
}

// postFiles sends a form with files: each input's name, to the file's name
// and bytes.
func (s *site) postFiles(path string, v url.Values, files map[string][2]string) (int, string) {
	s.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vals := range v {
		for _, val := range vals {
			mw.WriteField(k, val)
		}
	}
	for field, f := range files {
		fw, _ := mw.CreateFormFile(field, f[0])
		fw.Write([]byte(f[1]))
	}
	mw.Close()
	req, _ := http.NewRequest("POST", s.srv.URL+path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", s.srv.URL)
	return s.do(req)
}

func pngOf(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

func TestPictureUpload(t *testing.T) {
	s := newSite(t, "")
	_, page := s.get(denisPage)
	v := formOf(t, page)
	v.Set("op", "save")

	// no description: refused at the text alternative, the picture kept
	code, page := s.postMultipart(denisPage, v, "image.upload", "../../Kitchen Door.png", pngOf(40, 30))
	if code != http.StatusUnprocessableEntity || !strings.Contains(between(page, `id="w-image-alt"`, "</div>"), "no text alternative") {
		t.Fatalf("a picture without a description: %d\n%s", code, between(page, `id="w-image"`, "</fieldset>"))
	}
	if got := s.read("content/stories/denis-kitchen-door.png"); got != string(pngOf(40, 30)) {
		t.Fatal("the picture was not kept beside the page under a plain name")
	}
	if s.read("content/stories/denis.md") != denis {
		t.Fatal("the page was saved without a description of its picture")
	}
	v = formOf(t, page)
	if v.Get("image.src") != "denis-kitchen-door.png" {
		t.Fatalf("the form does not name the picture: %q", v.Get("image.src"))
	}
	v.Set("image.alt", "Denis at his kitchen door")
	s.save(denisPage, v)
	if got := s.read("content/stories/denis.md"); !strings.Contains(got, "image:\n  src: denis-kitchen-door.png\n  alt: Denis at his kitchen door\n") {
		t.Errorf("the page does not show the picture:\n%s", got)
	}

	// the same name, other bytes: a new name, nothing replaced
	_, page = s.get(denisPage)
	v = formOf(t, page)
	v.Set("op", "save")
	if code, page := s.postMultipart(denisPage, v, "image.upload", "kitchen-door.png", pngOf(20, 20)); code != http.StatusSeeOther {
		t.Fatalf("a second picture: %d\n%s", code, page)
	}
	if s.read("content/stories/denis-kitchen-door.png") != string(pngOf(40, 30)) || s.read("content/stories/denis-kitchen-door-2.png") != string(pngOf(20, 20)) {
		t.Error("a picture of the same name replaced the first")
	}

	// not a picture: refused at the picture's field, nothing saved
	_, page = s.get(denisPage)
	before := s.read("content/stories/denis.md")
	v = formOf(t, page)
	v.Set("op", "save")
	code, page = s.postMultipart(denisPage, v, "image.upload", "photo.png", []byte("<svg onload=alert(1)>"))
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "is not a picture otpress can publish") {
		t.Errorf("a file that is not a picture: %d", code)
	}
	if s.read("content/stories/denis.md") != before {
		t.Error("a refused picture's page was saved")
	}
	if _, err := os.Stat(filepath.Join(s.dir, "content/stories/denis-photo.png")); err == nil {
		t.Error("a file that is not a picture was kept")
	}
}

func TestLivePreview(t *testing.T) {
	s := newSite(t, "")
	os.WriteFile(filepath.Join(s.dir, "content/stories/denis-door.png"), pngOf(8, 8), 0o644)
	_, page := s.get(denisPage)
	csrf := formOf(t, page).Get("csrf")
	code, out := s.post("/_edit/preview?file=content%2Fstories%2Fdenis.md", url.Values{"csrf": {csrf}, "body": {"## Home\r\n\r\nAs the episode says [@iaap-72], and [@nope].\r\n\r\n![Door](denis-door.png)\r\n"}})
	var res struct {
		HTML     string
		Problems []string
		Lines    []int
	}
	if code != 200 || json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("preview: %d %s", code, out)
	}
	for _, want := range []string{`<h2 id="home">Home</h2>`, "2024", `src="/_edit/picture?path=content%2Fstories%2Fdenis-door.png"`} {
		if !strings.Contains(res.HTML, want) {
			t.Errorf("preview lacks %q:\n%s", want, res.HTML)
		}
	}
	if len(res.Problems) != 1 || !strings.HasPrefix(res.Problems[0], "Line 3 of the text: the citation @nope") {
		t.Errorf("preview's problems: %q", res.Problems)
	}
	if len(res.Lines) != 1 || res.Lines[0] != 3 {
		t.Errorf("preview's problems' lines: %v", res.Lines)
	}
	if code, _ := s.post("/_edit/preview?file=content%2Fstories%2Fdenis.md", url.Values{"csrf": {"x"}, "body": {"hi"}}); code != http.StatusForbidden {
		t.Errorf("a preview without the form's token: %d", code)
	}
	for path, want := range map[string]int{
		"content/stories/denis-door.png": 200,
		"content/stories/denis.md":       404,
		"static/../site.toml":            404,
		"content/../../etc/x.png":        404,
		"content/stories/.hidden.png":    404,
		"data/x.png":                     404,
	} {
		if code, _ := s.get("/_edit/picture?path=" + url.QueryEscape(path)); code != want {
			t.Errorf("picture %s: %d, want %d", path, code, want)
		}
	}
}

func TestNewThemeGetsAPage(t *testing.T) {
	s := newSite(t, "")
	_, page := s.get(denisPage)
	v := formOf(t, page)
	v["themes"] = append(v["themes"], "Goal setting", "Falls prevention")
	v.Set("op", "save")
	code, page := s.post(denisPage, v)
	if code != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", code, page)
	}
	got := s.read("content/themes/falls-prevention.md")
	if !strings.Contains(got, `title: "Falls prevention"`) {
		t.Errorf("new theme's file:\n%s", got)
	}
	if _, err := os.Stat(filepath.Join(s.dir, "content/themes/rehab-potential.md")); err == nil {
		t.Error("a theme page was made for a theme named before this save") // only new ones, as the editor typed them
	}
	_, page = s.get("/_edit/page?file=content%2Fstories%2Fdenis.md&saved=1&made=content%2Fthemes%2Ffalls-prevention.md&made=..%2Fx.md")
	if !strings.Contains(page, `href="/_edit/page?file=content%2Fthemes%2Ffalls-prevention.md"`) || strings.Contains(page, "x.md") {
		t.Error("the saved banner does not list (only) the theme made")
	}
}

func TestGitCommitsEachSave(t *testing.T) {
	s := newSite(t, "")
	run := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("git", append([]string{"-C", s.dir}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	run("init", "-q")
	run("config", "user.name", "Zoe Phillips")
	run("config", "user.email", "zoe@example.org")
	run("add", ".")
	run("commit", "-q", "-m", "start")
	if err := CheckGit(s.dir); err != nil {
		t.Fatal(err)
	}
	s.e.o.Git = true
	os.WriteFile(filepath.Join(s.dir, "notes.txt"), []byte("not the editor's\n"), 0o644)
	run("add", "notes.txt") // staged by someone else: not in the editor's commit

	_, page := s.get(denisPage)
	v := formOf(t, page)
	v.Set("person", "Denis, 82")
	v["themes"] = append(v["themes"], "Falls prevention")
	s.save(denisPage, v)
	got := run("log", "-1", "--format=%an|%s", "--name-only")
	for _, want := range []string{`Zoe Phillips|Edit "Denis walks again" in the browser editor (content/stories/denis.md)`, "content/stories/denis.md", "content/themes/falls-prevention.md"} {
		if !strings.Contains(got, want) {
			t.Errorf("last commit lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "notes.txt") || !strings.Contains(run("status", "--porcelain"), "A  notes.txt") {
		t.Error("the editor's commit took a file someone else had staged")
	}
}

func TestCheckGitOutsideARepository(t *testing.T) {
	dir := t.TempDir()
	if err := CheckGit(dir); err == nil || !strings.Contains(err.Error(), "not in a git repository") {
		t.Errorf("CheckGit outside a repository: %v", err)
	}
}

func TestPackItems(t *testing.T) {
	s := newSite(t, "")
	os.WriteFile(filepath.Join(s.dir, "content/stories/mair.md"), []byte("---\ntitle: Mair\ndate: 2026-01-01\n---\nMair.\n"), 0o644)
	pack := "---\ntitle: Rehab in practice\nitems:\n  - stories/denis   # start here\n  - ref: stories/mair\n    note: Again, to compare.\n    questions:\n      - What changed?\n      - Who helped?\n---\nAn introduction.\n"
	os.MkdirAll(filepath.Join(s.dir, "content/packs"), 0o755)
	os.WriteFile(filepath.Join(s.dir, "content/packs/rehab.md"), []byte(pack), 0o644)
	const at = "/_edit/page?file=content%2Fpacks%2Frehab.md"
	code, page := s.get(at)
	if code != 200 {
		t.Fatalf("pack form: %d\n%s", code, page)
	}
	v := formOf(t, page)
	if v.Get("items.0.ref") != "stories/denis" || v.Get("items.1.questions") != "What changed?\nWho helped?" {
		t.Fatalf("pack items in the form: %q %q", v.Get("items.0.ref"), v.Get("items.1.questions"))
	}
	if !strings.Contains(page, `<option value="stories/denis">Denis walks again</option>`) {
		t.Error("the items offered to choose from are missing")
	}
	v.Set("items.1.questions", "What changed?\r\nWho helped?\r\nWhat would you do?\r\n")
	s.save(at, v)
	s.fileHas("content/packs/rehab.md", "title: Rehab in practice\n", "ref: stories/mair\n", "Again, to compare.", "- What would you do?\n", "---\nAn introduction.\n")
}

// On a site in two languages, the dashboard lists each version under its
// language's name, and a Welsh version's form is checked as the Welsh
// build reads it.
func TestTranslations(t *testing.T) {
	s := newSite(t, "")
	os.WriteFile(filepath.Join(s.dir, "site.toml"), []byte(siteFiles["site.toml"]+"\n[languages.cy]\ntitle = \"Straeon\"\n"), 0o644)
	s.e.Changed([]string{"site.toml"})
	os.WriteFile(filepath.Join(s.dir, "content/stories/denis.cy.md"), []byte(strings.Replace(denis, `title:   "Denis walks again"`, `title: "Denis yn cerdded eto"`, 1)), 0o644)
	s.e.Changed([]string{"content/stories/denis.cy.md"})
	_, page := s.get("/_edit/")
	entry := between(page, `denis.cy.md">`, "</li>")
	if !strings.Contains(entry, "Denis yn cerdded eto") || !strings.Contains(entry, "Cymraeg") {
		t.Errorf("the Welsh version in the dashboard: %q", entry)
	}
	const at = "/_edit/page?file=content%2Fstories%2Fdenis.cy.md"
	_, page = s.get(at)
	v := formOf(t, page)
	v.Set("outcomes.0.before", "llawer")
	v.Set("op", "save")
	if code, _ := s.post(at, v); code != http.StatusUnprocessableEntity {
		t.Errorf("a bad value in the Welsh version was saved: %d", code)
	}
	v.Set("outcomes.0.before", "4")
	v.Set("person", "Denis, 82")
	if code, page := s.post(at, v); code != http.StatusSeeOther {
		t.Fatalf("saving the Welsh version: %d\n%s", code, page)
	}
	if !strings.Contains(s.read("content/stories/denis.cy.md"), `person: "Denis, 82"`) || s.read("content/stories/denis.md") != denis {
		t.Error("the Welsh save went to the wrong file")
	}
}

// A new episode with its sound and transcript sent with the form: each
// checked as the build checks it, a transcript's problems shown at its
// field with their line.
func TestEpisodeUploads(t *testing.T) {
	s := newSite(t, "")
	_, page := s.get("/_edit/new?kind=episode")
	v := formOf(t, page)
	v.Set("title", "Rebuilding lives")
	v.Set("duration", "0:00:20")
	v.Set("op", "save")
	mp3 := append([]byte("ID3\x04\x00\x00\x00\x00\x00\x00"), make([]byte, 2000)...)
	post := func(files map[string][2]string) (int, string) {
		return s.postFiles("/_edit/new?kind=episode", v, files)
	}
	backwards := "WEBVTT\n\n00:00:01.000 --> 00:00:65.000\n<v Laura>A minute has no 65th second.\n"
	code, page := post(map[string][2]string{"audio.upload": {"Episode 72.mp3", string(mp3)}, "transcript.upload": {"transcript.vtt", backwards}})
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("a transcript whose one cue has a wrong time: %d\n%s", code, page)
	}
	at := between(page, `id="w-transcript"`, "</div>")
	if !strings.Contains(at, "Line 3 of transcript.vtt") {
		t.Errorf("the transcript's problem is not at its field with its line:\n%s", at)
	}
	if s.read("content/episodes/rebuilding-lives/episode-72.mp3") != string(mp3) {
		t.Error("the sound file was not kept beside the page")
	}
	v = formOf(t, page)
	if v.Get("audio.src") != "episode-72.mp3" || v.Get("transcript") != "transcript.vtt" {
		t.Fatalf("the form does not name the files: %q %q", v.Get("audio.src"), v.Get("transcript"))
	}
	v.Set("op", "save")
	good := "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\n<v Laura>It went well, and we kept going, week after week, a little further each time, until Denis walked to his kitchen.\n"
	if code, page = post(map[string][2]string{"transcript.upload": {"transcript.vtt", good}}); code != http.StatusSeeOther {
		t.Fatalf("with a good transcript: %d\n%s", code, page)
	}
	s.fileHas("content/episodes/rebuilding-lives/index.md", "audio: episode-72.mp3\n", "transcript: transcript-2.vtt\n", "title: Rebuilding lives\n")
	if s.read("content/episodes/rebuilding-lives/transcript.vtt") != backwards {
		t.Error("the first transcript was replaced")
	}

	// a file that is not what its name says
	_, page = s.get("/_edit/page?file=content%2Fepisodes%2Frebuilding-lives%2Findex.md")
	v = formOf(t, page)
	v.Set("op", "save")
	if code, page := s.postMultipart("/_edit/page?file=content%2Fepisodes%2Frebuilding-lives%2Findex.md", v, "audio.upload", "episode.mp3", []byte("<html>not sound</html>")); code != http.StatusUnprocessableEntity || !strings.Contains(page, "is not a sound file otpress knows") {
		t.Errorf("an upload that is not sound: %d", code)
	}
}

func TestDashboardFind(t *testing.T) {
	s := newSite(t, "")
	_, page := s.get("/_edit/?q=DENIS+walks")
	if !strings.Contains(page, "Denis walks again") || strings.Contains(page, ">Goal setting<") || !strings.Contains(page, `value="DENIS walks"`) {
		t.Errorf("a search for Denis:\n%s", between(page, "<main", "</main>"))
	}
}

func TestDashboardListsTheFirstFifty(t *testing.T) {
	s := newSite(t, "")
	for i := range 60 {
		os.WriteFile(filepath.Join(s.dir, fmt.Sprintf("content/stories/s%02d.md", i)), []byte(fmt.Sprintf("---\ntitle: Story %02d\ndate: 2026-01-%02d\n---\nText.\n", i, i%28+1)), 0o644)
	}
	_, page := s.get("/_edit/")
	if n := strings.Count(page, `href="/_edit/page?file=content%2Fstories%2F`); n != listed {
		t.Errorf("the dashboard lists %d stories, want the first %d", n, listed)
	}
	if !strings.Contains(page, `href="/_edit/?kind=story">Show all 61 stories</a>`) {
		t.Error("no link to all the stories")
	}
	_, page = s.get("/_edit/?kind=story")
	if n := strings.Count(page, `href="/_edit/page?file=content%2Fstories%2F`); n != 61 || strings.Contains(page, "Goal setting") {
		t.Errorf("all stories: %d listed", n)
	}
}

// A work added to the site's list from the editor: a new entry at the end,
// every other line of the list as it was, then back to the page.
func TestAddSource(t *testing.T) {
	s := newSite(t, "")
	before := s.read("data/sources.yaml")
	const at = "/_edit/source?back=content%2Fstories%2Fdenis.md"
	code, page := s.get(at)
	if code != 200 || !strings.Contains(page, "Podcast or broadcast") {
		t.Fatalf("source form: %d\n%s", code, page)
	}
	v := formOf(t, page)
	v.Set("title", "Personalised care")
	v.Set("type", "article-magazine")
	v["author"] = []string{"Sanderson, James", "Royal College of Occupational Therapists"}
	v.Set("container-title", "OTnews")
	v.Set("issued", "2019-04")
	v.Set("op", "save")
	if code, page := s.post(at, v); code != http.StatusUnprocessableEntity || !strings.Contains(page, "without a page or an issue") {
		t.Fatalf("a magazine article with no page or issue: %d", code)
	}
	v.Set("page", "15")
	v.Set("op", "add author")
	if code, page = s.post(at, v); code != 200 || !strings.Contains(page, `id="f-author-2"`) {
		t.Fatalf("adding an author line: %d", code)
	}
	v = formOf(t, page)
	v.Set("op", "save")
	code, page = s.post(at, v)
	if code != http.StatusSeeOther {
		t.Fatalf("add source: %d\n%s", code, page)
	}
	got := s.read("data/sources.yaml")
	if !strings.HasPrefix(got, before) {
		t.Errorf("the list's earlier lines changed:\n%s", got)
	}
	for _, want := range []string{"personalised-care-2019-04:\n", "  title: Personalised care\n", "family: Sanderson", "given: James", "literal: Royal College of Occupational Therapists", "container-title: OTnews", "type: article-magazine"} {
		if !strings.Contains(got, want) {
			t.Errorf("the list lacks %q:\n%s", want, got)
		}
	}
	_, page = s.get("/_edit/page?file=content%2Fstories%2Fdenis.md&source=personalised-care-2019-04")
	if !strings.Contains(page, "personalised-care-2019-04 is in the site’s list of sources now") || !strings.Contains(page, `<option value="personalised-care-2019-04">`) {
		t.Error("the page's form does not offer the new source")
	}
	// the same again: refused at the short name
	v.Set("op", "save")
	if code, page := s.post(at, v); code != http.StatusUnprocessableEntity || !strings.Contains(page, "already has a work named personalised-care-2019-04") {
		t.Errorf("a work added twice: %d", code)
	}
}

func TestFormTooLarge(t *testing.T) {
	s := newSite(t, "")
	_, page := s.get(denisPage)
	v := formOf(t, page)
	v.Set("body", strings.Repeat("x", maxForm+1))
	v.Set("op", "save")
	if code, page := s.post(denisPage, v); code != http.StatusRequestEntityTooLarge || !strings.Contains(page, "larger than the editor takes") {
		t.Errorf("a form over the limit: %d", code)
	}
	if s.read("content/stories/denis.md") != denis {
		t.Error("a form over the limit changed the file")
	}
}

func TestPictureInTheText(t *testing.T) {
	s := newSite(t, "")
	_, page := s.get(denisPage)
	v := formOf(t, page)
	v.Set("op", "save")
	code, page := s.postMultipart(denisPage, v, "body.picture", "door.png", pngOf(30, 20))
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "The picture for the text has no description") {
		t.Fatalf("a picture for the text without a description: %d", code)
	}
	// the picture is kept: described on the form that comes back, it
	// goes in without being sent again
	v = formOf(t, page)
	if v.Get("body.picturename") != "denis-door.png" {
		t.Fatalf("the form does not keep the picture: %q", v.Get("body.picturename"))
	}
	v.Set("body.alt", "Denis at his [kitchen] door")
	s.save(denisPage, v)
	if got := s.read("content/stories/denis.md"); !strings.HasSuffix(got, "He had been in bed for a year.\n\n![Denis at his (kitchen) door](denis-door.png)\n") {
		t.Errorf("the text does not end with the picture:\n%s", got)
	}
}

// A problem of the text is at its line of the text, and the form links
// to that line from the list of problems and above the text (edit.js
// moves the cursor there).
func TestTextProblemLinksToItsLine(t *testing.T) {
	s := newSite(t, "")
	src := []byte(denis)
	doc, err := fm.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	f := readForm("story", doc, src)
	mapProblems(f, "content/stories/denis.md", src, []*diag.Problem{diag.Errorf("content/stories/denis.md", doc.BodyLine+2, 1, "something is wrong here")})
	if len(f.BodyProbs) != 1 || f.BodyProbs[0].Line != 3 {
		t.Fatalf("the text's problems: %+v", f.BodyProbs)
	}
	w := httptest.NewRecorder()
	s.e.form(w, http.StatusUnprocessableEntity, &view{File: "content/stories/denis.md", Kind: "story", Form: f})
	page := w.Body.String()
	link := `<a href="#f-body" data-line="3">Line 3 of the text: something is wrong here.</a>`
	if !strings.Contains(between(page, `class="error-summary"`, "</ul>"), link) {
		t.Errorf("the list of problems does not link to line 3:\n%s", between(page, `class="error-summary"`, "</ul>"))
	}
	if !strings.Contains(between(page, `<div id="e-body">`, "</div>"), link) || !strings.Contains(page, `aria-describedby="h-body e-body"`) {
		t.Errorf("the text's field does not show its problem, linked to line 3:\n%s", between(page, `id="w-body"`, "<textarea"))
	}
}

// The vendored editor component is the file its README says how to build,
// served to the form pages beside its licences.
func TestVendoredCodeMirror(t *testing.T) {
	js, err := files.ReadFile("assets/vendor/codemirror.js")
	if err != nil {
		t.Fatal(err)
	}
	readme, _ := files.ReadFile("assets/vendor/README.md")
	if line := sum(js) + "  codemirror.js"; !strings.Contains(string(readme), line) {
		t.Errorf("assets/vendor/README.md does not record %q: build codemirror.js as it says, and record what changed", line)
	}
	s := newSite(t, "")
	_, page := s.get(denisPage)
	if !strings.Contains(page, `<script defer src="/_edit/assets/vendor/codemirror.js"></script>`) {
		t.Error("the form does not load the editor component")
	}
	for _, p := range []string{"vendor/codemirror.js", "vendor/LICENSE-codemirror.txt"} {
		if code, body := s.get("/_edit/assets/" + p); code != 200 || len(body) < 1000 {
			t.Errorf("%s: %d, %d bytes", p, code, len(body))
		}
	}
}

// A save renders the text as the build does: a citation of a work the
// site does not list, or a picture that is not there, stops it at its
// line of the text.
func TestSaveChecksTheText(t *testing.T) {
	s := newSite(t, "")
	_, page := s.get(denisPage)
	v := formOf(t, page)
	v.Set("body", v.Get("body")+"\nAs the book says [@nope].\n\n![A door](door.jpg)\n")
	v.Set("op", "save")
	code, page := s.post(denisPage, v)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("a text citing an unknown work: %d", code)
	}
	for _, want := range []string{`data-line="5">Line 5 of the text: the citation @nope`, `data-line="7">Warning: Line 7 of the text: the picture &#34;door.jpg&#34; is not beside the page`} {
		if !strings.Contains(page, want) {
			t.Errorf("the form lacks %q:\n%s", want, between(page, `<div class="error-summary"`, "</div>"))
		}
	}
	if s.read("content/stories/denis.md") != denis {
		t.Error("a text with problems was saved")
	}
}
