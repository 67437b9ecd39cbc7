package http

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vmtproject/vmt"
)

// Every POST of the API takes an Idempotency-Key header (issue 17): a
// client that got no answer, or a 5xx, sends the same request again with
// the same key and gets the first answer instead of a second report,
// comment or user. The key is claimed in the request's context; the
// store's Update records it in the transaction of the request's changes
// (vmt.Store.Update, sqldb/idempotency.go), so that a committed change
// always has its key; the answer is added once it is written.

// IdempotencyKeyHeader is the request header carrying the key.
const IdempotencyKeyHeader = "Idempotency-Key"

// replayedHeader marks an answer that was replayed, not made again.
const replayedHeader = "Idempotent-Replayed"

// Error codes of the keys, beside the domain's (statusOf).
const (
	codeKeyReused   = "idempotency_key_reused"  // 422: the key came with another request
	codeInProgress  = "request_in_progress"     // 409: the key's first request is still running
	codeAnswerLost  = "idempotency_answer_lost" // 409: carried out, its answer not kept
	maxRecordedBody = 1 << 20                   // bigger answers are not kept for replay
)

// secretAnswers are the routes whose answer holds a secret shown once: a
// key keeps them from being done twice, but their body is not stored
// (a copy of the database would hold usable tokens).
var secretAnswers = map[string]string{
	"POST /api/v1/users/{id}/tokens": "the token was made by the first request and its secret is shown only once: revoke it and make a new one",
}

// lostAnswerLookups are the creating routes whose answer, when it was
// lost after the commit, is the resource read again: the kind of subject
// they make and the path it is read at.
var lostAnswerLookups = map[string]struct{ kind, path string }{
	"POST /api/v1/reports":                 {"report", "/api/v1/reports/"},
	"POST /api/v1/users":                   {"user", "/api/v1/users/"},
	"POST /api/v1/stakeholders":            {"stakeholder", "/api/v1/stakeholders/"},
	"POST /api/v1/stakeholder-requests":    {"stakeholder_request", "/api/v1/stakeholder-requests/"},
	"POST /api/v1/reports/{id}/advisories": {"advisory", "/api/v1/advisories/"},
}

// idempotent runs h for r under the key r carries, or replays the answer
// the key's first request got.
func (s *Server) idempotent(w http.ResponseWriter, r *http.Request, h handler) error {
	key := r.Header.Get(IdempotencyKeyHeader)
	if err := vmt.CheckIdempotencyKey(key); err != nil {
		return err
	}
	a := actorFrom(r.Context())
	if a.User == nil {
		// Keys are per user: anonymous callers would share them.
		return vmt.Errorf(vmt.EUNAUTHENTICATED, "an Idempotency-Key is kept per user: send it with a bearer token")
	}
	if s.keys == nil {
		return vmt.Invalid(IdempotencyKeyHeader, "this server keeps no idempotency keys")
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, max(MaxBodyBytes, vmt.MaxFixSeriesBytes, MaxImportBodyBytes)))
	if err != nil {
		return decodeError(err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	fp := fingerprint(r, body)
	release, ok := s.inflight.acquire(a.ID(), key)
	if !ok {
		return &vmt.Error{Code: codeInProgress, Field: IdempotencyKeyHeader,
			Message: "a request with this Idempotency-Key is still in progress; send it again in a moment"}
	}
	defer release()
	rec, err := s.keys.IdempotentRequest(r.Context(), a.ID(), key, time.Now().Add(-vmt.IdempotencyKeyTTL))
	switch vmt.ErrorCode(err) {
	case "":
		return s.replay(w, r, rec, fp)
	case vmt.ENOTFOUND:
	default:
		return err
	}
	claim := &vmt.IdempotencyClaim{Request: vmt.IdempotentRequest{
		ActorID: a.ID(), Key: key, Fingerprint: fp, Route: r.Pattern, CreatedAt: time.Now().UTC()}}
	rw := &answerRecorder{ResponseWriter: w}
	r = r.WithContext(vmt.WithIdempotencyClaim(r.Context(), claim))
	if err := h(rw, r); err != nil {
		s.writeError(rw, r, err)
	}
	s.recordAnswer(r, claim, rw)
	return nil
}

// recordAnswer adds the answer to the key's record, when a transaction of
// the request committed the key. A 5xx is not kept: the change committed
// but its answer is unknown, and a retry is better answered from what the
// record says was made. Neither is an answer too big to keep.
func (s *Server) recordAnswer(r *http.Request, claim *vmt.IdempotencyClaim, rw *answerRecorder) {
	if rw.status == 0 {
		rw.status = http.StatusOK // nothing written: net/http's default
	}
	if !claim.Committed() || rw.status >= 500 || rw.overflow {
		return
	}
	rec := claim.Request
	rec.Status = rw.status
	if _, secret := secretAnswers[rec.Route]; !secret {
		rec.ContentType, rec.Location, rec.Body = rw.Header().Get("Content-Type"), rw.Header().Get("Location"), rw.body.Bytes()
	}
	// The client may be gone; the record is for its retry.
	ctx := context.WithoutCancel(r.Context())
	if err := s.keys.RecordIdempotentAnswer(ctx, &rec); err != nil {
		s.log.WarnContext(ctx, "recording an idempotent answer", slog.String("route", rec.Route), slog.Any("err", err))
	}
}

// replay answers r with what the first request of its key got.
func (s *Server) replay(w http.ResponseWriter, r *http.Request, rec *vmt.IdempotentRequest, fp string) error {
	if rec.Fingerprint != fp {
		return &vmt.Error{Code: codeKeyReused, Field: IdempotencyKeyHeader, Message: fmt.Sprintf(
			"this Idempotency-Key was used for another request (%s with another body, or another route); use a fresh key for each request", rec.Route)}
	}
	w.Header().Set(replayedHeader, "true")
	if msg, secret := secretAnswers[rec.Route]; secret && rec.Status != 0 {
		return &vmt.Error{Code: codeAnswerLost, Field: IdempotencyKeyHeader, Message: msg}
	}
	if rec.Status == 0 {
		return s.replayLost(w, r, rec)
	}
	if rec.ContentType != "" {
		w.Header().Set("Content-Type", rec.ContentType)
	}
	if rec.Location != "" {
		w.Header().Set("Location", rec.Location)
	}
	w.WriteHeader(rec.Status)
	_, err := w.Write(rec.Body)
	return err
}

// replayLost answers a retry whose first request committed but whose
// answer was not kept (the store failed after the commit, or the answer
// was a 5xx): for a creating route, the resource it made, read again as
// the same actor with the creation's 201; otherwise an error that says the
// request was carried out, so that the client does not make it again.
func (s *Server) replayLost(w http.ResponseWriter, r *http.Request, rec *vmt.IdempotentRequest) error {
	lost := &vmt.Error{Code: codeAnswerLost, Field: IdempotencyKeyHeader, Message: fmt.Sprintf(
		"the request with this Idempotency-Key was carried out (it changed %s), but its answer was not kept; look the result up instead of sending it again",
		orWord(rec.Subject, "the store"))}
	look, ok := lostAnswerLookups[rec.Route]
	kind, id, _ := strings.Cut(rec.Subject, ":")
	if !ok || kind != look.kind {
		return lost
	}
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return lost
	}
	get := r.Clone(r.Context())
	get.Method, get.URL.Path, get.URL.RawPath, get.Body, get.ContentLength = http.MethodGet, look.path+id, "", http.NoBody, 0
	rw := &answerRecorder{ResponseWriter: discardWriter{h: http.Header{}}}
	s.mux.ServeHTTP(rw, get)
	if rw.status != http.StatusOK || rw.overflow {
		return lost
	}
	w.Header().Set("Content-Type", rw.Header().Get("Content-Type"))
	w.Header().Set("Location", look.path+id)
	w.WriteHeader(http.StatusCreated)
	_, err := w.Write(rw.body.Bytes())
	return err
}

