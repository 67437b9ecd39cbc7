package app

import (
	"log/slog"
	"time"

	"github.com/vmtproject/vmt"
)

// Deps are every dependency of a Service, given once to New, which
// checks them: the store, the password hasher, the clock and the logger
// are required; every other field is an optional capability, nil when
// this instance has none (New logs each absent one once).
type Deps struct {
	Store  vmt.Store
	Hasher vmt.PasswordHasher
	Now    func() time.Time
	Log    *slog.Logger
	// Checker checks patch series before they are attached to a report;
	// nil refuses every series (pull request links still work).
	Checker vmt.FixChecker
	// Tracker looks for fixes on their branches (TrackFixes); nil: never.
	Tracker vmt.MergeTracker
	// Pusher pushes the approved fixes of a report at its disclosure
	// (push.go); nil: never.
	Pusher vmt.FixPusher
	// Forge reaches the GitHub repositories of the projects that set one
	// up (package github, issue 16): at the disclosure hour it opens the
	// public issue and a pull request per pushed branch (forge_hour.go);
	// nil: nothing is queued for a forge.
	Forge vmt.Forge
	// CheckAdvisory checks what the domain cannot, the CVSS vectors of an
	// advisory (package cvss: cvss.Check); nil refuses every advisory
	// that carries a vector.
	CheckAdvisory func(*vmt.Advisory) error
	// Disclosure holds the key checks, the disclosure date and the notice
	// text, which live outside the domain (issue 5).
	Disclosure vmt.DisclosureHooks
	// Publication holds the site's URL and the announcement text of
	// published advisories (publication.go).
	Publication vmt.PublicationHooks
	// Texts checks project templates and drafts the impact description
	// (package render); CVE reaches the CVE Services API for projects
	// that are a CNA (package cveservices). Issue 4.
	Texts vmt.TextHooks
	CVE   vmt.CVEServices
	// ReportsPerDay is the most reports one reporter files in a day, in
	// every project together (vmt serve --reports-per-day, 20 unless
	// told); 0: no bound. A project's members are never bounded.
	ReportsPerDay int
	// Repositories is the public URL of each project's git repository,
	// by project name (vmt serve --repo): the OSV export of a published
	// document names it in a GIT range with the commits its fixes were
	// merged as. A project without one gets no GIT range from tracking.
	Repositories map[string]string
}

// Deps returns a copy of the dependencies s was built with, to read:
// nothing changes a built Service.
func (s *Service) Deps() Deps {
	d := s.deps
	d.Store = s.raw
	return d
}
