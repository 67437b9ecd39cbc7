package http_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/render"
)

// caseWalk is a report walked through the process by the service, as its
// people would on the pages: the people and the report.
type caseWalk struct {
	e                      *env
	coord, rep, com, stake vmt.Actor
	id                     int64
	path                   string
	coordB, repB, stakeB   *browser
	coordEmail, stakeEmail string
	repEmail               string
}

// newCaseWalk files a private report and makes its people: a coordinator
// of the project's VMT, the reporter, a member of the architecture
// committee, and a downstream stakeholder with an account; two
// stakeholders are in the registry. The notice renders as the server's.
func newCaseWalk(t *testing.T, engine string) *caseWalk {
	t.Helper()
	e := newEnv(t, engine)
	set, err := render.NewSet(nil)
	noErr(t, err)
	e.setDeps(func(d *app.Deps) {
		d.Disclosure = vmt.DisclosureHooks{Keys: jobs.CheckKey, Planner: jobs.Plan,
			Notice: jobs.Site{BaseURL: "https://vmt.example.org", Team: "Kata Containers VMT"}.Notice(set)}
	})
	ctx := context.Background()
	w := &caseWalk{e: e, coordEmail: "coord@example.org", repEmail: "finder@example.org", stakeEmail: "sec@distro.example"}
	w.coord, _ = e.user(w.coordEmail, vmt.RoleVMT)
	w.rep, _ = e.user(w.repEmail, vmt.RoleReporter)
	w.com, _ = e.user("arch@example.org", vmt.RoleCommittee)
	w.stake, _ = e.user(w.stakeEmail, vmt.RoleStakeholder)
	for _, a := range []vmt.Actor{w.coord, w.rep, w.stake} {
		e.withPassword(a)
	}
	noErr(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: w.coord.ID(), Role: vmt.MemberVMT}))
	for _, k := range []vmt.StakeholderInput{{Organisation: "Distro", Contacts: []string{w.stakeEmail}}, {Organisation: "Cloud", Contacts: []string{"psirt@cloud.example"}}} {
		_, err := e.svc.CreateStakeholder(ctx, w.coord, k)
		noErr(t, err)
	}
	v, err := e.svc.CreateReport(ctx, w.rep, vmt.ReportInput{Project: "kata-containers", Title: "Guest reads host files through virtio-fs",
		Description: "A guest can open files on the host through a crafted virtio-fs request.\n\n1. Boot a guest.\n2. Send the request.",
		Components:  []string{"runtime", "agent"}, AffectedVersions: "<3.2.1", Credit: "Finder (Acme)"})
	noErr(t, err)
	w.id, w.path = v.ID, "/reports/"+itoa(v.ID)
	w.coordB, w.repB, w.stakeB = e.browser(), e.browser(), e.browser()
	w.coordB.login(w.coordEmail)
	w.repB.login(w.repEmail)
	w.stakeB.login(w.stakeEmail)
	return w
}

