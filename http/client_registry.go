package http

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// The stakeholder registry and its applications, the whole outbox, the
// filtered audit log and the setup checklist (issue 14 item 2).

// Stakeholders lists the registry entries the caller keeps.
func (c *Client) Stakeholders(ctx context.Context) ([]*vmt.Stakeholder, error) {
	return items[*vmt.Stakeholder](ctx, c, "/stakeholders", nil)
}

// Stakeholder returns one registry entry.
func (c *Client) Stakeholder(ctx context.Context, stakeholderID int64) (*vmt.Stakeholder, error) {
	return get[vmt.Stakeholder](ctx, c, "/stakeholders/"+id(stakeholderID))
}

// CreateStakeholder adds an entry to the registry.
func (c *Client) CreateStakeholder(ctx context.Context, in vmt.StakeholderInput) (*vmt.Stakeholder, error) {
	return send[vmt.Stakeholder](ctx, c, http.MethodPost, "/stakeholders", in)
}

// UpdateStakeholder replaces an entry's fields with in.
func (c *Client) UpdateStakeholder(ctx context.Context, stakeholderID int64, in vmt.StakeholderInput) (*vmt.Stakeholder, error) {
	return send[vmt.Stakeholder](ctx, c, http.MethodPut, "/stakeholders/"+id(stakeholderID), in)
}

// DeleteStakeholder removes an entry from the registry.
func (c *Client) DeleteStakeholder(ctx context.Context, stakeholderID int64) error {
	return c.del(ctx, "/stakeholders/"+id(stakeholderID))
}

// StakeholderRequests lists the applications the caller may see: all of
// them to the VMT, one's own to an applicant.
func (c *Client) StakeholderRequests(ctx context.Context) ([]*vmt.StakeholderRequest, error) {
	return items[*vmt.StakeholderRequest](ctx, c, "/stakeholder-requests", nil)
}

// RequestStakeholder files an application to join the registry.
func (c *Client) RequestStakeholder(ctx context.Context, in vmt.StakeholderInput) (*vmt.StakeholderRequest, error) {
	return send[vmt.StakeholderRequest](ctx, c, http.MethodPost, "/stakeholder-requests", in)
}

// AcceptStakeholder accepts an application, which makes its entry.
func (c *Client) AcceptStakeholder(ctx context.Context, requestID int64, note string) (*vmt.StakeholderRequest, error) {
	return send[vmt.StakeholderRequest](ctx, c, http.MethodPost, "/stakeholder-requests/"+id(requestID)+"/accept", vmt.DecideInput{Note: note})
}

// DeclineStakeholder declines an application, with the VMT's reason.
func (c *Client) DeclineStakeholder(ctx context.Context, requestID int64, note string) (*vmt.StakeholderRequest, error) {
	return send[vmt.StakeholderRequest](ctx, c, http.MethodPost, "/stakeholder-requests/"+id(requestID)+"/decline", vmt.DecideInput{Note: note})
}

// OutboxQueue lists the outbox items in state ("" for all) after id
// after, at most limit. Administrators only.
func (c *Client) OutboxQueue(ctx context.Context, state vmt.OutboxState, after int64, limit int) ([]vmt.OutboxEntry, error) {
	q := url.Values{}
	if state != "" {
		q.Set("state", string(state))
	}
	if after != 0 {
		q.Set("after", id(after))
	}
	if limit != 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	return items[vmt.OutboxEntry](ctx, c, "/outbox", q)
}

// RetryOutbox sends a failed outbox item again at once. Administrators only.
func (c *Client) RetryOutbox(ctx context.Context, itemID int64) (*vmt.OutboxEntry, error) {
	return send[vmt.OutboxEntry](ctx, c, http.MethodPost, "/outbox/"+id(itemID)+"/retry", nil)
}

// AuditQuery filters the audit log: a report, some actions, a time, a
// user (by id), a page after a sequence number.
type AuditQuery struct {
	ReportID int64
	ActorID  int64
	Actions  []string
	Since    time.Time
	AfterSeq int64
	Limit    int
}

// AuditSearch returns the events of the audit log q selects.
// Administrators only.
func (c *Client) AuditSearch(ctx context.Context, q AuditQuery) ([]*vmt.AuditEvent, error) {
	v := url.Values{}
	if q.ReportID != 0 {
		v.Set("report", id(q.ReportID))
	}
	if q.ActorID != 0 {
		v.Set("actor", id(q.ActorID))
	}
	if len(q.Actions) > 0 {
		v.Set("action", strings.Join(q.Actions, ","))
	}
	if !q.Since.IsZero() {
		v.Set("since", q.Since.UTC().Format(time.RFC3339))
	}
	if q.AfterSeq != 0 {
		v.Set("after", id(q.AfterSeq))
	}
	if q.Limit != 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	return items[*vmt.AuditEvent](ctx, c, "/audit", v)
}

// Setup returns the checklist of what the instance lacks before a notice
// can go out. Administrators only.
func (c *Client) Setup(ctx context.Context) (*vmt.SetupChecklist, error) {
	return get[vmt.SetupChecklist](ctx, c, "/setup")
}
