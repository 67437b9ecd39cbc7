package vmt

// Where a report stands in VMT.md's process, for its page (issue 14): the
// steps done, the one under way and those to come, what is due and whom it
// waits on (coordinatorStep, the inbox's one rule of whose step it is), and
// which of the coordinator's tasks the step has a use for.

// StepState is where a step of the process stands for one report.
type StepState string

// The states of a step.
const (
	StepDone    StepState = "done"
	StepCurrent StepState = "current"
	StepNext    StepState = "next"  // the step after the current one
	StepLater   StepState = "later" // further on
)

// ProcessStep is one step of VMT.md's process.
type ProcessStep struct {
	Key   string    `json:"key"`
	Name  string    `json:"name"`
	What  string    `json:"what"` // what the step is, in a line
	State StepState `json:"state"`
}

// Process is where a report stands: its steps in order, what is due in
// the current one and whom it waits on (the coordinator, the reporter and
// the committee, the reviewers, the disclosure date…); Due is empty on a
// closed report.
type Process struct {
	Steps   []ProcessStep `json:"steps"`
	Due     string        `json:"due,omitempty"`
	WaitsOn string        `json:"waits_on,omitempty"`
}

// Current returns the step under way (the last one on a closed report).
func (p Process) Current() ProcessStep {
	for _, s := range p.Steps {
		if s.State == StepCurrent {
			return s
		}
	}
	return ProcessStep{}
}

// The steps of an advisory (VMT.md, "Process"), each with the statuses
// that stand in it.
var advisorySteps = []struct {
	step     ProcessStep
	statuses []Status
}{
	{ProcessStep{Key: "reception", Name: "Reception", What: "confirm the report and classify it"}, []Status{StatusNew, StatusIncomplete}},
	{ProcessStep{Key: "impact", Name: "Impact description", What: "drafted by the coordinator, approved by the reporter and the architecture committee"}, []Status{StatusConfirmed}},
	{ProcessStep{Key: "cve", Name: "CVE request", What: "the approved description goes to the CNA"}, []Status{StatusTriaged}},
	{ProcessStep{Key: "notice", Name: "Patches and notice", What: "fixes reviewed, CVE assigned, the embargoed notice sent"}, []Status{StatusInProgress}},
	{ProcessStep{Key: "disclosure", Name: "Disclosure", What: "at the disclosure hour the patches are pushed and the advisory published"}, []Status{StatusFixCommitted}},
	{ProcessStep{Key: "released", Name: "All patches merged", What: "every supported branch has its fix: Fix released"}, []Status{StatusFixReleased}},
}

// ProcessOf returns where f's report stands. The steps are those of an
// advisory, of a security note (Opinion, and a note class released) or of
// a report closed without a document (Won't Fix, Invalid).
func ProcessOf(f InboxFacts) Process {
	r := f.Report
	var steps []ProcessStep
	current := -1
	switch {
	case r.Status == StatusOpinion || r.Status == StatusFixReleased && r.Class.Outcome() == OutcomeNote:
		steps = []ProcessStep{advisorySteps[0].step,
			{Key: "note", Name: "Security note decision", What: "the core reviewers decide whether a security note (KCSN) is warranted"},
			{Key: "released", Name: "Note published", What: "the security note is published: Fix released"}}
		current = 1
		if r.Status == StatusFixReleased {
			current = 2
		}
	case r.Status == StatusWontFix || r.Status == StatusInvalid:
		steps = []ProcessStep{advisorySteps[0].step,
			{Key: "closed", Name: r.Status.Label(), What: "closed without a document, and public"}}
		current = 1
	default:
		for i, s := range advisorySteps {
			steps = append(steps, s.step)
			for _, st := range s.statuses {
				if st == r.Status {
					current = i
				}
			}
		}
	}
	for i := range steps {
		switch {
		case i < current || i == current && r.Status.Closed():
			steps[i].State = StepDone
		case i == current:
			steps[i].State = StepCurrent
		case i == current+1:
			steps[i].State = StepNext
		default:
			steps[i].State = StepLater
		}
	}
	p := Process{Steps: steps}
	if !r.Status.Closed() && r.DuplicateOf == 0 {
		due, on := coordinatorStep(f)
		p.Due, p.WaitsOn = due, whoTakes(r, on)
	}
	return p
}

// whoTakes names the taker of a step coordinatorStep gives to "you": the
// report's coordinator or, without one, the VMT.
func whoTakes(r *Report, on string) string {
	if on != "you" {
		return on
	}
	if r.CoordinatorID == 0 {
		return "the VMT"
	}
	return "the coordinator"
}

// Task is something the report's VMT does on a report besides moving it
// through the transition table; which ones a step has a use for is
// TaskApplies.
type Task string

// The tasks of the report's page.
const (
	TaskClassify     Task = "classify"           // set the class
	TaskAssign       Task = "assign"             // name the coordinator
	TaskSubscribe    Task = "subscribe"          // let someone in
	TaskIncomplete   Task = "incomplete_message" // post the reception-incomplete message
	TaskImpact       Task = "impact"             // write the impact description
	TaskCVERequest   Task = "cve_request"        // record that a CVE was requested
	TaskCVEIDs       Task = "cve_ids"            // record the CVE ids assigned
	TaskPublicize    Task = "publicize"          // end the embargo now
	TaskRaise        Task = "raise"              // raise the report for going public
	TaskNotice       Task = "notice"             // send the embargoed notice
	TaskGrant        Task = "grant"              // let a stakeholder read the report
	TaskRequestedDay Task = "requested_date"     // the reporter's requested disclosure date
)

// TaskApplies reports whether the step r stands in has a use for task t:
// the page offers only those. A closed report has none but letting someone
// in, classifying it before a reopening, and the stakeholder grants of a
// notice sent.
func TaskApplies(r *Report, t Task) bool {
	st, private := r.Status, r.Visibility == Private
	switch t {
	case TaskClassify:
		return st == StatusNew || st == StatusIncomplete || st == StatusConfirmed || st == StatusOpinion ||
			st == StatusWontFix || st == StatusInvalid
	case TaskAssign:
		return !st.Closed()
	case TaskSubscribe:
		return !st.Closed() || private
	case TaskIncomplete:
		return st == StatusNew || st == StatusIncomplete
	case TaskImpact:
		return st == StatusConfirmed || st == StatusTriaged || st == StatusInProgress && r.NoticeSentAt == nil
	case TaskCVERequest:
		return st == StatusTriaged && r.CVERequestedAt == nil
	case TaskCVEIDs:
		return st == StatusTriaged || st == StatusInProgress || st == StatusFixCommitted
	case TaskPublicize, TaskRaise:
		return private && !st.Closed() && r.DuplicateOf == 0
	case TaskNotice:
		return private && st == StatusInProgress && r.NoticeSentAt == nil
	case TaskGrant:
		return r.NoticeSentAt != nil
	case TaskRequestedDay:
		return private && r.NoticeSentAt == nil && !st.Closed()
	}
	return false
}

// AsksReason reports whether the move t wants a reason: a guard needs one
// (reopening, sending back), or the reporter is told it (Won't Fix,
// Invalid).
func (t Transition) AsksReason() bool {
	for _, g := range t.Guards {
		if g.Name == reasonGiven.Name {
			return true
		}
	}
	return t.MakesPublic
}
