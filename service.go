package vmt

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Service carries out every request, from any front end, against a Store. It
// is where authorization happens: each method takes the Actor and checks,
// through Access, what that actor may see and do before touching anything.
type Service struct {
	Store  Store
	Hasher PasswordHasher
	Now    func() time.Time
	Log    *slog.Logger
	// Checker checks patch series before they are attached to a report;
	// nil refuses every series (pull request links still work).
	Checker FixChecker
	// Tracker looks for fixes on their branches (TrackFixes); nil: never.
	Tracker MergeTracker
	// Pusher pushes the approved fixes of a report at its disclosure
	// (service_push.go); nil: never. PullRequests opens a pull request
	// for each pushed branch; nil: none (no forge is supported yet).
	Pusher       FixPusher
	PullRequests PullRequestOpener
	// CheckAdvisory checks what the domain cannot, the CVSS vectors of an
	// advisory (package cvss: cvss.Check); nil refuses every advisory
	// that carries a vector.
	CheckAdvisory func(*Advisory) error
	// Disclosure holds the key checks, the disclosure date and the notice
	// text, which live outside the domain (issue 5).
	Disclosure DisclosureHooks
	// Publication holds the site's URL and the announcement text of
	// published advisories (service_publication.go).
	Publication PublicationHooks
	// Texts checks project templates and drafts the impact description
	// (package render); CVE reaches the CVE Services API for projects
	// that are a CNA (package cveservices). Issue 4.
	Texts TextHooks
	CVE   CVEServices

	dummyOnce sync.Once
	dummy     string // a hash to check against when an email is unknown
}

// NewService returns a Service with the real clock.
func NewService(st Store, h PasswordHasher, log *slog.Logger) *Service {
	return &Service{Store: st, Hasher: h, Now: time.Now, Log: log}
}

// now returns the current time at the precision the stores keep.
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// audit appends an event for a change made by actor.
func (s *Service) audit(tx Tx, a Actor, action string, projectID, reportID int64, subject string, before, after any) error {
	e := &AuditEvent{
		At: s.now(), ActorID: a.ID(), Action: action,
		ProjectID: projectID, ReportID: reportID, Subject: subject,
		Before: snapshot(before), After: snapshot(after),
	}
	return tx.AppendAudit(e)
}

// auditDiff appends an event holding only the fields that changed.
func (s *Service) auditDiff(tx Tx, a Actor, action string, projectID, reportID int64, subject string, before, after any) error {
	b, af := diff(before, after)
	e := &AuditEvent{
		At: s.now(), ActorID: a.ID(), Action: action,
		ProjectID: projectID, ReportID: reportID, Subject: subject,
		Before: b, After: af,
	}
	return tx.AppendAudit(e)
}

func requireAuth(a Actor) error {
	if a.User == nil {
		return Errorf(EUNAUTHENTICATED, "sign in first")
	}
	return nil
}

func requireAdmin(a Actor) error {
	if err := requireAuth(a); err != nil {
		return err
	}
	if !a.IsAdmin() {
		return Errorf(EFORBIDDEN, "only an administrator may do this")
	}
	return nil
}

func subject(kind string, id int64) string { return kind + ":" + itoa(int(id)) }

func clampPage(limit, offset int) (int, int, error) {
	switch {
	case limit < 0:
		return 0, 0, Invalid("limit", "must not be negative")
	case limit > MaxPageSize:
		return 0, 0, Invalid("limit", "must be at most %d", MaxPageSize)
	case offset < 0:
		return 0, 0, Invalid("offset", "must not be negative")
	case limit == 0:
		limit = DefaultPageSize
	}
	return limit, offset, nil
}

// Ping checks that the store answers.
func (s *Service) Ping(ctx context.Context) error {
	return s.Store.View(ctx, func(tx Tx) error { _, err := tx.CountUsers(); return err })
}
