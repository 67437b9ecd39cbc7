package app

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vmtproject/vmt"
)

// Intake by mail (issue 13): the worker reads each enabled project's
// mailbox (package jobs, over package imap), reads each message (package
// pgpmail) and hands it here, where it is filed as a private report once,
// with its reporter, attachments and the reply, in one transaction. What
// cannot be read is kept as an IntakeFailure for the VMT.

// IntakeSettingsOf returns a project's intake settings (disabled until it
// sets them). Its VMT and administrators.
func (s *Service) IntakeSettingsOf(ctx context.Context, a vmt.Actor, project string) (*vmt.IntakeSettings, error) {
	var c *vmt.IntakeSettings
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		p, err := s.projectVMT(tx, a, project, vmt.ProjectIntake)
		if err != nil {
			return err
		}
		c, err = intakeSettings(tx, p.ID)
		return err
	})
	return c, err
}

func intakeSettings(tx vmt.Tx, projectID int64) (*vmt.IntakeSettings, error) {
	c, err := tx.IntakeSettings(projectID)
	if vmt.ErrorCode(err) == vmt.ENOTFOUND {
		return &vmt.IntakeSettings{ProjectID: projectID}, nil
	}
	return c, err
}

// SetIntakeSettings replaces a project's intake settings. Where the
// server reads a secret (the references) and where it sends the password
// (the server's address) are an administrator's to choose, as for the
// CNA's key: a VMT member who could set them could have any file or
// variable of the server sent to a host of their own. Its VMT may turn
// the intake on and off and choose the folder.
func (s *Service) SetIntakeSettings(ctx context.Context, a vmt.Actor, project string, in vmt.IntakeSettings) (*vmt.IntakeSettings, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		p, err := s.projectVMT(tx, a, project, vmt.ProjectIntake)
		if err != nil {
			return err
		}
		old, err := intakeSettings(tx, p.ID)
		if err != nil {
			return err
		}
		if !a.IsAdmin() {
			for _, f := range []struct{ field, was, is string }{
				{"addr", old.Addr, in.Addr}, {"security", old.Security, in.Security}, {"user", old.User, in.User},
				{"password_ref", old.PasswordRef, in.PasswordRef}, {"key_ref", old.KeyRef, in.KeyRef},
				{"passphrase_ref", old.PassphraseRef, in.PassphraseRef},
			} {
				if f.was != f.is {
					return &vmt.Error{Code: vmt.EFORBIDDEN, Field: f.field, Message: "only an administrator may set where the server connects and reads its secrets"}
				}
			}
		}
		in.ProjectID = p.ID
		if err := tx.SetIntakeSettings(&in); err != nil {
			return err
		}
		return s.auditDiff(tx, a, vmt.AuditProjectIntake, p.ID, 0, subject("project", p.ID), old, &in)
	})
	if err != nil {
		return nil, err
	}
	return &in, nil
}

// IntakeFailures returns the messages of project's mailbox that could
// not be read, latest first. Its VMT and administrators: a failure names
// a sender and a subject, which may be private.
func (s *Service) IntakeFailures(ctx context.Context, a vmt.Actor, project string) ([]*vmt.IntakeFailure, error) {
	var fs []*vmt.IntakeFailure
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		p, err := s.projectVMT(tx, a, project, vmt.ProjectIntake)
		if err != nil {
			return err
		}
		fs, err = tx.IntakeFailures(p.ID)
		return err
	})
	return fs, err
}

// EnabledIntakes returns the enabled intake settings of every project,
// for the worker (which acts for no one).
func (s *Service) EnabledIntakes(ctx context.Context) ([]*vmt.IntakeSettings, error) {
	var cs []*vmt.IntakeSettings
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) {
		cs, err = tx.EnabledIntakes()
		return err
	})
	return cs, err
}

// IntakeFiled says whether project projectID has filed message messageID:
// the worker then only marks it \Seen (a round that filed it and stopped
// before marking it).
func (s *Service) IntakeFiled(ctx context.Context, projectID int64, messageID string) (bool, error) {
	err := s.deps.Store.ViewOne(ctx, func(tx vmt.Tx) error {
		_, err := tx.IntakeRecord(projectID, messageID)
		return err
	})
	switch vmt.ErrorCode(err) {
	case "":
		return true, nil
	case vmt.ENOTFOUND:
		return false, nil
	}
	return false, err
}

