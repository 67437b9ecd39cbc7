package vmt

import (
	"strings"
	"testing"
)

func TestIntakeSettingsValidate(t *testing.T) {
	good := IntakeSettings{Enabled: true, Addr: "imap.example.org:993", Security: IntakeTLS, User: "security@example.org",
		PasswordRef: "env:VMT_IMAP_PASSWORD", Folder: "INBOX", KeyRef: "file:/etc/vmt/intake.asc"}
	for _, tc := range []struct {
		name  string
		edit  func(*IntakeSettings)
		field string
	}{
		{"good", func(*IntakeSettings) {}, ""},
		{"disabled and empty", func(c *IntakeSettings) { *c = IntakeSettings{} }, ""},
		{"IPv6", func(c *IntakeSettings) { c.Addr = "[2001:db8::1]:993" }, ""},
		{"plain to loopback", func(c *IntakeSettings) { c.Addr, c.Security = "127.0.0.1:143", IntakePlain }, ""},
		{"plain elsewhere", func(c *IntakeSettings) { c.Security = IntakePlain }, "security"},
		{"no port", func(c *IntakeSettings) { c.Addr = "imap.example.org" }, "addr"},
		{"bad port", func(c *IntakeSettings) { c.Addr = "imap.example.org:99999" }, "addr"},
		{"bare IPv6", func(c *IntakeSettings) { c.Addr = "2001:db8::1:993" }, "addr"},
		{"unknown security", func(c *IntakeSettings) { c.Security = "ssl" }, "security"},
		{"no security", func(c *IntakeSettings) { c.Security = "" }, "security"},
		{"password itself", func(c *IntakeSettings) { c.PasswordRef = "hunter2" }, "password_ref"},
		{"relative key file", func(c *IntakeSettings) { c.KeyRef = "file:intake.asc" }, "key_ref"},
		{"key file climbing", func(c *IntakeSettings) { c.KeyRef = "file:/etc/../root/key" }, "key_ref"},
		{"no key", func(c *IntakeSettings) { c.KeyRef = "" }, "key_ref"},
		{"passphrase optional", func(c *IntakeSettings) { c.PassphraseRef = "" }, ""},
		{"passphrase itself", func(c *IntakeSettings) { c.PassphraseRef = "secret" }, "passphrase_ref"},
		{"no folder", func(c *IntakeSettings) { c.Folder = "" }, "folder"},
		{"folder with a line end", func(c *IntakeSettings) { c.Folder = "INBOX\r\nA1 LOGOUT" }, "folder"},
		{"user with a line end", func(c *IntakeSettings) { c.User = "a\nb" }, "user"},
	} {
		c := good
		tc.edit(&c)
		err := c.Validate()
		e, _ := err.(*Error)
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.field != "" && (e == nil || e.Code != EINVALID || e.Field != tc.field):
			t.Errorf("%s: %v, want a fault on %s", tc.name, err, tc.field)
		}
	}
}

func TestCleanAttachmentName(t *testing.T) {
	for in, want := range map[string]string{
		"poc.c":                              "poc.c",
		"../../etc/passwd":                   "passwd",
		`C:\Users\x\poc.py`:                  "poc.py",
		"poc exploit (1).c":                  "poc_exploit__1_.c",
		".bashrc":                            "bashrc",
		"":                                   "attachment",
		"..":                                 "attachment",
		"résumé.pdf":                         "r_sum_.pdf",
		"a\x00b\nc":                          "a_b_c",
		strings.Repeat("x", 300) + ".tar.gz": strings.Repeat("x", 93) + ".tar.gz",
	} {
		if got := CleanAttachmentName(in); got != want {
			t.Errorf("CleanAttachmentName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckAttachments(t *testing.T) {
	as := []ReportAttachment{{Name: "../a b.c", ContentType: "Text/X-CSRC", Data: []byte("x")}, {Name: "b", ContentType: "bad type", Data: nil}}
	if err := CheckAttachments(as); err != nil {
		t.Fatal(err)
	}
	if as[0].Name != "a_b.c" || as[0].ContentType != "text/x-csrc" || as[0].Size != 1 || as[1].ContentType != "application/octet-stream" {
		t.Errorf("cleaned: %+v", as)
	}
	many := make([]ReportAttachment, MaxReportAttachments+1)
	big := []ReportAttachment{{Name: "big", Data: make([]byte, MaxReportAttachmentBytes+1)}}
	var total []ReportAttachment
	for range MaxReportAttachmentsTotal/MaxReportAttachmentBytes + 1 {
		total = append(total, ReportAttachment{Name: "part", Data: make([]byte, MaxReportAttachmentBytes)})
	}
	for name, tc := range map[string][]ReportAttachment{"count": many, "each": big, "total": total} {
		if err := CheckAttachments(tc); ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v, want EINVALID", name, err)
		}
	}
}
