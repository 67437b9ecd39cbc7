package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/vmtproject/vmt"
)

// Service carries out every request, from any front end, against a Store. It
// is where authorization happens: each method takes the Actor and checks,
// through Access, what that actor may see and do before touching anything.
type Service struct {
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
	// (push.go); nil: never. PullRequests opens a pull request
	// for each pushed branch; nil: none (no forge is supported yet).
	Pusher       vmt.FixPusher
	PullRequests vmt.PullRequestOpener
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

	dummyOnce sync.Once
	dummy     string // a hash to check against when an email is unknown
}

// NewService returns a Service with the real clock.
func NewService(st vmt.Store, h vmt.PasswordHasher, log *slog.Logger) *Service {
	return &Service{Store: st, Hasher: h, Now: time.Now, Log: log}
}

// now returns the current time at the precision the stores keep.
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// audit appends an event for a change made by actor.
func (s *Service) audit(tx vmt.Tx, a vmt.Actor, action string, projectID, reportID int64, subject string, before, after any) error {
	e := &vmt.AuditEvent{
		At: s.now(), ActorID: a.ID(), Action: action,
		ProjectID: projectID, ReportID: reportID, Subject: subject,
		Before: vmt.AuditSnapshot(before), After: vmt.AuditSnapshot(after),
	}
	return tx.AppendAudit(e)
}

// auditDiff appends an event holding only the fields that changed.
func (s *Service) auditDiff(tx vmt.Tx, a vmt.Actor, action string, projectID, reportID int64, subject string, before, after any) error {
	b, af := vmt.AuditDiff(before, after)
	e := &vmt.AuditEvent{
		At: s.now(), ActorID: a.ID(), Action: action,
		ProjectID: projectID, ReportID: reportID, Subject: subject,
		Before: b, After: af,
	}
	return tx.AppendAudit(e)
}

func subject(kind string, id int64) string { return kind + ":" + itoa(int(id)) }

func clampPage(limit, offset int) (int, int, error) {
	switch {
	case limit < 0:
		return 0, 0, vmt.Invalid("limit", "must not be negative")
	case limit > vmt.MaxPageSize:
		return 0, 0, vmt.Invalid("limit", "must be at most %d", vmt.MaxPageSize)
	case offset < 0:
		return 0, 0, vmt.Invalid("offset", "must not be negative")
	case limit == 0:
		limit = vmt.DefaultPageSize
	}
	return limit, offset, nil
}

// Ping checks that the store answers.
func (s *Service) Ping(ctx context.Context) error {
	return s.Store.View(ctx, func(tx vmt.Tx) error { _, err := tx.CountUsers(); return err })
}
