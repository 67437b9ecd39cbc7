package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
)

// demoUser is one account of the demo, with the part it plays.
type demoUser struct {
	email, name string
	role        vmt.Role
	member      vmt.MemberRole // "" for none
	actor       vmt.Actor
	password    string
}

// demo is the cast and the script of `vmt serve --demo`.
type demo struct {
	svc   *app.Service
	ctx   context.Context
	admin vmt.Actor
	users map[string]*demoUser
}

var demoCast = []*demoUser{
	{email: "alice@example.org", name: "Alice (VMT coordinator)", role: vmt.RoleVMT, member: vmt.MemberVMT},
	{email: "victor@example.org", name: "Victor (VMT coordinator)", role: vmt.RoleVMT, member: vmt.MemberVMT},
	{email: "rita@example.org", name: "Rita (core security reviewer)", role: vmt.RoleReviewer, member: vmt.MemberReviewer},
	{email: "carl@example.org", name: "Carl (architecture committee)", role: vmt.RoleCommittee, member: vmt.MemberCommittee},
	{email: "rose@example.org", name: "Rose (reporter)", role: vmt.RoleReporter},
	{email: "sam@example.org", name: "Sam (reporter)", role: vmt.RoleReporter},
	{email: "dana@example.org", name: "Dana (downstream stakeholder)", role: vmt.RoleStakeholder},
}

// seedDemo fills an empty store with a demo project: users of every role,
// reports in every status and a published security note, comments and
// subscriptions, all made through the service as its users would. It
// refuses a store that holds anything, so that it never mixes with real
// data. It prints the sign-in of every user.
func seedDemo(ctx context.Context, w io.Writer, svc *app.Service, adminEmail string) error {
	var n int
	if err := svc.Deps().Store.View(ctx, func(tx vmt.Tx) (err error) { n, err = tx.CountUsers(); return err }); err != nil {
		return err
	}
	if n > 0 {
		return usagef("--demo seeds only an empty store, and this one has %d users; give a fresh --data directory", n)
	}
	adminPW := demoPassword()
	token, err := svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: adminEmail, AdminPassword: adminPW,
		Project: vmt.Project{Name: "kata-containers", AdvisoryPrefix: "KCSA", NotePrefix: "KCSN", Branches: []string{"main", "stable-3.2"}}})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	d := &demo{svc: svc, ctx: ctx, users: map[string]*demoUser{}}
	if d.admin, err = svc.Login(ctx, adminEmail, adminPW); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := d.cast(); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := d.reports(); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := d.fixes(); err != nil { // demo_fixes.go
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintf(w, "vmt: demo: seeded the project kata-containers with reports in every status and a published security note.\n")
	fmt.Fprintf(w, "vmt: demo: sign in on the web pages with any of these (passwords made for this run):\n\n")
	fmt.Fprintf(w, "    %-24s %-20s %s\n", adminEmail, adminPW, "administrator")
	for _, u := range demoCast {
		fmt.Fprintf(w, "    %-24s %-20s %s\n", u.email, u.password, u.name)
	}
	fmt.Fprintf(w, "\nvmt: demo: the administrator's API token: %s\n", token)
	return nil
}

// demoPassword returns a fresh password of 16 letters and digits.
func demoPassword() string {
	return rand.Text()[:16]
}

func (d *demo) cast() error {
	p, err := d.svc.Project(d.ctx, d.admin, "kata-containers")
	if err != nil {
		return err
	}
	for _, u := range demoCast {
		u.password = demoPassword()
		nu, err := d.svc.CreateUser(d.ctx, d.admin, vmt.UserInput{Email: u.email, Name: u.name, Role: u.role, Password: u.password})
		if err != nil {
			return err
		}
		u.actor = vmt.Actor{User: nu}
		d.users[u.email[:len(u.email)-len("@example.org")]] = u
		if u.member != "" {
			if err := d.svc.SetMember(d.ctx, d.admin, vmt.Member{ProjectID: p.ID, UserID: nu.ID, Role: u.member}); err != nil {
				return err
			}
		}
	}
	return nil
}

// as returns the actor of the demo user named by the local part of their
// email.
func (d *demo) as(name string) vmt.Actor { return d.users[name].actor }

// step is one thing a demo user does to a report.
type step func(id int64) error