// step runs the service calls of one step of the walk.
func (w *caseWalk) step(t *testing.T, what string, fns ...func(ctx context.Context) error) {
	t.Helper()
	for _, fn := range fns {
		if err := fn(context.Background()); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
}

// toConfirmed, toTriaged, toInProgress and toFixCommitted walk the case
// one step each, as VMT.md orders them.
func (w *caseWalk) toConfirmed(t *testing.T) {
	s, c := w.e.svc, w.coord
	w.step(t, "confirm",
		func(ctx context.Context) error { _, err := s.Assign(ctx, c, w.id, c.ID()); return err },
		func(ctx context.Context) error { _, err := s.Classify(ctx, c, w.id, "A"); return err },
		func(ctx context.Context) error {
			_, err := s.AddComment(ctx, c, w.id, "Reproduced on 3.2.0: the request reaches **outside** the shared directory.")
			return err
		},
		func(ctx context.Context) error {
			_, err := s.Transition(ctx, c, w.id, vmt.TransitionInput{To: vmt.StatusConfirmed})
			return err
		})
}

func (w *caseWalk) toTriaged(t *testing.T) {
	s, c := w.e.svc, w.coord
	w.step(t, "the impact description, approved",
		func(ctx context.Context) error { _, err := s.Subscribe(ctx, c, w.id, w.com.ID()); return err },
		func(ctx context.Context) error { _, err := s.DraftImpact(ctx, c, w.id, false); return err },
		func(ctx context.Context) error {
			_, err := s.AddComment(ctx, w.rep, w.id, "The description reads right to me.")
			return err
		},
		func(ctx context.Context) error { _, err := s.ApproveImpact(ctx, w.rep, w.id); return err },
		func(ctx context.Context) error { _, err := s.ApproveImpact(ctx, w.com, w.id); return err })
}

func (w *caseWalk) toInProgress(t *testing.T) {
	s, c := w.e.svc, w.coord
	w.step(t, "the CVE request",
		func(ctx context.Context) error { _, err := s.RecordCVERequest(ctx, c, w.id); return err },
		func(ctx context.Context) error {
			cves := []string{"CVE-2026-41001"}
			_, err := s.UpdateReport(ctx, c, w.id, vmt.ReportPatch{CVEs: &cves})
			return err
		})
}

func (w *caseWalk) toFixCommitted(t *testing.T) {
	s, c := w.e.svc, w.coord
	w.step(t, "the waiver, the advisory made final and the notice",
		func(ctx context.Context) error {
			_, err := s.WaiveFix(ctx, c, w.id, vmt.WaiverInput{Reason: "the fix ships with the advisory"})
			return err
		},
		func(ctx context.Context) error {
			ds, err := s.ReportAdvisories(ctx, c, w.id)
			if err != nil || len(ds) == 0 {
				return err
			}
			_, err = s.EmbargoAdvisory(ctx, c, ds[0].RecordID)
			return err
		},
		func(ctx context.Context) error { _, err := s.SendNotice(ctx, c, w.id); return err },
		// One of the two mails is delivered, the other still waits.
		func(ctx context.Context) error {
			items, err := s.ClaimDeliveries(ctx, 50, time.Minute)
			if err != nil {
				return err
			}
			for _, o := range items {
				if o.Kind == vmt.KindNotice && strings.Contains(string(o.Payload), "Distro") {
					return s.Delivered(ctx, o)
				}
			}
			return nil
		},
		func(ctx context.Context) error {
			_, err := s.GrantStakeholder(ctx, c, w.id, vmt.GrantInput{UserID: w.stake.ID()})
			return err
		},
	)
}

// TestUIReportPageByStep: the report's page offers the coordinator only
// what the step the report stands in needs (no incomplete-reception
// message past the reception, no CVE request before Triaged or after
// it was recorded, no notice form once the notice is sent), its stepper
// says which step is current and whom it waits on, the impact
// description shows once, and the timeline tells the history in words,
// with each notice recipient's delivery state, and no raw JSON.
func TestUIReportPageByStep(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		w := newCaseWalk(t, engine)
		type want struct {
			current, waitsOn string
			present, absent  []string
		}
		check := func(name string, wt want) *page {
			t.Helper()
			p := w.coordB.get(w.path)
			checkLabels(t, "report page at "+name, p)
			if got, _ := p.doc.Find(`#stepper li[aria-current="step"]`).Attr("data-step"); got != wt.current {
				t.Errorf("%s: current step %q, want %q", name, got, wt.current)
			}
			if got, _ := p.doc.Find("#waits-on").Attr("data-waits-on"); got != wt.waitsOn {
				t.Errorf("%s: waits on %q, want %q (%s)", name, got, wt.waitsOn, p.doc.Find("#waits-on").Text())
			}
			for _, sel := range wt.present {
				if p.doc.Find(sel).Length() == 0 {
					t.Errorf("%s: the page lacks %s", name, sel)
				}
			}
			for _, sel := range wt.absent {
				if p.doc.Find(sel).Length() != 0 {
					t.Errorf("%s: the page still offers %s", name, sel)
				}
			}
			if n := p.doc.Find("#impact").Length(); n > 1 {
				t.Errorf("%s: the impact description is shown %d times", name, n)
			}
			return p
		}
		const (
			incomplete = `form[action$="/incomplete-message"]`
			classify   = `form[action$="/classify"]`
			cveRequest = `form[action$="/cve-request"]`
			cveIDs     = `form[action$="/cves"]`
			impactForm = `form[action$="/impact"]`
			notice     = `form[action$="/notice"]`
			grant      = `form[action$="/grants"]`
		)
		check("New", want{current: "reception", waitsOn: "the VMT",
			present: []string{incomplete, classify, `input[name="to"][value="confirmed"]`},
			absent:  []string{cveRequest, cveIDs, impactForm, notice, grant, "#impact-section"}})
		w.toConfirmed(t)
		check("Confirmed", want{current: "impact", waitsOn: "the coordinator",
			present: []string{impactForm, "#draft-impact", classify},
			absent:  []string{incomplete, cveRequest, cveIDs, notice, grant}})
		w.toTriaged(t)
		check("Triaged", want{current: "cve", waitsOn: "the coordinator",
			present: []string{cveRequest, cveIDs},
			absent:  []string{incomplete, classify, notice, grant, `input[name="to"][value="incomplete"]`}})
		w.toInProgress(t)
		check("In Progress", want{current: "notice", waitsOn: "the coordinator",
			present: []string{notice, cveIDs},
			absent:  []string{incomplete, classify, cveRequest, grant}})
		w.toFixCommitted(t)
		p := check("Fix committed", want{current: "disclosure", waitsOn: "the disclosure date",
			present: []string{grant, cveIDs, "#countdown", `input[name="to"][value="fix_released"]`},
			absent:  []string{incomplete, classify, cveRequest, notice, impactForm, "#draft-impact", "#hardening", "#move-class"}})
		if got := p.doc.Find("#countdown").Text(); !strings.Contains(got, "Disclosure in ") || !strings.Contains(got, "UTC") {
			t.Errorf("the countdown: %q", got)
		}
		if got := p.doc.Find("#embargo-state").Text(); got != "under embargo, stakeholders notified" {
			t.Errorf("embargo state %q", got)
		}
		tl := p.doc.Find("#events")
		text := strings.Join(strings.Fields(tl.Text()), " ")
		for _, words := range []string{
			"filed the report", "classified the report as class A", "moved the report from New to Confirmed",
			"drafted the impact description from the template", "approved the impact description as the reporter",
			"approved the impact description for the architecture committee", "moved the report from Confirmed to Triaged",
			"recorded that a CVE was requested; the report moved from Triaged to In Progress", "changed the CVE ids",
			"waived the approved fixes for the whole report", "sent the embargoed notice; disclosure on", "the report moved from In Progress to Fix committed",
			"Reproduced on 3.2.0", "The description reads right to me.",
			"Distro <sec@distro.example>: delivered", "Cloud <psirt@cloud.example>: not sent yet",
		} {
			if !strings.Contains(text, words) {
				t.Errorf("the timeline lacks %q:\n%s", words, text)
			}
		}
		for _, raw := range []string{`\u003e`, `{"`, `":`, "report.transition", "user_id"} {
			if strings.Contains(text, raw) {
				t.Errorf("the timeline shows raw %q:\n%s", raw, text)
			}
		}
		if tl.Find(`li[data-kind="comment"] strong`).Text() != "outside" {
			t.Errorf("comments are not rendered in the timeline")
		}
		// The reporter reads the notice's recipients, without the
		// registry's addresses, and no audit; the stakeholder the
		// comments and the stepper, and no coordinator's action.
		rp := w.repB.get(w.path)
		rtext := strings.Join(strings.Fields(rp.doc.Find("#events").Text()), " ")
		if !strings.Contains(rtext, "the embargoed notice was mailed") || !strings.Contains(rtext, "the report entered Fix committed") || !strings.Contains(rtext, "Distro: delivered") ||
			strings.Contains(rtext, "sec@distro.example") || rp.doc.Find("#audit, #actions").Length() != 0 {
			t.Errorf("the reporter's timeline: %s", rtext)
		}
		sp := w.stakeB.get(w.path)
		if sp.status != 200 || sp.doc.Find("#actions, #audit, form[action$=\"/transition\"]").Length() != 0 ||
			sp.doc.Find(`#stepper li[aria-current="step"]`).AttrOr("data-step", "") != "disclosure" {
			t.Errorf("the stakeholder's page: %d %s", sp.status, sp.doc.Find("#stepper").Text())
		}
		checkLabels(t, "report page (stakeholder)", sp)
	})
}

