package http

import (
	"errors"
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
	f := &reportForm{Projects: ps}
	// A project's policy page links here with ?project=: its project is
	// chosen (a name that is not a project chooses none).
	for _, p := range ps {
		if p.Name == r.URL.Query().Get("project") {
			f.In.Project = p.Name
		}
	}
	return s.render(w, r, http.StatusOK, "report_new", "Report a vulnerability", f)
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
	case vmt.EINVALID, vmt.ETOOLARGE, vmt.ECONFLICT, vmt.EUNAUTHENTICATED, vmt.ERATELIMIT:
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

// fileReport files the form's report. A signed-in reporter files it as
// themselves. Someone else gives an email and a password: a new account is
// made with the report, in one transaction, so that a refused report leaves
// no account and no session; an existing account signs in through signIn
// (every factor it has) only once the report is known to be acceptable.
func (s *Server) fileReport(r *http.Request, f *reportForm) (*vmt.ReportView, error) {
	if a := actorFrom(r.Context()); a.User != nil {
		return s.svc.CreateReport(r.Context(), a, f.In)
	}
	reg := vmt.RegisterInput{Email: f.Email, Name: f.Name, Password: r.PostForm.Get("password")}
	a, v, err := s.svc.RegisterReporterWithReport(r.Context(), reg, f.In)
	if vmt.ErrorCode(err) == vmt.ECONFLICT && vmt.ErrorField(err) == "email" {
		return s.existingReporter(r, f, reg.Password)
	} else if err != nil {
		return nil, err
	}
	// The account and its report exist; should the session fail here,
	// the reporter signs in with the password they just chose.
	return v, s.signIn(r, registered(a))
}

// existingReporter signs in the account that has the form's email, given
// its password, and files the report as it. An account with a second
// factor is refused, the form kept, because the password alone does not
// sign it in: its owner signs in first, code included.
func (s *Server) existingReporter(r *http.Request, f *reportForm, password string) (*vmt.ReportView, error) {
	if err := s.svc.CheckReport(r.Context(), f.In); err != nil {
		return nil, err
	}
	p, err := s.checkLogin(r, f.Email, password)
	if vmt.ErrorCode(err) == vmt.EUNAUTHENTICATED {
		return nil, vmt.Invalid("password", "this email has an account, and this is not its password: sign in first, or give its password")
	} else if err != nil {
		return nil, err
	}
	err = s.signIn(r, p)
	if errors.Is(err, errCodeDue) {
		return nil, vmt.Invalid("password", "this account signs in with a code as well as its password: sign in first (in another tab, so as to keep this form), then send the report again. It has not been sent")
	} else if err != nil {
		return nil, err
	}
	return s.svc.CreateReport(r.Context(), p.actor, f.In)
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
