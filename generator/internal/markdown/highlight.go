package markdown

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

var formatter = chromahtml.New(chromahtml.WithClasses(true), chromahtml.PreventSurroundingPre(true))

func (r *blockRenderer) code(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	var lang string
	if fc, ok := n.(*ast.FencedCodeBlock); ok {
		lang = string(fc.Language(src))
	}
	var code bytes.Buffer
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		code.Write(seg.Value(src))
	}
	label := "Code"
	var lexer chroma.Lexer
	if lang != "" {
		lexer = lexers.Get(lang)
	}
	if lexer != nil {
		label = "Code: " + lexer.Config().Name
	}
	fmt.Fprintf(w, `<div class="scroll-box code" role="group" tabindex="0" aria-label="%s"><pre class="chroma"><code`, util.EscapeHTML([]byte(label)))
	if lang != "" {
		fmt.Fprintf(w, ` class="language-%s"`, util.EscapeHTML([]byte(strings.ToLower(lang))))
	}
	_ = w.WriteByte('>')
	written := false
	if lexer != nil {
		if it, err := chroma.Coalesce(lexer).Tokenise(nil, code.String()); err == nil {
			written = formatter.Format(w, LightStyle, it) == nil
		}
	}
	if !written {
		_, _ = w.Write(util.EscapeHTML(code.Bytes()))
	}
	_, _ = w.WriteString("</code></pre></div>\n")
	return ast.WalkSkipChildren, nil
}

// The highlighting styles are our own: every token colour reaches 7:1
// contrast on its background (see TestStyleContrast), which the stock chroma
// styles do not.
var (
	LightStyle = chroma.MustNewStyle("otpress-light", chroma.StyleEntries{
		chroma.Background:        "#1b1b1b bg:#f3f3f0",
		chroma.Comment:           "italic #4a4a4a",
		chroma.CommentPreproc:    "noitalic #6b2d00",
		chroma.Keyword:           "bold #6a1b5b",
		chroma.KeywordType:       "nobold #004d61",
		chroma.Name:              "#1b1b1b",
		chroma.NameFunction:      "#0b3a82",
		chroma.NameClass:         "bold #0b3a82",
		chroma.NameTag:           "#6a1b5b",
		chroma.NameAttribute:     "#6b2d00",
		chroma.NameBuiltin:       "#004d61",
		chroma.LiteralString:     "#1a5219",
		chroma.LiteralNumber:     "#7a2500",
		chroma.Operator:          "#3b3b3b",
		chroma.Punctuation:       "#3b3b3b",
		chroma.GenericDeleted:    "#8b0000",
		chroma.GenericInserted:   "#1a5219",
		chroma.GenericHeading:    "bold #1b1b1b",
		chroma.GenericSubheading: "bold #4a4a4a",
		chroma.GenericEmph:       "italic",
		chroma.GenericStrong:     "bold",
		chroma.Error:             "#8b0000",
	})
	DarkStyle = chroma.MustNewStyle("otpress-dark", chroma.StyleEntries{
		chroma.Background:        "#ececec bg:#1e1f22",
		chroma.Comment:           "italic #b9b9b9",
		chroma.CommentPreproc:    "noitalic #ffc48a",
		chroma.Keyword:           "bold #f5b3e8",
		chroma.KeywordType:       "nobold #8fe3f5",
		chroma.Name:              "#ececec",
		chroma.NameFunction:      "#a9c8ff",
		chroma.NameClass:         "bold #a9c8ff",
		chroma.NameTag:           "#f5b3e8",
		chroma.NameAttribute:     "#ffc48a",
		chroma.NameBuiltin:       "#8fe3f5",
		chroma.LiteralString:     "#a8e6a1",
		chroma.LiteralNumber:     "#ffb999",
		chroma.Operator:          "#d6d6d6",
		chroma.Punctuation:       "#d6d6d6",
		chroma.GenericDeleted:    "#ffb3b3",
		chroma.GenericInserted:   "#a8e6a1",
		chroma.GenericHeading:    "bold #ececec",
		chroma.GenericSubheading: "bold #b9b9b9",
		chroma.GenericEmph:       "italic",
		chroma.GenericStrong:     "bold",
		chroma.Error:             "#ffb3b3",
	})
)

// CSS returns the highlighting stylesheet: the light style, and the dark one
// under prefers-color-scheme: dark. In forced-colours mode the browser's own
// colours apply.
func CSS() []byte {
	var b bytes.Buffer
	f := chromahtml.New(chromahtml.WithClasses(true))
	_ = f.WriteCSS(&b, LightStyle)
	b.WriteString("@media (prefers-color-scheme: dark){")
	_ = f.WriteCSS(&b, DarkStyle)
	b.WriteString("}\n")
	return b.Bytes()
}
