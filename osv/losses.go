package osv

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// Losses compares an OSV record as it was given (orig) with the record
// exported from what it was imported into (back), and names every field
// of orig whose value back does not have at the same place: a field
// dropped, or changed (a range type, an id). Fields back adds are not
// losses. Names are JSON paths with the array indexes left out
// ("affected[].database_specific.last_known_affected_version_range"),
// each once, sorted; times are compared as instants, and text without
// the blank space around it.
func Losses(orig, back []byte) ([]string, error) {
	var o, b any
	if err := json.Unmarshal(orig, &o); err != nil {
		return nil, fmt.Errorf("osv: the original record: %w", err)
	}
	if err := json.Unmarshal(back, &b); err != nil {
		return nil, fmt.Errorf("osv: the exported record: %w", err)
	}
	ol, bl := map[string]any{}, map[string]any{}
	leaves("", o, ol)
	leaves("", b, bl)
	seen := map[string]bool{}
	var out []string
	for p, v := range ol {
		if w, ok := bl[p]; ok && sameValue(v, w) {
			continue
		}
		name := indexRE.ReplaceAllString(p, "[]")
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out, nil
}

var indexRE = regexp.MustCompile(`\[[0-9]+\]`)

// leaves flattens v into its scalar values by path. An empty array or
// object holds nothing, and is no leaf.
func leaves(path string, v any, out map[string]any) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			leaves(p, c, out)
		}
	case []any:
		for i, c := range x {
			leaves(fmt.Sprintf("%s[%d]", path, i), c, out)
		}
	default:
		out[path] = v
	}
}

func sameValue(a, b any) bool {
	if reflect.DeepEqual(a, b) {
		return true
	}
	sa, ok1 := a.(string)
	sb, ok2 := b.(string)
	if !ok1 || !ok2 {
		return false
	}
	if strings.TrimSpace(sa) == strings.TrimSpace(sb) {
		return true // a trailing newline of details is no loss
	}
	ta, err1 := time.Parse(time.RFC3339Nano, sa)
	tb, err2 := time.Parse(time.RFC3339Nano, sb)
	return err1 == nil && err2 == nil && ta.Equal(tb)
}

// NotKept is what an import of the record orig into a (Import's result)
// cannot give back in an OSV export: Losses of a's export. An advisory
// still unnumbered is exported under a stand-in id, so "id" is among
// them: it is numbered where it is stored, and its id kept in aliases.
func NotKept(orig []byte, a *vmt.Advisory) ([]string, error) {
	c := *a
	if c.ID.IsZero() {
		c.ID = vmt.NewAdvisoryID("UNNUMBERED", 9999, 1)
	}
	if c.State == vmt.AdvisoryDraft {
		return nil, vmt.Errorf(vmt.ECONFLICT, "a record with no publication date imports as a draft, which has no OSV export")
	}
	back, err := Export(&c)
	if err != nil {
		return nil, err
	}
	return Losses(orig, back)
}

// DescribeLosses is NotKept for the import report: each name with what
// became of it where that is known.
func DescribeLosses(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		switch {
		case n == "id":
			out[i] = "id (numbered here; the original id is kept in aliases)"
		case n == "schema_version":
			out[i] = "schema_version (exported as " + SchemaVersion + ")"
		case n == "modified":
			out[i] = "modified (before published in the record; kept as the publication time)"
		case n == "references[].url":
			out[i] = "references[].url (a URL without a scheme is kept as https://…)"
		case strings.HasSuffix(n, ".type") && strings.Contains(n, "ranges[]"):
			out[i] = n + " (a SEMVER range whose bounds are not SemVer is exported as ECOSYSTEM)"
		default:
			out[i] = n
		}
	}
	return out
}
