package vmt

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Importing a project's published history (issue 15): the CLI reads the
// files (OSSA YAML, OSV and GHSA JSON, Kata's KCSA Markdown) into
// advisories and sends them; the server stores each as a published
// document with no report, keeping its original id and dates, so that it
// is in the public index, the feeds and the exports like any other.

// The limits of one import request: a project's whole history (183 OSSAs
// are 0.9 MB as JSON) fits in one, so that a dry run of it numbers and
// checks everything in one transaction. The CLI sends a longer one in as
// many requests as it takes.
const (
	// MaxImportDocuments is how many advisories one request may hold.
	MaxImportDocuments = 500
	// MaxImportBytes is the most one request's body may hold.
	MaxImportBytes = 4 << 20
)

// ImportRequest is what the CLI sends: the advisories it read, and
// whether the server should only say what it would do.
type ImportRequest struct {
	// DryRun checks and numbers everything in a transaction that is
	// rolled back: the answer is the same as a real import's, nothing is
	// stored.
	DryRun bool `json:"dry_run,omitempty"`
	// Prefix numbers the advisories whose original id is not of the form
	// PREFIX-YYYY-NNN (GHSA-…, KCSA-CVE-…), as PREFIX-YEAR-NNN of their
	// publication year; the project's advisory prefix when empty.
	Prefix    string           `json:"prefix,omitempty"`
	Documents []ImportDocument `json:"documents"`
}

// ImportDocument is one advisory read from a file.
type ImportDocument struct {
	File     string   `json:"file"` // the file's name, for the report
	Advisory Advisory `json:"advisory"`
}

// Validate checks the request's shape; each document is checked on its
// own by the import, so that one bad file does not stop the others.
func (r *ImportRequest) Validate() error {
	if len(r.Documents) == 0 {
		return Invalid("documents", "is empty: send at least one advisory")
	}
	if len(r.Documents) > MaxImportDocuments {
		return Invalid("documents", "has %d advisories, more than the %d of one request", len(r.Documents), MaxImportDocuments)
	}
	if r.Prefix != "" && !prefixRE.MatchString(r.Prefix) {
		return Invalid("prefix", "%q is not a prefix (2 to 10 capital letters or digits)", r.Prefix)
	}
	for i, d := range r.Documents {
		if err := CheckLine(fmt.Sprintf("documents[%d].file", i), d.File, MaxShortFieldLen, true); err != nil {
			return err
		}
	}
	return nil
}

// ImportOutcome is what became of one advisory.
type ImportOutcome string

// The outcomes.
const (
	ImportImported  ImportOutcome = "imported"  // stored (or, in a dry run, would be)
	ImportUnchanged ImportOutcome = "unchanged" // the same document was already stored: nothing done
	ImportRefused   ImportOutcome = "refused"   // not stored; Reason says why
)

// ImportResult is the report of one advisory.
type ImportResult struct {
	File       string        `json:"file"`
	OriginalID string        `json:"original_id,omitempty"` // the id in the file (OSSA-2014-039, GHSA-…)
	ID         string        `json:"id,omitempty"`          // the id it has here
	RecordID   int64         `json:"record_id,omitempty"`
	Outcome    ImportOutcome `json:"outcome"`
	Reason     string        `json:"reason,omitempty"`
}

// ImportReport is the answer to an import request.
type ImportReport struct {
	DryRun  bool           `json:"dry_run,omitempty"`
	Results []ImportResult `json:"results"`
}

// Count returns how many results have outcome o.
func (r *ImportReport) Count(o ImportOutcome) int {
	n := 0
	for _, x := range r.Results {
		if x.Outcome == o {
			n++
		}
	}
	return n
}

// OriginalID is the id a document was published under: its own id when
// it has one, else its first alias (GHSA-…, KCSA-CVE-…); "" when it has
// neither.
func (a *Advisory) OriginalID() string {
	if !a.ID.IsZero() {
		return a.ID.String()
	}
	if len(a.Aliases) > 0 {
		return a.Aliases[0]
	}
	return ""
}

// AdvisoryFieldsDiffer names the top-level JSON fields in which two
// advisories say different things, the store's own keys left out and
// times compared in UTC: how an import tells a re-imported document from
// the stored one, and how a file format's round trip is checked.
func AdvisoryFieldsDiffer(x, y *Advisory) ([]string, error) {
	norm := func(a *Advisory) (map[string]json.RawMessage, error) {
		c := *a
		c.RecordID, c.ProjectID, c.ReportID = 0, 0, 0
		for _, t := range []**time.Time{&c.Published, &c.Modified, &c.Withdrawn} {
			if *t != nil {
				u := (*t).UTC()
				*t = &u
			}
		}
		b, err := json.Marshal(&c)
		if err != nil {
			return nil, err
		}
		var m map[string]json.RawMessage
		return m, json.Unmarshal(b, &m)
	}
	a, err := norm(x)
	if err != nil {
		return nil, err
	}
	b, err := norm(y)
	if err != nil {
		return nil, err
	}
	var out []string
	for k, v := range a {
		if string(v) != string(b[k]) {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out, nil
}
