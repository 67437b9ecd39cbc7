package app_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestPasswordChange checks who may change a password and what they must
// give: users their own, with the current one; administrators anyone's.
func TestPasswordChange(t *testing.T) {
	ctx := context.Background()
	svc := app.Must(app.New(app.Deps{
		Store:  sqldbtest.Open(t, "sqlite"),
		Hasher: password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		Now:    time.Now,
		Log:    slog.New(slog.DiscardHandler),
	}))
	secret, err := svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: "admin@example.org",
		Project: vmt.Project{Name: "p", AdvisoryPrefix: "PSA", NotePrefix: "PSN", Branches: []string{"main"}}})
	if err != nil {
		t.Fatal(err)
	}
	admin, _ := svc.Authenticate(ctx, secret)
	u, err := svc.CreateUser(ctx, admin, vmt.UserInput{Email: "r@example.org", Role: vmt.RoleReporter, Password: "first password 1"})
	if err != nil {
		t.Fatal(err)
	}
	self := vmt.Actor{User: u}
	p := func(s string) *string { return &s }
	tests := []struct {
		name        string
		actor       vmt.Actor
		pw, current *string
		code, field string
	}{
		{"self without current", self, p("second password 2"), nil, vmt.EINVALID, "current_password"},
		{"self with a wrong current", self, p("second password 2"), p("not it at all"), vmt.EINVALID, "current_password"},
		{"self, too short", self, p("short"), p("first password 1"), vmt.EINVALID, "password"},
		{"self with the current", self, p("second password 2"), p("first password 1"), "", ""},
		{"admin needs no current", admin, p("third password 3"), nil, "", ""},
	}
	for _, tt := range tests {
		_, err := svc.UpdateUser(ctx, tt.actor, u.ID, vmt.UserPatch{Password: tt.pw, CurrentPassword: tt.current})
		if vmt.ErrorCode(err) != tt.code || vmt.ErrorField(err) != tt.field {
			t.Errorf("%s: %v; want code %q field %q", tt.name, err, tt.code, tt.field)
		}
	}
	if _, err := svc.Login(ctx, "r@example.org", "third password 3"); err != nil {
		t.Errorf("login with the password the administrator set: %v", err)
	}
	if _, err := svc.Login(ctx, "r@example.org", "second password 2"); vmt.ErrorCode(err) != vmt.EUNAUTHENTICATED {
		t.Errorf("login with a replaced password: %v", err)
	}
}
