// Package markdown renders the Markdown that users write (report
// descriptions, comments, impact descriptions) to HTML that is safe to put
// in a page: goldmark renders it, without passing raw HTML through, and
// bluemonday then keeps only the elements and attributes of a user-content
// policy. Either step alone would do today; both together survive a bug in
// one of them.
package markdown

import (
	"bytes"
	"html/template"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Rel is the rel attribute of every link: the reader's browser neither
// tells the target where it came from (the URL of a private report names
// it) nor lets it script the opener, and search engines give it no credit.
const Rel = "nofollow noopener noreferrer"

// md and policy are safe for concurrent use once built.
var (
	md = goldmark.New(
		goldmark.WithExtensions(
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough,
			extension.Linkify,
		),
		// No html.WithUnsafe: raw HTML becomes a "raw HTML omitted"
		// comment, which the policy then drops.
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(linkRel{}, 100))),
	)
	policy = newPolicy()
)

// newPolicy is bluemonday's policy for user content, which allows no
// style attribute, no style or script element and no data: URL, with the
// links' rel fixed to Rel and code blocks allowed their language class.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	// Only the value the renderer sets: a user cannot weaken it, and
	// bluemonday adds nofollow and noreferrer to any other link.
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + regexp.QuoteMeta(Rel) + `$`)).OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[A-Za-z0-9_+-]{1,40}$`)).OnElements("code")
	return p
}

// Render returns src rendered and sanitized. Rendering into memory cannot
// fail; if goldmark ever reports an error, the source is shown escaped as
// plain text rather than half-rendered.
func Render(src string) template.HTML {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return template.HTML("<pre>" + template.HTMLEscapeString(src) + "</pre>")
	}
	return template.HTML(policy.SanitizeBytes(buf.Bytes()))
}

// linkRel sets Rel on every link and autolink, so that the policy finds it
// whole rather than appending part of it.
type linkRel struct{}

func (linkRel) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n.(type) {
		case *ast.Link, *ast.AutoLink:
			if entering {
				n.SetAttributeString("rel", []byte(Rel))
			}
		}
		return ast.WalkContinue, nil
	})
}
