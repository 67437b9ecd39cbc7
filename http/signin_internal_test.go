package http

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestOnlySignInWritesTheSessionUser reads the package's source: the keys
// that make a session signed in (the user) or half signed in (the user
// whose code is due) are written only by signIn and startCodeStep, and a
// proof is built (as a literal) only where a factor is checked. A handler
// that wrote the user itself would skip the check of every factor.
func TestOnlySignInWritesTheSessionUser(t *testing.T) {
	writers := map[string]string{"keyUserID": "signIn", "keyCode": "signIn", "keyPendingUser": "startCodeStep"}
	// linked: the password a one-time link just set (ui_welcome.go), the
	// account's only factor until it adds a code, as for registered.
	provers := map[string]bool{"registered": true, "linked": true, "enrolled": true, "checkLogin": true, "pendingCodeProof": true}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	seen := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					sel, ok := n.Fun.(*ast.SelectorExpr)
					if !ok || sel.Sel.Name != "Put" || len(n.Args) < 2 {
						return true
					}
					if key, ok := n.Args[1].(*ast.Ident); ok && writers[key.Name] != "" {
						seen[key.Name] = true
						if fn.Name.Name != writers[key.Name] {
							t.Errorf("%s: %s writes %s; only %s may", fset.Position(n.Pos()), fn.Name.Name, key.Name, writers[key.Name])
						}
					}
				case *ast.CompositeLit:
					if id, ok := n.Type.(*ast.Ident); ok && id.Name == "proof" && len(n.Elts) > 0 && !provers[fn.Name.Name] {
						t.Errorf("%s: %s makes a proof of factors; only %v may", fset.Position(n.Pos()), fn.Name.Name, provers)
					}
				}
				return true
			})
		}
	}
	for key := range writers {
		if !seen[key] {
			t.Errorf("no write of %s found: the test no longer sees how sessions are signed in", key)
		}
	}
}
