package vmt

import (
	"encoding/json"
	"reflect"
	"strings"
)

// FollowRecord brings the fields of document d that are made from its
// report (DraftFromReport: the title, CVE ids, affected components and
// versions, credits, description and mitigation) up to date with the
// report as now, each only where d still holds what the report as before
// made of it: a field a person has edited since is theirs, and stays. It
// returns the names of the fields it changed. The report's record is kept
// once, and the draft follows it, so that a CVE recorded after the draft
// was made is in it without a hand-made edit.
func FollowRecord(d *Advisory, before, now DraftFacts) []string {
	was, err := DraftFromReport(before)
	if err != nil {
		return nil
	}
	is, err := DraftFromReport(now)
	if err != nil {
		return nil
	}
	var changed []string
	for _, f := range recordFields {
		if same(f.get(d), f.get(&was)) && !same(f.get(&was), f.get(&is)) {
			f.set(d, &is)
			changed = append(changed, f.name)
		}
	}
	return changed
}

// recordFields are the fields of a document made from its report's
// record: what FollowRecord brings up to date and RecordDiff compares.
var recordFields = []struct {
	name string
	get  func(*Advisory) any
	set  func(d, from *Advisory)
	text func(*Advisory) string
}{
	{"title", func(a *Advisory) any { return a.Title }, func(d, f *Advisory) { d.Title = f.Title },
		func(a *Advisory) string { return a.Title }},
	{"cves", func(a *Advisory) any { return a.CVEs }, func(d, f *Advisory) { d.CVEs = f.CVEs },
		func(a *Advisory) string { return strings.Join(a.CVEs, ", ") }},
	{"affected", func(a *Advisory) any { return a.Affected }, func(d, f *Advisory) { d.Affected = f.Affected },
		func(a *Advisory) string {
			lines := make([]string, len(a.Affected))
			for i, af := range a.Affected {
				lines[i] = af.Component + ": " + af.Versions
			}
			return strings.Join(lines, "\n")
		}},
	{"credits", func(a *Advisory) any { return a.Credits }, func(d, f *Advisory) { d.Credits = f.Credits },
		func(a *Advisory) string {
			names := make([]string, len(a.Credits))
			for i, c := range a.Credits {
				names[i] = c.Name
				if c.Affiliation != "" {
					names[i] += " (" + c.Affiliation + ")"
				}
			}
			return strings.Join(names, ", ")
		}},
	{"description", func(a *Advisory) any { return a.Description }, func(d, f *Advisory) { d.Description = f.Description },
		func(a *Advisory) string { return a.Description }},
	{"mitigation", func(a *Advisory) any { return a.Mitigation }, func(d, f *Advisory) { d.Mitigation = f.Mitigation },
		func(a *Advisory) string { return a.Mitigation }},
}

// FieldDiff is a field of a document that says something other than what
// its report's record now makes of it: the document's text and the
// record's, as a person reads them.
type FieldDiff struct {
	Field    string `json:"field"`
	Document string `json:"document"`
	Record   string `json:"record"`
}

// RecordDiff lists the fields of document d, not yet public, that differ
// from what its report's record now makes (a field a person edited, which
// FollowRecord leaves to them, or a record the template cannot render
// yet): so that the coordinator sees a draft behind its record, and by
// how much, before it goes out. Nothing for a public or withdrawn
// document, whose text is history.
func RecordDiff(d *Advisory, now DraftFacts) []FieldDiff {
	if d.Public() || d.State == AdvisoryWithdrawn {
		return nil
	}
	is, err := DraftFromReport(now)
	if err != nil {
		return nil
	}
	var out []FieldDiff
	for _, f := range recordFields {
		if !same(f.get(d), f.get(&is)) {
			out = append(out, FieldDiff{Field: f.name, Document: f.text(d), Record: f.text(&is)})
		}
	}
	return out
}

// same compares two field values as their JSON, with an empty list equal
// to none: a stored document reads back [] where a draft has nil.
func same(a, b any) bool {
	empty := func(v any) bool {
		rv := reflect.ValueOf(v)
		return rv.Kind() == reflect.Slice && rv.Len() == 0
	}
	if empty(a) && empty(b) {
		return true
	}
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}
