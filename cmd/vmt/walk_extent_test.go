package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/smtp/smtptest"
)

// The extent check: the disclosure extent is what vmt claims as "who
// knows" (PRODUCT.md, VMT.md "Extent of Disclosure"). After a walk, every
// mail the relay took is read back; one that is about a report and went
// out while the report was private carries its private content, and each
// of its recipients must be an address the report's extent shows (an
// address mailed, encrypted or in clear as the extent claims, or the
// address of a user the extent lists for that moment). The check does not ask vmt which mails carry private content:
// any mail about a private report is counted, whatever its kind.

// extentFacts are what the check knows of one report.
type extentFacts struct {
	id int64
	// titles name the report in a mail's subject or text (as filed and
	// as retitled with its CVE).
	titles []string
	// messageIDs are those of the report's outbox items, as the mailer
	// derives them from their keys: a mail with one is about the report.
	messageIDs map[string]bool
	// publicSince is when the report became public (the extent's
	// "everyone" entry); nil while private.
	publicSince *time.Time
	allowed     []allowedAddr
}

// allowedAddr is an address the extent shows. A user's address counts
// only while their access lasts; a mailed address is the record of that
// very mail (its since is the delivery, a moment after the relay took it).
type allowedAddr struct {
	addr         string
	since        time.Time
	until        *time.Time
	mailed       bool
	reason, kind string
	// encrypted is what the extent claims of a mailed address: a mail to
	// it counts only if it went as claimed (encrypted or in clear).
	encrypted bool
}

var reportPathRE = regexp.MustCompile(`/reports/(\d+)\b`)

// extentMisses returns one line for every recipient of a mail about a
// private report that the report's extent does not show, and for every
// encrypted mail it cannot tie to a report (it cannot be read, so what it
// carries cannot be told).
func extentMisses(msgs []smtptest.Message, reports []extentFacts) []string {
	var out []string
	for i, m := range msgs {
		subject, msgID, rcpts, text, encrypted, err := readMail(m)
		if err != nil {
			out = append(out, fmt.Sprintf("mail %d to %v: unreadable: %v", i+1, m.To, err))
			continue
		}
		var about []*extentFacts
		for j := range reports {
			r := &reports[j]
			if r.messageIDs[msgID] || mentions(subject+"\n"+text, r) {
				about = append(about, r)
			}
		}
		if len(about) == 0 {
			if encrypted {
				out = append(out, fmt.Sprintf("mail %d %s to %v: encrypted and tied to no report: what it carries cannot be told", i+1, msgID, rcpts))
			}
			continue
		}
		for _, r := range about {
			if r.publicSince != nil && !m.At.Before(*r.publicSince) {
				continue // the report was public: nothing of it is private now
			}
			for _, to := range rcpts {
				if !r.shows(to, m.At, encrypted) {
					out = append(out, fmt.Sprintf("mail %d %q (%s) about report %d, private then, went to %s (encrypted: %v), which its extent does not show",
						i+1, subject, msgID, r.id, to, encrypted))
				}
			}
		}
	}
	return out
}

// mentions says whether text names r: its path or one of its titles.
func mentions(text string, r *extentFacts) bool {
	for _, sm := range reportPathRE.FindAllStringSubmatch(text, -1) {
		if sm[1] == strconv.FormatInt(r.id, 10) {
			return true
		}
	}
	for _, t := range r.titles {
		if t != "" && strings.Contains(text, t) {
			return true
		}
	}
	return false
}

// shows says whether the extent shows addr at moment at, for a mail
// encrypted or not: a mailed entry as it claims the mail went, a user's
// while their access lasts.
func (r *extentFacts) shows(addr string, at time.Time, encrypted bool) bool {
	for _, a := range r.allowed {
		if !strings.EqualFold(a.addr, addr) {
			continue
		}
		if a.mailed && a.encrypted == encrypted || !a.mailed && !at.Before(a.since) && (a.until == nil || at.Before(*a.until)) {
			return true
		}
	}
	return false
}

