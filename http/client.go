package http

import (
	"bytes"
	"context"
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

// do sends one request to path (under /api/v1) with query and, when in is
// not nil, a JSON body, and decodes the answer into out when out is not nil.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, in, out any) error {
	req, err := c.newRequest(ctx, method, path, query, in)
	if err != nil {
		return err
	}
	h := c.HTTP
	if h == nil {
		h = defaultHTTP
	}
	resp, err := h.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := readBounded(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: reading the answer: %w", method, req.URL.Redacted(), err)
	}
	if resp.StatusCode >= 300 {
		return answerError(req, resp, body)
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s %s: decoding the answer: %w", method, req.URL.Redacted(), err)
	}
	return nil
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
