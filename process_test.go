package vmt

import (
	"strings"
	"testing"
	"time"
)

// ProcessOf: the steps done, current and next for each status, on the
// advisory, the note and the closed paths, and whom the case waits on as
// the inbox says it.
func TestProcessOf(t *testing.T) {
	states := func(p Process) string {
		var b strings.Builder
		for _, s := range p.Steps {
			b.WriteString(s.Key + ":" + string(s.State)[:1] + " ")
		}
		return strings.TrimSpace(b.String())
	}
	for _, c := range []struct {
		r             Report
		f             InboxFacts
		steps         string
		due, waitsOn  string
		currentStepOf string
	}{
		{r: Report{Status: StatusNew}, steps: "reception:c impact:n cve:l notice:l disclosure:l released:l",
			due: "triage the report", waitsOn: "the VMT", currentStepOf: "reception"},
		{r: Report{Status: StatusConfirmed, CoordinatorID: 3, ImpactDescription: "x"}, f: InboxFacts{ReporterApproved: true},
			steps: "reception:d impact:c cve:n notice:l disclosure:l released:l", due: "approval of the impact description", waitsOn: "the committee"},
		{r: Report{Status: StatusInProgress, CoordinatorID: 3, Visibility: Private}, f: InboxFacts{PendingReview: []string{"main"}},
			steps: "reception:d impact:d cve:d notice:c disclosure:n released:l", due: "review of the fix for main", waitsOn: "the reviewers"},
		{r: Report{Status: StatusInProgress, CoordinatorID: 3, Visibility: Private},
			steps: "reception:d impact:d cve:d notice:c disclosure:n released:l", due: "send the notice", waitsOn: "the coordinator"},
		{r: Report{Status: StatusFixCommitted, CoordinatorID: 3, Visibility: Private},
			steps: "reception:d impact:d cve:d notice:d disclosure:c released:n", due: "the disclosure", waitsOn: "the disclosure date", currentStepOf: "disclosure"},
		{r: Report{Status: StatusFixReleased, Class: "A"}, steps: "reception:d impact:d cve:d notice:d disclosure:d released:d"},
		{r: Report{Status: StatusOpinion, Class: "B1"}, steps: "reception:d note:c released:n", due: "decide on a security note", waitsOn: "the reviewers"},
		{r: Report{Status: StatusFixReleased, Class: "B2"}, steps: "reception:d note:d released:d"},
		{r: Report{Status: StatusInvalid, Class: "E"}, steps: "reception:d closed:d"},
		{r: Report{Status: StatusNew, DuplicateOf: 4}, steps: "reception:c impact:n cve:l notice:l disclosure:l released:l"},
	} {
		f := c.f
		r := c.r
		f.Report = &r
		p := ProcessOf(f)
		if got := states(p); got != c.steps {
			t.Errorf("%s: steps %s, want %s", r.Status, got, c.steps)
		}
		if p.Due != c.due || p.WaitsOn != c.waitsOn {
			t.Errorf("%s: due %q on %q, want %q on %q", r.Status, p.Due, p.WaitsOn, c.due, c.waitsOn)
		}
		if c.currentStepOf != "" && p.Current().Key != c.currentStepOf {
			t.Errorf("%s: current step %q", r.Status, p.Current().Key)
		}
	}
}

// TaskApplies: the page's stale actions are gone at each step; the
// incomplete message belongs to the reception only, the CVE request to
// Triaged, the notice to In Progress while private.
func TestTaskApplies(t *testing.T) {
	now := time.Now()
	for _, c := range []struct {
		r    Report
		want []Task
	}{
		{Report{Status: StatusNew, Visibility: Private}, []Task{TaskClassify, TaskAssign, TaskSubscribe, TaskIncomplete, TaskPublicize, TaskRaise, TaskRequestedDay}},
		{Report{Status: StatusConfirmed, Visibility: Private}, []Task{TaskClassify, TaskAssign, TaskSubscribe, TaskImpact, TaskPublicize, TaskRaise, TaskRequestedDay}},
		{Report{Status: StatusTriaged, Visibility: Private}, []Task{TaskAssign, TaskSubscribe, TaskImpact, TaskCVERequest, TaskCVEIDs, TaskPublicize, TaskRaise, TaskRequestedDay}},
		{Report{Status: StatusInProgress, Visibility: Private, CVERequestedAt: &now}, []Task{TaskAssign, TaskSubscribe, TaskImpact, TaskCVEIDs, TaskPublicize, TaskRaise, TaskNotice, TaskRequestedDay}},
		{Report{Status: StatusFixCommitted, Visibility: Private, NoticeSentAt: &now}, []Task{TaskAssign, TaskSubscribe, TaskCVEIDs, TaskPublicize, TaskRaise, TaskGrant}},
		{Report{Status: StatusFixCommitted, Visibility: Public}, []Task{TaskAssign, TaskSubscribe, TaskCVEIDs}},
		{Report{Status: StatusWontFix, Visibility: Public}, []Task{TaskClassify}},
	} {
		all := []Task{TaskClassify, TaskAssign, TaskSubscribe, TaskIncomplete, TaskImpact, TaskCVERequest, TaskCVEIDs, TaskPublicize, TaskRaise, TaskNotice, TaskGrant, TaskRequestedDay}
		for _, task := range all {
			want := false
			for _, w := range c.want {
				want = want || w == task
			}
			if got := TaskApplies(&c.r, task); got != want {
				t.Errorf("%s (%s): %s applies = %v, want %v", c.r.Status, c.r.Visibility, task, got, want)
			}
		}
	}
}
