package http

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// Client is a Go client of the JSON API. Its methods return the domain
// types the server encodes. An error answer is returned as the *vmt.Error the
// server rendered, so that callers can use vmt.ErrorCode on it; an answer
// that is not the API's error JSON (a proxy's page, say) is a *StatusError.
type Client struct {
	BaseURL string       // e.g. https://vmt.example.org, without /api/v1
	Token   string       // the API token secret; empty for anonymous requests
	HTTP    *http.Client // nil: a client with a one-minute timeout
}

// MaxResponseBytes bounds what the client reads of any answer, so that a
// broken or hostile server cannot exhaust the caller's memory.
const MaxResponseBytes = 16 << 20

var defaultHTTP = &http.Client{Timeout: time.Minute}

// StatusError is an error answer that does not carry the API's error JSON.
type StatusError struct {
	Method, URL string
	StatusCode  int
	Status      string // e.g. "502 Bad Gateway"
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: the server answered %s", e.Method, e.URL, e.Status)
}

// do sends a request to path (under /api/v1) with query and, when in is
// not nil, a JSON body, and decodes the answer into out when out is not
// nil. A POST carries a fresh Idempotency-Key, the same on each of its
// attempts, so that a request whose answer was lost (a cut connection, a
// 5xx from a failing store) is sent again without being carried out twice;
// a GET is sent again as it is. Other methods are sent once.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, in, out any) error {
	var key string
	if method == http.MethodPost {
		key = newIdempotencyKey()
	}
	for attempt := 1; ; attempt++ {
		wait, err := c.doOnce(ctx, method, path, query, key, in, out)
		if wait < 0 || attempt == maxAttempts || (method != http.MethodPost && method != http.MethodGet) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

// maxAttempts bounds how often a request is sent; retryWait is the pause
// before the next attempt unless the server's Retry-After is shorter.
const (
	maxAttempts = 3
	retryWait   = time.Second
)

// newIdempotencyKey returns a fresh key: 128 random bits.
func newIdempotencyKey() string { return "vmt-" + rand.Text() }

// doOnce makes one attempt of do. wait is how long to pause before trying
// again, negative when the answer is final.
func (c *Client) doOnce(ctx context.Context, method, path string, query url.Values, key string, in, out any) (time.Duration, error) {
	req, err := c.newRequest(ctx, method, path, query, in)
	if err != nil {
		return -1, err
	}
	if key != "" {
		req.Header.Set(IdempotencyKeyHeader, key)
	}
	h := c.HTTP
	if h == nil {
		h = defaultHTTP
	}
	resp, err := h.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return -1, err
		}
		return retryWait, err // no answer: the request may or may not have run
	}
	defer resp.Body.Close()
	body, err := readBounded(resp.Body)
	if err != nil {
		return -1, fmt.Errorf("%s %s: reading the answer: %w", method, req.URL.Redacted(), err)
	}
	if resp.StatusCode >= 300 {
		err := answerError(req, resp, body)
		return retryAfter(resp, key != "", err), err
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return -1, nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return -1, fmt.Errorf("%s %s: decoding the answer: %w", method, req.URL.Redacted(), err)
	}
	return -1, nil
}

// retryAfter is the pause before the next attempt of an error answer, or
// -1 when trying again would not help. A 503 (the store cannot write now),
// a gateway's 502 or 504, and the key's first request still running are
// tried again; a 500 only under a key, since a 500 may come after the
// change committed.
func retryAfter(resp *http.Response, keyed bool, err error) time.Duration {
	switch {
	case resp.StatusCode == http.StatusServiceUnavailable, resp.StatusCode == http.StatusBadGateway,
		resp.StatusCode == http.StatusGatewayTimeout, resp.StatusCode == http.StatusInternalServerError && keyed,
		vmt.ErrorCode(err) == codeInProgress:
	default:
		return -1
	}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 && time.Duration(s)*time.Second < retryWait {
		return time.Duration(s) * time.Second
	}
	return retryWait
}

func (c *Client) newRequest(ctx context.Context, method, path string, query url.Values, in any) (*http.Request, error) {
	u := strings.TrimRight(c.BaseURL, "/") + "/api/v1" + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("encoding the request to %s: %w", path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "vmt-client")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	return req, nil
}

// readBounded reads r up to MaxResponseBytes and fails beyond.
func readBounded(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxResponseBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxResponseBytes {
		return nil, fmt.Errorf("the answer is larger than %d bytes", MaxResponseBytes)
	}
	return b, nil
}

// answerError turns an error answer into the server's *vmt.Error, or into a
// *StatusError when the body is not the API's error JSON.
func answerError(req *http.Request, resp *http.Response, body []byte) error {
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	var eb ErrorBody
	if mt == "application/json" && json.Unmarshal(body, &eb) == nil && eb.Error.Code != "" {
		return &vmt.Error{Code: eb.Error.Code, Message: eb.Error.Message, Field: eb.Error.Field}
	}
	return &StatusError{Method: req.Method, URL: req.URL.Redacted(), StatusCode: resp.StatusCode, Status: resp.Status}
}

// send makes one request with the JSON body in (nil: none, or {} for a
// POST, which the server requires) and returns the decoded answer.
func send[T any](ctx context.Context, c *Client, method, path string, in any) (*T, error) {
	if in == nil && method == http.MethodPost {
		in = struct{}{}
	}
	var v T
	if err := c.do(ctx, method, path, nil, in, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// get is send for GET.
func get[T any](ctx context.Context, c *Client, path string) (*T, error) {
	return send[T](ctx, c, http.MethodGet, path, nil)
}

// del sends a DELETE, whose answer has no body.
func (c *Client) del(ctx context.Context, path string) error {
	return c.do(ctx, http.MethodDelete, path, nil, nil, nil)
}

// items gets a List answer and returns its items.
func items[T any](ctx context.Context, c *Client, path string, query url.Values) ([]T, error) {
	var l List[T]
	if err := c.do(ctx, http.MethodGet, path, query, nil, &l); err != nil {
		return nil, err
	}
	if l.Items == nil {
		l.Items = []T{}
	}
	return l.Items, nil
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func reportPath(reportID int64, rest string) string { return "/reports/" + id(reportID) + rest }

func userPath(userID int64, rest string) string { return "/users/" + id(userID) + rest }

func projectPath(name, rest string) string { return "/projects/" + url.PathEscape(name) + rest }