// readMail returns what the check reads of a mail: its subject, its
// Message-ID, every recipient (envelope and To/Cc headers), the text of
// its readable parts, and whether it is encrypted.
func readMail(m smtptest.Message) (subject, msgID string, rcpts []string, text string, encrypted bool, err error) {
	e, err := message.Read(bytes.NewReader(m.Data))
	if err != nil && !message.IsUnknownCharset(err) {
		return "", "", nil, "", false, err
	}
	subject, _ = e.Header.Text("Subject")
	msgID = strings.TrimSpace(e.Header.Get("Message-Id"))
	seen := map[string]bool{}
	add := func(a string) {
		if a = strings.ToLower(strings.TrimSpace(a)); a != "" && !seen[a] {
			seen[a] = true
			rcpts = append(rcpts, a)
		}
	}
	for _, a := range m.To {
		add(a)
	}
	for _, h := range []string{"To", "Cc"} {
		if v := e.Header.Get(h); v != "" {
			as, err := mail.ParseAddressList(v)
			if err != nil {
				return "", "", nil, "", false, fmt.Errorf("%s: %w", h, err)
			}
			for _, a := range as {
				add(a.Address)
			}
		}
	}
	var b strings.Builder
	err = e.Walk(func(_ []int, p *message.Entity, err error) error {
		if err != nil && !message.IsUnknownCharset(err) {
			return err
		}
		mt, _, _ := p.Header.ContentType()
		switch {
		case mt == "multipart/encrypted":
			encrypted = true
		case strings.HasPrefix(mt, "text/") || mt == "" || strings.HasPrefix(mt, "application/x-patch") || mt == "text/x-diff":
			body, _ := io.ReadAll(p.Body)
			b.Write(body)
			b.WriteByte('\n')
		}
		return nil
	})
	return subject, msgID, rcpts, b.String(), encrypted, err
}

// checkExtent runs the extent check on every mail the relay took so far,
// for the walk's reports, and fails the test for each miss.
func (w *walk) checkExtent(cs ...walkCase) {
	w.t.Helper()
	var users struct{ Items []vmt.User }
	if err := json.Unmarshal(w.do(w.token, "GET", "/api/v1/users", "", "", 200), &users); err != nil {
		w.t.Fatal(err)
	}
	var facts []extentFacts
	for _, c := range cs {
		facts = append(facts, w.extentFacts(c, users.Items))
	}
	for _, miss := range extentMisses(w.relay.Messages(), facts) {
		w.t.Errorf("extent: %s", miss)
	}
}

var cveSuffixRE = regexp.MustCompile(` \((CVE-\d+-\d+(, )?)+\)$`)

// extentFacts reads, as the administrator, what the check needs of c.
func (w *walk) extentFacts(c walkCase, users []vmt.User) extentFacts {
	w.t.Helper()
	var rep vmt.Report
	var extent struct{ Items []vmt.ExtentEntry }
	var outbox struct{ Items []vmt.OutboxItem }
	for _, x := range []struct {
		path string
		into any
	}{{c.path, &rep}, {c.path + "/extent", &extent}, {c.path + "/outbox", &outbox}} {
		if err := json.Unmarshal(w.do(w.token, "GET", x.path, "", "", 200), x.into); err != nil {
			w.t.Fatalf("%s: %v", x.path, err)
		}
	}
	f := extentFacts{id: c.id, titles: []string{rep.Title, cveSuffixRE.ReplaceAllString(rep.Title, "")}, messageIDs: map[string]bool{}}
	mailer := &jobs.Mailer{From: mail.Address{Address: walkMailFrom}}
	for _, o := range outbox.Items {
		f.messageIDs[mailer.MessageID(o.Key)] = true
	}
	f.allowed, f.publicSince = allowedOf(extent.Items, users)
	return f
}

