package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// notifyOf is what one event says beyond its kind.
type notifyOf struct {
	// Ref names the event among those of its kind on the report (a
	// comment's id, a fix's id, a status and the time it was entered), so
	// that each mail's outbox key, and so its Message-ID, is stable and
	// one per event and person.
	Ref string
	// Person is whom the event is about (vmt.NotifyEvent.Person).
	Person *vmt.User
	// Text is what happened, with the report's content: only in a mail
	// that may carry it (vmt.NotifyRecipient.Content).
	Text string
}

// notify tells the people ev concerns, as vmt.NotifyRecipients decides,
// by one outbox item each, in tx: what rolls back tells no one. Every use
// case whose event asks something of a person calls it.
func (s *Service) notify(tx vmt.Tx, a vmt.Actor, kind vmt.NotifyKind, r *vmt.Report, n notifyOf) error {
	now := s.now()
	to, roles, subscribed, err := s.recipients(tx, a, kind, r, n.Person, now)
	if err != nil || len(to) == 0 {
		return err
	}
	p, err := tx.Project(r.ProjectID)
	if err != nil {
		return err
	}
	w, err := withheldOf(tx, r)
	if err != nil {
		return err
	}
	for _, rc := range to {
		if rc.Digest {
			// Kept for the person's daily digest (DigestRound).
			if err := tx.AddDigestEntry(&vmt.DigestEntry{UserID: rc.User.ID, ReportID: r.ID, Kind: kind, CreatedAt: now}); err != nil {
				return err
			}
			continue
		}
		acc := vmt.AccessOf(vmt.Actor{User: rc.User}, r, vmt.Grants{MemberRole: roles[rc.User.ID], Subscribed: subscribed[rc.User.ID]})
		m, outKind := s.notificationMail(p, r, kind, rc, acc.Withhold(w), n)
		key := "notify:" + string(kind) + ":" + itoa(int(r.ID)) + ":" + n.Ref + ":" + itoa(int(rc.User.ID))
		// The same event told twice in one transaction (two paths
		// reaching it) is one mail.
		if err := enqueueJSON(tx, key, outKind, r.ID, m, now); err != nil && vmt.ErrorCode(err) != vmt.ECONFLICT {
			return fmt.Errorf("notify %s of %s on report %d: %w", rc.User.Email, kind, r.ID, err)
		}
	}
	return nil
}

// recipients reads the people of r and their preferences and returns whom
// an event of kind by a tells (vmt.NotifyRecipients), with the roles and
// subscriptions by which each may read r.
func (s *Service) recipients(tx vmt.Tx, a vmt.Actor, kind vmt.NotifyKind, r *vmt.Report, person *vmt.User, now time.Time) ([]vmt.NotifyRecipient, map[int64]vmt.MemberRole, map[int64]bool, error) {
	parties, roles, subscribed, err := notifyParties(tx, r)
	if err != nil {
		return nil, nil, nil, err
	}
	everyone := append(partyList(parties), person)
	prefs := map[int64]*vmt.NotificationPrefs{}
	readers := map[int64]bool{}
	for _, u := range everyone {
		if u == nil || prefs[u.ID] != nil {
			continue
		}
		p, err := tx.NotificationPrefs(u.ID)
		if vmt.ErrorCode(err) == vmt.ENOTFOUND {
			p = &vmt.NotificationPrefs{UserID: u.ID}
		} else if err != nil {
			return nil, nil, nil, err
		}
		prefs[u.ID] = p
		readers[u.ID] = vmt.AccessOf(vmt.Actor{User: u}, r, vmt.Grants{MemberRole: roles[u.ID], Subscribed: subscribed[u.ID]}).CanView(r)
	}
	ev := vmt.NotifyEvent{Kind: kind, Report: r, ActorID: a.ID(), Parties: parties, Person: person, Readers: readers, At: now}
	return vmt.NotifyRecipients(ev, prefs), roles, subscribed, nil
}

