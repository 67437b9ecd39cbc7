package http

import (
	"net/http"
	"strconv"

	"github.com/vmtproject/vmt"
)

// The administrators' pages of what the worker does and what was done
// (issue 14 item 2): the outbox with its retry, the readable audit log,
// and each project's templates with a preview. To anyone who is not an
// administrator, signed in or not, each is the 404 of a page that does
// not exist: they name the instance's mail, people and texts.

// adminPage answers as for a missing page unless a is an administrator
// (to someone signed out too: ui_admin.go's adminOnly asks them to sign
// in; these pages name the instance's mail and people).
func adminPage(a vmt.Actor) error {
	if !a.IsAdmin() {
		return vmt.NotFound("page")
	}
	return nil
}

// adminNav is what every one of these pages links to: the other pages,
// and the templates of each project.
type adminNav struct {
	Projects []string
	Current  string // the page shown: outbox, audit or templates
}

func (s *Server) adminNav(r *http.Request, current string) (adminNav, error) {
	ps, err := s.svc.Projects(r.Context(), actorFrom(r.Context()))
	if err != nil {
		return adminNav{}, err
	}
	n := adminNav{Current: current}
	for _, p := range ps {
		n.Projects = append(n.Projects, p.Name)
	}
	return n, nil
}

// outboxKinds say each kind of outbox item in words; a kind missing here
// (a new one) shows as its name.
var outboxKinds = map[string]string{
	vmt.KindNotice: "notice to the stakeholders", vmt.KindNoticeUpdate: "update of a notice",
	vmt.KindNotification: "notification mail", vmt.KindNotificationLink: "notification mail (a link only)",
	vmt.KindInvite: "invitation", vmt.KindEmailProof: "address proof link", vmt.KindIntakeReply: "reply to a mailed report",
	vmt.KindPublicationMail: "publication announcement", vmt.KindWebhook: "webhook call", vmt.KindPush: "push of the fixes",
	vmt.KindCVEPublish: "CVE record publication", vmt.KindForge: "change on GitHub", vmt.KindReminder: "reminder of an overdue step", vmt.KindEscalation: "escalation of an overdue step",
}

// outboxKind says kind in words.
func outboxKind(kind string) string {
	if w, ok := outboxKinds[kind]; ok {
		return w
	}
	return kind
}

// outboxPage is the data of /admin/outbox.
type outboxPage struct {
	Nav     adminNav
	State   vmt.OutboxState
	States  []vmt.OutboxState
	Items   []vmt.OutboxEntry
	After   int64
	NextURL string // the next page, "" on the last
}

// adminOutboxPage lists the outbox: each item's state, attempts, next
// attempt or end, recipients and subject (never a mail's body), and its
// last error, a page at a time, with a retry button on a failed item.
func (s *Server) adminOutboxPage(w http.ResponseWriter, r *http.Request) error {
	a := actorFrom(r.Context())
	if err := adminPage(a); err != nil {
		return err
	}
	q := r.URL.Query()
	st, err := vmt.ParseOutboxState("state", q.Get("state"))
	if err != nil {
		return err
	}
	after, err := queryInt(r, "after")
	if err != nil {
		return err
	}
	items, err := s.svc.OutboxQueue(r.Context(), a, st, int64(after), vmt.DefaultPageSize)
	if err != nil {
		return err
	}
	p := &outboxPage{State: st, States: []vmt.OutboxState{vmt.OutboxPending, vmt.OutboxFailed, vmt.OutboxDone},
		Items: items, After: int64(after)}
	if len(items) == vmt.DefaultPageSize {
		p.NextURL = "/admin/outbox?state=" + urlQueryEscape(string(st)) + "&after=" + strconv.FormatInt(items[len(items)-1].ID, 10)
	}
	if p.Nav, err = s.adminNav(r, "outbox"); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin_outbox", "Outbox", p)
}

// adminOutboxRetry sends a failed item again now (the worker's next
// claim takes it) and goes back to the list it was retried from.
func (s *Server) adminOutboxRetry(w http.ResponseWriter, r *http.Request) error {
	a := actorFrom(r.Context())
	if err := adminPage(a); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return vmt.NotFound("outbox item")
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	back := "/admin/outbox"
	if st, err := vmt.ParseOutboxState("state", r.PostFormValue("state")); err == nil && st != "" {
		back += "?state=" + string(st)
	}
	item := "Item " + strconv.FormatInt(id, 10)
	if _, err := s.svc.RetryOutbox(r.Context(), a, id); err != nil {
		// Only a failed item is retried: one that went out meanwhile, or
		// was retried from another tab, is said so on the list.
		if vmt.ErrorCode(err) != vmt.ECONFLICT {
			return err
		}
		s.flash(r, item+" was not retried: "+vmt.ErrorMessage(err), true)
		return redirect(w, r, back)
	}
	s.flash(r, item+" goes out again with the worker's next round.", false)
	return redirect(w, r, back)
}
