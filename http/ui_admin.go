package http

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/vmtproject/vmt"
)

// The administration pages (issue 14 item 2): users and roles, projects
// and their settings, the stakeholder registry and its applications. Each
// action calls the service method the API calls, which holds every rule;
// the pages only read the form. They are the administrators': each
// handler refuses anyone else first (adminOnly), as a page that does not
// exist, before reading anything.

func init() {
	pageNames = append(pageNames, "admin_users", "admin_projects", "admin_project", "admin_stakeholders", "admin_stakeholder")
	templateFuncs["setupLink"] = setupLink
}

// adminRoutes adds the administration pages under /admin/users,
// /admin/projects and /admin/stakeholders.
func (s *Server) adminRoutes() {
	m := s.mux
	m.Handle("GET /admin/users", s.page(s.adminOnly(s.adminUsersPage)))
	m.Handle("POST /admin/users/invite", s.page(s.adminOnly(s.adminInvite)))
	m.Handle("POST /admin/users/{id}/role", s.page(s.adminOnly(s.adminUserRole)))
	m.Handle("POST /admin/users/{id}/disabled", s.page(s.adminOnly(s.adminUserDisabled)))
	m.Handle("GET /admin/projects", s.page(s.adminOnly(s.adminProjectsPage)))
	m.Handle("POST /admin/projects", s.page(s.adminOnly(s.adminProjectCreate)))
	m.Handle("GET /admin/projects/{name}", s.page(s.adminOnly(s.adminProjectPage)))
	m.Handle("POST /admin/projects/{name}/settings", s.page(s.adminOnly(s.adminProjectSettings)))
	m.Handle("POST /admin/projects/{name}/members", s.page(s.adminOnly(s.adminProjectMember)))
	m.Handle("POST /admin/projects/{name}/members/{user}/remove", s.page(s.adminOnly(s.adminProjectMemberRemove)))
	m.Handle("POST /admin/projects/{name}/notice-lists", s.page(s.adminOnly(s.adminNoticeListAdd)))
	m.Handle("POST /admin/projects/{name}/notice-lists/remove", s.page(s.adminOnly(s.adminNoticeListRemove)))
	m.Handle("POST /admin/projects/{name}/announcement-lists", s.page(s.adminOnly(s.adminAnnouncementAdd)))
	m.Handle("POST /admin/projects/{name}/announcement-lists/remove", s.page(s.adminOnly(s.adminAnnouncementRemove)))
	m.Handle("POST /admin/projects/{name}/cna", s.page(s.adminOnly(s.adminCNA)))
	m.Handle("POST /admin/projects/{name}/disclosure", s.page(s.adminOnly(s.adminDisclosure)))
	m.Handle("POST /admin/projects/{name}/timers", s.page(s.adminOnly(s.adminTimers)))
	m.Handle("POST /admin/projects/{name}/calendar", s.page(s.adminOnly(s.adminCalendar)))
	m.Handle("POST /admin/projects/{name}/publication", s.page(s.adminOnly(s.adminPublication)))
	m.Handle("POST /admin/projects/{name}/intake", s.page(s.adminOnly(s.adminIntake)))
	m.Handle("GET /admin/stakeholders", s.page(s.adminOnly(s.adminStakeholdersPage)))
	m.Handle("POST /admin/stakeholders", s.page(s.adminOnly(s.adminStakeholderCreate)))
	m.Handle("GET /admin/stakeholders/{id}", s.page(s.adminOnly(s.adminStakeholderPage)))
	m.Handle("POST /admin/stakeholders/{id}", s.page(s.adminOnly(s.adminStakeholderUpdate)))
	m.Handle("POST /admin/stakeholders/{id}/remove", s.page(s.adminOnly(s.adminStakeholderRemove)))
	m.Handle("POST /admin/stakeholders/requests/{id}/accept", s.page(s.adminOnly(s.adminRequestAccept)))
	m.Handle("POST /admin/stakeholders/requests/{id}/decline", s.page(s.adminOnly(s.adminRequestDecline)))
}

// adminOnly refuses the administration pages to whoever is not an
// administrator: a visitor is sent to sign in (or told to, for a form),
// anyone else gets the page of a missing one, which says nothing of what
// the page would hold. The services check again.
func (s *Server) adminOnly(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		a := actorFrom(r.Context())
		if a.User == nil {
			return vmt.Errorf(vmt.EUNAUTHENTICATED, "sign in first")
		}
		if !a.IsAdmin() {
			return vmt.NotFound("page")
		}
		return h(w, r)
	}
}