// TestUITimelinePaged: the timeline shows the latest events of a long
// history, says how many there are and links to all of them.
func TestUITimelinePaged(t *testing.T) {
	w := newCaseWalk(t, "sqlite")
	ctx := context.Background()
	for i := range 60 {
		class := "A"
		if i%2 == 1 {
			class = "B1"
		}
		if _, err := w.e.svc.Classify(ctx, w.coord, w.id, class); err != nil {
			t.Fatal(err)
		}
	}
	p := w.coordB.get(w.path)
	if n := p.doc.Find("#events li.event").Length(); n != 50 {
		t.Errorf("the timeline shows %d events, want the latest 50", n)
	}
	if got := p.doc.Find("#audit").Text(); !strings.Contains(got, "the latest 50 of 61 events") || p.doc.Find(`#audit a[href$="?audit=all#timeline"]`).Length() != 1 {
		t.Errorf("the timeline does not say it is the latest: %q", got)
	}
	if got := p.doc.Find("#events li.event").Last().Text(); !strings.Contains(got, "classified the report as class B1") {
		t.Errorf("the last event shown: %q", got)
	}
	all := w.coordB.get(w.path + "?audit=all")
	if n := all.doc.Find("#events li.event").Length(); n != 61 {
		t.Errorf("all of the timeline: %d events, want 61", n)
	}
}

