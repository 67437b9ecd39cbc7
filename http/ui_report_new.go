package http

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/vmtproject/vmt"
)

// reportForm is the data of the "report a vulnerability" page.
type reportForm struct {
	Projects []*vmt.Project
	In       vmt.ReportInput
	Email    string
	Name     string
	Error    string
	Field    string
}

// Never reports whether the reporter marked field never to disclose.
func (f *reportForm) Never(field string) bool {
	for _, x := range f.In.NeverDisclose {
		if x == field {
			return true
		}
	}
	return false
}

func (s *Server) reportNewPage(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.svc.Projects(r.Context(), actorFrom(r.Context()))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "report_new", "Report a vulnerability", &reportForm{Projects: ps})
}

// reportNew files a report. Someone without an account gives an email and
// a password, and gets a reporter account and a session with the report.
func (s *Server) reportNew(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := &reportForm{In: reportInput(r), Email: strings.TrimSpace(r.PostForm.Get("email")), Name: r.PostForm.Get("name")}
	v, err := s.fileReport(r, f)
	switch vmt.ErrorCode(err) {
	case "":
	case vmt.EINVALID, vmt.ETOOLARGE, vmt.ECONFLICT, vmt.EUNAUTHENTICATED:
		f.Error, f.Field = vmt.ErrorMessage(err), vmt.ErrorField(err)
		if f.Projects, err = s.svc.Projects(r.Context(), actorFrom(r.Context())); err != nil {
			return err
		}
		return s.render(w, r, http.StatusBadRequest, "report_new", "Report a vulnerability", f)
	default:
		return err
	}
	s.flash(r, "Thank you: your report is received. It is private: only the project's vulnerability management team and the people they let in can see it.", false)
	return redirect(w, r, "/reports/"+strconv.FormatInt(v.ID, 10))
}

// fileReport checks the report first, so that a newcomer gets no account
// for a report that would be refused, then signs them up or in, then files.
func (s *Server) fileReport(r *http.Request, f *reportForm) (*vmt.ReportView, error) {
	a := actorFrom(r.Context())
	check := vmt.Report{Title: strings.TrimSpace(f.In.Title), Description: f.In.Description, Components: f.In.Components,
		AffectedVersions: f.In.AffectedVersions, Credit: f.In.Credit, ReporterTerms: f.In.ReporterTerms, NeverDisclose: f.In.NeverDisclose}
	if err := check.Validate(); err != nil {
		return nil, err
	}
	if a.User == nil {
		var err error
		if a, err = s.newcomer(r, f); err != nil {
			return nil, err
		}
		if err := s.signIn(r, a, "registration"); err != nil {
			return nil, err
		}
	}
	return s.svc.CreateReport(r.Context(), a, f.In)
}

// newcomer makes the reporter's account, or signs them in when the email
// has one and the password is its password.
func (s *Server) newcomer(r *http.Request, f *reportForm) (vmt.Actor, error) {
	pw := r.PostForm.Get("password")
	a, err := s.svc.RegisterReporter(r.Context(), vmt.RegisterInput{Email: f.Email, Name: f.Name, Password: pw})
	if vmt.ErrorCode(err) != vmt.ECONFLICT {
		return a, err
	}
	a, err = s.checkLogin(r, f.Email, pw)
	if vmt.ErrorCode(err) == vmt.EUNAUTHENTICATED {
		return a, vmt.Invalid("password", "this email has an account, and this is not its password: sign in first, or give its password")
	}
	return a, err
}

// reportInput reads the report fields of the form.
func reportInput(r *http.Request) vmt.ReportInput {
	f := r.PostForm
	in := vmt.ReportInput{
		Project: f.Get("project"), Title: f.Get("title"), Description: normalizeNewlines(f.Get("description")),
		AffectedVersions: f.Get("affected_versions"), Credit: f.Get("credit"),
		ReporterTerms: normalizeNewlines(f.Get("reporter_terms")), NeverDisclose: f["never_disclose"],
	}
	for _, c := range strings.Split(f.Get("components"), ",") {
		if c = strings.TrimSpace(c); c != "" {
			in.Components = append(in.Components, c)
		}
	}
	return in
}

// normalizeNewlines turns the CRLF that browsers send in a textarea into
// LF, as the API's clients write it.
func normalizeNewlines(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