// adminDone answers an administration form: the outcome, or the refusal
// of the service, as the message of the page back; ENOTFOUND and the
// rest are the error page.
func (s *Server) adminDone(w http.ResponseWriter, r *http.Request, back, msg string, err error) error {
	switch vmt.ErrorCode(err) {
	case "":
		s.flash(r, msg, false)
	case vmt.EINVALID, vmt.ECONFLICT, vmt.EFORBIDDEN, vmt.ETOOLARGE:
		m := vmt.ErrorMessage(err)
		if f := vmt.ErrorField(err); f != "" {
			m = f + ": " + m
		}
		s.flash(r, "Not done: "+m, true)
	default:
		return err
	}
	return redirect(w, r, back)
}

// splitList reads a field of several values, one a line or separated by
// commas, without the empty ones.
func splitList(v string) []string {
	out := []string{}
	for _, f := range strings.FieldsFunc(v, func(c rune) bool { return c == ',' || c == '\n' || c == '\r' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// AdminNav is the part of every administration page that links them.
type AdminNav struct{ Current string }

// Users.

type adminUsersPage struct {
	AdminNav
	Users []*vmt.User
	Roles []vmt.Role
}

func (s *Server) adminUsersPage(w http.ResponseWriter, r *http.Request) error {
	us, err := s.svc.Users(r.Context(), actorFrom(r.Context()))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin_users", "Users and roles", &adminUsersPage{AdminNav: AdminNav{"users"}, Users: us, Roles: vmt.Roles})
}

// adminInvite makes an account and mails it the one-time link that
// proves the address and sets a password (InviteUser).
func (s *Server) adminInvite(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	in := vmt.UserInput{Email: strings.TrimSpace(r.PostForm.Get("email")), Name: strings.TrimSpace(r.PostForm.Get("name")), Role: vmt.Role(r.PostForm.Get("role"))}
	u, _, err := s.svc.InviteUser(r.Context(), actorFrom(r.Context()), in)
	msg := ""
	if err == nil {
		msg = "An invitation is on its way to " + u.Email + ": its link sets the password."
	}
	return s.adminDone(w, r, "/admin/users", msg, err)
}

func (s *Server) adminUserRole(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	role := vmt.Role(r.PostForm.Get("role"))
	u, err := s.svc.UpdateUser(r.Context(), actorFrom(r.Context()), id, vmt.UserPatch{Role: &role})
	msg := ""
	if err == nil {
		msg = u.Email + " is now " + string(u.Role) + "."
	}
	return s.adminDone(w, r, "/admin/users", msg, err)
}

func (s *Server) adminUserDisabled(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	off := r.PostForm.Get("disabled") == "1"
	u, err := s.svc.UpdateUser(r.Context(), actorFrom(r.Context()), id, vmt.UserPatch{Disabled: &off})
	msg := ""
	if err == nil {
		msg = u.Email + " is enabled again."
		if u.Disabled {
			msg = u.Email + " is disabled: it can no longer sign in nor use its tokens."
		}
	}
	return s.adminDone(w, r, "/admin/users", msg, err)
}

// Projects.

type adminProjectsPage struct {
	AdminNav
	Projects []*vmt.Project
}

func (s *Server) adminProjectsPage(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.svc.Projects(r.Context(), actorFrom(r.Context()))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin_projects", "Projects", &adminProjectsPage{AdminNav: AdminNav{"projects"}, Projects: ps})
}

func (s *Server) adminProjectCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	in := vmt.Project{Name: strings.TrimSpace(r.PostForm.Get("name")), AdvisoryPrefix: strings.TrimSpace(r.PostForm.Get("advisory_prefix")),
		NotePrefix: strings.TrimSpace(r.PostForm.Get("note_prefix")), Branches: splitList(r.PostForm.Get("branches"))}
	p, err := s.svc.CreateProject(r.Context(), actorFrom(r.Context()), in)
	if err != nil {
		return s.adminDone(w, r, "/admin/projects", "", err)
	}
	return s.adminDone(w, r, "/admin/projects/"+url.PathEscape(p.Name), "The project "+p.Name+" is made.", nil)
}

// adminProjectPage is the data of admin_project.html: a project and every
// setting the service keeps of it.
type adminProjectPage struct {
	AdminNav
	Project      *vmt.Project
	Members      []adminMember
	MemberRoles  []vmt.MemberRole
	Disclosure   *vmt.DisclosureSettings
	Publication  *vmt.PublicationSettings
	CNA          *vmt.CNASettings
	Intake       *vmt.IntakeSettings
	Securities   []string
	Timers       []adminTimer
	Calendar     adminCalendar
	Weekdays     []adminProjectChoice
	Repository   *vmt.SetupItem
	ListRules    []string
	SigningRules []string
}

type adminMember struct {
	UserID int64
	Email  string
	Role   vmt.MemberRole
}

type adminTimer struct {
	Status vmt.Status
	Label  string
	Days   int
}

func (s *Server) adminProjectPage(w http.ResponseWriter, r *http.Request) error {
	ctx, a := r.Context(), actorFrom(r.Context())
	p, err := s.svc.Project(ctx, a, r.PathValue("name"))
	if err != nil {
		return err
	}
	page := &adminProjectPage{AdminNav: AdminNav{"projects"}, Project: p,
		MemberRoles: []vmt.MemberRole{vmt.MemberVMT, vmt.MemberReviewer, vmt.MemberCommittee},
		ListRules:   []string{vmt.ListPrivate, vmt.ListLinuxDistros}, SigningRules: []string{vmt.SignAnnouncement, vmt.SignNone}}
	ms, err := s.svc.Members(ctx, a, p.ID)
	if err != nil {
		return err
	}
	us, err := s.svc.Users(ctx, a)
	if err != nil {
		return err
	}
	email := map[int64]string{}
	for _, u := range us {
		email[u.ID] = u.Email
	}
	for _, m := range ms {
		page.Members = append(page.Members, adminMember{UserID: m.UserID, Email: email[m.UserID], Role: m.Role})
	}
	if page.Disclosure, err = s.svc.DisclosureSettingsOf(ctx, a, p.Name); err != nil {
		return err
	}
	if page.Publication, err = s.svc.PublicationSettingsOf(ctx, a, p.Name); err != nil {
		return err
	}
	if page.CNA, err = s.svc.CNASettingsOf(ctx, a, p.Name); err != nil {
		return err
	}
	if page.Intake, err = s.svc.IntakeSettingsOf(ctx, a, p.Name); err != nil {
		return err
	}
	page.Securities = []string{vmt.IntakeTLS, vmt.IntakeStartTLS, vmt.IntakePlain}
	for _, st := range vmt.Statuses {
		page.Timers = append(page.Timers, adminTimer{Status: st.Status, Label: st.Label, Days: page.Disclosure.Timers.LimitDays[st.Status]})
	}
	page.Calendar = readCalendar(page.Disclosure.Policy)
	for _, d := range weekdays {
		page.Weekdays = append(page.Weekdays, adminProjectChoice{Name: d, Checked: slices.Contains(page.Calendar.Avoid, d)})
	}
	// Whether the server mirrors a repository of the project is a flag
	// of vmt serve: the checklist's entry says it.
	c, err := s.svc.Setup(ctx, a)
	if err != nil {
		return err
	}
	for i, it := range c.Items {
		if it.Check == vmt.SetupRepository && it.Project == p.Name {
			page.Repository = &c.Items[i]
		}
	}
	return s.render(w, r, http.StatusOK, "admin_project", "Project "+p.Name, page)
}

// projectBack is the project's page, at the section anchor.
func projectBack(r *http.Request, anchor string) string {
	return "/admin/projects/" + url.PathEscape(r.PathValue("name")) + "#" + anchor
}

// adminProjectSettings sets the prefixes and the supported branches.
func (s *Server) adminProjectSettings(w http.ResponseWriter, r *http.Request) error {
	ctx, a := r.Context(), actorFrom(r.Context())
	if err := parseForm(w, r); err != nil {
		return err
	}
	p, err := s.svc.Project(ctx, a, r.PathValue("name"))
	if err != nil {
		return err
	}
	adv, note := strings.TrimSpace(r.PostForm.Get("advisory_prefix")), strings.TrimSpace(r.PostForm.Get("note_prefix"))
	branches := splitList(r.PostForm.Get("branches"))
	pp := vmt.ProjectPatch{Branches: &branches}
	// Only what changed: a prefix given again as it is would be a
	// change for the audit log.
	if adv != p.AdvisoryPrefix {
		pp.AdvisoryPrefix = &adv
	}
	if note != p.NotePrefix {
		pp.NotePrefix = &note
	}
	p, err = s.svc.UpdateProject(ctx, a, p.ID, pp)
	msg := ""
	if err == nil {
		msg = "Saved: branches " + strings.Join(p.Branches, ", ") + "."
	}
	return s.adminDone(w, r, projectBack(r, "settings"), msg, err)
}

func (s *Server) adminProjectMember(w http.ResponseWriter, r *http.Request) error {
	ctx, a := r.Context(), actorFrom(r.Context())
	if err := parseForm(w, r); err != nil {
		return err
	}
	p, err := s.svc.Project(ctx, a, r.PathValue("name"))
	if err != nil {
		return err
	}
	addr := strings.TrimSpace(r.PostForm.Get("email"))
	if err := vmt.CheckText("email", addr, vmt.MaxEmailLen, true); err != nil {
		return s.adminDone(w, r, projectBack(r, "members"), "", err)
	}
	u, err := s.svc.UserByEmail(ctx, a, addr)
	if vmt.ErrorCode(err) == vmt.ENOTFOUND {
		err = vmt.Invalid("email", "no account has the address %s: invite it first", addr)
	}
	if err == nil {
		err = s.svc.SetMember(ctx, a, vmt.Member{ProjectID: p.ID, UserID: u.ID, Role: vmt.MemberRole(r.PostForm.Get("role"))})
	}
	msg := ""
	if err == nil {
		msg = u.Email + " is a member of " + p.Name + " as " + r.PostForm.Get("role") + "."
	}
	return s.adminDone(w, r, projectBack(r, "members"), msg, err)
}

func (s *Server) adminProjectMemberRemove(w http.ResponseWriter, r *http.Request) error {
	ctx, a := r.Context(), actorFrom(r.Context())
	uid, err := pathID(r, "user")
	if err != nil {
		return err
	}
	p, err := s.svc.Project(ctx, a, r.PathValue("name"))
	if err != nil {
		return err
	}
	err = s.svc.RemoveMember(ctx, a, p.ID, uid)
	return s.adminDone(w, r, projectBack(r, "members"), "The member is removed.", err)
}

// changeDisclosure reads the disclosure settings, changes them with fn
// and stores the whole (the service replaces them, as through the API).
func (s *Server) changeDisclosure(w http.ResponseWriter, r *http.Request, anchor, msg string, fn func(*vmt.DisclosureSettings) error) error {
	ctx, a := r.Context(), actorFrom(r.Context())
	if err := parseForm(w, r); err != nil {
		return err
	}
	d, err := s.svc.DisclosureSettingsOf(ctx, a, r.PathValue("name"))
	if err != nil {
		return err
	}
	if err = fn(d); err == nil {
		_, err = s.svc.SetDisclosureSettings(ctx, a, r.PathValue("name"), *d)
	}
	return s.adminDone(w, r, projectBack(r, anchor), msg, err)
}

// readKey is an armored key from a file part (field+"_file") or, without
// one, from the text field.
func readKey(r *http.Request, field string) (string, error) {
	if r.MultipartForm != nil {
		if f, _, err := r.FormFile(field + "_file"); err == nil {
			defer f.Close()
			b, err := io.ReadAll(io.LimitReader(f, vmt.MaxPublicKeyBytes+1))
			if err != nil {
				return "", vmt.Invalid(field, "the file could not be read")
			}
			if len(b) > vmt.MaxPublicKeyBytes {
				return "", &vmt.Error{Code: vmt.ETOOLARGE, Field: field, Message: "the key is over 64 KiB"}
			}
			if len(b) > 0 {
				return string(b), nil
			}
		} else if !errors.Is(err, http.ErrMissingFile) {
			return "", vmt.Invalid(field, "the file could not be read")
		}
	}
	return strings.TrimSpace(r.PostFormValue(field)), nil
}

// parseKeyForm reads a form that may upload a key: multipart or not.
func parseKeyForm(w http.ResponseWriter, r *http.Request) error {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return parseForm(w, r)
	}
	// Two keys and the fields: well under the limit of any body.
	r.Body = http.MaxBytesReader(w, r.Body, 2*vmt.MaxPublicKeyBytes+multipartSlack)
	err := r.ParseMultipartForm(2*vmt.MaxPublicKeyBytes + multipartSlack)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return &vmt.Error{Code: vmt.ETOOLARGE, Field: "public_key", Message: "the form is over its limit"}
	case err != nil:
		return vmt.Invalid("public_key", "the form could not be read")
	}
	return nil
}