// notificationMail is the mail telling rc of an event: with the report's
// content when the domain allows it (encrypted to rc's key unless the
// report is public), else the report's number and link only. The subject
// is an outer header, read by every relay: for a private report it says
// no more than the link-only mail.
func (s *Service) notificationMail(p *vmt.Project, r *vmt.Report, kind vmt.NotifyKind, rc vmt.NotifyRecipient, w vmt.Withheld, n notifyOf) (vmt.NoticeMail, string) {
	base := strings.TrimSuffix(s.deps.Publication.BaseURL, "/")
	link := fmt.Sprintf("%s/reports/%d", base, r.ID)
	m := vmt.NoticeMail{ReportID: r.ID, Recipient: subject("user", rc.User.ID), To: []string{rc.User.Email},
		ThreadRoot: vmt.ThreadRoot(r.ID), Unsubscribe: base + vmt.NotificationsPath}
	if rc.Encrypt {
		m.PublicKey, m.Fingerprint = rc.User.OpenPGPKey, rc.User.OpenPGPFingerprint
	}
	m.Subject = fmt.Sprintf("[%s] report #%d needs you", p.Name, r.ID)
	settings := "\n\nYou set what you receive at " + base + vmt.NotificationsPath + "\n"
	if !rc.Content {
		// Nothing of the report: no title, no text, no kind of event.
		m.Body = fmt.Sprintf("report #%d needs you: %s", r.ID, link) + settings
		return m, vmt.KindNotificationLink
	}
	if r.Visibility == vmt.Public {
		m.Subject = fmt.Sprintf("[%s] report #%d: %s: %s", p.Name, r.ID, kind.Label(), oneLine(w.Text(r.Title)))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Report #%d (%s): %s\n%s\n\n", r.ID, kind.Label(), w.Text(r.Title), link)
	if n.Text != "" {
		b.WriteString(w.Text(strings.TrimRight(n.Text, "\n")) + "\n\n")
	}
	fmt.Fprintf(&b, "You are told because %s.", rc.Reason)
	if r.Visibility == vmt.Private {
		b.WriteString("\nThe report is under embargo: this mail is encrypted to your key; keep it so.")
	}
	m.Body = b.String() + settings
	return m, vmt.KindNotification
}

// DigestRound sends each person who takes the daily digest the events kept
// for them, once the oldest has waited vmt.DigestPeriod: one signed mail
// (encrypted to their key if they have one) naming each report by its
// number, the kind of event and its link, in the transaction that marks
// the entries sent. It returns how many digests it enqueued.
func (s *Service) DigestRound(ctx context.Context) (int, error) {
	n := 0
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		n = 0
		now := s.now()
		es, err := tx.PendingDigests()
		if err != nil {
			return err
		}
		for len(es) > 0 {
			end := 1
			for end < len(es) && es[end].UserID == es[0].UserID {
				end++
			}
			mine := es[:end]
			es = es[end:]
			if !vmt.DigestDue(mine, now) {
				continue
			}
			ids := make([]int64, len(mine))
			for i, e := range mine {
				ids[i] = e.ID
			}
			u, err := tx.User(mine[0].UserID)
			if err != nil {
				return err
			}
			if !u.Disabled {
				if err := enqueueJSON(tx, "digest:"+itoa(int(u.ID))+":"+itoa(int(ids[0])), vmt.KindNotificationLink, 0, s.digestMail(u, mine, now), now); err != nil {
					return fmt.Errorf("digest of %s: %w", u.Email, err)
				}
				n++
			}
			if err := tx.MarkDigestSent(ids, now); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// digestMail is the digest of entries for u: a line per report and kind,
// with no title or text (vmt.DigestEntry says why).
func (s *Service) digestMail(u *vmt.User, entries []*vmt.DigestEntry, now time.Time) vmt.NoticeMail {
	base := strings.TrimSuffix(s.deps.Publication.BaseURL, "/")
	keyed := u.HasUsableKey(now)
	var b strings.Builder
	seen := map[string]bool{}
	reports := map[int64]bool{}
	b.WriteString("Since your last digest:\n\n")
	for _, e := range entries {
		link := fmt.Sprintf("%s/reports/%d", base, e.ReportID)
		line := fmt.Sprintf("report #%d needs you: %s", e.ReportID, link)
		if keyed {
			// Encrypted: the kind of event may be named.
			line = fmt.Sprintf("report #%d: %s: %s", e.ReportID, e.Kind.Label(), link)
		}
		if !seen[line] {
			seen[line] = true
			b.WriteString("  " + line + "\n")
		}
		reports[e.ReportID] = true
	}
	b.WriteString("\nYou set what you receive at " + base + vmt.NotificationsPath + "\n")
	m := vmt.NoticeMail{Recipient: subject("user", u.ID), To: []string{u.Email},
		Subject: fmt.Sprintf("Your daily digest: %d reports need you", len(reports)), Body: b.String(),
		Unsubscribe: base + vmt.NotificationsPath}
	if len(reports) == 1 {
		m.Subject = "Your daily digest: 1 report needs you"
	}
	if keyed {
		m.PublicKey, m.Fingerprint = u.OpenPGPKey, u.OpenPGPFingerprint
	}
	return m
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// notifyParties reads the people of r: its reporter and coordinator, the
// VMT, committee and reviewers of its project, and its subscribers, with
// every project role and subscription by user id for the policy.
func notifyParties(tx vmt.Tx, r *vmt.Report) (vmt.NotifyParties, map[int64]vmt.MemberRole, map[int64]bool, error) {
	var p vmt.NotifyParties
	users := map[int64]*vmt.User{}
	user := func(id int64) (*vmt.User, error) {
		if id == 0 {
			return nil, nil
		}
		if u, ok := users[id]; ok {
			return u, nil
		}
		u, err := tx.User(id)
		if vmt.ErrorCode(err) == vmt.ENOTFOUND {
			return nil, nil
		}
		users[id] = u
		return u, err
	}
	var err error
	if p.Reporter, err = user(r.ReporterID); err != nil {
		return p, nil, nil, err
	}
	if p.Coordinator, err = user(r.CoordinatorID); err != nil {
		return p, nil, nil, err
	}
	subs, err := tx.Subscriptions(r.ID)
	if err != nil {
		return p, nil, nil, err
	}
	subscribed := map[int64]bool{}
	for _, sub := range subs {
		u, err := user(sub.UserID)
		if err != nil {
			return p, nil, nil, err
		}
		if u != nil {
			subscribed[u.ID] = true
			p.Subscribers = append(p.Subscribers, u)
			if u.Role == vmt.RoleCommittee {
				p.Committee = append(p.Committee, u)
			}
		}
	}
	ms, err := tx.Members(r.ProjectID)
	if err != nil {
		return p, nil, nil, err
	}
	roles := map[int64]vmt.MemberRole{}
	for _, m := range ms {
		roles[m.UserID] = m.Role
		u, err := user(m.UserID)
		if err != nil {
			return p, nil, nil, err
		}
		if u == nil {
			continue
		}
		// The committee and the reviewers read a private report once
		// subscribed to it: only then are they its committee and reviewers.
		reads := r.Visibility == vmt.Public || subscribed[u.ID]
		switch {
		case m.Role == vmt.MemberVMT:
			p.VMT = append(p.VMT, u)
		case m.Role == vmt.MemberCommittee && reads && u.Role != vmt.RoleCommittee:
			p.Committee = append(p.Committee, u)
		case m.Role == vmt.MemberReviewer && reads:
			p.Reviewers = append(p.Reviewers, u)
		}
	}
	return p, roles, subscribed, nil
}

func partyList(p vmt.NotifyParties) []*vmt.User {
	out := []*vmt.User{p.Reporter, p.Coordinator}
	for _, us := range [][]*vmt.User{p.VMT, p.Committee, p.Reviewers, p.Subscribers} {
		out = append(out, us...)
	}
	return out
}

// NotificationSettings returns what the actor chose to receive.
func (s *Service) NotificationSettings(ctx context.Context, a vmt.Actor) (vmt.NotificationSettings, error) {
	if err := vmt.RequireAuth(a); err != nil {
		return vmt.NotificationSettings{}, err
	}
	var p *vmt.NotificationPrefs
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) {
		p, err = tx.NotificationPrefs(a.ID())
		if vmt.ErrorCode(err) == vmt.ENOTFOUND {
			p, err = nil, nil
		}
		return err
	})
	return p.Settings(), err
}

// SetNotificationSettings stores what the actor chooses to receive, every
// kind it does not name on, and returns the settings as stored.
func (s *Service) SetNotificationSettings(ctx context.Context, a vmt.Actor, in vmt.NotificationSettings) (vmt.NotificationSettings, error) {
	if err := vmt.RequireAuth(a); err != nil {
		return vmt.NotificationSettings{}, err
	}
	p, err := in.Prefs(a.ID())
	if err != nil {
		return vmt.NotificationSettings{}, err
	}
	p.UpdatedAt = s.now()
	err = s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		before, err := tx.NotificationPrefs(a.ID())
		if vmt.ErrorCode(err) == vmt.ENOTFOUND {
			before, err = nil, nil
		} else if err != nil {
			return err
		}
		if err := tx.SetNotificationPrefs(p); err != nil {
			return err
		}
		return s.audit(tx, a, vmt.AuditUserNotifications, 0, 0, subject("user", a.ID()), before, p)
	})
	return p.Settings(), err
}
