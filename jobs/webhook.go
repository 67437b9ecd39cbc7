package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/netguard"
)

// maxWebhookAnswer is how much of a webhook's answer is read (and
// dropped): enough to reuse the connection, never a memory risk.
const maxWebhookAnswer = 64 << 10

// webhookTimeout bounds one call, connection included.
const webhookTimeout = 15 * time.Second

// WebhookHandler delivers KindWebhook items: a POST of {"text": …} (what
// Slack, Mattermost and Rocket.Chat incoming webhooks read) to the item's
// URL. A 2xx answer is delivered; a 5xx, a 429, a timeout or a network
// error is temporary (retried with backoff); any other answer, a redirect
// included, a URL that is not https (or http://127.0.0.1), or a receiver
// at a refused address is permanent.
//
// The URL is typed by a project's VMT, not by the site's administrator:
// unless AllowPrivate, the client dials only public addresses (checked at
// dial time by netguard, so a name that resolves, or re-resolves, to this
// host, a private network or the cloud metadata address is refused).
type WebhookHandler struct {
	// AllowPrivate lets receivers on loopback and private networks be
	// called: tests, and local setups (vmt serve --webhook-allow-private).
	AllowPrivate bool
	// Timeout bounds one call, connection included; 0: 15 s.
	Timeout time.Duration
}

// Webhook returns the Handler of KindWebhook items, h's Deliver with a
// client made once.
func Webhook(h WebhookHandler) Handler {
	timeout := h.Timeout
	if timeout <= 0 {
		timeout = webhookTimeout
	}
	client := netguard.Client(timeout, h.AllowPrivate)
	return func(ctx context.Context, o *vmt.OutboxItem) error {
		var c vmt.WebhookCall
		if err := json.Unmarshal(o.Payload, &c); err != nil {
			return Permanent(fmt.Errorf("outbox %s: payload: %w", o.Key, err))
		}
		if vmt.CheckWebhookURL("url", c.URL) != nil {
			// Not the checker's message: it quotes the URL, a secret.
			return Permanent(fmt.Errorf("outbox %s: the webhook URL is not https (or http://127.0.0.1)", o.Key))
		}
		body, err := json.Marshal(map[string]string{"text": c.Text})
		if err != nil {
			return Permanent(err)
		}
		// client's Timeout bounds the call, connection included.
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
		if err != nil {
			return Permanent(fmt.Errorf("outbox %s: the webhook URL cannot be requested", o.Key))
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "vmt-webhook")
		return webhookAnswer(client.Do(req))
	}
}

// webhookAnswer classifies the outcome of a call. The errors never name
// the URL, which works as a password and would land in the outbox's
// last_error.
func webhookAnswer(resp *http.Response, err error) error {
	if err != nil {
		if errors.Is(err, netguard.ErrRefused) {
			return Permanent(fmt.Errorf("webhook: refused to call the receiver: %w (vmt serve --webhook-allow-private allows it)", netguard.WithoutURL(err)))
		}
		return fmt.Errorf("webhook: %w", netguard.WithoutURL(err))
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxWebhookAnswer))
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return nil
	case c >= 500 || c == http.StatusTooManyRequests || c == http.StatusRequestTimeout:
		return fmt.Errorf("webhook: the receiver answered %s", resp.Status)
	default:
		return Permanent(fmt.Errorf("webhook: the receiver answered %s", resp.Status))
	}
}