func (s *Server) adminNoticeListAdd(w http.ResponseWriter, r *http.Request) error {
	if err := parseKeyForm(w, r); err != nil {
		return s.adminDone(w, r, projectBack(r, "notice-lists"), "", err)
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	key, err := readKey(r, "public_key")
	if err != nil {
		return s.adminDone(w, r, projectBack(r, "notice-lists"), "", err)
	}
	l := vmt.NoticeList{Name: strings.TrimSpace(r.PostFormValue("list_name")), Address: strings.TrimSpace(r.PostFormValue("address")),
		Rules: r.PostFormValue("rules"), PublicKey: key}
	return s.changeDisclosure(w, r, "notice-lists", "The notice list "+l.Name+" is saved.", func(d *vmt.DisclosureSettings) error {
		d.PutList(l)
		return nil
	})
}

func (s *Server) adminNoticeListRemove(w http.ResponseWriter, r *http.Request) error {
	return s.changeDisclosure(w, r, "notice-lists", "The notice list is removed.", func(d *vmt.DisclosureSettings) error {
		return d.RemoveList(r.PostForm.Get("list_name"))
	})
}

// adminDisclosure sets the embargo limits and the policy text.
func (s *Server) adminDisclosure(w http.ResponseWriter, r *http.Request) error {
	return s.changeDisclosure(w, r, "disclosure", "The disclosure policy is saved.", func(d *vmt.DisclosureSettings) (err error) {
		if d.EmbargoLimitDays, err = formInt(r, "embargo_limit_days"); err != nil {
			return err
		}
		if d.MaxEmbargoDays, err = formInt(r, "max_embargo_days"); err != nil {
			return err
		}
		d.PolicyText = r.PostForm.Get("policy_text")
		return nil
	})
}

// adminTimers sets the stage limits and the escalation.
func (s *Server) adminTimers(w http.ResponseWriter, r *http.Request) error {
	return s.changeDisclosure(w, r, "timers", "The stage timers are saved.", func(d *vmt.DisclosureSettings) (err error) {
		t := vmt.StageTimers{LimitDays: map[vmt.Status]int{}, EscalationContacts: splitList(r.PostForm.Get("escalation_contacts"))}
		for _, st := range vmt.Statuses {
			n, err := formInt(r, "limit_"+string(st.Status))
			if err != nil {
				return err
			}
			if n != 0 {
				t.LimitDays[st.Status] = n
			}
		}
		if t.EscalateAfterDays, err = formInt(r, "escalate_after_days"); err != nil {
			return err
		}
		d.Timers = t
		return nil
	})
}

// adminCalendar is the disclosure date policy in the settings form the
// service reads (calendar's policyJSON): the page writes it from its
// fields, and the service's Planner checks it.
type adminCalendar struct {
	Set       bool             `json:"-"` // the project has its own
	Window    string           `json:"window"`
	Hour      int              `json:"hour"`
	Avoid     []string         `json:"avoid"`
	Countries []string         `json:"countries"`
	Periods   []calendarPeriod `json:"periods"`
}

type calendarPeriod struct {
	Name string `json:"name"`
	From string `json:"from"`
	To   string `json:"to"`
}

var weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

func readCalendar(raw json.RawMessage) adminCalendar {
	var c adminCalendar
	if len(raw) > 0 && json.Unmarshal(raw, &c) == nil {
		c.Set = true
	}
	return c
}

// PeriodLines are the periods as the form writes them.
func (c adminCalendar) PeriodLines() string {
	var b strings.Builder
	for _, p := range c.Periods {
		fmt.Fprintf(&b, "%s: %s to %s\n", p.Name, p.From, p.To)
	}
	return b.String()
}

// adminCalendar sets the disclosure date policy; "use the default"
// removes the project's own.
func (s *Server) adminCalendar(w http.ResponseWriter, r *http.Request) error {
	return s.changeDisclosure(w, r, "calendar", "The disclosure calendar is saved.", func(d *vmt.DisclosureSettings) (err error) {
		if r.PostForm.Get("default") == "1" {
			d.Policy = nil
			return nil
		}
		c := adminCalendar{Window: strings.TrimSpace(r.PostForm.Get("window")), Avoid: []string{}, Countries: splitList(r.PostForm.Get("countries"))}
		if c.Hour, err = formInt(r, "hour"); err != nil {
			return err
		}
		for _, day := range r.PostForm["avoid"] {
			if slices.Contains(weekdays, day) {
				c.Avoid = append(c.Avoid, day)
			}
		}
		c.Periods = []calendarPeriod{}
		for _, line := range strings.Split(r.PostForm.Get("periods"), "\n") {
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			name, span, ok := strings.Cut(line, ":")
			from, to, ok2 := strings.Cut(span, " to ")
			if !ok || !ok2 {
				return vmt.Invalid("periods", "%q is not NAME: MM-DD to MM-DD", line)
			}
			c.Periods = append(c.Periods, calendarPeriod{Name: strings.TrimSpace(name), From: strings.TrimSpace(from), To: strings.TrimSpace(to)})
		}
		d.Policy, err = json.Marshal(c)
		return err
	})
}

func (s *Server) adminPublication(w http.ResponseWriter, r *http.Request) error {
	return s.changePublication(w, r, "publication", "The publication settings are saved.", func(p *vmt.PublicationSettings) error {
		p.WebhookURL = strings.TrimSpace(r.PostForm.Get("webhook_url"))
		p.CSAFNamespace = strings.TrimSpace(r.PostForm.Get("csaf_namespace"))
		p.AdvisoryNumbering = vmt.AdvisoryNumbering(r.PostForm.Get("advisory_numbering"))
		return nil
	})
}

// formInt reads a whole number of a form; empty is 0.
func formInt(r *http.Request, field string) (int, error) {
	v := strings.TrimSpace(r.PostForm.Get(field))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, vmt.Invalid(field, "%q is not a whole number", v)
	}
	return n, nil
}

