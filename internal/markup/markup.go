// Package markup renders the free texts people write in Concord (a need's
// or an offer's description) from CommonMark to safe HTML: raw HTML in the
// text is dropped, not passed through, and links and images whose address
// is a script (javascript:, vbscript:, data: other than images) lose it,
// which is goldmark's default; headings are pushed down so that a text
// never adds a second h1 to a page.
package markup

import (
	"bytes"
	"html/template"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// MaxBytes bounds what Render renders; longer input is rendered as far as
// it goes (the domain limits texts well below it).
const MaxBytes = 256 << 10

// demote pushes every heading down two levels (# becomes h3), so that a
// description sits under the page's own h1 and h2.
type demote struct{}

func (demote) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			h.Level = min(h.Level+2, 6)
		}
		return ast.WalkContinue, nil
	})
}

var md = goldmark.New(goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(demote{}, 100))))

// Render turns CommonMark source into HTML safe to put in a page.
func Render(src string) template.HTML {
	if len(src) > MaxBytes {
		src = src[:MaxBytes]
	}
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(buf.String()) // #nosec: goldmark drops raw HTML and unsafe links (html.WithUnsafe is off)
}
