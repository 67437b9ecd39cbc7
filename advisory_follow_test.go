package vmt

import (
	"slices"
	"testing"
)

func TestFollowRecord(t *testing.T) {
	base := func() *Report {
		return &Report{ID: 1, ProjectID: 1, Class: "A", Title: "Guest reads host files",
			ImpactDescription: "A guest can read host files.", Affected: []AffectedEntry{{Component: "agent", Versions: "<3.2.1"}},
			Credit: "Rose", CVEs: []string{}, NeverDisclose: []string{}}
	}
	p := &Project{Name: "kata-containers"}
	draft := func(r *Report) Advisory {
		d, err := DraftFromReport(DraftFacts{Report: r, Project: p})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		name    string
		change  func(r *Report)
		edit    func(d *Advisory) // what a person changed in the draft
		want    []string
		wantDoc func(t *testing.T, d *Advisory)
	}{
		{"a CVE recorded after the draft", func(r *Report) { r.CVEs = []string{"CVE-2026-1234"}; r.Title += " (CVE-2026-1234)" }, nil,
			[]string{"cves"}, func(t *testing.T, d *Advisory) {
				if !slices.Equal(d.CVEs, []string{"CVE-2026-1234"}) || d.Title != "Guest reads host files" {
					t.Errorf("cves %v, title %q", d.CVEs, d.Title)
				}
			}},
		{"versions changed once", func(r *Report) { r.Affected[0].Versions = ">=3.0.0 <3.2.2" }, nil,
			[]string{"affected"}, func(t *testing.T, d *Advisory) {
				if d.Affected[0].Versions != ">=3.0.0 <3.2.2" {
					t.Errorf("affected %+v", d.Affected)
				}
			}},
		{"an edited field stays the person's", func(r *Report) { r.Title = "Guest reads any host file" },
			func(d *Advisory) { d.Title = "Host files readable from the guest" }, nil,
			func(t *testing.T, d *Advisory) {
				if d.Title != "Host files readable from the guest" {
					t.Errorf("title %q", d.Title)
				}
			}},
		{"an unrelated change changes nothing", func(r *Report) { r.Status = StatusTriaged }, nil, nil, nil},
		{"the credit withheld later", func(r *Report) { r.NeverDisclose = []string{"credit"} }, nil, []string{"credits"},
			func(t *testing.T, d *Advisory) {
				if len(d.Credits) != 0 {
					t.Errorf("credits %+v", d.Credits)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, now := base(), base()
			tt.change(now)
			d := draft(before)
			if tt.edit != nil {
				tt.edit(&d)
			}
			got := FollowRecord(&d, DraftFacts{Report: before, Project: p}, DraftFacts{Report: now, Project: p})
			if !slices.Equal(got, tt.want) {
				t.Errorf("changed %v, want %v", got, tt.want)
			}
			if tt.wantDoc != nil {
				tt.wantDoc(t, &d)
			}
		})
	}
}

// TestRecordDiff: a draft made from the record differs from it in
// nothing; a field a person edited is listed with both texts after the
// record moved on; a public document is history and lists nothing.
func TestRecordDiff(t *testing.T) {
	r := &Report{ID: 1, ProjectID: 1, Class: "A", Title: "Guest reads host files",
		ImpactDescription: "A guest can read host files.", Affected: []AffectedEntry{{Component: "agent", Versions: "<3.2.1"}},
		Credit: "Rose", CVEs: []string{}, NeverDisclose: []string{}}
	f := DraftFacts{Report: r, Project: &Project{Name: "kata-containers"}}
	d, err := DraftFromReport(f)
	if err != nil {
		t.Fatal(err)
	}
	if diff := RecordDiff(&d, f); len(diff) != 0 {
		t.Errorf("a fresh draft differs: %+v", diff)
	}
	d.Affected[0].Versions = "<3.2.0" // a person's edit
	r.Affected[0].Versions = ">=3.0.0 <3.2.2"
	want := []FieldDiff{{Field: "affected", Document: "agent: <3.2.0", Record: "agent: >=3.0.0 <3.2.2"}}
	if diff := RecordDiff(&d, f); !slices.Equal(diff, want) {
		t.Errorf("diff %+v, want %+v", diff, want)
	}
	d.State = AdvisoryPublished
	if diff := RecordDiff(&d, f); len(diff) != 0 {
		t.Errorf("a published document differs: %+v", diff)
	}
}
