// Package schematest validates exported documents against the official
// JSON Schemas kept in the repository's conformance data (testdata/ at the
// module root, copied from the published sources its SOURCES.tsv names):
// OSV, CVE JSON 5.1.1 and CSAF 2.0. It is used by tests only, so the
// schemas and the validator stay out of the binary.
package schematest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// DataDir returns the conformance data folder, testdata/ at the root of the
// module. The data is part of the repository, so a missing folder fails the
// test: it never skips, which would let a run pass without its checks.
func DataDir(t testing.TB) string {
	t.Helper()
	dir, err := dataDir()
	if err != nil {
		t.Fatalf("conformance data: %v", err)
	}
	return dir
}

// dataDir finds testdata/ beside the go.mod above the working directory
// (a test runs in its package's folder).
func dataDir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			data := filepath.Join(d, "testdata")
			if _, err := os.Stat(filepath.Join(data, "SOURCES.tsv")); err != nil {
				return "", fmt.Errorf("no conformance data at %s: %w", data, err)
			}
			return data, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s", wd)
		}
	}
}

// The schemas, compiled once per test binary.
var (
	mu       sync.Mutex
	compiled = map[string]*jsonschema.Schema{}
)

// Schema kinds.
const (
	OSV = "osv"
	// OSVPublished is the OSV schema for the records a vmt server
	// publishes: the official schema with one change, the id's home
	// database prefix, which accepts a project's own (KCSA-2026-001) as
	// well as the registered ones. OSV.dev registers a data source's
	// prefix in the schema when it starts importing it; until then only
	// this differs, and every other rule is the official one.
	OSVPublished = "osv-published"
	CVE5         = "cve5"
	CSAF         = "csaf"
	// CVE5CNA is the CNA container alone, as a CNA sends it to CVE
	// Services (the bundle's cnaPublishedContainer).
	CVE5CNA = "cve5-cna"
)

// Schema returns the compiled official schema of kind.
func Schema(t testing.TB, kind string) *jsonschema.Schema {
	t.Helper()
	dir := DataDir(t)
	mu.Lock()
	defer mu.Unlock()
	if s := compiled[kind]; s != nil {
		return s
	}
	s, err := compile(dir, kind)
	if err != nil {
		t.Fatalf("compiling the %s schema: %v", kind, err)
	}
	compiled[kind] = s
	return s
}

func compile(dir, kind string) (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	var root string
	switch kind {
	case OSV:
		root = "https://raw.githubusercontent.com/ossf/osv-schema/main/validation/schema.json"
		if err := addFile(c, root, filepath.Join(dir, "osv-schema/schema.json")); err != nil {
			return nil, err
		}
	case OSVPublished:
		root = "https://raw.githubusercontent.com/ossf/osv-schema/main/validation/schema.json"
		if err := addOSVWithProjectPrefix(c, root, filepath.Join(dir, "osv-schema/schema.json")); err != nil {
			return nil, err
		}
	case CVE5, CVE5CNA:
		root = "https://cveproject.github.io/cve-schema/schema/CVE_Record_Format.json"
		if err := addFile(c, root, filepath.Join(dir, "cve-schema/CVE_JSON_bundled_5.1.1.json")); err != nil {
			return nil, err
		}
		if kind == CVE5CNA {
			root += "#/definitions/cnaPublishedContainer"
		}
	case CSAF:
		root = "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json"
		if err := addRefMap(c, filepath.Join(dir, "csaf")); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown schema kind %q", kind)
	}
	return c.Compile(root)
}

// addRefMap registers every file of csaf/ref-map.json under its URI, as
// the data README says: the CVSS v3.x files under the URI without the
// "?20211103" their $id carries, which is how the CSAF schema refers to them.
func addRefMap(c *jsonschema.Compiler, dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, "ref-map.json"))
	if err != nil {
		return err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("ref-map.json: %w", err)
	}
	for uri, raw := range m {
		if strings.HasPrefix(uri, "_") {
			continue
		}
		var e struct{ File string }
		if err := json.Unmarshal(raw, &e); err != nil {
			return fmt.Errorf("ref-map.json %s: %w", uri, err)
		}
		if err := addFile(c, uri, filepath.Join(dir, e.File)); err != nil {
			return err
		}
	}
	return nil
}

func addFile(c *jsonschema.Compiler, uri, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	// A schema whose $id differs from the URI it is registered under
	// (the CVSS files' "?20211103") would be refused; drop the $id so the
	// URI of the map is the one that counts.
	if m, ok := doc.(map[string]any); ok {
		delete(m, "$id")
		delete(m, "id")
	}
	return c.AddResource(uri, doc)
}

// projectPrefix is a vmt document id's start (vmt.Project's prefix, a
// year, a number), added to the schema's alternatives of registered
// prefixes.
const projectPrefix = `[A-Z][A-Z0-9]{1,9}-[0-9]{4}-[0-9]`

func addOSVWithProjectPrefix(c *jsonschema.Compiler, uri, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	m, _ := doc.(map[string]any)
	defs, _ := m["$defs"].(map[string]any)
	prefix, _ := defs["prefix"].(map[string]any)
	pat, _ := prefix["pattern"].(string)
	if !strings.HasPrefix(pat, "^(x_|") {
		return fmt.Errorf("%s: the id prefix pattern is not the one expected: %q", path, pat)
	}
	prefix["pattern"] = "^(x_|" + projectPrefix + "|" + strings.TrimPrefix(pat, "^(x_|")
	delete(m, "$id")
	return c.AddResource(uri, doc)
}

// Check validates doc (JSON) against the schema of kind and returns the
// validator's error, nil when it conforms.
func Check(t testing.TB, kind string, doc []byte) error {
	t.Helper()
	return Checker(t, kind)(doc)
}

// Checker compiles the schema of kind now, in the test's goroutine, and
// returns a function that validates a document against it. The function
// needs no testing.TB, so a stand-in server can call it from its handlers'
// goroutines, where a test may not be failed or skipped.
func Checker(t testing.TB, kind string) func(doc []byte) error {
	t.Helper()
	s := Schema(t, kind)
	return func(doc []byte) error {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
		if err != nil {
			return fmt.Errorf("not JSON: %w", err)
		}
		return s.Validate(v)
	}
}

// Validate fails the test unless doc conforms to the schema of kind.
func Validate(t testing.TB, kind, name string, doc []byte) {
	t.Helper()
	if err := Check(t, kind, doc); err != nil {
		t.Errorf("%s does not validate against the %s schema: %v", name, kind, err)
	}
}
