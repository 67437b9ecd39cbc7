// Package render writes the texts of the process from strict templates:
// the reception messages, the impact description, the CVE request mails
// and form, the downstream notification, the advisory (KCSA) and the note
// (KCSN). The defaults are embedded; a project can override any of them
// with its own text, which is checked when it is loaded.
//
// Rendering is strict. Each template reads one data type; a required field
// left empty is absent from what the template sees, and text/template's
// missingkey=error turns the reference into an error naming the field,
// never an empty string. A template that refers to a field its data type
// does not have, or that does not parse, is refused at load.
package render

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"text/template"
	"unicode"

	"github.com/vmtproject/vmt"
)

// Template is a parsed, checked template for one kind of text.
type Template struct {
	name Name
	t    *template.Template
}

// Doc is a rendered text: a subject for the mails, and the body.
type Doc struct {
	Subject string `json:"subject,omitempty"`
	Body    string `json:"body"`
}

// MissingFieldError says which field a template needed and did not get.
type MissingFieldError struct {
	Template Name
	Field    string
}

func (e *MissingFieldError) Error() string {
	return fmt.Sprintf("template %s: the field %s is required and missing", e.Template, e.Field)
}

// DocField names the document's field behind the template's (the JSON
// name, as an API error's field): where NoteFrom and AdvisoryFrom fill a
// template field from one of another name, that one (Actions is the
// mitigation); else the template field in snake case (ReportURL is
// report_url).
func (e *MissingFieldError) DocField() string {
	if f, ok := docFields[e.Field]; ok {
		return f
	}
	var b strings.Builder
	rs := []rune(e.Field)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])) {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// docFields are the template fields filled from a document field of
// another name (advisory.go).
var docFields = map[string]string{
	"Actions": "mitigation", "Discussion": "description", "Authors": "credits",
	"Severity": "cvss", "Components": "affected", "Date": "published",
}

// Parse parses text as the template name and checks it against the data
// type of name: a parse error, a reference to a field the type does not
// have, or a mail template without a subject is an error.
func Parse(name Name, text string) (*Template, error) {
	k, ok := kinds[name]
	if !ok {
		return nil, fmt.Errorf("render: unknown template %q (want one of %s)", name, namesList())
	}
	t, err := template.New(string(name)).Option("missingkey=error").Funcs(funcs).Parse(text)
	if err != nil {
		return nil, fmt.Errorf("render: template %s does not parse: %w", name, err)
	}
	tp := &Template{name: name, t: t}
	if k.mail && t.Lookup("subject") == nil {
		return nil, fmt.Errorf("render: template %s is a mail and defines no subject ({{define \"subject\"}}…{{end}})", name)
	}
	if err := checkFields(t, k.typ); err != nil {
		return nil, fmt.Errorf("render: template %s refers to a field its data does not have: %w", name, err)
	}
	// A full sample has every field: whatever fails now refers to a
	// field that does not exist where it is used.
	if _, err := tp.Execute(k.sample()); err != nil {
		return nil, fmt.Errorf("render: template %s refers to a field its data does not have: %w", name, err)
	}
	return tp, nil
}

// Name returns the template's name.
func (t *Template) Name() Name { return t.name }

// Execute renders data, which must be the template's data type (a value
// or a pointer). A required field that is empty is a *MissingFieldError.
func (t *Template) Execute(data any) (Doc, error) {
	k := kinds[t.name]
	v := reflect.Indirect(reflect.ValueOf(data))
	if !v.IsValid() || v.Type() != k.typ {
		return Doc{}, fmt.Errorf("render: template %s takes a %s, not %T", t.name, k.typ, data)
	}
	m := toMap(v)
	var doc Doc
	if t.t.Lookup("subject") != nil {
		s, err := t.exec("subject", m)
		if err != nil {
			return Doc{}, err
		}
		doc.Subject = vmt.ShowInvisible(strings.TrimSpace(s))
	}
	body, err := t.exec(string(t.name), m)
	if err != nil {
		return Doc{}, err
	}
	// A body keeps invisible characters as the reporter wrote them; a
	// text document (a mail, an advisory's text) shows them as escapes
	// (vmt.ShowInvisible says why).
	doc.Body = vmt.ShowInvisible(strings.TrimLeft(body, "\n"))
	return doc, nil
}

var missingKeyRE = regexp.MustCompile(`map has no entry for key "([^"]+)"`)

func (t *Template) exec(name string, data any) (string, error) {
	var b bytes.Buffer
	if err := t.t.ExecuteTemplate(&b, name, data); err != nil {
		if m := missingKeyRE.FindStringSubmatch(err.Error()); m != nil {
			return "", &MissingFieldError{Template: t.name, Field: m[1]}
		}
		var ee template.ExecError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("render: template %s: %w", t.name, ee.Err)
		}
		return "", fmt.Errorf("render: template %s: %w", t.name, err)
	}
	return b.String(), nil
}

// toMap turns a data struct into what templates see: every optional field
// (tag render:"optional"), and every other field only when it is set, so
// that a reference to an empty required field fails by its name. Nested
// structs and slices of structs are turned the same way.
func toMap(v reflect.Value) map[string]any {
	m := map[string]any{}
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		fv := v.Field(i)
		if fv.IsZero() && f.Tag.Get("render") != "optional" {
			continue
		}
		if fv.Kind() == reflect.Slice && fv.Len() == 0 && f.Tag.Get("render") != "optional" {
			continue
		}
		m[f.Name] = value(fv)
	}
	return m
}

func value(v reflect.Value) any {
	switch {
	case v.Kind() == reflect.Struct && v.Type().PkgPath() == reflect.TypeFor[Template]().PkgPath():
		return toMap(v)
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Struct:
		out := make([]any, v.Len())
		for i := range v.Len() {
			out[i] = toMap(v.Index(i))
		}
		return out
	}
	return v.Interface()
}

var funcs = template.FuncMap{
	"join": strings.Join,
	// indent prefixes every line but the first with n spaces, for
	// multi-line values inside a list item.
	"indent": func(n int, s string) string {
		return strings.ReplaceAll(s, "\n", "\n"+strings.Repeat(" ", n))
	},
	"upper": strings.ToUpper,
}
