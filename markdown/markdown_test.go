package markdown

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestHostile renders every input of testdata/hostile and checks that the
// output can do nothing but show text, links and images from the web, and
// that the harmless word "marker" each input carries is still shown: the
// sanitizer must not simply return nothing.
func TestHostile(t *testing.T) {
	files, err := filepath.Glob("testdata/hostile/*.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 30 {
		t.Fatalf("found %d hostile inputs, want the whole corpus", len(files))
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".md"), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out := string(Render(string(src)))
			for _, p := range harmful(out) {
				t.Errorf("%s", p)
			}
			if !strings.Contains(out, "marker") {
				t.Errorf("the harmless text was lost: %q", out)
			}
			if t.Failed() {
				t.Logf("input:  %q\noutput: %q", src, out)
			}
		})
	}
}

// FuzzRender holds any input to the same checks, seeded with the corpus.
func FuzzRender(f *testing.F) {
	files, _ := filepath.Glob("testdata/hostile/*.md")
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src))
	}
	f.Fuzz(func(t *testing.T, src string) {
		out := string(Render(src))
		for _, p := range harmful(out) {
			t.Errorf("input %q: %s\noutput: %q", src, p, out)
		}
	})
}

// forbidden are the elements that run code, load documents or styles,
// or take input.
var forbidden = map[string]bool{
	"script": true, "iframe": true, "frame": true, "object": true, "embed": true, "style": true,
	"svg": true, "math": true, "link": true, "meta": true, "base": true, "form": true, "input": true,
	"button": true, "textarea": true, "select": true, "applet": true, "template": true,
}

// urlAttrs are the attributes that hold a URL.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "cite": true, "action": true, "formaction": true, "srcset": true,
	"poster": true, "background": true, "xlink:href": true, "data": true,
}

// harmful lists what in out could run script, style the page or load a
// document: the rendered HTML is parsed as a browser would and each
// element and attribute checked, and the raw text is searched too.
func harmful(out string) []string {
	var problems []string
	lower := strings.ToLower(out)
	for _, s := range []string{"<script", "<iframe", "<object", "<embed", "<style", "<svg", "<form"} {
		if strings.Contains(lower, s) {
			problems = append(problems, "output contains "+s)
		}
	}
	nodes, err := html.ParseFragment(strings.NewReader(out), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return append(problems, "output does not parse: "+err.Error())
	}
	for _, n := range nodes {
		problems = append(problems, checkNode(n)...)
	}
	return problems
}

func checkNode(n *html.Node) []string {
	var problems []string
	if n.Type == html.CommentNode {
		problems = append(problems, "output keeps a comment: "+n.Data)
	}
	if n.Type == html.ElementNode {
		if forbidden[n.Data] {
			problems = append(problems, "output has a <"+n.Data+"> element")
		}
		for _, a := range n.Attr {
			problems = append(problems, checkAttr(n.Data, a)...)
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		problems = append(problems, checkNode(c)...)
	}
	return problems
}

func checkAttr(elem string, a html.Attribute) []string {
	key := strings.ToLower(a.Key)
	switch {
	case strings.HasPrefix(key, "on"):
		return []string{"<" + elem + "> has the event handler " + a.Key}
	case key == "style":
		return []string{"<" + elem + "> has a style attribute"}
	case elem == "a" && key == "rel" && a.Val != Rel:
		return []string{"<a> has rel=" + a.Val + ", want " + Rel}
	case urlAttrs[key]:
		if scheme := dangerousScheme(a.Val); scheme != "" {
			return []string{"<" + elem + " " + a.Key + "> is a " + scheme + " URL: " + a.Val}
		}
	}
	return nil
}

// dangerousScheme returns the scheme of u if a browser would run or
// inline it. Browsers drop ASCII whitespace and control characters inside
// a scheme, so they are dropped here before looking. A percent-encoded
// colon ends no scheme: "javascript%3A..." is a relative path.
func dangerousScheme(u string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(u) {
		if c > ' ' && c != 0x7f {
			b.WriteRune(c)
		}
	}
	for _, s := range []string{"javascript:", "vbscript:", "data:", "file:"} {
		if strings.HasPrefix(b.String(), s) {
			return s
		}
	}
	return ""
}

// TestLinks checks that links get the rel that keeps the report's URL and
// the page's window from their target.
func TestLinks(t *testing.T) {
	tests := []struct{ src, want string }{
		{"[a](https://example.org/x)", `<p><a href="https://example.org/x" rel="nofollow noopener noreferrer">a</a></p>` + "\n"},
		{"<https://example.org/y>", `<p><a href="https://example.org/y" rel="nofollow noopener noreferrer">https://example.org/y</a></p>` + "\n"},
		{"see www.example.org", `<p>see <a href="http://www.example.org" rel="nofollow noopener noreferrer">www.example.org</a></p>` + "\n"},
		{"[rel](/reports/1)", `<p><a href="/reports/1" rel="nofollow noopener noreferrer">rel</a></p>` + "\n"},
		{"mail <a@example.org>", `<p>mail <a href="mailto:a@example.org" rel="nofollow noopener noreferrer">a@example.org</a></p>` + "\n"},
	}
	for _, tt := range tests {
		if got := string(Render(tt.src)); got != tt.want {
			t.Errorf("Render(%q)\n got  %q\n want %q", tt.src, got, tt.want)
		}
	}
}

// TestGolden renders an ordinary document: what a report's description
// looks like. Rewrite the golden file with -update, and read the diff.
func TestGolden(t *testing.T) {
	src, err := os.ReadFile("testdata/normal.md")
	if err != nil {
		t.Fatal(err)
	}
	got := string(Render(string(src)))
	golden := "testdata/normal.golden.html"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("Render(normal.md) differs from %s (go test -update rewrites it):\n got:\n%s\nwant:\n%s", golden, got, want)
	}
	if problems := harmful(got); len(problems) > 0 {
		t.Errorf("an ordinary document renders with %v", problems)
	}
}

func TestEmpty(t *testing.T) {
	if got := Render(""); got != "" {
		t.Errorf("Render(\"\") = %q, want empty", got)
	}
}

// TestRenderCache: Render answers from its cache what rendering answers,
// for every hostile input rendered twice, and the cache stays within
// cacheBytes however much is rendered.
func TestRenderCache(t *testing.T) {
	files, err := filepath.Glob("testdata/hostile/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("hostile corpus: %v", err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want := render(string(src))
		for i := range 2 {
			if got := Render(string(src)); got != want {
				t.Errorf("%s, call %d: %q, want %q", f, i, got, want)
			}
		}
	}
	big := strings.Repeat("word ", 60000) // about 300 KB of HTML each
	for i := range 200 {
		Render(big + strconv.Itoa(i))
	}
	rendered.mu.Lock()
	size, n := rendered.size, len(rendered.m)
	rendered.mu.Unlock()
	if size > cacheBytes || n == 0 {
		t.Errorf("cache holds %d bytes in %d entries, bound %d", size, n, cacheBytes)
	}
}
