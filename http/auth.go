package http

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/vmtproject/vmt"
)

// authenticate returns the actor of r: anonymous without credentials, the
// token's user with a valid bearer token. A bad token is an error, not a
// silent fall back to anonymous, so that a client learns its token is wrong.
func (s *Server) authenticate(r *http.Request) (vmt.Actor, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return vmt.Anonymous, nil
	}
	ip := clientIP(r)
	if !s.limiter.allowed(ip) {
		return vmt.Anonymous, vmt.Errorf(vmt.ERATELIMIT, "too many failed sign-in attempts; try again later")
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		s.limiter.fail(ip)
		return vmt.Anonymous, vmt.Errorf(vmt.EUNAUTHENTICATED, "the Authorization header must be \"Bearer <token>\"")
	}
	a, err := s.svc.Authenticate(r.Context(), strings.TrimSpace(token))
	if vmt.ErrorCode(err) == vmt.EUNAUTHENTICATED {
		s.limiter.fail(ip)
	}
	return a, err
}

// clientIP is the address the request came from. The server does not trust
// forwarding headers; a deployment behind a proxy sets the limit there.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Failed sign-ins allowed per address: a burst, then one every few seconds.
const (
	failBurst    = 20
	failInterval = 3 * time.Second
	maxTracked   = 10000
)

// failLimiter counts failed authentications per client address.
type failLimiter struct {
	mu  sync.Mutex
	now func() time.Time
	m   map[string]*rate.Limiter
}

func newFailLimiter(now func() time.Time) *failLimiter {
	return &failLimiter{now: now, m: make(map[string]*rate.Limiter)}
}

// allowed reports whether ip may try again: it has tokens left.
func (l *failLimiter) allowed(ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.m[ip]
	return !ok || lim.TokensAt(l.now()) >= 1
}

// fail spends one attempt of ip.
func (l *failLimiter) fail(ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.m[ip]
	if !ok {
		if len(l.m) >= maxTracked {
			l.forgetFull()
		}
		lim = rate.NewLimiter(rate.Every(failInterval), failBurst)
		l.m[ip] = lim
	}
	lim.AllowN(l.now(), 1)
}

// forgetFull drops the addresses whose buckets have refilled, and all of
// them if none has, so that the map stays bounded under a spray of
// addresses.
func (l *failLimiter) forgetFull() {
	now := l.now()
	for ip, lim := range l.m {
		if lim.TokensAt(now) >= failBurst {
			delete(l.m, ip)
		}
	}
	if len(l.m) >= maxTracked {
		clear(l.m)
	}
}
