package vmt

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// statusOrder is the column order of allowedMatrix.
var statusOrder = []Status{
	StatusNew, StatusIncomplete, StatusConfirmed, StatusTriaged, StatusInProgress,
	StatusFixCommitted, StatusFixReleased, StatusOpinion, StatusWontFix, StatusInvalid,
}

// allowedMatrix is every (from, to) pair written out by hand from VMT.md's
// reception, triage and disclosure steps: "x" is a move the process allows,
// "." one it refuses. It is deliberately not derived from Transitions.
//
//	columns: new inc con tri inp fco fre opi wfx inv
var allowedMatrix = map[Status]string{
	StatusNew:          " .   x   x   .   .   .   .   x   x   x",
	StatusIncomplete:   " .   .   x   .   .   .   .   x   x   x",
	StatusConfirmed:    " .   x   .   x   .   .   .   x   x   x",
	StatusTriaged:      " .   .   x   .   x   .   .   .   .   .",
	StatusInProgress:   " .   .   .   .   .   x   .   .   .   .",
	StatusFixCommitted: " .   .   .   .   .   .   x   .   .   .",
	StatusFixReleased:  " .   .   .   .   .   .   .   .   .   .",
	StatusOpinion:      " .   x   x   .   .   .   x   .   x   x",
	StatusWontFix:      " .   .   x   .   .   .   .   .   .   .",
	StatusInvalid:      " .   x   .   .   .   .   .   .   .   .",
}

func allowedByHand(t *testing.T, from, to Status) bool {
	t.Helper()
	cells := strings.Fields(allowedMatrix[from])
	if len(cells) != len(statusOrder) {
		t.Fatalf("allowedMatrix[%s] has %d cells, want %d", from, len(cells), len(statusOrder))
	}
	return cells[slices.Index(statusOrder, to)] == "x"
}

// wantRow is one allowed move as the process describes it: its guards, its
// side effect, and a class that satisfies its class guard (if any).
type wantRow struct {
	from, to Status
	guards   []Guard
	public   bool
	class    Class
}

var wantRows = []wantRow{
	{StatusNew, StatusIncomplete, nil, false, ""},
	{StatusNew, StatusConfirmed, []Guard{classWarrantsAdvisory}, false, "A"},
	{StatusNew, StatusOpinion, []Guard{classMayWarrantNote}, false, "B1"},
	{StatusNew, StatusWontFix, []Guard{classNotAdvisory}, true, "D"},
	{StatusNew, StatusInvalid, []Guard{classInvalid}, true, "E"},

	{StatusIncomplete, StatusConfirmed, []Guard{classWarrantsAdvisory}, false, "A"},
	{StatusIncomplete, StatusOpinion, []Guard{classMayWarrantNote}, false, "C1"},
	{StatusIncomplete, StatusWontFix, []Guard{classNotAdvisory}, true, "Y"},
	{StatusIncomplete, StatusInvalid, []Guard{classInvalid}, true, "Z"},

	{StatusConfirmed, StatusIncomplete, nil, false, "A"},
	{StatusConfirmed, StatusTriaged, []Guard{classAdvisory, impactApproved}, false, "A"},
	{StatusConfirmed, StatusOpinion, []Guard{classMayWarrantNote}, false, "B2"},
	{StatusConfirmed, StatusWontFix, []Guard{classNotAdvisory}, true, "C2"},
	{StatusConfirmed, StatusInvalid, []Guard{classInvalid}, true, "E"},

	{StatusTriaged, StatusConfirmed, []Guard{reasonGiven}, false, "A"},
	{StatusTriaged, StatusInProgress, []Guard{cveRequested}, false, "A"},

	{StatusInProgress, StatusFixCommitted, []Guard{noticeSentOrCVEAssigned}, false, "A"},

	{StatusFixCommitted, StatusFixReleased, []Guard{patchesMerged, advisoryPublished}, false, "A"},

	{StatusOpinion, StatusConfirmed, []Guard{classWarrantsAdvisory}, false, "A"},
	{StatusOpinion, StatusIncomplete, nil, false, "B3"},
	{StatusOpinion, StatusWontFix, []Guard{classNotAdvisory}, true, "D"},
	{StatusOpinion, StatusInvalid, []Guard{classInvalid}, true, "Z"},
	{StatusOpinion, StatusFixReleased, []Guard{classNote, advisoryPublished}, true, "B3"},

	{StatusWontFix, StatusConfirmed, []Guard{reasonGiven, classWarrantsAdvisory}, false, "A"},
	{StatusInvalid, StatusIncomplete, []Guard{reasonGiven}, false, "E"},
}

