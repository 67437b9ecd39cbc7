package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// A user's OpenPGP key is checked like a stakeholder's when set: a bad one
// is refused on openpgp_key with nothing stored or audited; a good one is
// stored with its fingerprint and expiry and audited by fingerprint, not
// armor; only the user and an administrator set it.
func TestUserOpenPGPKey(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			good := testKey(t, "Coord", w.now.Add(-time.Hour), 365*24*time.Hour)
			expired := testKey(t, "Old", w.now.Add(-48*time.Hour), 24*time.Hour)
			other := testKey(t, "Other", w.now.Add(-time.Hour), 0)
			events := func() int {
				es, err := w.svc.AuditEvents(ctx, w.admin, 0, vmt.MaxPageSize)
				must(t, err)
				return len(es)
			}
			before := events()

			bad := []struct {
				name, key, code string
			}{
				{"garbage", "hello", vmt.EINVALID},
				{"expired", expired, vmt.EINVALID},
				{"two keys", good + "\n" + other, vmt.EINVALID},
				{"not armored", strings.TrimPrefix(good, "-----BEGIN PGP PUBLIC KEY BLOCK-----"), vmt.EINVALID},
				{"too large", good + strings.Repeat("x", vmt.MaxPublicKeyBytes), vmt.ETOOLARGE},
			}
			for _, tc := range bad {
				_, err := w.svc.UpdateUser(ctx, w.coord, w.coord.ID(), vmt.UserPatch{OpenPGPKey: &tc.key})
				var e *vmt.Error
				if vmt.ErrorCode(err) != tc.code || !asErr(err, &e) || e.Field != "openpgp_key" {
					t.Errorf("%s key: UpdateUser = %v, want %s on openpgp_key", tc.name, err, tc.code)
				}
			}
			if u, err := w.svc.User(ctx, w.coord, w.coord.ID()); err != nil || u.OpenPGPKey != "" || u.OpenPGPFingerprint != "" {
				t.Fatalf("after refused keys: %+v, %v; want no key stored", u, err)
			}
			if n := events(); n != before {
				t.Errorf("refused keys wrote %d audit events", n-before)
			}

			// Another user cannot set it: the user is hidden from them.
			_, err := w.svc.UpdateUser(ctx, w.outsider, w.coord.ID(), vmt.UserPatch{OpenPGPKey: &other})
			if vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("outsider sets coord's key: %v, want not found", err)
			}

			u, err := w.svc.UpdateUser(ctx, w.coord, w.coord.ID(), vmt.UserPatch{OpenPGPKey: keyPtr("  " + good + "\n\n")})
			must(t, err)
			wantExp := w.now.Add(-time.Hour).Add(365 * 24 * time.Hour)
			if u.OpenPGPKey != strings.TrimSpace(good) || len(u.OpenPGPFingerprint) != 40 ||
				u.OpenPGPKeyExpires == nil || !u.OpenPGPKeyExpires.Equal(wantExp) {
				t.Errorf("stored %q %q %v; want the trimmed key, a 40-digit fingerprint, expiry %v",
					u.OpenPGPKey, u.OpenPGPFingerprint, u.OpenPGPKeyExpires, wantExp)
			}
			got, err := w.svc.User(ctx, w.coord, w.coord.ID())
			must(t, err)
			if got.OpenPGPKey != u.OpenPGPKey || got.OpenPGPFingerprint != u.OpenPGPFingerprint {
				t.Errorf("read back %q %q, want what was stored", got.OpenPGPKey, got.OpenPGPFingerprint)
			}
			es, err := w.svc.AuditEvents(ctx, w.admin, 0, vmt.MaxPageSize)
			must(t, err)
			last := es[len(es)-1]
			if last.Action != "user.update" || last.Subject != fmt.Sprintf("user:%d", w.coord.ID()) ||
				!strings.Contains(string(last.After), u.OpenPGPFingerprint) ||
				strings.Contains(string(last.After)+string(last.Before), "BEGIN PGP") {
				t.Errorf("audit %s %s before=%s after=%s: want user.update with the fingerprint and no armor",
					last.Action, last.Subject, last.Before, last.After)
			}

			// The outsider's attempt left the key alone; an administrator
			// may set anyone's, and "" removes it.
			if _, err := w.svc.UpdateUser(ctx, w.admin, w.outsider.ID(), vmt.UserPatch{OpenPGPKey: &other}); err != nil {
				t.Errorf("admin sets the outsider's key: %v", err)
			}
			u, err = w.svc.UpdateUser(ctx, w.coord, w.coord.ID(), vmt.UserPatch{OpenPGPKey: keyPtr("")})
			must(t, err)
			if u.OpenPGPKey != "" || u.OpenPGPFingerprint != "" || u.OpenPGPKeyExpires != nil {
				t.Errorf("after removing: %+v, want no key", u)
			}
		})
	}
}

func keyPtr(s string) *string { return &s }

// The CVE request form of a report is sent as its coordinator with their
// stored key; without one (or with one expired since), as the VMT member
// asking, when theirs is usable; else nobody, and the form asks for a key.
// Only the report's VMT is told.
func TestCVERequester(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			other, err := w.svc.CreateUser(ctx, w.admin, vmt.UserInput{Email: "other@example.org", Role: vmt.RoleVMT})
			must(t, err)
			must(t, w.svc.SetMember(ctx, w.admin, vmt.Member{ProjectID: w.project.ID, UserID: other.ID, Role: vmt.MemberVMT}))
			member := vmt.Actor{User: other}
			rv, err := w.svc.CreateReport(ctx, w.outsider, vmt.ReportInput{Title: "Escape", Description: "A guest escapes."})
			must(t, err)
			who := func(a vmt.Actor) string {
				t.Helper()
				u, err := w.svc.CVERequester(ctx, a, rv.ID)
				must(t, err)
				if u == nil {
					return ""
				}
				if u.PasswordHash != "" || u.OpenPGPKey == "" {
					t.Errorf("requester %+v: want the address and key only", u)
				}
				return u.Email
			}
			if got := who(w.coord); got != "" {
				t.Errorf("nobody has a key: requester %q", got)
			}
			_, err = w.svc.UpdateUser(ctx, member, other.ID, vmt.UserPatch{OpenPGPKey: keyPtr(testKey(t, "Other", w.now.Add(-time.Hour), 0))})
			must(t, err)
			if got := who(member); got != "other@example.org" {
				t.Errorf("unassigned report, asking member has a key: %q", got)
			}
			_, err = w.svc.Assign(ctx, w.coord, rv.ID, w.coord.ID())
			must(t, err)
			if got := who(member); got != "other@example.org" {
				t.Errorf("coordinator without a key: %q, want the asking member", got)
			}
			_, err = w.svc.UpdateUser(ctx, w.coord, w.coord.ID(), vmt.UserPatch{OpenPGPKey: keyPtr(testKey(t, "Coord", w.now.Add(-time.Hour), 48*time.Hour))})
			must(t, err)
			if got := who(member); got != "coord@example.org" {
				t.Errorf("coordinator with a key: %q, want the coordinator", got)
			}
			w.now = w.now.Add(72 * time.Hour) // the coordinator's key has expired
			if got := who(member); got != "other@example.org" {
				t.Errorf("coordinator's key expired: %q, want the asking member", got)
			}
			if _, err := w.svc.CVERequester(ctx, w.outsider, rv.ID); vmt.ErrorCode(err) == "" {
				t.Error("the reporter was told who requests the CVE")
			}
		})
	}
}
