package ossa

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/vmtproject/vmt"
)

// Marshal writes an advisory as our JSON document: indented, no HTML
// escaping, ending in a newline.
func Marshal(a *vmt.Advisory) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(a); err != nil {
		return nil, fmt.Errorf("advisory %s: %w", a.ID, err)
	}
	return b.Bytes(), nil
}
