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
)

// maxWebhookAnswer is how much of a webhook's answer is read (and
// dropped): enough to reuse the connection, never a memory risk.
const maxWebhookAnswer = 64 << 10

// webhookTimeout bounds one call, connection included.
const webhookTimeout = 15 * time.Second

// Webhook returns the Handler of KindWebhook items: a POST of
// {"text": …} (what Slack, Mattermost and Rocket.Chat incoming webhooks
// read) to the item's URL. A 2xx answer is delivered; a 5xx, a 429, a
// timeout or a network error is temporary (retried with backoff); any
// other answer, a redirect included, or a URL that is not https (or
// http://127.0.0.1) is permanent. client nil: one with a timeout that
// follows no redirect.
func Webhook(client *http.Client) Handler {
	if client == nil {
		client = &http.Client{Timeout: webhookTimeout, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}
	}
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
		ctx, cancel := context.WithTimeout(ctx, webhookTimeout)
		defer cancel()
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
		var ue interface{ Unwrap() error }
		if errors.As(err, &ue) {
			err = ue.Unwrap() // *url.Error: drop the URL
		}
		return fmt.Errorf("webhook: %w", err)
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
