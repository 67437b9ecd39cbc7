package githubtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// The description is GitHub's, cut to what package github uses
// (github/testdata/README.md says where it came from).
var (
	docOnce sync.Once
	doc     *openapi3.T
	docErr  error
)

// Description returns GitHub's REST API description as kept in
// github/testdata, loaded once.
func Description() (*openapi3.T, error) {
	docOnce.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		path := filepath.Join(filepath.Dir(file), "..", "testdata", "api.github.com.json")
		l := openapi3.NewLoader()
		doc, docErr = l.LoadFromFile(path)
		if docErr == nil {
			docErr = doc.Validate(context.Background(), openapi3.DisableExamplesValidation())
		}
	})
	return doc, docErr
}

// schemaNamed returns a component schema of the description.
func schemaNamed(name string) (*openapi3.Schema, error) {
	d, err := Description()
	if err != nil {
		return nil, err
	}
	ref, ok := d.Components.Schemas[name]
	if !ok || ref.Value == nil {
		return nil, fmt.Errorf("githubtest: no schema %s in the description", name)
	}
	return ref.Value, nil
}

// skeleton returns the smallest value s allows: its required properties,
// each the smallest of its own schema (null where nullable, the first
// enum value, a well-formed string for a format). The stand-in's answers
// and the webhook deliveries start from it, with the fields that matter
// set over it, so that they carry every field GitHub's description says
// they always have.
func skeleton(s *openapi3.Schema) any {
	switch {
	case s == nil:
		return nil
	case len(s.AllOf) > 0:
		out := map[string]any{}
		for _, sub := range s.AllOf {
			if m, ok := skeleton(sub.Value).(map[string]any); ok {
				maps.Copy(out, m)
			}
		}
		return out
	case len(s.OneOf) > 0:
		return skeleton(s.OneOf[0].Value)
	case len(s.AnyOf) > 0:
		return skeleton(s.AnyOf[0].Value)
	case s.Nullable:
		return nil
	case len(s.Enum) > 0:
		return s.Enum[0]
	}
	switch {
	case s.Type.Is("object"):
		out := map[string]any{}
		for _, name := range s.Required {
			if p := s.Properties[name]; p != nil {
				out[name] = skeleton(p.Value)
			}
		}
		return out
	case s.Type.Is("array"):
		return []any{}
	case s.Type.Is("integer"), s.Type.Is("number"):
		return 1
	case s.Type.Is("boolean"):
		return false
	case s.Type.Is("string"):
		switch s.Format {
		case "date-time":
			return "2026-01-01T00:00:00Z"
		case "uri", "url":
			return "https://github.com/"
		case "email":
			return "someone@example.com"
		}
		return "x"
	}
	return nil
}

// Value returns the skeleton of the component schema name with over set
// on it (a dotted key such as "issue.number" sets a nested field), checked
// against the schema: what the description does not allow is an error.
func Value(name string, over map[string]any) (map[string]any, error) {
	s, err := schemaNamed(name)
	if err != nil {
		return nil, err
	}
	v, _ := skeleton(s).(map[string]any)
	for k, x := range over {
		setPath(s, v, k, x)
	}
	// Round-trip through JSON, as a client would read it.
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.NewDecoder(bytes.NewReader(b)).Decode(&out); err != nil {
		return nil, err
	}
	if err := s.VisitJSON(out); err != nil {
		return nil, fmt.Errorf("githubtest: a %s the description does not allow: %w", name, err)
	}
	return out, nil
}

// setPath sets the dotted path of m, whose schema is s; an object on the
// way that m lacks starts as the skeleton of its property's schema.
func setPath(s *openapi3.Schema, m map[string]any, path string, v any) {
	for {
		k, rest, nested := cut(path)
		if !nested {
			m[k] = v
			return
		}
		var sub *openapi3.Schema
		if s != nil && s.Properties[k] != nil {
			sub = s.Properties[k].Value
		}
		next, ok := m[k].(map[string]any)
		if !ok {
			next, _ = skeleton(nonNull(sub)).(map[string]any)
			if next == nil {
				next = map[string]any{}
			}
			m[k] = next
		}
		s, m, path = sub, next, rest
	}
}

// nonNull is s as if it were not nullable: a field set on purpose.
func nonNull(s *openapi3.Schema) *openapi3.Schema {
	if s == nil || !s.Nullable {
		return s
	}
	c := *s
	c.Nullable = false
	return &c
}

func cut(path string) (string, string, bool) {
	for i := range len(path) {
		if path[i] == '.' {
			return path[:i], path[i+1:], true
		}
	}
	return path, "", false
}