// goodFacts returns facts that satisfy every guard but the class guards, for
// which the class is given.
func goodFacts(from Status, class Class) *Facts {
	at := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	impact := "An attacker in a guest can read host memory."
	return &Facts{
		Report: &Report{
			Status: from, Class: class, Visibility: Private,
			ImpactDescription: impact,
			CVERequestedAt:    &at, CVEs: []string{"CVE-2026-12345"}, NoticeSentAt: &at,
		},
		Reason:            "the description needs another pass",
		AdvisoryPublished: true,
		PatchesMerged:     true,
		ImpactApprovals: []*ImpactApproval{
			{Approver: ApproverReporter, UserID: 2, TextHash: ImpactHash(impact), ApprovedAt: at},
			{Approver: ApproverCommittee, UserID: 3, TextHash: ImpactHash(impact), ApprovedAt: at},
		},
	}
}

// breaker makes one guard fail and says which reason the refusal must give.
type breaker struct {
	name   string
	breaks func(f *Facts)
	reason string
}

func setClass(c Class) func(*Facts) { return func(f *Facts) { f.Report.Class = c } }

// breakers lists, per guard name, ways to make that guard alone fail.
var breakers = map[string][]breaker{
	classNotAdvisory.Name: {
		{"unclassified", setClass(""), "the report has no class yet; classify it first"},
		{"class A", setClass("A"), "a class A report warrants an advisory; reclassify it first"},
	},
	classWarrantsAdvisory.Name: {
		{"class B1", setClass("B1"), "class B1 does not lead to an advisory"},
		{"class D", setClass("D"), "class D does not lead to an advisory"},
		{"class E", setClass("E"), "class E does not lead to an advisory"},
	},
	classAdvisory.Name: {
		{"unclassified", setClass(""), "the report must be of class A (an advisory) first"},
		{"class B2", setClass("B2"), "the report must be of class A (an advisory) first"},
	},
	classMayWarrantNote.Name: {
		{"class A", setClass("A"), "class A does not call for a security note"},
		{"class E", setClass("E"), "class E does not call for a security note"},
		{"class Z", setClass("Z"), "class Z does not call for a security note"},
	},
	classNote.Name: {
		{"class A", setClass("A"), "only a report of class B1, B2 or B3 is closed by a security note"},
		{"class C1", setClass("C1"), "only a report of class B1, B2 or B3 is closed by a security note"},
		{"unclassified", setClass(""), "only a report of class B1, B2 or B3 is closed by a security note"},
	},
	classInvalid.Name: {
		{"class A", setClass("A"), "only a report of class E or Z is invalid; classify it first"},
		{"class Y", setClass("Y"), "only a report of class E or Z is invalid; classify it first"},
		{"unclassified", setClass(""), "only a report of class E or Z is invalid; classify it first"},
	},
	impactApproved.Name: {
		{"no impact", func(f *Facts) { f.Report.ImpactDescription = "" }, "no impact description has been posted"},
		{"no approval", func(f *Facts) { f.ImpactApprovals = nil },
			"the impact description is not yet approved by the reporter and the architecture committee"},
		{"reporter only", func(f *Facts) { f.ImpactApprovals = f.ImpactApprovals[:1] },
			"the impact description is not yet approved by the architecture committee"},
		{"committee only", func(f *Facts) { f.ImpactApprovals = f.ImpactApprovals[1:] },
			"the impact description is not yet approved by the reporter"},
		{"text changed since both approved", func(f *Facts) { f.Report.ImpactDescription += " And write it." },
			"the impact description is not yet approved by the reporter and the architecture committee"},
		{"committee approved an older text", func(f *Facts) { f.ImpactApprovals[1].TextHash = ImpactHash("older") },
			"the impact description is not yet approved by the architecture committee"},
	},
	cveRequested.Name: {
		{"no request, no CVE", func(f *Facts) { f.Report.CVERequestedAt, f.Report.CVEs = nil, nil }, "no CVE request has been recorded"},
	},
	noticeSentOrCVEAssigned.Name: {
		{"private, no notice", func(f *Facts) { f.Report.NoticeSentAt = nil },
			"the embargoed notice to downstream stakeholders has not been sent"},
		{"public, no CVE", func(f *Facts) { f.Report.Visibility, f.Report.CVEs = Public, nil }, "no CVE has been assigned"},
		{"private, notice sent, no CVE", func(f *Facts) { f.Report.CVEs = nil }, "no CVE has been assigned"},
	},
	patchesMerged.Name: {
		{"not merged", func(f *Facts) { f.PatchesMerged = false }, "not every patch is merged on every supported branch"},
	},
	advisoryPublished.Name: {
		{"not published", func(f *Facts) { f.AdvisoryPublished = false }, "the advisory or note is not published"},
	},
	reasonGiven.Name: {
		{"no reason", func(f *Facts) { f.Reason = "" }, "a reason is required for this move"},
	},
}

