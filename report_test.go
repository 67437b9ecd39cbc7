package vmt

import (
	"fmt"
	"strings"
	"testing"
)

func validReport() *Report {
	return &Report{
		Title:         "Guest can read host memory",
		Description:   "Steps to reproduce:\r\n\t1. boot a guest\n",
		Affected:      AffectedOf([]string{"agent", "runtime/shim-v2", "virtcontainers+x", "a.b_c-d"}, ">=2.0.0 <=3.1.2"),
		Credit:        "Jane Doe (Example Corp)",
		CVEs:          []string{"CVE-2026-1234", "CVE-2026-1234567890123456789"},
		ReporterTerms: "Disclose no earlier than 2026-06-01.",
		NeverDisclose: []string{"reporter_identity", "credit", "reporter_terms"},
		Class:         "B2",
	}
}

func cves(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("CVE-2026-%05d", i)
	}
	return out
}

func components(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("c%d", i)
	}
	return out
}

func TestReportValidate(t *testing.T) {
	reminder := EmbargoReminder()
	tests := []struct {
		name   string
		change func(r *Report)
		code   string // "" when valid
		field  string
	}{
		{"valid", func(r *Report) {}, "", ""},
		{"minimal", func(r *Report) { *r = Report{Title: "t", Description: "d"} }, "", ""},

		{"title at limit", func(r *Report) { r.Title = strings.Repeat("é", MaxTitleLen) }, "", ""},
		{"title over limit", func(r *Report) { r.Title = strings.Repeat("a", MaxTitleLen+1) }, EINVALID, "title"},
		{"title empty", func(r *Report) { r.Title = "" }, EINVALID, "title"},
		{"title blank", func(r *Report) { r.Title = " \t " }, EINVALID, "title"},
		{"title newline", func(r *Report) { r.Title = "a\nb" }, EINVALID, "title"},
		{"title carriage return", func(r *Report) { r.Title = "a\rb" }, EINVALID, "title"},
		{"title NUL", func(r *Report) { r.Title = "a\x00b" }, EINVALID, "title"},
		{"title escape", func(r *Report) { r.Title = "a\x1b[31mred" }, EINVALID, "title"},
		{"title DEL", func(r *Report) { r.Title = "a\x7f" }, EINVALID, "title"},
		{"title C1 CSI", func(r *Report) { r.Title = "a\u009b31mred" }, EINVALID, "title"},
		{"title C1 NEL", func(r *Report) { r.Title = "a\u0085b" }, EINVALID, "title"},
		{"title invalid UTF-8", func(r *Report) { r.Title = "a\xffb" }, EINVALID, "title"},
		{"title tab", func(r *Report) { r.Title = "a\tb" }, "", ""},

		{"description at limit", func(r *Report) { r.Description = strings.Repeat("a", MaxDescriptionBytes) }, "", ""},
		{"description over limit", func(r *Report) { r.Description = strings.Repeat("a", MaxDescriptionBytes+1) }, ETOOLARGE, "description"},
		{"description multi-byte over limit", func(r *Report) { r.Description = strings.Repeat("é", MaxDescriptionBytes/2) + "a" }, ETOOLARGE, "description"},
		{"description with reminder at limit", func(r *Report) {
			r.Reminder = reminder
			r.Description = reminder + strings.Repeat("a", MaxDescriptionBytes)
		}, "", ""},
		{"description with reminder over limit", func(r *Report) {
			r.Reminder = reminder
			r.Description = reminder + strings.Repeat("a", MaxDescriptionBytes+1)
		}, ETOOLARGE, "description"},
		{"description empty", func(r *Report) { r.Description = "" }, EINVALID, "description"},
		{"description only the reminder", func(r *Report) { r.Reminder, r.Description = reminder, reminder+"  \n" }, EINVALID, "description"},
		{"description NUL", func(r *Report) { r.Description = "a\x00" }, EINVALID, "description"},
		{"description C1", func(r *Report) { r.Description = "a\u0090" }, EINVALID, "description"},
		{"description invalid UTF-8", func(r *Report) { r.Description = "a\xc3" }, EINVALID, "description"},

		{"entries at limit", func(r *Report) { r.Affected = AffectedOf(components(MaxComponents), "") }, "", ""},
		{"entries over limit", func(r *Report) { r.Affected = AffectedOf(components(MaxComponents+1), "") }, EINVALID, "affected"},
		{"component name at limit", func(r *Report) { r.Affected = AffectedOf([]string{strings.Repeat("c", MaxComponentLen)}, "") }, "", ""},
		{"component name over limit", func(r *Report) { r.Affected = AffectedOf([]string{strings.Repeat("c", MaxComponentLen+1)}, "") }, EINVALID, "affected[0].component"},
		{"component unnamed: the project", func(r *Report) { r.Affected = []AffectedEntry{{Versions: "all"}} }, "", ""},
		{"component space", func(r *Report) { r.Affected = AffectedOf([]string{"a b"}, "") }, EINVALID, "affected[0].component"},
		{"component leading dash", func(r *Report) { r.Affected = AffectedOf([]string{"ok", "-rf"}, "") }, EINVALID, "affected[1].component"},
		{"component leading slash", func(r *Report) { r.Affected = AffectedOf([]string{"/etc"}, "") }, EINVALID, "affected[0].component"},
		{"component newline", func(r *Report) { r.Affected = AffectedOf([]string{"a\n"}, "") }, EINVALID, "affected[0].component"},
		{"half a package", func(r *Report) { r.Affected[0].Ecosystem = "Go" }, EINVALID, "affected[0].package"},

		{"affected versions at limit", func(r *Report) { r.Affected[0].Versions = strings.Repeat("v", MaxVersionsLen) }, "", ""},
		{"affected versions over limit", func(r *Report) { r.Affected[0].Versions = strings.Repeat("v", MaxVersionsLen+1) }, EINVALID, "affected[0].versions"},
		{"affected versions control", func(r *Report) { r.Affected[1].Versions = "\x07" }, EINVALID, "affected[1].versions"},
		{"credit at limit", func(r *Report) { r.Credit = strings.Repeat("ü", MaxCreditLen) }, "", ""},
		{"credit over limit", func(r *Report) { r.Credit = strings.Repeat("c", MaxCreditLen+1) }, EINVALID, "credit"},
		{"credit invalid UTF-8", func(r *Report) { r.Credit = "\xe2\x82" }, EINVALID, "credit"},
		{"terms at limit", func(r *Report) { r.ReporterTerms = strings.Repeat("t", MaxTermsLen) }, "", ""},
		{"terms over limit", func(r *Report) { r.ReporterTerms = strings.Repeat("t", MaxTermsLen+1) }, EINVALID, "reporter_terms"},
		{"impact at limit", func(r *Report) { r.ImpactDescription = strings.Repeat("i", MaxImpactBytes) }, "", ""},
		{"impact over limit", func(r *Report) { r.ImpactDescription = strings.Repeat("i", MaxImpactBytes+1) }, ETOOLARGE, "impact_description"},
		{"impact control", func(r *Report) { r.ImpactDescription = "\x01" }, EINVALID, "impact_description"},

		{"CVEs at limit", func(r *Report) { r.CVEs = cves(MaxCVEs) }, "", ""},
		{"CVEs over limit", func(r *Report) { r.CVEs = cves(MaxCVEs + 1) }, EINVALID, "cves"},
		{"CVE duplicated", func(r *Report) { r.CVEs = []string{"CVE-2026-1234", "CVE-2026-1234"} }, EINVALID, "cves"},
		{"CVE three digits", func(r *Report) { r.CVEs = []string{"CVE-2026-123"} }, EINVALID, "cves"},
		{"CVE twenty digits", func(r *Report) { r.CVEs = []string{"CVE-2026-" + strings.Repeat("1", 20)} }, EINVALID, "cves"},
		{"CVE lower case", func(r *Report) { r.CVEs = []string{"cve-2026-1234"} }, EINVALID, "cves"},
		{"CVE short year", func(r *Report) { r.CVEs = []string{"CVE-26-1234"} }, EINVALID, "cves"},
		{"CVE trailing text", func(r *Report) { r.CVEs = []string{"CVE-2026-1234 "} }, EINVALID, "cves"},
		{"CVE newline", func(r *Report) { r.CVEs = []string{"CVE-2026-1234\n"} }, EINVALID, "cves"},
		{"CVE other id", func(r *Report) { r.CVEs = []string{"GHSA-xxxx-xxxx-xxxx"} }, EINVALID, "cves"},

		{"class unset", func(r *Report) { r.Class = "" }, "", ""},
		{"class unknown", func(r *Report) { r.Class = "F" }, EINVALID, "class"},

		{"never disclose none", func(r *Report) { r.NeverDisclose = nil }, "", ""},
		{"never disclose unknown", func(r *Report) { r.NeverDisclose = []string{"email"} }, EINVALID, "never_disclose"},
		{"never disclose case", func(r *Report) { r.NeverDisclose = []string{"Credit"} }, EINVALID, "never_disclose"},
		{"never disclose empty", func(r *Report) { r.NeverDisclose = []string{""} }, EINVALID, "never_disclose"},
	}
	for _, tt := range tests {
		r := validReport()
		tt.change(r)
		err := r.Validate()
		if tt.code == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if ErrorCode(err) != tt.code || ErrorField(err) != tt.field {
			t.Errorf("%s: %v; want code %s field %s", tt.name, err, tt.code, tt.field)
		}
	}
}