// changePublication is changeDisclosure for the publication settings.
func (s *Server) changePublication(w http.ResponseWriter, r *http.Request, anchor, msg string, fn func(*vmt.PublicationSettings) error) error {
	ctx, a := r.Context(), actorFrom(r.Context())
	if err := parseForm(w, r); err != nil {
		return err
	}
	p, err := s.svc.PublicationSettingsOf(ctx, a, r.PathValue("name"))
	if err != nil {
		return err
	}
	if err = fn(p); err == nil {
		_, err = s.svc.SetPublicationSettings(ctx, a, r.PathValue("name"), *p)
	}
	return s.adminDone(w, r, projectBack(r, anchor), msg, err)
}

func (s *Server) adminAnnouncementAdd(w http.ResponseWriter, r *http.Request) error {
	return s.changePublication(w, r, "announcement-lists", "The announcement list is saved.", func(p *vmt.PublicationSettings) error {
		p.PutList(vmt.AnnouncementList{Address: strings.TrimSpace(r.PostForm.Get("address")), Signing: r.PostForm.Get("signing")})
		return nil
	})
}

func (s *Server) adminAnnouncementRemove(w http.ResponseWriter, r *http.Request) error {
	return s.changePublication(w, r, "announcement-lists", "The announcement list is removed.", func(p *vmt.PublicationSettings) error {
		return p.RemoveList(r.PostForm.Get("address"))
	})
}