// allClasses is every class and the unclassified state.
var allClasses = []Class{"", "A", "B1", "B2", "B3", "C1", "C2", "D", "E", "Y", "Z"}

func asError(t *testing.T, err error, code string) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	if e.Code != code {
		t.Fatalf("error %v has code %q, want %q", err, e.Code, code)
	}
	return e
}

func findWantRow(from, to Status) (wantRow, bool) {
	for _, w := range wantRows {
		if w.from == from && w.to == to {
			return w, true
		}
	}
	return wantRow{}, false
}

func guardNames(gs []Guard) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Name)
	}
	return out
}

// TestHandTablesAgree keeps the matrix and the row list honest with each other.
func TestHandTablesAgree(t *testing.T) {
	n := 0
	for _, from := range statusOrder {
		for _, to := range statusOrder {
			_, listed := findWantRow(from, to)
			if allowed := allowedByHand(t, from, to); allowed != listed {
				t.Errorf("%s -> %s: matrix says %v, row list says %v", from, to, allowed, listed)
			}
			if allowedByHand(t, from, to) {
				n++
			}
		}
	}
	if n != len(wantRows) {
		t.Errorf("matrix allows %d moves, row list has %d", n, len(wantRows))
	}
}

func TestTransitionTableMatchesProcess(t *testing.T) {
	if len(Transitions) != len(wantRows) {
		t.Errorf("Transitions has %d rows, the process %d", len(Transitions), len(wantRows))
	}
	seen := map[[2]Status]bool{}
	for _, tr := range Transitions {
		k := [2]Status{tr.From, tr.To}
		if seen[k] {
			t.Errorf("%s -> %s appears twice", tr.From, tr.To)
		}
		seen[k] = true
		w, ok := findWantRow(tr.From, tr.To)
		if !ok {
			t.Errorf("table allows %s -> %s, which the process does not", tr.From, tr.To)
			continue
		}
		if got, want := guardNames(tr.Guards), guardNames(w.guards); !slices.Equal(got, want) {
			t.Errorf("%s -> %s guards = %q, want %q", tr.From, tr.To, got, want)
		}
		if tr.MakesPublic != w.public {
			t.Errorf("%s -> %s MakesPublic = %v, want %v", tr.From, tr.To, tr.MakesPublic, w.public)
		}
		if strings.TrimSpace(tr.Why) == "" {
			t.Errorf("%s -> %s has no Why for the docs", tr.From, tr.To)
		}
	}
}

// TestCheckTransitionEveryPair checks all 100 pairs against the hand matrix.
func TestCheckTransitionEveryPair(t *testing.T) {
	for _, from := range statusOrder {
		for _, to := range statusOrder {
			if allowedByHand(t, from, to) {
				w, _ := findWantRow(from, to)
				if err := CheckTransition(goodFacts(from, w.class), to); err != nil {
					t.Errorf("%s -> %s (class %q) refused: %v", from, to, w.class, err)
				}
				continue
			}
			// No class, and no other fact, opens a move the table lacks.
			for _, c := range allClasses {
				err := CheckTransition(goodFacts(from, c), to)
				if err == nil {
					t.Errorf("%s -> %s (class %q) allowed, want refused", from, to, c)
					continue
				}
				e := asError(t, err, ECONFLICT)
				want := "a report cannot go from " + from.Label() + " to " + to.Label()
				if !strings.HasPrefix(e.Message, want) || e.Field != "status" {
					t.Errorf("%s -> %s: field %q message %q, want field status and prefix %q", from, to, e.Field, e.Message, want)
				}
			}
		}
	}
}

