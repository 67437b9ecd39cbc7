package http_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// routePatterns reads every pattern the server registers from the source
// of package http (each m.Handle or m.HandleFunc with a literal pattern),
// so that a route added tomorrow is in the tests that walk the table
// without anyone listing it by hand.
func routePatterns(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "Handle" && sel.Sel.Name != "HandleFunc") {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				p, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, p)
			}
			return true
		})
	}
	if len(out) < 100 {
		t.Fatalf("read only %d route patterns from the source; the reader is broken", len(out))
	}
	return out
}

var wildcardRE = regexp.MustCompile(`\{([a-z]+)\}`)

// idWildcard tells whether the wildcard name of pattern is a numeric id
// (parsed by pathID), an advisory id (PREFIX-YYYY-NNN), or another kind of
// value (a project name, a template name, an export file). An unknown
// wildcard fails the test: a new one must be classified here.
func idWildcard(t *testing.T, pattern, name string) string {
	switch {
	case name == "id" && strings.Contains(pattern, " /advisories/"):
		return "advisory"
	case name == "id", name == "user", name == "fix", name == "doc", name == "token", name == "attachment":
		return "number"
	case name == "name", name == "template", name == "file":
		return "other"
	}
	t.Errorf("%s: wildcard {%s} is not classified as an id or not; add it to idWildcard", pattern, name)
	return "other"
}

// TestNonCanonicalIDsAreNotFound walks every route of the table with a
// numeric or advisory id in its path, and sends each id in a form that is
// not its one canonical spelling (leading zero, sign, space, hex, decimal
// point, out of range): each must answer 404, as an object that does not
// exist, never reach the object (report 073 is not report 73) nor answer
// 400 (which would tell a malformed id from a private one).
func TestNonCanonicalIDsAreNotFound(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newMatrix(t, engine)
		d := m.advisoryIn("published", "PUBLIC-canonical", true)
		n := itoa(d.ReportID)
		numeric := []string{"0" + n, "+" + n, " " + n, n + " ", "0x" + strconv.FormatInt(d.ReportID, 16), n + ".0",
			"-" + n, "0", "9223372036854775808", "1e1"}
		aid := d.ID.String() // KCSA-2026-001
		advisory := []string{strings.Replace(aid, "-0", "-00", 1), strings.TrimLeft(aid[len(aid)-3:], "0"), " " + aid,
			strings.ToLower(aid)}
		advisory[1] = aid[:len(aid)-3] + advisory[1] // KCSA-2026-1
		// The canonical forms do reach the objects, so a 404 below is the
		// parser's, not a missing fixture's.
		for _, path := range []string{"/api/v1/reports/" + n, "/advisories/" + aid} {
			if status, body := m.do("GET", path, m.token, ""); status != 200 {
				t.Fatalf("GET %s (canonical): %d %.200s", path, status, body)
			}
		}
		m.withPassword(m.admin)
		b := m.browser()
		b.login("admin@example.org")
		checked := 0
		for _, pattern := range routePatterns(t) {
			method, path, ok := strings.Cut(pattern, " ")
			if !ok || !strings.Contains(path, "{") {
				continue
			}
			names := wildcardRE.FindAllStringSubmatch(path, -1)
			canon := map[string]string{}
			for _, w := range names {
				canon[w[1]] = map[string]string{"number": n, "advisory": aid, "other": "x"}[idWildcard(t, pattern, w[1])]
			}
			if canon["name"] != "" {
				canon["name"] = "kata-containers"
			}
			if canon["file"] != "" {
				canon["file"] = "osv.json"
			}
			for _, w := range names {
				bad := map[string][]string{"number": numeric, "advisory": advisory}[idWildcard(t, pattern, w[1])]
				for _, v := range bad {
					fill := func(s string) string {
						return wildcardRE.ReplaceAllStringFunc(s, func(x string) string {
							k := x[1 : len(x)-1]
							if k == w[1] {
								return url.PathEscape(v)
							}
							return url.PathEscape(canon[k])
						})
					}
					target := fill(path)
					checked++
					var status int
					var body string
					switch {
					case strings.HasPrefix(path, "/api/"):
						status, body = m.do(method, target, m.token, "{}")
						if status == 404 && !strings.Contains(body, `"not_found"`) {
							t.Errorf("%s %s: 404 is not the JSON not_found error: %.200s", method, target, body)
						}
					case method == "POST":
						p := b.post(target, url.Values{})
						status, body = p.status, p.body
					default:
						p := b.get(target)
						status, body = p.status, p.body
					}
					if status != http.StatusNotFound {
						t.Errorf("%s %s ({%s} = %q): %d, want 404; %.200s", method, target, w[1], v, status, body)
					}
				}
			}
		}
		if checked < 500 {
			t.Errorf("only %d requests checked; the walk of the route table is broken", checked)
		}
	})
}
