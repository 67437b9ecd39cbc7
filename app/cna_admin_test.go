package app_test

import (
	"context"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestCNAKeyAndEndpointAdminOnly: a project's VMT may name its CNA but not
// choose where the server reads the API key nor where it sends it: one who
// could would have any variable or file of the server sent to a host of
// their own. An administrator may; the VMT may then change the rest.
func TestCNAKeyAndEndpointAdminOnly(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newPubWorld(t, engine)
			const org = "0c5c5b1e-6c0e-4d5f-9a5e-5f8e2f6a1b2c"
			if _, err := w.svc.SetCNASettings(ctx, w.vmtm, "p", vmt.CNASettings{ShortName: "kata", OrgID: org}); err != nil {
				t.Fatalf("the VMT names the CNA: %v", err)
			}
			for field, in := range map[string]vmt.CNASettings{
				"api_key_ref": {ShortName: "kata", OrgID: org, APIKeyRef: "env:DATABASE_PASSWORD"},
				"endpoint":    {ShortName: "kata", OrgID: org, Endpoint: "https://attacker.example/api"},
			} {
				_, err := w.svc.SetCNASettings(ctx, w.vmtm, "p", in)
				if vmt.ErrorCode(err) != vmt.EFORBIDDEN || vmt.ErrorField(err) != field {
					t.Errorf("the VMT sets %s: %v, want EFORBIDDEN on that field", field, err)
				}
			}
			full := vmt.CNASettings{Enabled: true, ShortName: "kata", OrgID: org, User: "ada",
				APIKeyRef: "env:VMT_CVE_KEY", Endpoint: "https://cveawg.mitre.org/api"}
			if _, err := w.svc.SetCNASettings(ctx, w.admin, "p", full); err != nil {
				t.Fatalf("the administrator sets key and endpoint: %v", err)
			}
			full.User = "bob"
			if _, err := w.svc.SetCNASettings(ctx, w.vmtm, "p", full); err != nil {
				t.Errorf("the VMT changes the user, keeping key and endpoint: %v", err)
			}
			got, err := w.svc.CNASettingsOf(ctx, w.admin, "p")
			if err != nil || got.APIKeyRef != "env:VMT_CVE_KEY" || got.User != "bob" {
				t.Errorf("stored %+v, %v", got, err)
			}
		})
	}
}
