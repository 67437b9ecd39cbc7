package http

import (
	"net/http"
	"time"

	"github.com/vmtproject/vmt"
)

// The web side of the intake by mail (issue 13): the files a mailed
// report came with, on the report's page, and the messages of a
// project's mailbox that could not be filed, on a page of the project's
// VMT.

// reportIntakeSection reads the files kept with the report and how it
// arrived by mail, for the report's page: nil (no section) where the
// service does not let the viewer read them or there are none. A
// signer's fingerprint names the reporter: it is dropped when the view
// withholds the reporter from the viewer.
func (s *Server) reportIntakeSection(r *http.Request, p *reportPage) ([]*vmt.ReportAttachment, *vmt.IntakeRecord, error) {
	ctx, a := r.Context(), actorFrom(r.Context())
	as, err := s.svc.ReportAttachments(ctx, a, p.R.ID)
	if err := hidden(err); err != nil {
		return nil, nil, err
	}
	rec, err := s.svc.ReportIntake(ctx, a, p.R.ID)
	if err := hidden(err); err != nil {
		return nil, nil, err
	}
	if rec != nil && p.R.ReporterID == 0 {
		rec.Signature.Fingerprint, rec.Signature.KeyID = "", ""
	}
	return as, rec, nil
}

// hidden turns a refusal or an absence (the viewer may not read this
// part, or there is none) into no error; any other error stays.
func hidden(err error) error {
	switch vmt.ErrorCode(err) {
	case vmt.EFORBIDDEN, vmt.ENOTFOUND, vmt.EUNAUTHENTICATED:
		return nil
	}
	return err
}

// reportAttachmentFile serves one file of a report as a download, with
// the session of the page: never as the type the sender gave, since a
// mailed "text/html" must not run in the site's origin (as the API's
// download does).
func (s *Server) reportAttachmentFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return vmt.NotFound("report")
	}
	aid, err := pathID(r, "attachment")
	if err != nil {
		return vmt.NotFound("attachment")
	}
	as, err := s.svc.ReportAttachments(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	for _, a := range as {
		if a.ID == aid {
			w.Header().Set("Content-Type", "application/octet-stream")
			// A kept name is [A-Za-z0-9._-] (vmt.CleanAttachmentName):
			// nothing in it to escape from the quotes.
			w.Header().Set("Content-Disposition", `attachment; filename="`+vmt.CleanAttachmentName(a.Name)+`"`)
			w.WriteHeader(http.StatusOK)
			_, err := w.Write(a.Data)
			return err
		}
	}
	return vmt.NotFound("attachment")
}

// intakePage is the data of a project's intake page.
type intakePage struct {
	Project  string
	Settings *vmt.IntakeSettings
	Failures []*vmt.IntakeFailure
	// LastTry is the latest attempt at any failure: the server keeps no
	// record of its rounds, only of what failed in them.
	LastTry *time.Time
}

// projectIntakePage shows a project's intake settings and the messages
// of its mailbox that could not be filed, to its VMT and the
// administrators. To everyone else, signed in or not, it is the 404 of a
// page that does not exist: a failure names a sender and a subject.
func (s *Server) projectIntakePage(w http.ResponseWriter, r *http.Request) error {
	ctx, a, name := r.Context(), actorFrom(r.Context()), r.PathValue("name")
	hide := func(err error) error {
		switch vmt.ErrorCode(err) {
		case vmt.EFORBIDDEN, vmt.EUNAUTHENTICATED:
			return vmt.NotFound("page")
		}
		return err
	}
	c, err := s.svc.IntakeSettingsOf(ctx, a, name)
	if err != nil {
		return hide(err)
	}
	fs, err := s.svc.IntakeFailures(ctx, a, name)
	if err != nil {
		return hide(err)
	}
	p := &intakePage{Project: name, Settings: c, Failures: fs}
	for _, f := range fs {
		if p.LastTry == nil || f.LastAt.After(*p.LastTry) {
			t := f.LastAt
			p.LastTry = &t
		}
	}
	return s.render(w, r, http.StatusOK, "intake", "Mail intake of "+name, p)
}

// intakeAlert is a project whose mailbox holds messages that could not
// be filed, for the home page of its VMT.
type intakeAlert struct {
	Project  string
	Failures int
}

// intakeAlerts lists the projects whose intake failures a may read and
// that have some. The service decides who may: a refusal leaves the
// project out.
func (s *Server) intakeAlerts(r *http.Request, a vmt.Actor) ([]intakeAlert, error) {
	ps, err := s.svc.Projects(r.Context(), a)
	if err != nil {
		return nil, err
	}
	var out []intakeAlert
	for _, p := range ps {
		fs, err := s.svc.IntakeFailures(r.Context(), a, p.Name)
		if err != nil {
			if err := hidden(err); err != nil {
				return nil, err
			}
			continue
		}
		if len(fs) > 0 {
			out = append(out, intakeAlert{Project: p.Name, Failures: len(fs)})
		}
	}
	return out, nil
}
