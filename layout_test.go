package vmt

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// allowedImports lists, for every package of the module, the packages of
// the module it may import and the outside modules it may use (by prefix).
// A new arrow between packages, or a new outside dependency in the wrong
// place, fails here and has to be argued for in this table.
var allowedImports = map[string]struct{ own, outside []string }{
	"app":                 {own: []string{"."}}, // the application: the use cases, on the domain only
	".":                   {},
	"password":            {own: []string{"."}, outside: []string{"golang.org/x/crypto/"}},
	"sqldb":               {own: []string{"."}, outside: []string{"github.com/jackc/pgx/", "github.com/pressly/goose/", "modernc.org/sqlite"}},
	"sqldb/sqldbtest":     {own: []string{"sqldb"}, outside: []string{"github.com/jackc/pgx/"}},
	"storetest":           {own: []string{"."}},
	"http":                {own: []string{".", "app", "markdown", "render", "osv", "cve5", "csaf", "ossa"}, outside: []string{"golang.org/x/time/", "github.com/alexedwards/scs/", "github.com/pquerna/otp"}},
	"cmd/vmt":             {own: []string{".", "app", "http", "password", "sqldb", "calendar", "cvss", "osv", "cve5", "csaf", "ossa", "jobs", "smtp", "render", "gitrepo", "cveservices", "imap", "github"}},
	"gitrepo":             {own: []string{"."}}, // git runs as a program (os/exec); the domain only for its error codes
	"markdown":            {outside: []string{"github.com/yuin/goldmark", "github.com/microcosm-cc/bluemonday"}},
	"cvss":                {own: []string{"."}, outside: []string{"github.com/pandatix/go-cvss/"}},
	"schematest":          {own: []string{"."}, outside: []string{"github.com/santhosh-tekuri/jsonschema/"}},
	"osv":                 {own: []string{".", "cvss"}, outside: []string{"github.com/ossf/osv-schema/", "google.golang.org/protobuf/"}},
	"cve5":                {own: []string{".", "cvss"}},
	"cveservices":         {own: []string{".", "cve5", "netguard"}}, // the CVE Services API client: CNA containers written by cve5
	"cveservices/cvetest": {own: []string{"schematest"}},            // a local CVE Services for tests, checking containers against the schema
	"csaf":                {own: []string{".", "cvss"}, outside: []string{"github.com/gocsaf/csaf/"}},
	"ossa":                {own: []string{".", "cvss"}, outside: []string{"go.yaml.in/yaml/v3"}},
	"render":              {own: []string{".", "cvss"}},
	"calendar":            {outside: []string{"github.com/rickar/cal/v2"}},
	"pgpmail":             {outside: []string{"github.com/ProtonMail/go-crypto/", "github.com/emersion/go-message"}},
	"smtp":                {outside: []string{"github.com/emersion/go-smtp", "github.com/emersion/go-sasl"}},
	"netguard":            {},                                                                        // the dialer that keeps calls to user-typed URLs off private addresses
	"imap":                {own: []string{"."}, outside: []string{"github.com/emersion/go-imap/v2"}}, // the intake mailboxes
	"imap/imaptest":       {outside: []string{"github.com/emersion/go-imap/v2"}},                     // a real Dovecot for tests
	"smtp/smtptest":       {outside: []string{"github.com/emersion/go-smtp", "github.com/emersion/go-sasl"}},
	"github":              {own: []string{"."}, outside: []string{"github.com/google/go-github/", "github.com/bradleyfalzon/ghinstallation/"}}, // the forge: GitHub's REST API
	"github/githubtest":   {outside: []string{"github.com/getkin/kin-openapi/"}},                                                               // a stand-in for GitHub, held to its OpenAPI description
	"jobs":                {own: []string{".", "app", "calendar", "pgpmail", "render", "smtp", "netguard"}},
}

// talksOutside lists the standard library packages that reach a network,
// a disk, a database or another program (a path ending in "/" stands for
// the packages under it). The domain and the application reach those only
// through the interfaces the domain declares (Store, FixChecker, ...),
// which the outer packages implement; TestNoOutsideWorld holds them to it.
var talksOutside = []string{
	"net", "net/http", "net/http/", "net/rpc", "net/rpc/", "net/smtp", "crypto/tls",
	"database/sql", "database/sql/", "os", "os/", "syscall", "io/ioutil", "path/filepath", "plugin",
}

// noOutsideWorld are the packages that may import none of talksOutside.
var noOutsideWorld = []string{".", "app"}

// TestNoOutsideWorld checks that the domain and the application import
// nothing that talks to a network, a disk or a database.
func TestNoOutsideWorld(t *testing.T) {
	for _, dir := range noOutsideWorld {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			checked++
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if slices.ContainsFunc(talksOutside, func(d string) bool {
					return p == d || strings.HasSuffix(d, "/") && strings.HasPrefix(p, d)
				}) {
					t.Errorf("%s imports %s: package %s talks to no network, disk or database itself", name, p, dir)
				}
			}
		}
		if checked == 0 {
			t.Errorf("package %s has no Go files to check", dir)
		}
	}
}

// TestImportRules checks the non-test files of every package against
// allowedImports, so that the domain stays at the centre and each outside
// dependency stays in the one package made for it.
func TestImportRules(t *testing.T) {
	mod := modulePath(t)
	seen := map[string]bool{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != "." || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		seen[dir] = true
		rules, ok := allowedImports[dir]
		if !ok {
			t.Errorf("package %s is not in allowedImports; add it with the imports it may have", dir)
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(p, "/")
			switch {
			case p == mod || strings.HasPrefix(p, mod+"/"):
				own := strings.TrimPrefix(strings.TrimPrefix(p, mod), "/")
				if own == "" {
					own = "."
				}
				if !slices.Contains(rules.own, own) {
					t.Errorf("%s imports %s: package %s may import only %v of the module", path, p, dir, rules.own)
				}
			case strings.Contains(first, "."):
				if !slices.ContainsFunc(rules.outside, func(pre string) bool { return strings.HasPrefix(p, pre) }) {
					t.Errorf("%s imports %s: package %s may use only %v from outside", path, p, dir, rules.outside)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for dir := range allowedImports {
		if !seen[dir] {
			t.Errorf("allowedImports names %s, which has no Go files", dir)
		}
	}
}
