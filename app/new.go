package app

import (
	"strings"
)

// MissingError is New's error when required dependencies are missing.
type MissingError struct {
	Names []string // the Deps fields, in the order of Deps
}

func (e *MissingError) Error() string {
	return "app: missing required dependencies: " + strings.Join(e.Names, ", ")
}

// dep is one dependency New knows: its name in Deps, whether this Deps
// lacks it, and, for an optional one, what its absence means.
type dep struct {
	name    string
	missing bool
	absent  string // "" for a required dependency
}

// deps lists every dependency of d, required first. TestDepsAllKnown
// checks that every field of Deps (and of its hook structs) is here, so
// that a new one is classified when it is added.
func (d Deps) deps() []dep {
	return []dep{
		{"Store", d.Store == nil, ""},
		{"Hasher", d.Hasher == nil, ""},
		{"Now", d.Now == nil, ""},
		{"Log", d.Log == nil, ""},
		{"Checker", d.Checker == nil, "patch series are refused (pull request links still work)"},
		{"Tracker", d.Tracker == nil, "fixes are not looked for on their branches"},
		{"Pusher", d.Pusher == nil, "approved fixes are not pushed at disclosure"},
		{"Forge", d.Forge == nil, "no project's GitHub repository is kept in step (labels, webhook, the issue and pull requests at the hour)"},
		{"CheckAdvisory", d.CheckAdvisory == nil, "advisories carrying a CVSS vector are refused"},
		{"Disclosure.Keys", d.Disclosure.Keys == nil, "OpenPGP keys are refused"},
		{"Disclosure.Planner", d.Disclosure.Planner == nil, "notices cannot be sent (no disclosure date)"},
		{"Disclosure.Notice", d.Disclosure.Notice == nil, "notices cannot be sent (no text)"},
		{"Disclosure.Prepare", d.Disclosure.Prepare == nil, "no publication notice is prepared at disclosure"},
		{"Publication.BaseURL", d.Publication.BaseURL == "", "advisories carry no link to their page"},
		{"Publication.Render", d.Publication.Render == nil, "announcements are plain text"},
		{"Publication.Signer", d.Publication.Signer == nil, "the CSAF provider is not served (its documents are signed), security.txt is not signed and names no key"},
		{"Publication.Contact", d.Publication.Contact == "", "security.txt names the report form only, no mail address"},
		{"Texts.Check", d.Texts.Check == nil, "project templates cannot be set"},
		{"Texts.Default", d.Texts.Default == nil, "the shipped templates cannot be shown"},
		{"Texts.Preview", d.Texts.Preview == nil, "templates cannot be previewed against a sample report"},
		{"Texts.Impact", d.Texts.Impact == nil, "the impact description is not drafted"},
		{"Texts.Reminder", d.Texts.Reminder == nil, "projects' own embargo reminders are not used"},
		{"Texts.Incomplete", d.Texts.Incomplete == nil, "setting a new report Incomplete posts no message"},
		{"CVE", d.CVE == nil, "CVE ids cannot be reserved or published through CVE Services"},
		{"ReportsPerDay", d.ReportsPerDay <= 0, "a reporter may file any number of reports a day"},
		{"Repositories", len(d.Repositories) == 0, "published OSV records carry no GIT range of the tracked fix commits"},
	}
}

// New returns a Service built on d. The store, the password hasher, the
// clock and the logger are required: without any of them New returns a
// *MissingError naming each one missing. Every other dependency is an
// optional capability; New logs, once, each one this instance lacks and
// what its absence means, so that a missing option shows at start-up and
// not at the first request that needs it.
func New(d Deps) (*Service, error) {
	var missing []string
	for _, x := range d.deps() {
		if x.missing && x.absent == "" {
			missing = append(missing, x.name)
		}
	}
	if len(missing) > 0 {
		return nil, &MissingError{Names: missing}
	}
	for _, x := range d.deps() {
		if x.missing && x.absent != "" {
			d.Log.Info("optional capability absent", "dependency", x.name, "effect", x.absent)
		}
	}
	s := &Service{deps: d, raw: d.Store,
		creds:   newGenCache[string](credMaxKept, copyUser),
		reports: newGenCache[reportKey](reportsMaxKept, copyReportRead)}
	s.deps.Store = &guardedStore{Store: d.Store, creds: s.creds, reports: s.reports}
	return s, nil
}

// Must returns s, or panics with err: for tests and examples, where the
// dependencies are written out in the call and an error is a bug.
func Must(s *Service, err error) *Service {
	if err != nil {
		panic(err)
	}
	return s
}
