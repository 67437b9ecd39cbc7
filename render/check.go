package render

import (
	"fmt"
	"reflect"
	"sort"
	"text/template"
	"text/template/parse"
)

// checkFields walks every branch of t, taken or not, and refuses a field
// name that no struct reachable from typ has: executing a sample finds
// the fields of the branches it takes, this finds the others (the else of
// an optional field, the body of a range over an empty list).
func checkFields(t *template.Template, typ reflect.Type) error {
	known := map[string]bool{}
	fieldNames(typ, known, map[reflect.Type]bool{})
	var unknown []string
	for _, tt := range t.Templates() {
		if tt.Tree == nil {
			continue
		}
		walk(tt.Tree.Root, func(name string) {
			if !known[name] {
				unknown = append(unknown, name)
			}
		})
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("unknown field %s (the data has no such field)", unknown[0])
	}
	return nil
}

func fieldNames(t reflect.Type, out map[string]bool, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	for i := range t.NumField() {
		f := t.Field(i)
		if f.IsExported() {
			out[f.Name] = true
			fieldNames(f.Type, out, seen)
		}
	}
}

// walk calls field for each field name the node refers to.
func walk(n parse.Node, field func(string)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				walk(c, field)
			}
		}
	case *parse.ActionNode:
		walk(n.Pipe, field)
	case *parse.PipeNode:
		if n != nil {
			for _, c := range n.Cmds {
				walk(c, field)
			}
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			walk(a, field)
		}
	case *parse.FieldNode:
		for _, id := range n.Ident {
			field(id)
		}
	case *parse.ChainNode:
		walk(n.Node, field)
		for _, id := range n.Field {
			field(id)
		}
	case *parse.VariableNode:
		for _, id := range n.Ident[1:] {
			field(id)
		}
	case *parse.IfNode:
		walkBranch(&n.BranchNode, field)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, field)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, field)
	case *parse.TemplateNode:
		walk(n.Pipe, field)
	}
}

func walkBranch(b *parse.BranchNode, field func(string)) {
	walk(b.Pipe, field)
	walk(b.List, field)
	walk(b.ElseList, field)
}
