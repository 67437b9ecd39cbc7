package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// world is a service on a real store with a project, its VMT member, an
// administrator and an outsider.
type world struct {
	svc                    *app.Service
	admin, coord, outsider vmt.Actor
	project                *vmt.Project
	now                    time.Time
}

func newWorld(t *testing.T, engine string) *world {
	ctx := context.Background()
	w := &world{now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	w.svc = app.Must(app.New(app.Deps{
		Store:      sqldbtest.Open(t, engine),
		Hasher:     password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		Now:        func() time.Time { return w.now },
		Log:        slog.New(slog.DiscardHandler),
		Disclosure: vmt.DisclosureHooks{Keys: jobs.CheckKey, Planner: jobs.Plan},
	}))
	secret, err := w.svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: "admin@example.org",
		Project: vmt.Project{Name: "p", AdvisoryPrefix: "PSA", NotePrefix: "PSN", Branches: []string{"master"}}})
	must(t, err)
	w.admin, _ = w.svc.Authenticate(ctx, secret)
	mk := func(email string, role vmt.Role) vmt.Actor {
		u, err := w.svc.CreateUser(ctx, w.admin, vmt.UserInput{Email: email, Role: role, EmailProven: true})
		must(t, err)
		return vmt.Actor{User: u}
	}
	w.coord, w.outsider = mk("coord@example.org", vmt.RoleVMT), mk("distro@example.org", vmt.RoleReporter)
	w.project, err = w.svc.Project(ctx, w.admin, "p")
	must(t, err)
	must(t, w.svc.SetMember(ctx, w.admin, vmt.Member{ProjectID: w.project.ID, UserID: w.coord.ID(), Role: vmt.MemberVMT}))
	return w
}

// testKey makes an armored v4 EdDSA/Curve25519 public key made at made,
// expiring after life (0: never).
func testKey(t *testing.T, name string, made time.Time, life time.Duration) string {
	t.Helper()
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, Curve: packet.Curve25519, Time: func() time.Time { return made },
		KeyLifetimeSecs: uint32(life / time.Second)}
	e, err := openpgp.NewEntity(name, "", strings.ToLower(name)+"@example.org", cfg)
	must(t, err)
	var b bytes.Buffer
	aw, err := armor.Encode(&b, openpgp.PublicKeyType, nil)
	must(t, err)
	must(t, e.Serialize(aw))
	must(t, aw.Close())
	return b.String()
}

// The registry is the VMT's: administrators and project VMT members manage
// it, nobody else sees it; keys are checked on import and an expired one is
// refused naming the field; a key that expires later shows a warning.
func TestStakeholderRegistry(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			good := testKey(t, "Distro", w.now.Add(-time.Hour), 30*24*time.Hour)
			expired := testKey(t, "Old", w.now.Add(-48*time.Hour), 24*time.Hour)
			in := vmt.StakeholderInput{Organisation: "Distro", Contacts: []string{"sec@distro.example"}, PublicKey: good, Projects: []string{"p"}}

			refusals := []struct {
				name  string
				actor vmt.Actor
				in    vmt.StakeholderInput
				code  string
				field string
			}{
				{"anonymous", vmt.Anonymous, in, vmt.EUNAUTHENTICATED, ""},
				{"outsider", w.outsider, in, vmt.EFORBIDDEN, ""},
				{"expired key", w.coord, vmt.StakeholderInput{Organisation: "X", Contacts: []string{"a@x.example"}, PublicKey: expired}, vmt.EINVALID, "public_key"},
				{"garbage key", w.coord, vmt.StakeholderInput{Organisation: "X", Contacts: []string{"a@x.example"}, PublicKey: "hello"}, vmt.EINVALID, "public_key"},
				{"named contact", w.coord, vmt.StakeholderInput{Organisation: "X", Contacts: []string{"A <a@x.example>"}}, vmt.EINVALID, "contacts"},
				{"no contact", w.coord, vmt.StakeholderInput{Organisation: "X"}, vmt.EINVALID, "contacts"},
				{"unknown project", w.coord, vmt.StakeholderInput{Organisation: "X", Contacts: []string{"a@x.example"}, Projects: []string{"nope"}}, vmt.EINVALID, "projects"},
			}
			for _, tc := range refusals {
				_, err := w.svc.CreateStakeholder(ctx, tc.actor, tc.in)
				var e *vmt.Error
				if vmt.ErrorCode(err) != tc.code || tc.field != "" && (!asErr(err, &e) || e.Field != tc.field) {
					t.Errorf("%s: CreateStakeholder = %v, want %s on %q", tc.name, err, tc.code, tc.field)
				}
			}
			k, err := w.svc.CreateStakeholder(ctx, w.coord, in)
			must(t, err)
			if len(k.Fingerprint) != 40 || k.KeyExpires == nil || !k.KeyExpires.Equal(w.now.Add(-time.Hour).Add(30*24*time.Hour)) {
				t.Errorf("created %+v: want a 40-digit fingerprint and the key's expiry", k)
			}
			if _, err := w.svc.CreateStakeholder(ctx, w.admin, in); vmt.ErrorCode(err) != vmt.ECONFLICT {
				t.Errorf("the same organisation twice: %v, want conflict", err)
			}
			if _, err := w.svc.Stakeholders(ctx, w.outsider); vmt.ErrorCode(err) != vmt.EFORBIDDEN {
				t.Errorf("Stakeholders as an outsider: %v, want forbidden", err)
			}
			w.now = w.now.Add(40 * 24 * time.Hour) // the key has expired since
			list, err := w.svc.Stakeholders(ctx, w.admin)
			must(t, err)
			if len(list) != 1 || list[0].Organisation != "Distro" || !strings.Contains(list[0].KeyWarning, "expired") {
				t.Errorf("registry after the key expired: %+v, want one entry with an expiry warning", list)
			}
			events := auditActions(t, w.svc, w.admin)
			if !strings.Contains(events, "stakeholder.create") {
				t.Errorf("audit %s lacks stakeholder.create", events)
			}
		})
	}
}

