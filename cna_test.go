package vmt

import "testing"

// TestCNASettingsValidate: disabled and empty is fine, and so is a CNA
// named (short name, organisation UUID) without CVE Services, for CVE JSON
// 5 exports; enabled settings need a short name, the organisation UUID, a
// user, a reference to the key (never the key itself) and an https endpoint
// (http only to loopback); fields given while disabled are checked too.
func TestCNASettingsValidate(t *testing.T) {
	good := func() CNASettings {
		return CNASettings{Enabled: true, ShortName: "kata", OrgID: "0c5c5b1e-6c0e-4d5f-9a5e-5f8e2f6a1b2c", User: "vmt@example.org",
			APIKeyRef: "env:CVE_API_KEY", Endpoint: "https://cveawg.mitre.org/api"}
	}
	if err := (&CNASettings{}).Validate(); err != nil {
		t.Errorf("empty, disabled: %v", err)
	}
	named := CNASettings{ShortName: "kata", OrgID: "0c5c5b1e-6c0e-4d5f-9a5e-5f8e2f6a1b2c"}
	if err := named.Validate(); err != nil {
		t.Errorf("a CNA named without CVE Services: %v", err)
	}
	for _, bad := range []struct {
		field string
		c     CNASettings
	}{
		{"user", CNASettings{Enabled: true, ShortName: named.ShortName, OrgID: named.OrgID}},
		{"api_key_ref", CNASettings{Enabled: true, ShortName: named.ShortName, OrgID: named.OrgID, User: "vmt@example.org"}},
		{"endpoint", CNASettings{Enabled: true, ShortName: named.ShortName, OrgID: named.OrgID, User: "vmt@example.org", APIKeyRef: "env:K"}},
		{"org_id", CNASettings{OrgID: "kata"}},
		{"short_name", CNASettings{ShortName: "kata containers", OrgID: named.OrgID}},
		{"api_key_ref", CNASettings{OrgID: named.OrgID, APIKeyRef: "the-key-itself"}},
	} {
		if err := bad.c.Validate(); ErrorField(err) != bad.field {
			t.Errorf("%+v: %v, want an error on %s", bad.c, err, bad.field)
		}
	}
	for _, ok := range []func(*CNASettings){
		func(*CNASettings) {},
		func(c *CNASettings) { c.APIKeyRef = "file:/etc/vmt/cve.key" },
		func(c *CNASettings) { c.Endpoint = "http://127.0.0.1:8443/api" },
		func(c *CNASettings) { c.Enabled = false },
	} {
		c := good()
		ok(&c)
		if err := c.Validate(); err != nil {
			t.Errorf("%+v: %v", c, err)
		}
	}
	for _, bad := range []struct {
		field string
		edit  func(*CNASettings)
	}{
		{"short_name", func(c *CNASettings) { c.ShortName = "" }},
		{"short_name", func(c *CNASettings) { c.ShortName = "kata containers" }},
		{"org_id", func(c *CNASettings) { c.OrgID = "kata" }},
		{"user", func(c *CNASettings) { c.User = "" }},
		{"user", func(c *CNASettings) { c.User = "two words" }},
		{"api_key_ref", func(c *CNASettings) { c.APIKeyRef = "3f1e0b4c-the-key-itself" }},
		{"api_key_ref", func(c *CNASettings) { c.APIKeyRef = "env:lower" }},
		{"api_key_ref", func(c *CNASettings) { c.APIKeyRef = "file:relative/key" }},
		{"api_key_ref", func(c *CNASettings) { c.APIKeyRef = "file:/etc/../root/key" }},
		{"endpoint", func(c *CNASettings) { c.Endpoint = "http://cveawg.mitre.org/api" }},
		{"endpoint", func(c *CNASettings) { c.Endpoint = "https://user:pw@cveawg.mitre.org/api" }},
		{"endpoint", func(c *CNASettings) { c.Endpoint = "cveawg.mitre.org" }},
	} {
		c := good()
		bad.edit(&c)
		if err := c.Validate(); ErrorField(err) != bad.field {
			t.Errorf("%+v: %v, want an error on %s", c, err, bad.field)
		}
	}
}
