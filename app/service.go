package app

import (
	"context"
	"sync"
	"time"

	"github.com/vmtproject/vmt"
)

// Service carries out every request, from any front end, against a Store. It
// is where authorization happens: each method takes the Actor and checks,
// through Access, what that actor may see and do before touching anything.
type Service struct {
	deps      Deps // Store is raw behind a guardedStore (credcache.go)
	raw       vmt.Store
	creds     *genCache[string, vmt.User]
	reports   *genCache[reportKey, reportRead]
	dummyOnce sync.Once
	dummy     string // a hash to check against when an email is unknown
}

// now returns the current time at the precision the stores keep.
func (s *Service) now() time.Time { return s.deps.Now().UTC().Truncate(time.Microsecond) }

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
	return s.deps.Store.View(ctx, func(tx vmt.Tx) error { _, err := tx.CountUsers(); return err })
}
