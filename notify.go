package vmt

import (
	"slices"
	"strconv"
	"time"
)

// Notifications tell a person that an event asks something of them (issue
// 13). Who is told of what is decided here, in NotifyRecipients, and
// nowhere else: the application gathers the people of a report
// (NotifyParties) and the preferences they set, and writes one mail per
// recipient this function returns, in the transaction of the event.

// NotifyKind is a kind of event people are told of, and what a person
// turns on or off in their settings.
type NotifyKind string

// The kinds of notification.
const (
	NotifyNewReport         NotifyKind = "new_report"         // the project's VMT
	NotifyAssigned          NotifyKind = "assigned"           // the new coordinator
	NotifySubscribed        NotifyKind = "subscribed"         // the person subscribed or granted
	NotifyApprovalRequested NotifyKind = "approval_requested" // the reporter and the committee
	NotifyApprovalGiven     NotifyKind = "approval_given"     // the coordinator, the reporter, the committee
	NotifyPatchReview       NotifyKind = "patch_review"       // the subscribed reviewers
	NotifyStatusChange      NotifyKind = "status_change"      // the reporter, the coordinator, the subscribers
	NotifyComment           NotifyKind = "comment"            // the reporter, the coordinator, the subscribers
	NotifyAccessRequest     NotifyKind = "access_request"     // the project's VMT
	NotifyAccessAnswer      NotifyKind = "access_answer"      // the stakeholder who asked
	NotifyDisclosed         NotifyKind = "disclosed"          // the reporter, the coordinator, the subscribers
	NotifyReminder          NotifyKind = "reminder"           // the coordinator, or the VMT while there is none
)

// NotifyKinds returns every kind, in the order the settings show them.
func NotifyKinds() []NotifyKind {
	return []NotifyKind{NotifyNewReport, NotifyAssigned, NotifySubscribed, NotifyApprovalRequested, NotifyApprovalGiven,
		NotifyPatchReview, NotifyStatusChange, NotifyComment, NotifyAccessRequest, NotifyAccessAnswer, NotifyDisclosed, NotifyReminder}
}

// Label is how the kind reads in a subject line and on the settings page.
func (k NotifyKind) Label() string {
	switch k {
	case NotifyNewReport:
		return "new report"
	case NotifyAssigned:
		return "assigned to you"
	case NotifySubscribed:
		return "you were subscribed"
	case NotifyApprovalRequested:
		return "approval requested"
	case NotifyApprovalGiven:
		return "approval given"
	case NotifyPatchReview:
		return "patch to review"
	case NotifyStatusChange:
		return "status changed"
	case NotifyComment:
		return "new comment"
	case NotifyAccessRequest:
		return "access request"
	case NotifyAccessAnswer:
		return "access request answered"
	case NotifyDisclosed:
		return "made public"
	case NotifyReminder:
		return "stage timer reminder"
	}
	return string(k)
}

// ParseNotifyKind checks a kind named in field.
func ParseNotifyKind(field, s string) (NotifyKind, error) {
	k := NotifyKind(s)
	if !slices.Contains(NotifyKinds(), k) {
		return "", Invalid(field, "%q is not a kind of notification", s)
	}
	return k, nil
}

