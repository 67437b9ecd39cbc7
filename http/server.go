// Package http serves the JSON API (and, later, the web pages) over
// net/http, and holds the Go client of that API.
package http

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
)

// Server routes requests to the service.
type Server struct {
	svc     *app.Service
	log     *slog.Logger
	mux     *routeMux
	limiter *failLimiter
	ui      *webUI // the web pages; see ui_routes.go
	// keys keeps the Idempotency-Keys of the API's POSTs (idempotency.go);
	// nil when the store keeps none.
	keys     vmt.IdempotencyStore
	inflight inflight
	csaf     csafCache        // the CSAF provider's files (csaf_provider.go)
	sectxt   securityTxtCache // the day's security.txt (security_txt.go)
}

// NewServer returns a server for svc.
func NewServer(svc *app.Service, log *slog.Logger) *Server {
	s := &Server{svc: svc, log: log, mux: &routeMux{ServeMux: http.NewServeMux()}, limiter: newFailLimiter(time.Now)}
	s.keys, _ = svc.Deps().Store.(vmt.IdempotencyStore)
	s.routes()
	return s
}

// ServeHTTP authenticates the request, then hands it to its route.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	info := &requestInfo{}
	defer func() {
		// The path holds ids only; bodies and queries are never logged.
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", sw.status), slog.Duration("took", time.Since(start)),
			slog.Int64("actor", info.actor))
	}()
	s.mux.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info)))
}

// routeMux is the server's ServeMux, keeping the list of its patterns so
// that a test can walk every route there is (e.g. every path that might
// sign a session in) rather than a list written by hand.
type routeMux struct {
	*http.ServeMux
	patterns []string
}

// Handle registers h for pattern, and remembers the pattern.
func (m *routeMux) Handle(pattern string, h http.Handler) {
	m.ServeMux.Handle(pattern, h)
	m.patterns = append(m.patterns, pattern)
}

// HandleFunc registers f for pattern, and remembers the pattern.
func (m *routeMux) HandleFunc(pattern string, f func(http.ResponseWriter, *http.Request)) {
	m.Handle(pattern, http.HandlerFunc(f))
}

// handler is a route that returns its error for one place to render.
type handler func(w http.ResponseWriter, r *http.Request) error

// api wraps an API route: it authenticates, sets the headers every answer
// carries and renders a returned error.
func (s *Server) api(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		a, err := s.authenticate(r)
		if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
			info.actor = a.ID()
		}
		if err == nil {
			r = r.WithContext(withActor(r.Context(), a))
			if r.Method == http.MethodPost && len(r.Header.Values(IdempotencyKeyHeader)) > 0 {
				err = s.idempotent(w, r, h)
			} else {
				err = h(w, r)
			}
		}
		if err != nil {
			s.writeError(w, r, err)
		}
	})
}

// requestInfo carries what the request log needs back out of the handler.
type requestInfo struct{ actor int64 }

type requestInfoKey struct{}

type actorKey struct{}

func withActor(ctx context.Context, a vmt.Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// actorFrom returns the authenticated actor of a request, Anonymous if none.
func actorFrom(ctx context.Context) vmt.Actor {
	a, _ := ctx.Value(actorKey{}).(vmt.Actor)
	return a
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
