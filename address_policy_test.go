package vmt

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// HoldsAddress: the account's own address, proven, enabled; any case.
func TestHoldsAddress(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	proven := &User{ID: 1, Email: "sec@distro.example", EmailVerifiedAt: &now}
	for _, tc := range []struct {
		name string
		u    *User
		addr string
		want bool
	}{
		{"proven, same address", proven, "sec@distro.example", true},
		{"proven, other case", proven, "SEC@Distro.example", true},
		{"proven, another address", proven, "other@distro.example", false},
		{"proven, empty", proven, "", false},
		{"unproven", &User{ID: 2, Email: "sec@distro.example"}, "sec@distro.example", false},
		{"disabled", &User{ID: 3, Email: "sec@distro.example", EmailVerifiedAt: &now, Disabled: true}, "sec@distro.example", false},
		{"nobody", nil, "sec@distro.example", false},
	} {
		if got := HoldsAddress(tc.u, tc.addr); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// ToldStakeholder: only through a recipient of the notice, at an address
// the notice went to and the registry still lists, proven; or by an
// accepted application to a stakeholder that was told.
func TestToldStakeholder(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	user := func(addr string, proven bool) *User {
		u := &User{ID: 7, Email: addr}
		if proven {
			u.EmailVerifiedAt = &now
		}
		return u
	}
	distro := &Stakeholder{ID: 1, Organisation: "Distro", Contacts: []string{"sec@distro.example", "late@distro.example"}}
	cloud := &Stakeholder{ID: 2, Organisation: "Cloud", Contacts: []string{"sec@cloud.example"}}
	other := &Stakeholder{ID: 3, Organisation: "Other", Contacts: []string{"sec@other.example"}, Projects: []string{"elsewhere"}}
	ks := []*Stakeholder{distro, cloud, other}
	told := []NoticeRecipient{
		{Recipient: "stakeholder:1", StakeholderID: 1, Addresses: []string{"sec@distro.example", "gone@distro.example"}},
		{Recipient: "stakeholder:3", StakeholderID: 3, Addresses: []string{"sec@other.example"}},
		{Recipient: "list:x", Addresses: []string{"list@lists.example"}},
	}
	for _, tc := range []struct {
		name     string
		u        *User
		accepted map[int64]bool
		told     []NoticeRecipient
		want     *Stakeholder
	}{
		{"a told contact, proven", user("sec@distro.example", true), nil, told, distro},
		{"a told contact, unproven", user("sec@distro.example", false), nil, told, nil},
		{"a contact added after the notice", user("late@distro.example", true), nil, told, nil},
		{"a told address the registry dropped since", user("gone@distro.example", true), nil, told, nil},
		{"an organisation added after the notice", user("sec@cloud.example", true), nil, told, nil},
		{"accepted applicant of a told stakeholder, unproven", user("me@home.example", false), map[int64]bool{1: true}, told, distro},
		{"accepted applicant of an untold stakeholder", user("me@home.example", true), map[int64]bool{2: true}, told, nil},
		{"a stakeholder that no longer receives the project", user("sec@other.example", true), nil, told, nil},
		{"a list's address", user("list@lists.example", true), nil, told, nil},
		{"no notice", user("sec@distro.example", true), nil, nil, nil},
	} {
		if got := ToldStakeholder(tc.u, "kata-containers", ks, tc.accepted, tc.told); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// NoticeRecipients reads notice items only, leaves out failed mails, and
// reads the stakeholder id from the recipient.
func TestNoticeRecipients(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	item := func(kind string, state OutboxState, m NoticeMail) *OutboxItem {
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return &OutboxItem{Key: kind + m.Recipient, Kind: kind, State: state, Payload: b, CreatedAt: at}
	}
	got, err := NoticeRecipients([]*OutboxItem{
		item(KindNotice, OutboxDone, NoticeMail{Recipient: "stakeholder:4", To: []string{"a@x.example"}, Organisation: "X", Fingerprint: "F", PublicKey: "K"}),
		item(KindNotice, OutboxPending, NoticeMail{Recipient: "list:l", To: []string{"l@x.example"}}),
		item(KindNotice, OutboxFailed, NoticeMail{Recipient: "stakeholder:5", To: []string{"b@x.example"}}),
		item(KindReminder, OutboxDone, NoticeMail{Recipient: "stakeholder:6", To: []string{"c@x.example"}}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].StakeholderID != 4 || got[0].Organisation != "X" || got[0].Fingerprint != "F" || !got[0].Encrypted ||
		!got[0].At.Equal(at) || got[1].StakeholderID != 0 || got[1].Encrypted {
		t.Errorf("NoticeRecipients: %+v", got)
	}
	if _, err := NoticeRecipients([]*OutboxItem{{Key: "k", Kind: KindNotice, Payload: json.RawMessage(`{`)}}); err == nil {
		t.Errorf("a broken payload is read")
	}
}

// CheckEmailProof: each refusal names the token and says why.
func TestCheckEmailProof(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	u := &User{ID: 1, Email: "new@example.org"}
	good := &EmailProof{ID: 1, UserID: 1, Email: "new@example.org", ExpiresAt: now.Add(time.Hour)}
	used, expired, other, moved := *good, *good, *good, *good
	used.UsedAt = &now
	expired.ExpiresAt = now
	other.UserID = 2
	moved.Email = "old@example.org"
	for _, tc := range []struct {
		name string
		p    *EmailProof
		want string // "" for accepted
	}{
		{"good", good, ""},
		{"unknown", nil, "not one we sent"},
		{"used", &used, "already used"},
		{"expired", &expired, "expired"},
		{"another account", &other, "another account"},
		{"another address", &moved, "no longer your account's address"},
	} {
		err := CheckEmailProof(tc.p, u, now)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (ErrorField(err) != "token" || !strings.Contains(ErrorMessage(err), tc.want)):
			t.Errorf("%s: %v, want a token error saying %q", tc.name, err, tc.want)
		}
	}
}
