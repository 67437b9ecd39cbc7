package vmt

import (
	"encoding/json"
	"reflect"
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
	follow := func(name string, field func(*Advisory) any, set func()) {
		if same(field(d), field(&was)) && !same(field(&was), field(&is)) {
			set()
			changed = append(changed, name)
		}
	}
	follow("title", func(a *Advisory) any { return a.Title }, func() { d.Title = is.Title })
	follow("cves", func(a *Advisory) any { return a.CVEs }, func() { d.CVEs = is.CVEs })
	follow("affected", func(a *Advisory) any { return a.Affected }, func() { d.Affected = is.Affected })
	follow("credits", func(a *Advisory) any { return a.Credits }, func() { d.Credits = is.Credits })
	follow("description", func(a *Advisory) any { return a.Description }, func() { d.Description = is.Description })
	follow("mitigation", func(a *Advisory) any { return a.Mitigation }, func() { d.Mitigation = is.Mitigation })
	return changed
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
