package http

import (
	"context"
	"net/http"

	"github.com/vmtproject/vmt"
)

// DisclosureSettings returns a project's disclosure settings (the
// defaults while it has set none).
func (c *Client) DisclosureSettings(ctx context.Context, project string) (*vmt.DisclosureSettings, error) {
	return get[vmt.DisclosureSettings](ctx, c, projectPath(project, "/disclosure"))
}

// SetDisclosureSettings replaces a project's disclosure settings.
func (c *Client) SetDisclosureSettings(ctx context.Context, project string, in vmt.DisclosureSettings) (*vmt.DisclosureSettings, error) {
	return send[vmt.DisclosureSettings](ctx, c, http.MethodPut, projectPath(project, "/disclosure"), in)
}
