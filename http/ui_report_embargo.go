package http

import (
	"net/http"
	"strconv"
	"time"

	"github.com/vmtproject/vmt"
)

// The embargo forms of a report's page (part_report_embargo.html): the
// reporter's requested disclosure date, the notice with an optional
// override of it, and stakeholder access grants.

// reportRequestedDate records (or, empty, withdraws) the disclosure date
// the reporter asks for.
func (s *Server) reportRequestedDate(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		d := r.PostForm.Get("requested_disclosure_at")
		_, err := s.svc.UpdateReport(r.Context(), a, id, vmt.ReportPatch{RequestedDisclosureAt: &d})
		if d == "" {
			return "The requested disclosure date is withdrawn.", err
		}
		return "The requested disclosure date is recorded.", err
	})(w, r)
}

// reportNotice sends the downstream notice.
func (s *Server) reportNotice(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		res, err := s.svc.SendNoticeWith(r.Context(), a, id, vmt.NoticeInput{OverrideReason: r.PostForm.Get("override_reason")})
		if err != nil {
			return "", err
		}
		return "The notice is on its way to " + strconv.Itoa(len(res.Recipients)) + " recipients; disclosure " +
			res.Disclosure.UTC().Format(time.RFC3339) + ".", nil
	})(w, r)
}

// reportNoticePreview shows what sending the notice now would send, mail
// by mail, from the plan the send uses (Service.PreviewNotice); the
// report's VMT only. An override reason in the query previews that choice.
func (s *Server) reportNoticePreview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return vmt.NotFound("report")
	}
	p, err := s.svc.PreviewNotice(r.Context(), actorFrom(r.Context()), id, vmt.NoticeInput{OverrideReason: r.URL.Query().Get("override_reason")})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "report_notice_preview", "The notice, before it is sent", p)
}

// reportGrant lets a stakeholder's account read the report.
func (s *Server) reportGrant(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		uid, err := formID(r, "user_id")
		if err != nil {
			return "", err
		}
		g, err := s.svc.GrantStakeholder(r.Context(), a, id, vmt.GrantInput{UserID: uid})
		if err != nil {
			return "", err
		}
		return "An account of " + g.Organisation + " may now read this report.", nil
	})(w, r)
}

// reportRevokeGrant ends a stakeholder's grant.
func (s *Server) reportRevokeGrant(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		uid, err := formID(r, "user_id")
		if err != nil {
			return "", err
		}
		return "The stakeholder's access is revoked.", s.svc.RevokeStakeholder(r.Context(), a, id, uid)
	})(w, r)
}

// reportRaise raises the report for going public, for a reason.
func (s *Server) reportRaise(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		_, err := s.svc.RaiseEmbargo(r.Context(), a, id, r.PostForm.Get("reason"))
		return "The report is raised for going public; the architecture committee is subscribed.", err
	})(w, r)
}

// accessPage is where a stakeholder told of a report by the notice asks to
// read it. It is the same page for every id and every signed-in visitor,
// so it says nothing of whether the report exists.
func (s *Server) reportAccessPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return vmt.NotFound("report")
	}
	if actorFrom(r.Context()).User == nil {
		return vmt.Errorf(vmt.EUNAUTHENTICATED, "sign in with your organisation's account to ask for access")
	}
	d, err := s.accessPageData(r, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "report_access", "Ask to read a report", d)
}

// reportAccess records the request. A report the visitor was not told of
// is the 404 page, exactly like a missing one.
func (s *Server) reportAccess(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return vmt.NotFound("report")
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	_, err = s.svc.RequestAccess(r.Context(), actorFrom(r.Context()), id, normalizeNewlines(r.PostForm.Get("note")))
	switch vmt.ErrorCode(err) {
	case "":
		s.flash(r, "Your request is with the vulnerability management team; you can read the report once they grant it.", false)
	case vmt.EINVALID, vmt.ECONFLICT:
		s.flash(r, "Not done: "+vmt.ErrorMessage(err), true)
	default:
		return err
	}
	return redirect(w, r, "/reports/"+strconv.FormatInt(id, 10)+"/access")
}