// IntakeSenderKeys returns the OpenPGP key of the account of address
// from, if it has one: a signature of its owner is checked with it.
func (s *Service) IntakeSenderKeys(ctx context.Context, from string) ([]string, error) {
	var keys []string
	err := s.deps.Store.ViewOne(ctx, func(tx vmt.Tx) error {
		u, err := tx.UserByEmail(from)
		if err == nil && u.OpenPGPKey != "" {
			keys = append(keys, u.OpenPGPKey)
		}
		if vmt.ErrorCode(err) == vmt.ENOTFOUND {
			return nil
		}
		return err
	})
	return keys, err
}

// RecordIntakeFailure keeps f, a message the worker could not read or
// file, for the VMT (counting one more attempt if it is kept already).
func (s *Service) RecordIntakeFailure(ctx context.Context, f *vmt.IntakeFailure) error {
	f.LastAt = s.now()
	f.Reason = clip(f.Reason, 1000)
	f.Subject = clip(cleanLine(f.Subject), vmt.MaxTitleLen)
	f.From = clip(f.From, vmt.MaxEmailLen)
	return s.deps.Store.Update(ctx, func(tx vmt.Tx) error { return tx.RecordIntakeFailure(f) })
}

// IntakeResult is what FileIntake did.
type IntakeResult struct {
	ReportID int64
	// Filed is false when the message was filed before (by this
	// instance or another): nothing was stored again.
	Filed    bool
	Reporter *vmt.User
}