func (s *Server) adminCNA(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	in := vmt.CNASettings{Enabled: f.Get("enabled") == "1", ShortName: strings.TrimSpace(f.Get("short_name")), OrgID: strings.TrimSpace(f.Get("org_id")),
		User: strings.TrimSpace(f.Get("user")), APIKeyRef: strings.TrimSpace(f.Get("api_key_ref")), Endpoint: strings.TrimSpace(f.Get("endpoint"))}
	_, err := s.svc.SetCNASettings(r.Context(), actorFrom(r.Context()), r.PathValue("name"), in)
	return s.adminDone(w, r, projectBack(r, "cna"), "The CVE Services settings are saved.", err)
}

// adminIntake sets the project's mailbox of reports by mail.
func (s *Server) adminIntake(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	in := vmt.IntakeSettings{Enabled: f.Get("enabled") == "1", Addr: strings.TrimSpace(f.Get("addr")), Security: f.Get("security"),
		User: strings.TrimSpace(f.Get("user")), PasswordRef: strings.TrimSpace(f.Get("password_ref")), Folder: strings.TrimSpace(f.Get("folder")),
		KeyRef: strings.TrimSpace(f.Get("key_ref")), PassphraseRef: strings.TrimSpace(f.Get("passphrase_ref"))}
	_, err := s.svc.SetIntakeSettings(r.Context(), actorFrom(r.Context()), r.PathValue("name"), in)
	return s.adminDone(w, r, projectBack(r, "intake"), "The intake mailbox settings are saved.", err)
}

