package ossa

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"
)

// The limits of what the importer reads. A published OSSA is at most a
// few kilobytes with a nesting depth of 5 and no anchors; the limits are
// far above that and far below what would let one file (sent to the
// server, or fuzzed) take the memory or the time of the process.
const (
	// MaxInput is the largest file read, in bytes.
	MaxInput = 1 << 20
	// MaxDepth is how deep mappings and sequences may nest.
	MaxDepth = 32
	// MaxAliases is how many aliases (*name) a file may hold.
	MaxAliases = 64
	// MaxNodes is how many nodes the document may expand to, aliases
	// counted as the nodes they stand for (so that a "billion laughs"
	// of nested aliases is refused before it is decoded).
	MaxNodes = 100_000
)

// decodeYAML decodes the one YAML document of b into v, refusing unknown
// keys, after checking the limits above on the node tree: the tree is
// read first, so that nothing is decoded from a file over a limit. Each
// error says which limit and, where it can, the line.
func decodeYAML(b []byte, v any) error {
	if len(b) > MaxInput {
		return fmt.Errorf("the file has %d bytes, more than the %d allowed", len(b), MaxInput)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("the file holds no YAML document")
		}
		return err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return fmt.Errorf("after the first document: %w", err)
		}
		return fmt.Errorf("the file holds more than one YAML document (the second starts on line %d)", extra.Line)
	}
	w := walker{sizes: map[*yaml.Node]int{}, open: map[*yaml.Node]bool{}}
	if _, err := w.size(&doc, 0); err != nil {
		return err
	}
	strict := yaml.NewDecoder(bytes.NewReader(b))
	strict.KnownFields(true)
	return strict.Decode(v)
}

// walker measures a node tree against the limits.
type walker struct {
	aliases int
	sizes   map[*yaml.Node]int  // expanded size of the nodes seen, for aliases to reuse
	open    map[*yaml.Node]bool // nodes being measured: an alias to one is a cycle
}

// size returns how many nodes n expands to.
func (w *walker) size(n *yaml.Node, depth int) (int, error) {
	if depth > MaxDepth {
		return 0, fmt.Errorf("line %d: nesting deeper than %d levels", n.Line, MaxDepth)
	}
	if s, ok := w.sizes[n]; ok {
		return s, nil
	}
	if w.open[n] {
		return 0, fmt.Errorf("line %d: an alias refers to a node that contains it", n.Line)
	}
	w.open[n] = true
	defer delete(w.open, n)
	total := 1
	if n.Kind == yaml.AliasNode {
		w.aliases++
		if w.aliases > MaxAliases {
			return 0, fmt.Errorf("line %d: more than %d aliases", n.Line, MaxAliases)
		}
		s, err := w.size(n.Alias, depth+1)
		if err != nil {
			return 0, err
		}
		total += s
	}
	for _, c := range n.Content {
		s, err := w.size(c, depth+1)
		if err != nil {
			return 0, err
		}
		total += s
		if total > MaxNodes {
			return 0, fmt.Errorf("line %d: the document expands to more than %d nodes", n.Line, MaxNodes)
		}
	}
	if total > MaxNodes {
		return 0, fmt.Errorf("line %d: the document expands to more than %d nodes", n.Line, MaxNodes)
	}
	if n.Kind != yaml.AliasNode {
		w.sizes[n] = total
	}
	return total, nil
}