func orWord(s, word string) string {
	if s == "" {
		return word
	}
	return s
}

// fingerprint identifies a request for its key: the route, the path (with
// its ids), the query and the body, less its secrets. A fast hash of a
// body holding a password would let anyone with a copy of the store guess
// a weak one offline, where the stored argon2id hash makes that slow; so
// the values of secret fields are left out, and a retry that changes only
// a secret counts as the same request.
func fingerprint(r *http.Request, body []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n", r.Pattern, r.URL.Path, r.URL.RawQuery)
	h.Write(withoutSecrets(body))
	return hex.EncodeToString(h.Sum(nil))
}

// secretFields are the body fields whose values never reach a fingerprint.
var secretFields = []string{"password", "current_password", "new_password", "token", "secret", "api_key"}

// withoutSecrets returns a JSON object body with its secret fields emptied
// (re-encoded with sorted keys), and any other body as it is.
func withoutSecrets(body []byte) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return body
	}
	for _, f := range secretFields {
		if _, ok := m[f]; ok {
			m[f] = json.RawMessage(`""`)
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return b
}

// inflight holds the keys whose requests run in this process, so that a
// second request with a key answers 409 at once instead of waiting on the
// first one's transaction. Across instances the store's unique key does
// the same (ErrIdempotencyKeyTaken).
type inflight struct {
	mu   sync.Mutex
	keys map[inflightKey]struct{}
}

type inflightKey struct {
	actor int64
	key   string
}

func (f *inflight) acquire(actor int64, key string) (release func(), ok bool) {
	k := inflightKey{actor, key}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, busy := f.keys[k]; busy {
		return nil, false
	}
	if f.keys == nil {
		f.keys = make(map[inflightKey]struct{})
	}
	f.keys[k] = struct{}{}
	return func() {
		f.mu.Lock()
		delete(f.keys, k)
		f.mu.Unlock()
	}, true
}

// answerRecorder passes an answer on and keeps a copy of its status and
// body (up to maxRecordedBody).
type answerRecorder struct {
	http.ResponseWriter
	status   int
	body     bytes.Buffer
	overflow bool
}

func (w *answerRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *answerRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.body.Len()+len(b) > maxRecordedBody {
		w.overflow = true
	} else {
		w.body.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *answerRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// discardWriter is a ResponseWriter that keeps only its headers.
type discardWriter struct{ h http.Header }

func (w discardWriter) Header() http.Header         { return w.h }
func (w discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w discardWriter) WriteHeader(int)             {}