// Stakeholders.

// stakeholderFields is the form of a stakeholder, as stored or as typed
// when the service refused it (Error, next to Field).
type stakeholderFields struct {
	Organisation, Contacts, Key string
	Choices                     []adminProjectChoice
	Keep                        bool // an edit: no key given keeps the stored one
	Error, Field                string
}

type adminProjectChoice struct {
	Name    string
	Checked bool
}

func fieldsOf(in vmt.StakeholderInput, ps []*vmt.Project) stakeholderFields {
	f := stakeholderFields{Organisation: in.Organisation, Contacts: strings.Join(in.Contacts, "\n")}
	for _, p := range ps {
		f.Choices = append(f.Choices, adminProjectChoice{Name: p.Name, Checked: slices.Contains(in.Projects, p.Name)})
	}
	return f
}

// refused is the error shown with the form again, or nil for one that is
// the error page.
func refused(err error) *vmt.Error {
	switch vmt.ErrorCode(err) {
	case vmt.EINVALID, vmt.ECONFLICT, vmt.EFORBIDDEN, vmt.ETOOLARGE:
		var e *vmt.Error
		if errors.As(err, &e) {
			return e
		}
	}
	return nil
}

type adminStakeholdersPage struct {
	AdminNav
	Stakeholders []*vmt.Stakeholder
	Requests     []*vmt.StakeholderRequest
	Form         stakeholderFields
}