// The application flow: anyone signed in asks with a rationale, sees their
// own requests only; the VMT accepts (the stakeholder is created) or
// declines, once.
func TestStakeholderRequests(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			in := vmt.StakeholderInput{Organisation: "Distro", Contacts: []string{"sec@distro.example"}, Rationale: "We ship p to millions."}
			if _, err := w.svc.RequestStakeholder(ctx, vmt.Anonymous, in); vmt.ErrorCode(err) != vmt.EUNAUTHENTICATED {
				t.Errorf("anonymous request: %v", err)
			}
			// The VMT judges an application by its sender's address: one
			// nobody proved is refused, and nothing is filed.
			unproven, err := w.svc.RegisterReporter(ctx, vmt.RegisterInput{Email: "sec@distro.example", Password: "a long password 1"})
			must(t, err)
			if _, err := w.svc.RequestStakeholder(ctx, unproven, in); vmt.ErrorCode(err) != vmt.EFORBIDDEN || vmt.ErrorField(err) != "email" {
				t.Errorf("request from an unproven address: %v", err)
			}
			noWhy := in
			noWhy.Rationale = " "
			if _, err := w.svc.RequestStakeholder(ctx, w.outsider, noWhy); vmt.ErrorCode(err) != vmt.EINVALID || !strings.Contains(err.Error(), "rationale") {
				t.Errorf("request without a rationale: %v", err)
			}
			r, err := w.svc.RequestStakeholder(ctx, w.outsider, in)
			must(t, err)
			other, err := w.svc.RequestStakeholder(ctx, w.coord, vmt.StakeholderInput{Organisation: "Cloud", Contacts: []string{"c@cloud.example"}, Rationale: "We host it."})
			must(t, err)

			mine, err := w.svc.StakeholderRequests(ctx, w.outsider)
			must(t, err)
			if len(mine) != 1 || mine[0].ID != r.ID {
				t.Errorf("the applicant's list: %+v, want their request only", mine)
			}
			if _, err := w.svc.StakeholderRequest(ctx, w.outsider, other.ID); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("someone else's request: %v, want not found", err)
			}
			all, err := w.svc.StakeholderRequests(ctx, w.coord)
			must(t, err)
			if len(all) != 2 {
				t.Errorf("the VMT's list has %d requests, want 2", len(all))
			}
			if _, err := w.svc.AcceptStakeholder(ctx, w.outsider, r.ID, vmt.DecideInput{}); vmt.ErrorCode(err) != vmt.EFORBIDDEN {
				t.Errorf("the applicant accepting: %v, want forbidden", err)
			}
			acc, err := w.svc.AcceptStakeholder(ctx, w.coord, r.ID, vmt.DecideInput{Note: "welcome"})
			must(t, err)
			if acc.State != vmt.RequestAccepted || acc.StakeholderID == 0 || acc.DecidedBy != w.coord.ID() {
				t.Errorf("accepted: %+v", acc)
			}
			k, err := w.svc.Stakeholder(ctx, w.coord, acc.StakeholderID)
			must(t, err)
			if k.Organisation != "Distro" || k.Contacts[0] != "sec@distro.example" {
				t.Errorf("stakeholder from the request: %+v", k)
			}
			if _, err := w.svc.DeclineStakeholder(ctx, w.coord, r.ID, vmt.DecideInput{}); vmt.ErrorCode(err) != vmt.ECONFLICT {
				t.Errorf("deciding twice: %v, want conflict", err)
			}
			dec, err := w.svc.DeclineStakeholder(ctx, w.admin, other.ID, vmt.DecideInput{Note: "not downstream"})
			must(t, err)
			if dec.State != vmt.RequestDeclined || dec.Note != "not downstream" || dec.StakeholderID != 0 {
				t.Errorf("declined: %+v", dec)
			}
			own, err := w.svc.StakeholderRequest(ctx, w.outsider, r.ID)
			must(t, err)
			if own.State != vmt.RequestAccepted {
				t.Errorf("the applicant sees %q, want accepted", own.State)
			}
			events := auditActions(t, w.svc, w.admin)
			for _, a := range []string{"stakeholder_request.create", "stakeholder_request.accepted", "stakeholder_request.declined", "stakeholder.create"} {
				if !strings.Contains(events, a) {
					t.Errorf("audit %s lacks %s", events, a)
				}
			}
		})
	}
}

func asErr(err error, e **vmt.Error) bool {
	x, ok := err.(*vmt.Error)
	*e = x
	return ok
}

// auditActions lists the actions of the audit log, space separated.
func auditActions(t *testing.T, svc *app.Service, admin vmt.Actor) string {
	t.Helper()
	var b strings.Builder
	for e, err := range svc.Deps().Store.AuditLog(context.Background()) {
		must(t, err)
		b.WriteString(e.Action + " ")
	}
	return b.String()
}
