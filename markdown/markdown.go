// Package markdown renders the Markdown that users write (report
// descriptions, comments, impact descriptions) to HTML that is safe to put
// in a page: goldmark renders it, without passing raw HTML through, and
// bluemonday then keeps only the elements and attributes of a user-content
// policy. Either step alone would do today; both together survive a bug in
// one of them.
package markdown

import (
	"bytes"
	"crypto/sha256"
	"html/template"
	"regexp"
	"sync"

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
//
// The result is a function of src alone, so it is kept (cache below): a
// report's page shows the same hundreds of comments to every viewer, and
// rendering them was a fifth of the page (issue 17).
func Render(src string) template.HTML {
	key := sha256.Sum256([]byte(src))
	if h, ok := rendered.get(key); ok {
		return h
	}
	h := render(src)
	rendered.put(key, h)
	return h
}

func render(src string) template.HTML {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return template.HTML("<pre>" + template.HTMLEscapeString(src) + "</pre>")
	}
	return template.HTML(policy.SanitizeBytes(buf.Bytes()))
}

// cacheBytes bounds the HTML kept by Render.
const cacheBytes = 24 << 20

// rendered is Render's cache: HTML by the SHA-256 of its source, at most
// cacheBytes of it. When full, it forgets entries at random (Go's map
// order) until the new one fits: a bound, not an LRU, which the pages'
// reuse does not need.
var rendered = &htmlCache{m: make(map[[32]byte]template.HTML)}

type htmlCache struct {
	mu   sync.Mutex
	m    map[[32]byte]template.HTML
	size int
}

func (c *htmlCache) get(k [32]byte) (template.HTML, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.m[k]
	return h, ok
}

func (c *htmlCache) put(k [32]byte, h template.HTML) {
	if len(h) > cacheBytes/16 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; ok {
		return
	}
	for k2, h2 := range c.m {
		if c.size+len(h) <= cacheBytes {
			break
		}
		delete(c.m, k2)
		c.size -= len(h2)
	}
	c.m[k] = h
	c.size += len(h)
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