// stakeholdersPage renders the registry with the add form f; status 400
// when f is a refused one.
func (s *Server) stakeholdersPage(w http.ResponseWriter, r *http.Request, status int, f *stakeholderFields) error {
	ctx, a := r.Context(), actorFrom(r.Context())
	ks, err := s.svc.Stakeholders(ctx, a)
	if err != nil {
		return err
	}
	rs, err := s.svc.StakeholderRequests(ctx, a)
	if err != nil {
		return err
	}
	ps, err := s.svc.Projects(ctx, a)
	if err != nil {
		return err
	}
	page := &adminStakeholdersPage{AdminNav: AdminNav{"stakeholders"}, Stakeholders: ks, Requests: rs, Form: fieldsOf(vmt.StakeholderInput{}, ps)}
	if f != nil {
		page.Form = *f
	}
	return s.render(w, r, status, "admin_stakeholders", "Stakeholders", page)
}

func (s *Server) adminStakeholdersPage(w http.ResponseWriter, r *http.Request) error {
	return s.stakeholdersPage(w, r, http.StatusOK, nil)
}

// stakeholderInput reads the form of a stakeholder: the key uploaded as a
// file or pasted.
func stakeholderInput(w http.ResponseWriter, r *http.Request) (vmt.StakeholderInput, error) {
	var in vmt.StakeholderInput
	if err := parseKeyForm(w, r); err != nil {
		return in, err
	}
	in = vmt.StakeholderInput{Organisation: strings.TrimSpace(r.PostFormValue("organisation")), Contacts: splitList(r.PostFormValue("contacts")),
		Projects: splitList(strings.Join(r.PostForm["projects"], ","))}
	key, err := readKey(r, "public_key")
	in.PublicKey = key
	return in, err
}

// typedAgain is the form as typed, with the refusal, for the page again:
// a pasted key is not lost to a typing error elsewhere.
func (s *Server) typedAgain(r *http.Request, in vmt.StakeholderInput, e *vmt.Error, keep bool) (*stakeholderFields, error) {
	ps, err := s.svc.Projects(r.Context(), actorFrom(r.Context()))
	if err != nil {
		return nil, err
	}
	f := fieldsOf(in, ps)
	f.Key, f.Keep, f.Error, f.Field = in.PublicKey, keep, e.Message, e.Field
	if f.Field != "organisation" && f.Field != "contacts" && f.Field != "projects" && !strings.HasPrefix(f.Field, "public_key") {
		f.Field = ""
	}
	if strings.HasPrefix(f.Field, "public_key") {
		f.Field = "public_key"
	}
	return &f, nil
}

func (s *Server) adminStakeholderCreate(w http.ResponseWriter, r *http.Request) error {
	in, err := stakeholderInput(w, r)
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	var k *vmt.Stakeholder
	if err == nil {
		k, err = s.svc.CreateStakeholder(r.Context(), actorFrom(r.Context()), in)
	}
	if e := refused(err); e != nil {
		f, ferr := s.typedAgain(r, in, e, false)
		if ferr != nil {
			return ferr
		}
		return s.stakeholdersPage(w, r, http.StatusBadRequest, f)
	}
	msg := ""
	if err == nil {
		msg = k.Organisation + " is in the registry" + keyNote(k) + "."
	}
	return s.adminDone(w, r, "/admin/stakeholders", msg, err)
}

