package http

import (
	"context"

	"github.com/vmtproject/vmt"
)

// Inbox returns what waits on the signed-in person and what they wait on.
func (c *Client) Inbox(ctx context.Context) (*vmt.Inbox, error) {
	return get[vmt.Inbox](ctx, c, "/inbox")
}

// NotificationSettings returns what the signed-in person receives.
func (c *Client) NotificationSettings(ctx context.Context) (*vmt.NotificationSettings, error) {
	return get[vmt.NotificationSettings](ctx, c, "/account/notifications")
}
