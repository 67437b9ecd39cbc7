package vmt

// ReportView is a report as one actor sees it: fields the reporter asked to
// keep undisclosed are blanked for anyone outside the VMT and the reporter,
// and the moves the actor may make are listed.
type ReportView struct {
	*Report
	NextStatuses []Status `json:"next_statuses"`
	// WithheldIn names, for the report's VMT, the stored texts that hold
	// a value the reporter's marks withhold (Withheld.StoredIn), so that
	// they can edit them; every output withholds the value meanwhile. It
	// is filled on the view of one report, not in lists.
	WithheldIn []string `json:"withheld_in,omitempty"`
	// Forge is the report's public issue and pull requests on its
	// project's forge, opened at the disclosure hour (forge_hour.go). It
	// is filled on the view of one public report, not in lists.
	Forge *ReportForge `json:"forge,omitempty"`
	// Withheld is what the marks withhold, for those who see it (the VMT,
	// the reporter) to apply to what they send out: previews of the
	// documents, the CVE request. It is empty for everyone else, whose
	// view is already without it, and never leaves the server.
	Withheld Withheld `json:"-"`
}

// Redact returns r as seen by someone with acc: the VMT and the reporter see
// everything; others do not see what the reporter marked never to disclose
// (w), in any field or text.
func Redact(r *Report, acc Access, w Withheld) *Report {
	if acc.SeesWithheld() || w.Empty() && r.TermsOverride == nil {
		return r
	}
	c := *acc.Withhold(w).Report(r)
	// Why the VMT set the reporter's date aside is between them.
	c.TermsOverride = nil
	return &c
}