// allowedOf turns extent entries into addresses: a mailed address as it
// is, a user by their email, the administrators by theirs; and it returns
// when the report became public.
func allowedOf(entries []vmt.ExtentEntry, users []vmt.User) ([]allowedAddr, *time.Time) {
	var out []allowedAddr
	var public *time.Time
	for _, e := range entries {
		switch {
		case e.Mail != nil:
			out = append(out, allowedAddr{addr: e.Mail.Address, since: e.Since, mailed: true, reason: e.Reason, kind: e.Mail.Kind, encrypted: e.Mail.Encrypted})
		case e.Who == "everyone":
			if public == nil || e.Since.Before(*public) {
				s := e.Since
				public = &s
			}
		default:
			for _, u := range users {
				if u.ID == e.UserID && e.Who == "user" || e.Who == "admins" && u.Role == vmt.RoleAdmin {
					out = append(out, allowedAddr{addr: u.Email, since: e.Since, until: e.Until, reason: e.Reason})
				}
			}
		}
	}
	return out, public
}

// TestExtentCheck proves the check catches what it is for, so that it
// cannot pass by reading nothing: each mail below is checked alone
// against one private report whose extent shows a mailed stakeholder and
// a subscribed user.
func TestExtentCheck(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	until := t0.Add(time.Hour)
	users := []vmt.User{{ID: 3, Email: "rita@example.org"}, {ID: 4, Email: "root@example.org", Role: vmt.RoleAdmin}}
	allowed, public := allowedOf([]vmt.ExtentEntry{
		{Who: "user", UserID: 3, Reason: vmt.ExtentSubscribed, Since: t0, Until: &until},
		{Who: "admins", Reason: vmt.ExtentAdmin, Since: t0},
		{Who: "mail", Reason: vmt.ExtentMailed, Since: t0.Add(time.Minute),
			Mail: &vmt.ExtentMail{Kind: vmt.KindNotice, Address: "sec@distro.example", Encrypted: true}},
	}, users)
	if public != nil {
		t.Fatalf("a private report's extent read as public since %v", public)
	}
	report := func(publicSince *time.Time) extentFacts {
		return extentFacts{id: 7, titles: []string{"Agent path traversal"}, messageIDs: map[string]bool{"<notice-1@example.org>": true},
			allowed: allowed, publicSince: publicSince}
	}
	mailOf := func(id, to, subject, ctype, body string) []byte {
		return []byte("From: vmt@example.org\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-Id: " + id +
			"\r\nContent-Type: " + ctype + "\r\n\r\n" + body + "\r\n")
	}
	encrypted := `multipart/encrypted; protocol="application/pgp-encrypted"; boundary=b`
	encBody := "--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--b\r\nContent-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n--b--"
	later := t0.Add(2 * time.Hour)
	cases := []struct {
		name   string
		msg    smtptest.Message
		public *time.Time
		miss   string // a part of the one line wanted; "" for none
	}{
		{"the notice to the stakeholder mailed", smtptest.Message{To: []string{"sec@distro.example"}, At: t0.Add(time.Minute),
			Data: mailOf("<notice-1@example.org>", "sec@distro.example", "Embargoed", encrypted, encBody)}, nil, ""},
		{"the notice to an address not in the extent", smtptest.Message{To: []string{"other@distro.example"}, At: t0.Add(time.Minute),
			Data: mailOf("<notice-1@example.org>", "other@distro.example", "Embargoed", encrypted, encBody)}, nil, "went to other@distro.example"},
		{"a hidden recipient in the envelope only", smtptest.Message{To: []string{"sec@distro.example", "bcc@evil.example"}, At: t0.Add(time.Minute),
			Data: mailOf("<notice-1@example.org>", "sec@distro.example", "Embargoed", encrypted, encBody)}, nil, "went to bcc@evil.example"},
		{"in clear to the stakeholder the extent says was sent it encrypted", smtptest.Message{To: []string{"sec@distro.example"}, At: t0.Add(time.Minute),
			Data: mailOf("<notice-1@example.org>", "sec@distro.example", "Embargoed", "text/plain", "x")}, nil, "went to sec@distro.example"},
		{"a mail naming the report by its path", smtptest.Message{To: []string{"list@example.org"}, At: t0,
			Data: mailOf("<other@example.org>", "list@example.org", "Reminder", "text/plain", "See https://vmt.example/reports/7 now.")}, nil, "went to list@example.org"},
		{"a mail naming the report by its title", smtptest.Message{To: []string{"list@example.org"}, At: t0,
			Data: mailOf("<other@example.org>", "list@example.org", "Agent path traversal", "text/plain", "x")}, nil, "about report 7"},
		{"a mail naming another report", smtptest.Message{To: []string{"list@example.org"}, At: t0,
			Data: mailOf("<other@example.org>", "list@example.org", "News", "text/plain", "See /reports/70.")}, nil, ""},
		{"the subscribed user while subscribed", smtptest.Message{To: []string{"rita@example.org"}, At: t0.Add(time.Minute),
			Data: mailOf("<x@example.org>", "rita@example.org", "Report /reports/7 waits", "text/plain", "x")}, nil, ""},
		{"the subscribed user after the subscription ended", smtptest.Message{To: []string{"rita@example.org"}, At: later,
			Data: mailOf("<x@example.org>", "rita@example.org", "Report /reports/7 waits", "text/plain", "x")}, nil, "went to rita@example.org"},
		{"an administrator", smtptest.Message{To: []string{"root@example.org"}, At: t0.Add(time.Minute),
			Data: mailOf("<x@example.org>", "root@example.org", "Report /reports/7 waits", "text/plain", "x")}, nil, ""},
		{"an encrypted mail tied to no report", smtptest.Message{To: []string{"x@example.org"}, At: t0,
			Data: mailOf("<unknown@example.org>", "x@example.org", "?", encrypted, encBody)}, nil, "cannot be told"},
		{"anyone once the report is public", smtptest.Message{To: []string{"list@example.org"}, At: later,
			Data: mailOf("<notice-1@example.org>", "list@example.org", "Published", "text/plain", "x")}, &until, ""},
		{"anyone before the report became public", smtptest.Message{To: []string{"list@example.org"}, At: t0,
			Data: mailOf("<notice-1@example.org>", "list@example.org", "Early", "text/plain", "x")}, &until, "went to list@example.org"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := extentMisses([]smtptest.Message{c.msg}, []extentFacts{report(c.public)})
			switch {
			case c.miss == "" && len(got) != 0:
				t.Errorf("reported %q, want nothing", got)
			case c.miss != "" && (len(got) != 1 || !strings.Contains(got[0], c.miss)):
				t.Errorf("reported %q, want one line with %q", got, c.miss)
			}
		})
	}
}

// checkExtentCatches proves the check on the walk's real mail: the
// notice it just passed, sent again to an address no extent shows, is
// reported (encrypted or not, tied to its report by its Message-ID).
func (w *walk) checkExtentCatches(c walkCase) {
	w.t.Helper()
	var users struct{ Items []vmt.User }
	if err := json.Unmarshal(w.do(w.token, "GET", "/api/v1/users", "", "", 200), &users); err != nil {
		w.t.Fatal(err)
	}
	facts := []extentFacts{w.extentFacts(c, users.Items)}
	msgs := w.relay.Messages()
	if len(msgs) == 0 {
		w.t.Fatal("no mail at the relay to forge from")
	}
	for _, m := range msgs {
		forged := m
		forged.To = []string{"stranger@example.net"}
		if got := extentMisses([]smtptest.Message{forged}, facts); len(got) != 1 || !strings.Contains(got[0], "stranger@example.net") {
			w.t.Errorf("the extent check let a copy of a real mail (to %v) go to a stranger: %q", m.To, got)
		}
	}
}
