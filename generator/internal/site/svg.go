package site

import (
	"io"
	"io/fs"

	"github.com/otpress/otpress/generator/internal/check"
	"github.com/otpress/otpress/generator/internal/diag"
)

// safeSVG checks an SVG file the build is about to publish (name in fsys,
// file as messages name it) and reports what check.SVG refuses at its
// line and column: a browser that opens the file itself, from the site, a
// SCORM package or an e-book, runs no policy that would stop its script.
// A file over check.MaxSVG is refused before it is read. A refused file is
// not published; it is marked written (out, its output path), so the
// pages that show it do not also report it missing.
func (b *builder) safeSVG(fsys fs.FS, name, file, out string) bool {
	f, err := fsys.Open(name)
	if err != nil {
		return true // copying it reports why
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, check.MaxSVG+1))
	if err != nil {
		return true
	}
	findings := check.SVGFile(name, data)
	for _, fd := range findings {
		p := diag.Errorf(file, fd.Line, fd.Col, "%s", fd.Msg).WithHint("%s", fd.Hint)
		if fd.Line > 0 {
			p.AttachSource(data)
			if len(p.Source) > 200 {
				p.Source = "" // one long line of a drawing program's output says nothing
			}
		}
		b.probs.Add(p)
	}
	if len(findings) > 0 {
		b.written.Store("/"+out, claim{source: file})
	}
	return len(findings) == 0
}
