// Package markup renders the text written in Concord (statements, and
// later summaries) from CommonMark to HTML: goldmark parses and renders
// (raw HTML is not passed through), and bluemonday's user-content policy
// sanitises the result, so that a statement's text can never carry a
// script, a style or an event handler into a page.
package markup

import (
	"bytes"
	"html/template"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
)

var (
	md     = goldmark.New()
	policy = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.RequireNoReferrerOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(false)
		return p
	}()
)

// Render turns CommonMark source into sanitised HTML, safe to put in a
// page as it is.
func Render(src string) template.HTML {
	var b bytes.Buffer
	if err := md.Convert([]byte(src), &b); err != nil {
		// goldmark's renderer writes to a buffer and does not fail; should
		// it, the text is shown escaped rather than lost.
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(policy.SanitizeBytes(b.Bytes()))
}
