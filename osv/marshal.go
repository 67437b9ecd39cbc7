package osv

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/ossf/osv-schema/bindings/go/osvschema"
	"google.golang.org/protobuf/encoding/protojson"
)

// Marshal writes v as OSV JSON with the schema's snake_case names,
// indented with two spaces and ending in a newline. protojson varies its
// whitespace on purpose; re-indenting makes the output stable, so that
// golden files and repeated exports compare byte for byte.
func Marshal(v *osvschema.Vulnerability) ([]byte, error) {
	raw, err := protojson.MarshalOptions{UseProtoNames: true}.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("osv: %w", err)
	}
	var compact, out bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return nil, fmt.Errorf("osv: %w", err)
	}
	if err := json.Indent(&out, compact.Bytes(), "", "  "); err != nil {
		return nil, fmt.Errorf("osv: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// Unmarshal reads OSV JSON. Fields the bindings do not know are ignored,
// as the schema asks of clients reading a newer minor version.
func Unmarshal(b []byte) (*osvschema.Vulnerability, error) {
	v := &osvschema.Vulnerability{}
	if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(b, v); err != nil {
		return nil, fmt.Errorf("osv: %w", err)
	}
	return v, nil
}
