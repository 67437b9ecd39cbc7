package pgpmail

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message"
)

func TestListRulesCheck(t *testing.T) {
	disclosure := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC) // sent is 2026-11-25 14:30 UTC
	tests := []struct {
		name       string
		rules      ListRules
		change     func(*Message)
		disclosure time.Time
		want       string // "" for accepted
	}{
		{"linux-distros accepts", linuxDistros, nil, disclosure, ""},
		{"exactly 14 days", linuxDistros, nil, sent.Add(14 * 24 * time.Hour), ""},
		{"too early", linuxDistros, nil, sent.Add(15 * 24 * time.Hour), "linux-distros: the list takes notices at most 14 days before disclosure; 2026-12-10 14:30 UTC is 15 days after 2026-11-25 14:30 UTC"},
		{"prefix missing", linuxDistros, func(m *Message) { m.Subject = "Embargoed notice [vs]" }, disclosure, `linux-distros: the subject must start with "[vs]"`},
		{"disclosure passed", linuxDistros, nil, sent.Add(-time.Hour), "linux-distros: the disclosure (2026-11-25 13:30 UTC) is not after the notice (2026-11-25 14:30 UTC)"},
		{"bad attachment name", linuxDistros, func(m *Message) { m.Attachments[0].Name = "fix (1).patch" }, disclosure, `attachments[0]: name "fix (1).patch"`},
		{"private list has no lead limit", ListRules{Name: "embargo-notice"}, func(m *Message) { m.Subject = "Notice" }, sent.Add(40 * 24 * time.Hour), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := notice()
			if tt.change != nil {
				tt.change(m)
			}
			err := tt.rules.Check(m, tt.disclosure)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestListRulesBuild(t *testing.T) {
	k := newKeys(t, sent)
	disclosure := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		rules ListRules
		keys  []*PublicKey
		want  string
	}{
		{linuxDistros, []*PublicKey{k.recipient}, "multipart/encrypted"},
		{ListRules{Name: "embargo-notice"}, nil, "multipart/signed"},
	} {
		out, err := c.rules.Build(notice(), k.signer, c.keys, disclosure)
		if err != nil {
			t.Fatal(err)
		}
		e, err := message.Read(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if mt, _, _ := e.Header.ContentType(); mt != c.want {
			t.Errorf("%s: %s, want %s", c.rules.Name, mt, c.want)
		}
	}
	if _, err := linuxDistros.Build(notice(), k.signer, nil, disclosure); err == nil || !strings.Contains(err.Error(), "has no key") {
		t.Errorf("encrypted list without a key: %v", err)
	}
}

// linuxDistros are the linux-distros list's rules (vmt.LinuxDistrosRules),
// as the mailer builds them.
var linuxDistros = ListRules{Name: "linux-distros", Encrypt: true, SubjectPrefix: "[vs]", MaxLead: 14 * 24 * time.Hour}