func TestRefusalListsAllowedMoves(t *testing.T) {
	err := CheckTransition(goodFacts(StatusTriaged, "A"), StatusFixReleased)
	e := asError(t, err, ECONFLICT)
	if want := "(allowed from Triaged: Confirmed, In Progress)"; !strings.HasSuffix(e.Message, want) {
		t.Errorf("message %q, want suffix %q", e.Message, want)
	}
	err = CheckTransition(goodFacts(StatusFixReleased, "A"), StatusConfirmed)
	e = asError(t, err, ECONFLICT)
	if want := "(allowed from Fix released: nothing, the status is final)"; !strings.HasSuffix(e.Message, want) {
		t.Errorf("message %q, want suffix %q", e.Message, want)
	}
}

// TestEachGuardAloneRefuses breaks one guard at a time on a row whose other
// guards hold, and checks the refusal names that guard's reason.
func TestEachGuardAloneRefuses(t *testing.T) {
	for _, w := range wantRows {
		for _, g := range w.guards {
			bs := breakers[g.Name]
			if len(bs) == 0 {
				t.Fatalf("no breaker for guard %q", g.Name)
			}
			for _, b := range bs {
				f := goodFacts(w.from, w.class)
				b.breaks(f)
				err := CheckTransition(f, w.to)
				if err == nil {
					t.Errorf("%s -> %s with %s: allowed, want refused", w.from, w.to, b.name)
					continue
				}
				e := asError(t, err, ECONFLICT)
				want := "cannot move to " + w.to.Label() + ": " + b.reason
				if e.Message != want || e.Field != "status" {
					t.Errorf("%s -> %s with %s: field %q message %q, want field status, message %q",
						w.from, w.to, b.name, e.Field, e.Message, want)
				}
			}
		}
	}
}