// NotificationPrefs are what a person chose to receive. The zero value,
// which a person who never set any has, receives every kind.
type NotificationPrefs struct {
	UserID int64 `json:"user_id"`
	// Off are the kinds the person does not want, sorted.
	Off []NotifyKind `json:"off"`
	// Digest asks for one mail a day instead of one per event: each event
	// the person would be told of is kept (DigestEntry) and the worker
	// sends them together (DigestDue).
	Digest    bool      `json:"digest"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Wants reports whether the person wants mail of kind k.
func (p *NotificationPrefs) Wants(k NotifyKind) bool {
	return p == nil || !slices.Contains(p.Off, k)
}

// NotificationSettings is the form of the settings the API reads and
// writes: every kind with whether it is on.
type NotificationSettings struct {
	Kinds  map[NotifyKind]bool `json:"kinds"`
	Digest bool                `json:"digest"`
}

// Settings returns p as the API shows it.
func (p *NotificationPrefs) Settings() NotificationSettings {
	s := NotificationSettings{Kinds: map[NotifyKind]bool{}}
	for _, k := range NotifyKinds() {
		s.Kinds[k] = p.Wants(k)
	}
	if p != nil {
		s.Digest = p.Digest
	}
	return s
}

// Prefs checks s and returns the preferences of user it sets. A kind
// not named keeps its default, on.
func (s NotificationSettings) Prefs(userID int64) (*NotificationPrefs, error) {
	p := &NotificationPrefs{UserID: userID, Off: []NotifyKind{}, Digest: s.Digest}
	for k, on := range s.Kinds {
		if _, err := ParseNotifyKind("kinds", string(k)); err != nil {
			return nil, err
		}
		if !on {
			p.Off = append(p.Off, k)
		}
	}
	slices.Sort(p.Off)
	return p, nil
}

// NotifyParties are the people of one report that an event may concern,
// as the application read them in the event's transaction.
type NotifyParties struct {
	Reporter    *User
	Coordinator *User
	// VMT are the VMT members of the report's project; Committee and
	// Reviewers its architecture committee and core security reviewers
	// who may read the report (subscribed to a private one).
	VMT       []*User
	Committee []*User
	Reviewers []*User
	// Subscribers are everyone subscribed to the report.
	Subscribers []*User
}

// NotifyEvent is one event that may tell people something.
type NotifyEvent struct {
	Kind    NotifyKind
	Report  *Report
	ActorID int64 // who acted: never told of their own action
	Parties NotifyParties
	// Person is whom the event is about, for NotifySubscribed (the person
	// subscribed or granted), NotifyAssigned (the new coordinator) and
	// NotifyAccessAnswer (the stakeholder who asked).
	Person *User
	// Readers are the people who may read the report after the event, by
	// the access policy (AccessOf): only they may get its content.
	Readers map[int64]bool
	At      time.Time
}

// NotifyRecipient is one person to tell, and how.
type NotifyRecipient struct {
	User   *User
	Reason string // why they are told, shown in the mail
	// Content says whether the mail may carry the report's title and
	// text: the report is public and the person may read it, or the person
	// may read it and has a key of their own it is encrypted to. Without,
	// the mail says only that report #N needs them, and links to it.
	Content bool
	// Encrypt says the mail is encrypted to the person's key.
	Encrypt bool
	// Digest: the person takes a daily digest; the event is kept for it
	// instead of mailed now.
	Digest bool
}

// HasUsableKey reports whether u has an OpenPGP key that has not expired
// at now, to encrypt mail to.
func (u *User) HasUsableKey(now time.Time) bool {
	return u.OpenPGPKey != "" && (u.OpenPGPKeyExpires == nil || u.OpenPGPKeyExpires.After(now))
}

// NotifyRecipients decides who is told of ev and whether the mail may
// carry the report's content, by each person's preferences (prefs by user
// id; absent: every kind). The actor is never told of their own action;
// a disabled account is never told; a person is told once per event,
// with the first reason that names them.
//
// An account's address need not be proven (HoldsAddress) to be told: the
// person is told by their role on the report, which is the account's, not
// the address's; a private report's content goes only encrypted to the
// account's own key, so a mailbox that is not the account holder's gets
// what the link-only mail says and nothing it can read.
func NotifyRecipients(ev NotifyEvent, prefs map[int64]*NotificationPrefs) []NotifyRecipient {
	type cand struct {
		u      *User
		reason string
	}
	var cs []cand
	add := func(reason string, us ...*User) {
		for _, u := range us {
			if u != nil {
				cs = append(cs, cand{u, reason})
			}
		}
	}
	p := ev.Parties
	switch ev.Kind {
	case NotifyNewReport:
		add("you are on the project's vulnerability management team", p.VMT...)
	case NotifyAssigned:
		add("you are the report's coordinator", ev.Person)
	case NotifySubscribed:
		add("you were subscribed to the report", ev.Person)
	case NotifyApprovalRequested:
		add("you are the reporter, whose approval the impact description needs", p.Reporter)
		add("you are on the architecture committee, whose approval the impact description needs", p.Committee...)
	case NotifyApprovalGiven:
		add("you are the report's coordinator", p.Coordinator)
		add("you are the reporter", p.Reporter)
		add("you are on the architecture committee", p.Committee...)
	case NotifyPatchReview:
		add("you are a core security reviewer of the project", p.Reviewers...)
	case NotifyStatusChange, NotifyComment, NotifyDisclosed:
		add("you are the reporter", p.Reporter)
		add("you are the report's coordinator", p.Coordinator)
		add("you are subscribed to the report", p.Subscribers...)
	case NotifyAccessRequest:
		add("you are the report's coordinator", p.Coordinator)
		add("you are on the project's vulnerability management team", p.VMT...)
	case NotifyAccessAnswer:
		add("you asked to read the report", ev.Person)
	case NotifyReminder:
		if p.Coordinator != nil {
			add("you are the report's coordinator", p.Coordinator)
		} else {
			add("you are on the project's vulnerability management team and the report has no coordinator", p.VMT...)
		}
	}
	var out []NotifyRecipient
	seen := map[int64]bool{}
	for _, c := range cs {
		if c.u.ID == ev.ActorID || c.u.Disabled || seen[c.u.ID] || !prefs[c.u.ID].Wants(ev.Kind) {
			continue
		}
		seen[c.u.ID] = true
		keyed := c.u.HasUsableKey(ev.At)
		public := ev.Report != nil && ev.Report.Visibility == Public
		out = append(out, NotifyRecipient{User: c.u, Reason: c.reason,
			Content: ev.Readers[c.u.ID] && (public || keyed), Encrypt: keyed, Digest: prefs[c.u.ID] != nil && prefs[c.u.ID].Digest})
	}
	return out
}

// KindNotification is an outbox item holding a NoticeMail that tells one
// person of an event with the report's content (encrypted to their key
// unless the report is public); KindNotificationLink one that names only
// the report's number and link, and carries nothing private.
const (
	KindNotification     = "notification"
	KindNotificationLink = "notification_link"
)

// ThreadRoot is the left part of the Message-ID every notification of
// report id refers to (In-Reply-To, References), so that a reader's mail
// program shows one thread per report. No mail has it as its own id.
func ThreadRoot(reportID int64) string {
	return "report-" + strconv.FormatInt(reportID, 10)
}

// NotificationsPath is the page where a person sets what they receive:
// the List-Unsubscribe of every notification.
const NotificationsPath = "/account/notifications"

// DigestEntry is one event kept for a person's daily digest. The digest
// names each report by its number, the kind of event and its link, and
// no title or text: one mail about several reports cannot be counted in
// each one's extent, so it carries nothing private (KindNotificationLink),
// encrypted besides when the person has a key.
type DigestEntry struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	ReportID  int64      `json:"report_id"`
	Kind      NotifyKind `json:"kind"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
}

// DigestPeriod is how long the first event of a digest waits for others:
// a person who takes the digest gets at most one mail a day.
const DigestPeriod = 24 * time.Hour

// DigestDue reports whether the unsent entries of one person (oldest
// first) are due to be sent at now: the oldest has waited a period.
func DigestDue(entries []*DigestEntry, now time.Time) bool {
	return len(entries) > 0 && !entries[0].CreatedAt.Add(DigestPeriod).After(now)
}