// FileIntake files m, read from project projectID's mailbox, as a private
// report, once: its Message-ID is recorded in the same transaction under
// a unique key, so that a second round, a restart or a second instance
// filing it finds it filed. The sender is the reporter: the account whose
// address it is when that account proved it (or has no password yet: an
// earlier mail or invitation not taken up), else a new account with the
// address unproven. The reply, signed (and encrypted to the key the mail
// carried or the account has), gives the report's link, the embargo
// reminder and, to an account with no password, a one-time link that
// sets one and proves the address. An EINVALID or ETOOLARGE error says
// the message cannot be filed as it is: the caller keeps it as a failure.
func (s *Service) FileIntake(ctx context.Context, projectID int64, m vmt.IntakeMail) (*IntakeResult, error) {
	from, err := vmt.NormalizeEmail("from", m.From)
	if err != nil {
		return nil, err
	}
	if m.MessageID == "" || len(m.MessageID) > 998 {
		return nil, vmt.Invalid("message_id", "missing or longer than a header line")
	}
	title := clip(cleanLine(m.Subject), vmt.MaxTitleLen)
	if strings.TrimSpace(title) == "" {
		title = "Report by mail from " + from
	}
	body := cleanText(m.Body)
	atts := append([]vmt.ReportAttachment(nil), m.Attachments...)
	if limit := vmt.MaxDescriptionBytes - 1024; len(body) > limit {
		// Longer than a description: the whole text is kept as a file,
		// and the description is its beginning.
		atts = append(atts, vmt.ReportAttachment{Name: "message.txt", ContentType: "text/plain", Data: []byte(m.Body)})
		body = clipBytes(body, limit) + "\n\n(The text goes on in the attachment message.txt.)"
	}
	if strings.TrimSpace(body) == "" {
		body = "(The mail had no text.)"
	}
	body = provenance(from, m) + body
	if err := vmt.CheckAttachments(atts); err != nil {
		return nil, err
	}
	res := &IntakeResult{}
	err = s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		if rec, err := tx.IntakeRecord(projectID, m.MessageID); err == nil {
			res.ReportID, res.Filed = rec.ReportID, false
			return nil
		} else if vmt.ErrorCode(err) != vmt.ENOTFOUND {
			return err
		}
		p, err := tx.Project(projectID)
		if err != nil {
			return err
		}
		u, err := s.intakeReporter(tx, from, m.FromName)
		if err != nil {
			return err
		}
		now := s.now()
		r := &vmt.Report{Title: title, Description: body, Visibility: vmt.Private, Status: vmt.StatusNew,
			Affected: []vmt.AffectedEntry{}, CVEs: []string{}, NeverDisclose: []string{}, CreatedAt: now, UpdatedAt: now}
		if err := r.Validate(); err != nil {
			return err
		}
		vmt.AddReminder(r)
		a := vmt.Actor{User: u}
		if err := s.fileReport(tx, a, r, p.Name); err != nil {
			return err
		}
		rec := &vmt.IntakeRecord{ProjectID: projectID, MessageID: m.MessageID, ReportID: r.ID, From: from,
			Encrypted: m.Encrypted, Signature: m.Signature, FiledAt: now}
		if err := tx.CreateIntakeRecord(rec); err != nil {
			return err
		}
		for i := range atts {
			atts[i].ReportID, atts[i].CreatedAt = r.ID, now
			if err := tx.AddReportAttachment(&atts[i]); err != nil {
				return err
			}
		}
		if err := tx.DeleteIntakeFailure(projectID, m.MessageID); err != nil {
			return err
		}
		names := make([]string, len(atts))
		for i, at := range atts {
			names[i] = at.Name
		}
		if err := s.audit(tx, a, vmt.AuditReportIntake, p.ID, r.ID, subject("report", r.ID), nil,
			map[string]any{"message_id": m.MessageID, "from": from, "encrypted": m.Encrypted,
				"signature": m.Signature, "attachments": names, "intake_id": rec.ID}); err != nil {
			return err
		}
		if err := s.intakeReply(tx, p, u, r, rec, m); err != nil {
			return err
		}
		res.ReportID, res.Filed, res.Reporter = r.ID, true, u
		return nil
	})
	if vmt.ErrorCode(err) == vmt.ECONFLICT {
		// Another instance filed it (or made its sender's account) in
		// the meantime: if the message is on record, it is filed.
		if filed, ferr := s.IntakeFiled(ctx, projectID, m.MessageID); ferr == nil && filed {
			var id int64
			_ = s.deps.Store.ViewOne(ctx, func(tx vmt.Tx) error {
				rec, err := tx.IntakeRecord(projectID, m.MessageID)
				if err == nil {
					id = rec.ReportID
				}
				return err
			})
			return &IntakeResult{ReportID: id}, nil
		}
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// intakeReporter is the account a mail from address from is filed for.
func (s *Service) intakeReporter(tx vmt.Tx, from, name string) (*vmt.User, error) {
	u, err := tx.UserByEmail(from)
	switch {
	case vmt.ErrorCode(err) == vmt.ENOTFOUND:
		u, err = s.newUser(vmt.UserInput{Email: from, Name: clip(cleanLine(name), vmt.MaxNameLen), Role: vmt.RoleReporter})
		if err != nil {
			return nil, err
		}
		if err := tx.CreateUser(u); err != nil {
			return nil, err
		}
		return u, s.audit(tx, vmt.Actor{User: u}, vmt.AuditUserCreate, 0, 0, subject("user", u.ID), nil, u)
	case err != nil:
		return nil, err
	case u.Disabled:
		return nil, vmt.Invalid("from", "%s is the address of a disabled account: the VMT files this report by hand", from)
	case u.EmailVerifiedAt == nil && u.PasswordHash != "":
		// Anyone can sign up with an address they do not read: such an
		// account must not receive a report its address's owner sent.
		return nil, vmt.Invalid("from", "%s is the unproven address of an account with a password: the VMT files this report by hand, or the account proves its address first", from)
	}
	return u, nil
}

// intakeReply enqueues the reply to the sender of a filed mail.
func (s *Service) intakeReply(tx vmt.Tx, p *vmt.Project, u *vmt.User, r *vmt.Report, rec *vmt.IntakeRecord, m vmt.IntakeMail) error {
	key := ""
	if m.SenderKey != "" && s.deps.Disclosure.Keys != nil {
		if _, err := s.deps.Disclosure.Keys(m.SenderKey, s.now()); err == nil {
			key = m.SenderKey
		}
	}
	if key == "" {
		key = u.OpenPGPKey
	}
	base := s.deps.Publication.BaseURL
	link := fmt.Sprintf("%s/reports/%d", strings.TrimRight(base, "/"), r.ID)
	var b strings.Builder
	fmt.Fprintf(&b, "Thank you: your mail was filed as private report #%d.\n\n", r.ID)
	if key != "" {
		// Encrypted: the report's own words may be quoted.
		fmt.Fprintf(&b, "  Title: %s\n\n", r.Title)
	}
	fmt.Fprintf(&b, "Follow it at:\n\n  %s\n\n", link)
	if u.PasswordHash == "" {
		secret, l, err := s.makeAccountLink(tx, u, vmt.LinkIntake, 0)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "To sign in, open this link once and choose a password; it also confirms\nthat this address is yours:\n\n  %s\n\nIt works once, until %s.\n\n",
			vmt.AccountLinkURL(base, secret), l.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC"))
	} else {
		fmt.Fprintf(&b, "Sign in as %s to see it.\n\n", u.Email)
	}
	b.WriteString(strings.TrimSpace(r.Reminder) + "\n\n")
	// The project's policy page says how the report is handled and when
	// it is disclosed (the page shows the project's own text, if it set
	// one, and its embargo limits).
	fmt.Fprintf(&b, "How %s handles reports and discloses them:\n\n  %s/projects/%s/policy\n", p.Name, strings.TrimRight(base, "/"), p.Name)
	if key == "" {
		b.WriteString("\nThis reply is not encrypted: send your OpenPGP key (attached as\napplication/pgp-keys) or set it on your account to have later mails encrypted.\n")
	}
	n := vmt.NoticeMail{ReportID: r.ID, Recipient: subject("user", u.ID), To: []string{u.Email}, PublicKey: key,
		Subject: fmt.Sprintf("Report #%d received", r.ID), Body: b.String(), ThreadRoot: vmt.ThreadRoot(r.ID)}
	return enqueueJSON(tx, "intake-reply:"+itoa(int(rec.ID)), vmt.KindIntakeReply, r.ID, n, s.now())
}

// provenance is the line that opens a mailed report: where it came from
// and what its encryption and signature were, for those who triage it.
func provenance(from string, m vmt.IntakeMail) string {
	enc := "not encrypted"
	if m.Encrypted {
		enc = "encrypted to the project's intake key"
	}
	sig := "not signed"
	switch m.Signature.State {
	case vmt.SigValid:
		sig = "signed, good signature by " + m.Signature.Fingerprint
	case vmt.SigBad:
		sig = "signed, BAD signature (key " + m.Signature.KeyID + ")"
	case vmt.SigUnknownKey:
		sig = "signed by key " + m.Signature.KeyID + ", which we do not have"
	}
	return fmt.Sprintf("_Received by mail from %s, %s, %s._\n\n", from, enc, sig)
}

// ReportAttachments returns the files kept with report id, to those who
// may see the report.
func (s *Service) ReportAttachments(ctx context.Context, a vmt.Actor, id int64) ([]*vmt.ReportAttachment, error) {
	var as []*vmt.ReportAttachment
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		if _, _, err := s.loadReport(tx, a, id, vmt.ActionView); err != nil {
			return err
		}
		var err error
		as, err = tx.ReportAttachments(id)
		return err
	})
	return as, err
}

// ReportIntake returns how report id arrived by mail (encrypted or not,
// its signature), to those who may see the report; ENOTFOUND for a
// report not filed from a mail. The sender's address is left out: the
// report's view withholds its reporter from some, and the record would
// name them.
func (s *Service) ReportIntake(ctx context.Context, a vmt.Actor, id int64) (*vmt.IntakeRecord, error) {
	var rec *vmt.IntakeRecord
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		if _, _, err := s.loadReport(tx, a, id, vmt.ActionView); err != nil {
			return err
		}
		var err error
		rec, err = tx.ReportIntakeRecord(id)
		return err
	})
	if err != nil {
		return nil, err
	}
	rec.From = ""
	return rec, nil
}

// cleanLine makes s one line of printable text: control characters and
// line ends become spaces, invalid UTF-8 goes.
func cleanLine(s string) string {
	s = strings.ToValidUTF8(s, "")
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s))
}

// cleanText keeps the lines and tabs of s and drops the other control
// characters, the carriage returns and invalid UTF-8.
func cleanText(s string) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\r\n", "\n"), "")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return -1
		}
		return r
	}, s)
	return s
}

// clip cuts s to n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// clipBytes cuts s to at most n bytes, on a character boundary.
func clipBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