func TestValidateMessages(t *testing.T) {
	r := validReport()
	r.Title = strings.Repeat("a", MaxTitleLen+1)
	if got, want := ErrorMessage(r.Validate()), "has 201 characters, more than the limit of 200"; got != want {
		t.Errorf("title message %q, want %q", got, want)
	}
	r = validReport()
	r.Description = strings.Repeat("a", MaxDescriptionBytes+1)
	if got, want := ErrorMessage(r.Validate()), "is larger than the limit of 64 KiB"; got != want {
		t.Errorf("description message %q, want %q", got, want)
	}
	r = validReport()
	r.Title = "a\x1b"
	if got, want := ErrorMessage(r.Validate()), "contains the control character U+001B"; got != want {
		t.Errorf("control message %q, want %q", got, want)
	}
	r = validReport()
	r.NeverDisclose = []string{"email"}
	if got, want := ErrorMessage(r.Validate()), `"email" cannot be marked (want any of reporter_identity, credit, reporter_terms)`; got != want {
		t.Errorf("never_disclose message %q, want %q", got, want)
	}
}

func TestValidCVE(t *testing.T) {
	for s, want := range map[string]bool{
		"CVE-2026-1234": true, "CVE-1999-0001": true, "CVE-2026-1234567890123456789": true,
		"CVE-2026-123": false, "CVE-2026-12345678901234567890": false, "CVE-2026-": false,
		"CVE-20261-1234": false, "CVE_2026_1234": false, "xCVE-2026-1234": false, "": false,
	} {
		if got := ValidCVE(s); got != want {
			t.Errorf("ValidCVE(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestKiB(t *testing.T) {
	for n, want := range map[int]string{64 << 10: "64 KiB", 1024: "1 KiB", 1000: "1000 bytes", 0: "0 KiB"} {
		if got := kib(n); got != want {
			t.Errorf("kib(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int]string{0: "0", 7: "7", 10: "10", 1234567890: "1234567890"} {
		if got := itoa(n); got != want {
			t.Errorf("itoa(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	long := strings.Repeat("a", 64) + "@" + strings.Repeat("b", MaxEmailLen-64-1-4) + ".org"
	tests := []struct {
		in, want string
	}{
		{"alice@example.org", "alice@example.org"},
		{"  Alice@Example.ORG\t", "alice@example.org"},
		{"a.b+tag@sub.example.org", "a.b+tag@sub.example.org"},
		{long, long},
		{"", ""},
		{"   ", ""},
		{long + "x", ""},
		{"alice", ""},
		{"alice@", ""},
		{"@example.org", ""},
		{"Alice <alice@example.org>", ""},
		{"<alice@example.org>", ""},
		{"alice@example.org, bob@example.org", ""},
		{"alice@example.org\r\nBcc: eve@example.org", ""},
		{"alice example@example.org", ""},
	}
	if len(long) != MaxEmailLen {
		t.Fatalf("long address has %d bytes", len(long))
	}
	for _, tt := range tests {
		got, err := NormalizeEmail("email", tt.in)
		if tt.want == "" {
			if got != "" || ErrorCode(err) != EINVALID || ErrorField(err) != "email" {
				t.Errorf("NormalizeEmail(%q) = %q, %v; want an invalid email error", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		ok   bool
	}{
		{"empty", "", false},
		{"one short", strings.Repeat("p", MinPasswordLen-1), false},
		{"at minimum", strings.Repeat("p", MinPasswordLen), true},
		{"minimum in characters, not bytes", strings.Repeat("é", MinPasswordLen), true},
		{"short in characters though long in bytes", strings.Repeat("é", MinPasswordLen-1), false},
		{"at maximum bytes", strings.Repeat("p", MaxPasswordLen), true},
		{"one byte over", strings.Repeat("p", MaxPasswordLen+1), false},
		{"over in bytes though not in characters", strings.Repeat("é", MaxPasswordLen/2+1), false},
	}
	for _, tt := range tests {
		err := CheckPassword("password", tt.pw)
		if tt.ok != (err == nil) {
			t.Errorf("%s: %v", tt.name, err)
		}
		if err != nil && (ErrorCode(err) != EINVALID || ErrorField(err) != "password") {
			t.Errorf("%s: %v, want invalid password", tt.name, err)
		}
	}
}

func validProject() Project {
	return Project{Name: "kata-containers", AdvisoryPrefix: "KCSA", NotePrefix: "KCSN", Branches: []string{"main", "stable-3.1", "stable/2.0"}}
}

func TestProjectValidate(t *testing.T) {
	branches := make([]string, MaxBranches+1)
	for i := range branches {
		branches[i] = fmt.Sprintf("stable-%d", i)
	}
	tests := []struct {
		name   string
		change func(p *Project)
		field  string // "" when valid
	}{
		{"valid", func(p *Project) {}, ""},
		{"name one character", func(p *Project) { p.Name = "k" }, ""},
		{"name at limit", func(p *Project) { p.Name = strings.Repeat("k", 63) }, ""},
		{"name over limit", func(p *Project) { p.Name = strings.Repeat("k", 64) }, "name"},
		{"name empty", func(p *Project) { p.Name = "" }, "name"},
		{"name upper case", func(p *Project) { p.Name = "Kata" }, "name"},
		{"name leading dash", func(p *Project) { p.Name = "-kata" }, "name"},
		{"name underscore", func(p *Project) { p.Name = "kata_containers" }, "name"},
		{"name slash", func(p *Project) { p.Name = "kata/x" }, "name"},
		{"name dots", func(p *Project) { p.Name = ".." }, "name"},
		{"name newline", func(p *Project) { p.Name = "kata\n" }, "name"},
		{"advisory prefix short", func(p *Project) { p.AdvisoryPrefix = "K" }, "advisory_prefix"},
		{"advisory prefix at limit", func(p *Project) { p.AdvisoryPrefix = "ABCDEFGHIJ" }, ""},
		{"advisory prefix over limit", func(p *Project) { p.AdvisoryPrefix = "ABCDEFGHIJK" }, "advisory_prefix"},
		{"advisory prefix lower case", func(p *Project) { p.AdvisoryPrefix = "kcsa" }, "advisory_prefix"},
		{"advisory prefix digit first", func(p *Project) { p.AdvisoryPrefix = "1SA" }, "advisory_prefix"},
		{"advisory prefix with dash", func(p *Project) { p.AdvisoryPrefix = "KC-SA" }, "advisory_prefix"},
		{"prefix with digits", func(p *Project) { p.AdvisoryPrefix = "OSSA2" }, ""},
		{"note prefix empty", func(p *Project) { p.NotePrefix = "" }, "note_prefix"},
		{"prefixes equal", func(p *Project) { p.NotePrefix = "KCSA" }, "note_prefix"},
		{"no branches", func(p *Project) { p.Branches = nil }, "branches"},
		{"branches at limit", func(p *Project) { p.Branches = branches[:MaxBranches] }, ""},
		{"branches over limit", func(p *Project) { p.Branches = branches }, "branches"},
		{"branch name at limit", func(p *Project) { p.Branches = []string{strings.Repeat("b", MaxBranchNameLen)} }, ""},
		{"branch name over limit", func(p *Project) { p.Branches = []string{strings.Repeat("b", MaxBranchNameLen+1)} }, "branches"},
		{"branch with ..", func(p *Project) { p.Branches = []string{"main", "stable..x"} }, "branches"},
		{"branch path up", func(p *Project) { p.Branches = []string{"stable/../../etc"} }, "branches"},
		{"branch ending ..", func(p *Project) { p.Branches = []string{"stable.."} }, "branches"},
		{"branch single dot ok", func(p *Project) { p.Branches = []string{"stable-2.1.x"} }, ""},
		{"branch leading dash", func(p *Project) { p.Branches = []string{"-f"} }, "branches"},
		{"branch leading slash", func(p *Project) { p.Branches = []string{"/main"} }, "branches"},
		{"branch leading dot", func(p *Project) { p.Branches = []string{".hidden"} }, "branches"},
		{"branch empty", func(p *Project) { p.Branches = []string{""} }, "branches"},
		{"branch space", func(p *Project) { p.Branches = []string{"my branch"} }, "branches"},
		{"branch shell", func(p *Project) { p.Branches = []string{"main;rm"} }, "branches"},
		{"branch tilde", func(p *Project) { p.Branches = []string{"main~1"} }, "branches"},
		{"branch duplicate", func(p *Project) { p.Branches = []string{"main", "stable-3.1", "main"} }, "branches"},
	}
	for _, tt := range tests {
		p := validProject()
		tt.change(&p)
		err := p.Validate()
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if ErrorCode(err) != EINVALID || ErrorField(err) != tt.field {
			t.Errorf("%s: %v; want invalid %s", tt.name, err, tt.field)
		}
	}
}

func TestEmbargoReminder(t *testing.T) {
	rem := EmbargoReminder()
	if !strings.Contains(rem, fmt.Sprintf("no longer than %d days", MaxEmbargoDays)) || !strings.HasSuffix(rem, "\n\n") {
		t.Errorf("reminder %q does not quote the limit or end with a blank line", rem)
	}
	const body = "The reporter's text.\n\nSecond paragraph."
	r := &Report{Description: body}

	AddReminder(r)
	if r.Description != rem+body || r.Reminder != rem {
		t.Fatalf("after add: %q (reminder %q)", r.Description, r.Reminder)
	}
	AddReminder(r)
	if r.Description != rem+body {
		t.Fatalf("added twice: %q", r.Description)
	}
	if got := r.BodyWithoutReminder(); got != body {
		t.Errorf("BodyWithoutReminder = %q", got)
	}

	removeReminder(r)
	if r.Description != body || r.Reminder != "" {
		t.Fatalf("after remove: %q (reminder %q)", r.Description, r.Reminder)
	}
	removeReminder(r)
	if r.Description != body {
		t.Fatalf("removed twice: %q", r.Description)
	}
	if got := r.BodyWithoutReminder(); got != body {
		t.Errorf("BodyWithoutReminder without reminder = %q", got)
	}
}

// TestRemoveReminderExactly checks that only the reminder as prefixed goes:
// text the reporter wrote, even text that quotes the reminder, stays.
func TestRemoveReminderExactly(t *testing.T) {
	rem := EmbargoReminder()
	tests := []struct {
		name        string
		description string // as stored, with Reminder set to rem
		want        string
	}{
		{"reporter quotes the reminder", rem + rem + "body", rem + "body"},
		{"whitespace after it kept", rem + "\n  indented", "\n  indented"},
		{"edited away by hand", "no reminder here", "no reminder here"},
		{"reminder not at the start", "intro\n" + rem, "intro\n" + rem},
		{"only the reminder", rem, ""},
	}
	for _, tt := range tests {
		r := &Report{Description: tt.description, Reminder: rem}
		removeReminder(r)
		if r.Description != tt.want || r.Reminder != "" {
			t.Errorf("%s: %q, want %q", tt.name, r.Description, tt.want)
		}
	}
	// An older reminder text is removed as it was prefixed, not as today's.
	old := "> embargoed (old wording)\n\n"
	r := &Report{Description: old + "body", Reminder: old}
	removeReminder(r)
	if r.Description != "body" {
		t.Errorf("old reminder: %q", r.Description)
	}
}

func TestMakePublic(t *testing.T) {
	r := &Report{Description: "body", Visibility: Private}
	AddReminder(r)
	MakePublic(r)
	if r.Visibility != Public || r.Description != "body" || r.Reminder != "" {
		t.Errorf("after makePublic: %+v", r)
	}
}

func TestRetitle(t *testing.T) {
	tests := []struct {
		title    string
		old, new []string
		want     string
	}{
		{"Guest escape", nil, []string{"CVE-2026-1234"}, "Guest escape (CVE-2026-1234)"},
		{"Guest escape", nil, []string{"CVE-2026-1234", "CVE-2026-5678"}, "Guest escape (CVE-2026-1234, CVE-2026-5678)"},
		{"Guest escape (CVE-2026-1234)", []string{"CVE-2026-1234"}, []string{"CVE-2026-1234", "CVE-2026-5678"},
			"Guest escape (CVE-2026-1234, CVE-2026-5678)"},
		{"Guest escape (CVE-2026-1234)", []string{"CVE-2026-1234"}, []string{"CVE-2026-9999"}, "Guest escape (CVE-2026-9999)"},
		{"Guest escape (CVE-2026-1234)", []string{"CVE-2026-1234"}, nil, "Guest escape"},
		{"Guest escape (CVE-2026-1234)", []string{"CVE-2026-1234"}, []string{}, "Guest escape"},
		{"Guest escape", nil, nil, "Guest escape"},
		// The title was edited by hand since: the old suffix is not there,
		// so nothing else is cut.
		{"Renamed by hand", []string{"CVE-2026-1234"}, []string{"CVE-2026-1234"}, "Renamed by hand (CVE-2026-1234)"},
		// Only a trailing suffix is taken off.
		{"(CVE-2026-1234) in the middle", []string{"CVE-2026-1234"}, nil, "(CVE-2026-1234) in the middle"},
	}
	for _, tt := range tests {
		if got := Retitle(tt.title, tt.old, tt.new); got != tt.want {
			t.Errorf("retitle(%q, %v, %v) = %q, want %q", tt.title, tt.old, tt.new, got, tt.want)
		}
	}
}

func TestErrors(t *testing.T) {
	err := Invalid("title", "is %s", "wrong")
	if err.Error() != "invalid: title: is wrong" || ErrorCode(err) != EINVALID || ErrorField(err) != "title" || ErrorMessage(err) != "is wrong" {
		t.Errorf("Invalid: %q", err.Error())
	}
	wrapped := fmt.Errorf("updating: %w", NotFound("report"))
	if ErrorCode(wrapped) != ENOTFOUND || ErrorMessage(wrapped) != "report not found" || ErrorField(wrapped) != "" {
		t.Errorf("wrapped: %v", wrapped)
	}
	plain := fmt.Errorf("pq: relation users does not exist")
	if ErrorCode(plain) != EINTERNAL || ErrorMessage(plain) != "internal error" {
		t.Errorf("plain error leaks: %q", ErrorMessage(plain))
	}
	if ErrorCode(nil) != "" {
		t.Error("ErrorCode(nil) is not empty")
	}
	if got := Errorf(ECONFLICT, "taken").Error(); got != "conflict: taken" {
		t.Errorf("Errorf: %q", got)
	}
}
