package vmt

// The guards of the transition table. Each name is what the docs print; each
// reason is what a refused caller reads.
var (
	classNotAdvisory = Guard{"the report is classified, and not of class A", func(f *Facts) string {
		switch f.Report.Class.Outcome() {
		case "":
			return "the report has no class yet; classify it first"
		case OutcomeAdvisory:
			return "a class A report warrants an advisory; reclassify it first"
		}
		return ""
	}}
	classWarrantsAdvisory = Guard{"the class is unset or leads to an advisory (A)", func(f *Facts) string {
		if c := f.Report.Class; c != "" && c.Outcome() != OutcomeAdvisory {
			return "class " + string(c) + " does not lead to an advisory"
		}
		return ""
	}}
	classAdvisory = Guard{"the class leads to an advisory (A)", func(f *Facts) string {
		if f.Report.Class.Outcome() != OutcomeAdvisory {
			return "the report must be of class A (an advisory) first"
		}
		return ""
	}}
	classMayWarrantNote = Guard{"the class is unset or one of B1, B2, B3, C1, C2, D", func(f *Facts) string {
		switch f.Report.Class.Outcome() {
		case "", OutcomeNote, OutcomePotential:
			return ""
		}
		return "class " + string(f.Report.Class) + " does not call for a security note"
	}}
	classNote = Guard{"the class leads to a security note (B1, B2, B3)", func(f *Facts) string {
		if f.Report.Class.Outcome() != OutcomeNote {
			return "only a report of class B1, B2 or B3 is closed by a security note"
		}
		return ""
	}}
	classInvalid = Guard{"the class is E or Z", func(f *Facts) string {
		if c := f.Report.Class; c != "E" && c != "Z" {
			return "only a report of class E or Z is invalid; classify it first"
		}
		return ""
	}}
	impactApproved = Guard{"the impact description is approved by the reporter and the architecture committee", func(f *Facts) string {
		if f.Report.ImpactDescription == "" {
			return "no impact description has been posted"
		}
		st := &ImpactState{Text: f.Report.ImpactDescription}
		st.SetApprovals(f.ImpactApprovals)
		if who := st.Missing(); who != "" {
			return "the impact description is not yet approved by " + who
		}
		return ""
	}}
	cveRequested = Guard{"a CVE has been requested or assigned", func(f *Facts) string {
		if f.Report.CVERequestedAt == nil && len(f.Report.CVEs) == 0 {
			return "no CVE request has been recorded"
		}
		return ""
	}}
	noticeSentOrCVEAssigned = Guard{"a CVE is assigned and, while private, the stakeholder notice is sent", func(f *Facts) string {
		r := f.Report
		if len(r.CVEs) == 0 {
			return "no CVE has been assigned"
		}
		if r.Visibility == Private && r.NoticeSentAt == nil {
			return "the embargoed notice to downstream stakeholders has not been sent"
		}
		return ""
	}}
	patchesMerged = Guard{"every patch is merged on every supported branch", func(f *Facts) string {
		if !f.PatchesMerged {
			return "not every patch is merged on every supported branch"
		}
		return ""
	}}
	advisoryPublished = Guard{"the advisory or note is published", func(f *Facts) string {
		if !f.AdvisoryPublished {
			return "the advisory or note is not published"
		}
		return ""
	}}
	reasonGiven = Guard{"a reason is given", func(f *Facts) string {
		if f.Reason == "" {
			return "a reason is required for this move"
		}
		return ""
	}}
)
