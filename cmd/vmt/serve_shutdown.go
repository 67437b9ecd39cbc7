package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	nethttp "net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// shutdownFlags bound a graceful stop of `vmt serve`.
type shutdownFlags struct{ timeout time.Duration }

func (f *shutdownFlags) register(fs *flag.FlagSet) {
	fs.DurationVar(&f.timeout, "shutdown-timeout", 30*time.Second, "on SIGTERM or Ctrl-C, how long the requests in flight and the worker's send in flight may take to finish; past it they are cut, the log says which, and vmt exits non-zero")
}

// grace is the bound, for the worker's send in flight as for requests;
// a bound of nothing is a usage error.
func (f *shutdownFlags) grace() (time.Duration, error) {
	if f.timeout <= 0 {
		return 0, usagef("--shutdown-timeout must be above 0, not %v", f.timeout)
	}
	return f.timeout, nil
}

// inFlight is the handler of the server, keeping the requests it is
// serving so that a stop that cuts them can say which.
type inFlight struct {
	next nethttp.Handler
	mu   sync.Mutex
	reqs map[*nethttp.Request]time.Time
}

func trackRequests(next nethttp.Handler) *inFlight {
	return &inFlight{next: next, reqs: map[*nethttp.Request]time.Time{}}
}

func (f *inFlight) ServeHTTP(w nethttp.ResponseWriter, r *nethttp.Request) {
	f.mu.Lock()
	f.reqs[r] = time.Now()
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.reqs, r)
		f.mu.Unlock()
	}()
	f.next.ServeHTTP(w, r)
}

// list names the requests in flight, oldest first, by method and path
// (paths hold ids, never secrets; the query, which may hold a search, is
// left out).
func (f *inFlight) list() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	type req struct {
		name  string
		since time.Time
	}
	var rs []req
	for r, since := range f.reqs {
		rs = append(rs, req{r.Method + " " + r.URL.Path, since})
	}
	slices.SortFunc(rs, func(a, b req) int { return a.since.Compare(b.since) })
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = fmt.Sprintf("%s (for %v)", r.name, time.Since(r.since).Round(time.Millisecond))
	}
	return out
}

// shutdown stops srv, whose Serve returns on served, once the signal came:
// the requests in flight finish and the worker (already stopping, its
// context ended with the signal's) finishes its send in flight, both
// within the bound. Past it the requests are cut, and the log says which;
// the error (a non-zero exit) says what was cut.
func (f *shutdownFlags) shutdown(log *slog.Logger, srv *nethttp.Server, reqs *inFlight, served, worker <-chan error) error {
	log.Info("shutting down", "bound", f.timeout)
	ctx, cancel := context.WithTimeout(context.Background(), f.timeout)
	defer cancel()
	var errs []error
	if err := srv.Shutdown(ctx); err != nil {
		cut := reqs.list()
		log.Error("shutdown bound passed; cutting the requests still in flight",
			"bound", f.timeout, "requests", len(cut), "cut", strings.Join(cut, ", "))
		srv.Close()
		errs = append(errs, fmt.Errorf("shutdown: %d request(s) still in flight after %v were cut", len(cut), f.timeout))
	}
	if err := <-served; !errors.Is(err, nethttp.ErrServerClosed) {
		errs = append(errs, err)
	}
	if err := <-worker; err != nil {
		// The worker logged which item it cut.
		errs = append(errs, fmt.Errorf("shutdown: worker: %w", err))
	}
	return errors.Join(errs...)
}
