package app

import (
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// termsDate applies the reporter's terms to the disclosure date at that the
// policy computed for a notice sent now. VMT.md: "Vulnerability reporters
// retain final control over the disclosure of their findings ... their
// choice of disclosure terms prevails." So the reporter's requested date is
// the date, later or earlier than the policy's: a later one gives
// downstream more time, which is the reporter's to grant; an earlier one
// shortens the embargo, and the reporter can publish then anyway, so a
// notice saying otherwise would only mislead downstream. A date that has
// passed, or lies past the hard maximum, cannot be honoured as it stands:
// the notice is refused until the coordinator overrides it with a reason
// (or the reporter changes it). The override keeps the policy's date and is
// returned for the report and the audit log.
func termsDate(r *vmt.Report, at *time.Time, now time.Time, set *vmt.DisclosureSettings, in vmt.NoticeInput, a vmt.Actor) (*vmt.TermsOverride, error) {
	req := r.RequestedDisclosureAt
	if in.OverrideReason != "" {
		if req == nil {
			return nil, vmt.Invalid("override_reason", "the reporter asked for no disclosure date: there is nothing to override")
		}
		return &vmt.TermsOverride{Reason: in.OverrideReason, By: a.ID(), At: now, Requested: *req, Used: *at}, nil
	}
	if req == nil {
		return nil, nil
	}
	if !req.After(now) {
		return nil, &vmt.Error{Code: vmt.ECONFLICT, Field: "requested_disclosure_at", Message: "the reporter's date " +
			req.UTC().Format(time.RFC3339) + " has passed: make the report public, or override their terms with a reason"}
	}
	if set.BeyondMaximum(*req, now) {
		return nil, &vmt.Error{Code: vmt.ECONFLICT, Field: "requested_disclosure_at", Message: "the reporter's date " +
			req.UTC().Format(time.RFC3339) + " is more than " + itoa(set.MaxEmbargoDays) +
			" days away, the hard maximum: agree on another with them, or override their terms with a reason"}
	}
	*at = *req
	return nil, nil
}

// setRequestedDate applies a patch of the reporter's requested date: a
// date (YYYY-MM-DD, meaning 00:00 UTC) or an RFC 3339 instant in the
// future, or "" to withdraw it. Once the notice is out the date downstream
// was given stands, so the field no longer changes.
func (s *Service) setRequestedDate(r *vmt.Report, v *string) error {
	if v == nil {
		return nil
	}
	var t *time.Time
	if txt := strings.TrimSpace(*v); txt != "" {
		d, err := time.Parse(time.DateOnly, txt)
		if err != nil {
			if d, err = time.Parse(time.RFC3339, txt); err != nil {
				return vmt.Invalid("requested_disclosure_at", "%q is not a date (YYYY-MM-DD) or an RFC 3339 time", txt)
			}
		}
		d = d.UTC().Truncate(time.Microsecond)
		t = &d
	}
	same := t == nil && r.RequestedDisclosureAt == nil || t != nil && r.RequestedDisclosureAt != nil && t.Equal(*r.RequestedDisclosureAt)
	switch {
	case same:
		return nil // a form that sends the terms again
	case r.NoticeSentAt != nil:
		return &vmt.Error{Code: vmt.ECONFLICT, Field: "requested_disclosure_at",
			Message: "the notice has gone out with its disclosure date; ask the coordinator"}
	case t != nil && !t.After(s.now()):
		return vmt.Invalid("requested_disclosure_at", "%s is not in the future", t.Format(time.RFC3339))
	}
	r.RequestedDisclosureAt = t
	return nil
}