// TestUITimelineCommentsPaged: a long discussion costs the page no more
// than a short one. The coordinator reads the comments of the latest
// events (each comment is one), the reporter, who does not read the
// audit log, the latest comments, told how many there are; all are one
// link away.
func TestUITimelineCommentsPaged(t *testing.T) {
	w := newCaseWalk(t, "sqlite")
	ctx := context.Background()
	for i := range 70 {
		if _, err := w.e.svc.AddComment(ctx, w.coord, w.id, fmt.Sprintf("note %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	comments := func(p *page) int { return p.doc.Find(`#events li.event[data-kind="comment"]`).Length() }
	cp := w.coordB.get(w.path)
	if n := comments(cp); n != 50 {
		t.Errorf("the coordinator's timeline shows %d comments, want the 50 among the latest events", n)
	}
	if got := cp.doc.Find("#events li.event").Last().Text(); !strings.Contains(got, "note 69") {
		t.Errorf("the last entry shown: %q", got)
	}
	rp := w.repB.get(w.path)
	if n := comments(rp); n != 50 {
		t.Errorf("the reporter's timeline shows %d comments, want the latest 50", n)
	}
	if got := rp.doc.Find("#comments-paged").Text(); !strings.Contains(got, "The latest 50 of 70 comments") {
		t.Errorf("the reporter is not told the comments are the latest: %q", got)
	}
	for who, b := range map[string]*browser{"coordinator": w.coordB, "reporter": w.repB} {
		if n := comments(b.get(w.path + "?audit=all")); n != 70 {
			t.Errorf("all of the %s's timeline: %d comments, want 70", who, n)
		}
	}
}
