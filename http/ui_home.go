package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

// homePage is the first page of someone signed in: their inbox and, for
// an administrator, the setup checklist.
type homePage struct {
	vmt.Inbox
	Setup *vmt.SetupChecklist
	// Intake is the projects whose mailbox holds messages that could not
	// be filed, for their VMT (ui_intake.go).
	Intake []intakeAlert
}

// home sends people who are signed in to their reports, and shows
// newcomers how to report a vulnerability.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	if a := actorFrom(r.Context()); a.User != nil {
		// Signed in, the first page is what waits on the person.
		in, err := s.svc.Inbox(r.Context(), a)
		if err != nil {
			return err
		}
		page := homePage{Inbox: in}
		// An administrator's first page says what the instance still
		// lacks before a notice can go out.
		if a.IsAdmin() {
			if page.Setup, err = s.svc.Setup(r.Context(), a); err != nil {
				return err
			}
		}
		if page.Intake, err = s.intakeAlerts(r, a); err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, "inbox", "What waits on you", &page)
	}
	return s.render(w, r, http.StatusOK, "home", "Vulnerability reports", nil)
}