func keyNote(k *vmt.Stakeholder) string {
	if k.Fingerprint == "" {
		return ", without a key: its notices are signed only"
	}
	return fmt.Sprintf(", notices encrypted to %s", k.Fingerprint)
}

type adminStakeholderPage struct {
	AdminNav
	Stakeholder *vmt.Stakeholder
	Form        stakeholderFields
}

// stakeholderPage renders one stakeholder's page with the edit form f
// (nil: as stored).
func (s *Server) stakeholderPage(w http.ResponseWriter, r *http.Request, id int64, status int, f *stakeholderFields) error {
	ctx, a := r.Context(), actorFrom(r.Context())
	k, err := s.svc.Stakeholder(ctx, a, id)
	if err != nil {
		return err
	}
	ps, err := s.svc.Projects(ctx, a)
	if err != nil {
		return err
	}
	page := &adminStakeholderPage{AdminNav: AdminNav{"stakeholders"}, Stakeholder: k,
		Form: fieldsOf(vmt.StakeholderInput{Organisation: k.Organisation, Contacts: k.Contacts, Projects: k.Projects}, ps)}
	page.Form.Keep = true
	if f != nil {
		page.Form = *f
	}
	return s.render(w, r, status, "admin_stakeholder", "Stakeholder "+k.Organisation, page)
}

func (s *Server) adminStakeholderPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.stakeholderPage(w, r, id, http.StatusOK, nil)
}

func (s *Server) adminStakeholderUpdate(w http.ResponseWriter, r *http.Request) error {
	ctx, a := r.Context(), actorFrom(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	back := "/admin/stakeholders/" + strconv.FormatInt(id, 10)
	in, err := stakeholderInput(w, r)
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	typed := in.PublicKey
	if err == nil && in.PublicKey == "" && r.PostFormValue("remove_key") != "1" {
		// No key given: the stored one stays (the service replaces the
		// whole entry).
		var k *vmt.Stakeholder
		if k, err = s.svc.Stakeholder(ctx, a, id); err == nil {
			in.PublicKey = k.PublicKey
		}
	}
	var k *vmt.Stakeholder
	if err == nil {
		k, err = s.svc.UpdateStakeholder(ctx, a, id, in)
	}
	if e := refused(err); e != nil {
		in.PublicKey = typed // the stored key is not put in the form
		f, ferr := s.typedAgain(r, in, e, true)
		if ferr != nil {
			return ferr
		}
		return s.stakeholderPage(w, r, id, http.StatusBadRequest, f)
	}
	msg := ""
	if err == nil {
		msg = k.Organisation + " is saved" + keyNote(k) + "."
	}
	return s.adminDone(w, r, back, msg, err)
}

func (s *Server) adminStakeholderRemove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	err = s.svc.DeleteStakeholder(r.Context(), actorFrom(r.Context()), id)
	return s.adminDone(w, r, "/admin/stakeholders", "The stakeholder is removed from the registry.", err)
}

func (s *Server) adminDecide(w http.ResponseWriter, r *http.Request, accept bool) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	in := vmt.DecideInput{Note: r.PostForm.Get("note")}
	var req *vmt.StakeholderRequest
	if accept {
		req, err = s.svc.AcceptStakeholder(r.Context(), actorFrom(r.Context()), id, in)
	} else {
		req, err = s.svc.DeclineStakeholder(r.Context(), actorFrom(r.Context()), id, in)
	}
	msg := ""
	if err == nil {
		msg = "The application of " + req.Organisation + " is " + string(req.State) + "."
	}
	return s.adminDone(w, r, "/admin/stakeholders#requests", msg, err)
}

func (s *Server) adminRequestAccept(w http.ResponseWriter, r *http.Request) error {
	return s.adminDecide(w, r, true)
}

func (s *Server) adminRequestDecline(w http.ResponseWriter, r *http.Request) error {
	return s.adminDecide(w, r, false)
}

// setupLink is the page that mends a checklist entry; "" for those only
// a flag of vmt serve mends (the signing key, the relay, a repository).
func setupLink(it vmt.SetupItem) string {
	switch it.Check {
	case vmt.SetupStakeholders:
		return "/admin/stakeholders"
	case vmt.SetupBranches:
		return "/admin/projects/" + url.PathEscape(it.Project) + "#settings"
	}
	return ""
}