// TestGuardsAcceptTheirCases checks the other side of the guards that have
// more than one way to hold.
func TestGuardsAcceptTheirCases(t *testing.T) {
	tests := []struct {
		name  string
		from  Status
		to    Status
		class Class
		set   func(f *Facts)
	}{
		{"unclassified may be confirmed", StatusNew, StatusConfirmed, "", nil},
		{"unclassified may go to opinion", StatusNew, StatusOpinion, "", nil},
		{"potential classes may go to opinion", StatusNew, StatusOpinion, "D", nil},
		{"any class but A may be won't fix", StatusNew, StatusWontFix, "B1", nil},
		{"a CVE id alone counts as requested", StatusTriaged, StatusInProgress, "A",
			func(f *Facts) { f.Report.CVERequestedAt = nil }},
		{"a request alone counts as requested", StatusTriaged, StatusInProgress, "A",
			func(f *Facts) { f.Report.CVEs = nil }},
		{"public report with a CVE needs no notice", StatusInProgress, StatusFixCommitted, "A",
			func(f *Facts) { f.Report.Visibility, f.Report.NoticeSentAt = Public, nil }},
		{"private report with a CVE and the notice sent", StatusInProgress, StatusFixCommitted, "A", nil},
		{"moves without guards need no reason", StatusConfirmed, StatusIncomplete, "A",
			func(f *Facts) { f.Reason = "" }},
	}
	for _, tt := range tests {
		f := goodFacts(tt.from, tt.class)
		if tt.set != nil {
			tt.set(f)
		}
		if err := CheckTransition(f, tt.to); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func TestUnknownStatus(t *testing.T) {
	for _, s := range []Status{"", "bogus", "New", "fix-released", "wontfix"} {
		err := CheckTransition(goodFacts(StatusNew, "A"), s)
		if e := asError(t, err, EINVALID); e.Field != "status" {
			t.Errorf("CheckTransition to %q: field %q, want status", s, e.Field)
		}
		if s.Valid() {
			t.Errorf("Status(%q).Valid() = true", s)
		}
		_, err = ParseStatus("to", string(s))
		if e := asError(t, err, EINVALID); e.Field != "to" || !strings.Contains(e.Message, "unknown status") {
			t.Errorf("ParseStatus(%q): field %q message %q", s, e.Field, e.Message)
		}
	}
	for _, s := range statusOrder {
		got, err := ParseStatus("to", string(s))
		if err != nil || got != s {
			t.Errorf("ParseStatus(%q) = %q, %v", s, got, err)
		}
	}
}

func TestNextStatuses(t *testing.T) {
	for _, from := range statusOrder {
		got := NextStatuses(from)
		var want []Status
		for _, to := range statusOrder {
			if allowedByHand(t, from, to) {
				want = append(want, to)
			}
		}
		if len(got) != len(want) {
			t.Errorf("NextStatuses(%s) = %v, want %v (any order)", from, got, want)
			continue
		}
		for _, s := range want {
			if !slices.Contains(got, s) {
				t.Errorf("NextStatuses(%s) = %v, missing %s", from, got, s)
			}
		}
	}
	// Table order, as documented.
	want := []Status{StatusIncomplete, StatusConfirmed, StatusOpinion, StatusWontFix, StatusInvalid}
	if got := NextStatuses(StatusNew); !slices.Equal(got, want) {
		t.Errorf("NextStatuses(new) = %v, want %v", got, want)
	}
	if got := NextStatuses("bogus"); len(got) != 0 {
		t.Errorf("NextStatuses(bogus) = %v, want none", got)
	}
}

func TestClosed(t *testing.T) {
	want := map[Status]bool{StatusFixReleased: true, StatusWontFix: true, StatusInvalid: true}
	for _, s := range statusOrder {
		if got := s.Closed(); got != want[s] {
			t.Errorf("%s.Closed() = %v, want %v", s, got, want[s])
		}
	}
}

func TestLabel(t *testing.T) {
	want := map[Status]string{
		StatusNew: "New", StatusIncomplete: "Incomplete", StatusConfirmed: "Confirmed",
		StatusTriaged: "Triaged", StatusInProgress: "In Progress", StatusFixCommitted: "Fix committed",
		StatusFixReleased: "Fix released", StatusOpinion: "Opinion", StatusWontFix: "Won't Fix",
		StatusInvalid: "Invalid",
	}
	for _, s := range statusOrder {
		if got := s.Label(); got != want[s] {
			t.Errorf("%s.Label() = %q, want %q", s, got, want[s])
		}
	}
	if got := Status("bogus").Label(); got != "bogus" {
		t.Errorf("unknown Label() = %q, want the raw value", got)
	}
}

func TestStatusesList(t *testing.T) {
	var got []Status
	for _, i := range Statuses {
		got = append(got, i.Status)
		if i.Meaning == "" || i.Label == "" {
			t.Errorf("%s has no label or meaning", i.Status)
		}
	}
	if !slices.Equal(got, statusOrder) {
		t.Errorf("Statuses = %v, want %v", got, statusOrder)
	}
}

func TestEveryStatusInTheTable(t *testing.T) {
	from, to := map[Status]bool{}, map[Status]bool{}
	for _, tr := range Transitions {
		from[tr.From], to[tr.To] = true, true
		if !tr.From.Valid() || !tr.To.Valid() {
			t.Errorf("row %s -> %s names an unknown status", tr.From, tr.To)
		}
	}
	for _, i := range Statuses {
		if !from[i.Status] && !to[i.Status] {
			t.Errorf("%s appears in no row", i.Status)
		}
		// Only New is where a report starts; only Fix released has no way out.
		if i.Status != StatusNew && !to[i.Status] {
			t.Errorf("%s cannot be reached", i.Status)
		}
		if i.Status != StatusFixReleased && !from[i.Status] {
			t.Errorf("%s has no way out", i.Status)
		}
	}
	if to[StatusNew] {
		t.Errorf("a move leads back to New")
	}
	if from[StatusFixReleased] {
		t.Errorf("a move leads out of Fix released")
	}
}

func TestFindTransition(t *testing.T) {
	tr, ok := FindTransition(StatusNew, StatusWontFix)
	if !ok || tr.From != StatusNew || tr.To != StatusWontFix || !tr.MakesPublic {
		t.Errorf("FindTransition(new, wont_fix) = %+v, %v", tr, ok)
	}
	if tr, ok := FindTransition(StatusFixReleased, StatusNew); ok {
		t.Errorf("FindTransition(fix_released, new) = %+v, true", tr)
	}
}