func (d *demo) reports() error {
	script := []struct {
		by, title, body string
		steps           []step
	}{
		{"rose", "Agent API accepts exec requests from any container", "The agent's ttRPC endpoint accepts `ExecProcess` from a second container in the same pod.\n\n1. Start a pod with two containers.\n2. From the second, call the agent's exec endpoint.\n3. A shell runs in the first container.", nil},
		{"sam", "Possible crash of the shim on a malformed OCI spec", "The shim crashed once when I passed an odd spec. I could not reproduce it since.",
			[]step{d.move("alice", vmt.StatusIncomplete, "")}},
		{"rose", "Guest can read host files through virtio-fs", "With `shared_fs = virtio-fs`, a symlink in the shared directory is followed on the host side.",
			[]step{d.classify("alice", "A"), d.assign("alice", "alice"), d.move("alice", vmt.StatusConfirmed, ""),
				d.comment("rita", "Reproduced on main and stable-3.2. Working on a patch.")}},
		{"rose", "Runtime passes host devices to untrusted pods", "Devices listed in an annotation are passed through without the allow-list check.",
			[]step{d.classify("victor", "A"), d.assign("victor", "victor"), d.move("victor", vmt.StatusConfirmed, ""),
				d.impact("victor", "A malicious pod can ask for a host device by annotation and get it, gaining access to the host."),
				d.comment("carl", "The impact description reads right to the committee."),
				d.approveImpact("carl"), d.approveImpact("rose")}},
		{"sam", "Agent leaks the sandbox's environment in its logs", "Secrets passed as environment variables appear in the agent's debug log, which the host can collect.",
			[]step{d.classify("alice", "A"), d.assign("alice", "alice"), d.move("alice", vmt.StatusConfirmed, ""),
				d.impact("alice", "The agent logs environment variables, secrets included, at debug level."),
				d.approveImpact("sam"), d.approveImpact("carl"), d.cveRequest("alice"),
				d.comment("alice", "CVE requested; waiting for the assignment.")}},
		{"rose", "Denial of service of the shim through a flood of events", "Sending many OOM events makes the shim use all its memory.",
			[]step{d.classify("victor", "A"), d.assign("victor", "victor"), d.move("victor", vmt.StatusConfirmed, ""), d.facts("victor", []string{"shim"}, "<3.2.1"),
				d.impact("victor", "A container can make the shim exhaust memory, stopping every container of the pod."),
				d.approveImpact("rose"), d.approveImpact("carl"), d.cves("victor", "CVE-2026-41234"), d.move("victor", vmt.StatusInProgress, ""),
				d.publicize("victor", "the issue was discussed on a public mailing list"), d.move("victor", vmt.StatusFixCommitted, ""),
				d.subscribe("victor", "dana"),
				d.advisoryFromReport("victor", "A flood of events exhausts the shim's memory", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:N/I:N/A:H")}},
		{"sam", "Insecure default: debug console enabled in the sample configuration", "The sample configuration turns the debug console on.",
			[]step{d.classify("alice", "B1"), d.move("alice", vmt.StatusOpinion, ""),
				d.comment("rita", "A security note for the stable branches seems right.")}},
		{"rose", "Debug console reachable from the guest in the sample configuration", "The sample configuration enables the debug console, which any guest process can reach.",
			[]step{d.classify("victor", "B1"), d.assign("victor", "victor"), d.move("victor", vmt.StatusOpinion, ""),
				// Publishing the note closes the report as Fix released.
				d.publishNote("victor", "Debug console enabled by the sample configuration", "The sample configuration shipped with the stable branches turns the debug console on; a process in the guest can reach it.")}},
		{"rose", "Kernel parameters are not validated strictly", "Odd kernel parameters are accepted; I found no way to exploit it.",
			[]step{d.classify("victor", "D"), d.move("victor", vmt.StatusWontFix, "")}},
		{"sam", "Container can see its own cgroup limits", "From inside a container I can read my memory limit.",
			[]step{d.classify("alice", "E"), d.move("alice", vmt.StatusInvalid, "")}},
	}
	for _, s := range script {
		r, err := d.svc.CreateReport(d.ctx, d.as(s.by), vmt.ReportInput{Title: s.title, Description: s.body})
		if err != nil {
			return err
		}
		for _, st := range s.steps {
			if err := st(r.ID); err != nil {
				return fmt.Errorf("report %q: %w", s.title, err)
			}
		}
	}
	return nil
}
