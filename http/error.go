package http

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/vmtproject/vmt"
)

// statusOf maps domain error codes to HTTP statuses; it is the one place
// where this happens.
var statusOf = map[string]int{
	vmt.EINVALID:         http.StatusBadRequest,
	vmt.ENOTFOUND:        http.StatusNotFound,
	vmt.ECONFLICT:        http.StatusConflict,
	vmt.EUNAUTHENTICATED: http.StatusUnauthorized,
	vmt.EFORBIDDEN:       http.StatusForbidden,
	vmt.ETOOLARGE:        http.StatusRequestEntityTooLarge,
	vmt.ERATELIMIT:       http.StatusTooManyRequests,
	vmt.EINTERNAL:        http.StatusInternalServerError,
	vmt.EUNAVAILABLE:     http.StatusServiceUnavailable,
	codeUnsupportedMedia: http.StatusUnsupportedMediaType,
	codeMethod:           http.StatusMethodNotAllowed,
	codeKeyReused:        http.StatusUnprocessableEntity,
	codeInProgress:       http.StatusConflict,
	codeAnswerLost:       http.StatusConflict,
}

// retryAfterSeconds is the Retry-After of a 503: a full disk or a database
// restart is not cured in a second, and clients should not hammer it.
const retryAfterSeconds = "30"

const (
	codeUnsupportedMedia = "unsupported_media_type"
	codeMethod           = "method_not_allowed"
)

// ErrorBody is the JSON shape of every error answer.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong and, for bad input, where.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := vmt.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status >= http.StatusInternalServerError {
		// The detail goes to the log, never to the client. The route
		// and the store's operation (in err) say what failed.
		s.log.ErrorContext(r.Context(), "request failed", slog.String("route", r.Pattern),
			slog.String("path", r.URL.Path), slog.String("code", code), slog.Any("err", err))
	}
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", retryAfterSeconds)
	}
	if code == vmt.EUNAUTHENTICATED {
		w.Header().Set("WWW-Authenticate", `Bearer realm="vmt"`)
	}
	var ve *vmt.Error
	if !errors.As(err, &ve) {
		code = vmt.EINTERNAL
	}
	writeJSON(w, status, ErrorBody{ErrorDetail{Code: code, Message: vmt.ErrorMessage(err), Field: vmt.ErrorField(err)}})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}
