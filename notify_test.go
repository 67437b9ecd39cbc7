package vmt

import (
	"slices"
	"testing"
	"time"
)

// NotifyRecipients is the one place that decides who is told: the roles of
// each kind, never the actor, never a disabled account, once per person,
// by their preferences; content only to a reader with a usable key of their
// own, or to a reader of a public report.
func TestNotifyRecipients(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	past := now.Add(-time.Hour)
	keyed := func(id int64, name string) *User {
		return &User{ID: id, Email: name + "@example.org", OpenPGPKey: "-----BEGIN PGP PUBLIC KEY BLOCK-----"}
	}
	plain := func(id int64, name string) *User { return &User{ID: id, Email: name + "@example.org"} }
	rep, coord, vmt2, rev, com, sub := keyed(1, "rep"), keyed(2, "coord"), plain(3, "vmt2"), keyed(4, "rev"), plain(5, "com"), plain(6, "sub")
	expired := keyed(7, "expired")
	expired.OpenPGPKeyExpires = &past
	gone := keyed(8, "gone")
	gone.Disabled = true
	parties := NotifyParties{Reporter: rep, Coordinator: coord, VMT: []*User{coord, vmt2, gone}, Committee: []*User{com},
		Reviewers: []*User{rev, expired}, Subscribers: []*User{rev, com, sub, expired}}
	all := map[int64]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true, 8: true}
	private := &Report{ID: 9, Visibility: Private}
	public := &Report{ID: 9, Visibility: Public}
	noComments := map[int64]*NotificationPrefs{6: {UserID: 6, Off: []NotifyKind{NotifyComment}}}
	cases := []struct {
		name  string
		ev    NotifyEvent
		prefs map[int64]*NotificationPrefs
		want  []string // email:content|link
	}{
		{"new report, by the reporter", NotifyEvent{Kind: NotifyNewReport, Report: private, ActorID: 1}, nil,
			[]string{"coord:content", "vmt2:link"}},
		{"new report, by a VMT member", NotifyEvent{Kind: NotifyNewReport, Report: private, ActorID: 2}, nil,
			[]string{"vmt2:link"}},
		{"assigned", NotifyEvent{Kind: NotifyAssigned, Report: private, ActorID: 3, Person: coord}, nil,
			[]string{"coord:content"}},
		{"assigned to oneself", NotifyEvent{Kind: NotifyAssigned, Report: private, ActorID: 2, Person: coord}, nil, nil},
		{"approval requested", NotifyEvent{Kind: NotifyApprovalRequested, Report: private, ActorID: 2}, nil,
			[]string{"rep:content", "com:link"}},
		{"approval given by the committee", NotifyEvent{Kind: NotifyApprovalGiven, Report: private, ActorID: 5}, nil,
			[]string{"coord:content", "rep:content"}},
		{"patch: an expired key gets the link", NotifyEvent{Kind: NotifyPatchReview, Report: private, ActorID: 1}, nil,
			[]string{"rev:content", "expired:link"}},
		{"comment, once each, one opted out", NotifyEvent{Kind: NotifyComment, Report: private, ActorID: 4}, noComments,
			[]string{"rep:content", "coord:content", "com:link", "expired:link"}},
		{"status on a public report: content to all", NotifyEvent{Kind: NotifyStatusChange, Report: public}, nil,
			[]string{"rep:content", "coord:content", "rev:content", "com:content", "sub:content", "expired:content"}},
		{"declined: no reader, no content", NotifyEvent{Kind: NotifyAccessAnswer, Report: private, ActorID: 2, Person: keyed(10, "stk")}, nil,
			[]string{"stk:link"}},
		{"access request", NotifyEvent{Kind: NotifyAccessRequest, Report: private, ActorID: 10}, nil,
			[]string{"coord:content", "vmt2:link"}},
		{"made public at the hour, by no one", NotifyEvent{Kind: NotifyDisclosed, Report: public}, noComments,
			[]string{"rep:content", "coord:content", "rev:content", "com:content", "sub:content", "expired:content"}},
		{"reminder: the coordinator only", NotifyEvent{Kind: NotifyReminder, Report: private}, nil,
			[]string{"coord:content"}},
		{"reminder without a coordinator: the VMT", NotifyEvent{Kind: NotifyReminder, Report: private}, nil,
			[]string{"vmt2:link"}},
		{"reminder turned off", NotifyEvent{Kind: NotifyReminder, Report: private},
			map[int64]*NotificationPrefs{2: {UserID: 2, Off: []NotifyKind{NotifyReminder}}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.ev.Parties, c.ev.At = parties, now
			if c.name == "reminder without a coordinator: the VMT" {
				c.ev.Parties.Coordinator, c.ev.Parties.VMT = nil, []*User{vmt2, gone}
			}
			c.ev.Readers = all
			if c.ev.Kind == NotifyAccessAnswer {
				c.ev.Readers = map[int64]bool{}
			}
			var got []string
			for _, r := range NotifyRecipients(c.ev, c.prefs) {
				mode := "link"
				if r.Content {
					mode = "content"
				}
				if r.Encrypt != r.User.HasUsableKey(now) {
					t.Errorf("%s: Encrypt %v", r.User.Email, r.Encrypt)
				}
				if r.Reason == "" {
					t.Errorf("%s: no reason", r.User.Email)
				}
				got = append(got, r.User.Email[:len(r.User.Email)-len("@example.org")]+":"+mode)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

// The settings round-trip, and name only known kinds.
func TestNotificationSettings(t *testing.T) {
	p, err := NotificationSettings{Kinds: map[NotifyKind]bool{NotifyComment: false, NotifyNewReport: true}, Digest: true}.Prefs(3)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Off, []NotifyKind{NotifyComment}) || !p.Digest || p.Wants(NotifyComment) || !p.Wants(NotifyAssigned) {
		t.Errorf("prefs %+v", p)
	}
	s := p.Settings()
	if len(s.Kinds) != len(NotifyKinds()) || s.Kinds[NotifyComment] || !s.Kinds[NotifyPatchReview] || !s.Digest {
		t.Errorf("settings %+v", s)
	}
	if _, err := (NotificationSettings{Kinds: map[NotifyKind]bool{"spam": true}}).Prefs(3); ErrorField(err) != "kinds" {
		t.Errorf("an unknown kind: %v", err)
	}
	var none *NotificationPrefs
	if !none.Wants(NotifyComment) || !none.Settings().Kinds[NotifyComment] {
		t.Error("no preferences: every kind")
	}
}

// A person who takes the digest is still a recipient, marked for it; the
// digest is due once its oldest entry has waited a period.
func TestNotifyDigest(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	u := &User{ID: 1, Email: "a@example.org"}
	ev := NotifyEvent{Kind: NotifyNewReport, Report: &Report{ID: 1, Visibility: Private}, Parties: NotifyParties{VMT: []*User{u}}, At: now}
	got := NotifyRecipients(ev, map[int64]*NotificationPrefs{1: {UserID: 1, Digest: true}})
	if len(got) != 1 || !got[0].Digest {
		t.Errorf("digest taker: %+v", got)
	}
	if got := NotifyRecipients(ev, nil); len(got) != 1 || got[0].Digest {
		t.Errorf("no preferences: %+v", got)
	}
	es := []*DigestEntry{{CreatedAt: now.Add(-DigestPeriod + time.Second)}, {CreatedAt: now}}
	if DigestDue(es, now) || !DigestDue(es, now.Add(time.Second)) || DigestDue(nil, now) {
		t.Error("DigestDue: due once the oldest entry has waited a period")
	}
}
