package http

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/vmtproject/vmt"
)

// Session lifetimes: a coordinator's working day, and a shorter idle limit
// so that a forgotten tab does not stay signed in.
const (
	sessionLifetime = 12 * time.Hour
	sessionIdle     = 2 * time.Hour
)

// Keys of the session data.
const (
	keyUserID = "uid"
	keyCode   = "code"  // the sign-in checked the code of a second factor
	keySince  = "since" // when the user signed in, Unix microseconds
	keyFlash  = "flash"
	keyError  = "flash_error"
)

// sessions are the web sessions: two managers over one store, because the
// cookie differs with the transport. Over TLS (or with --secure-cookies) the
// cookie is Secure and named with the __Host- prefix, which the browser
// accepts only from a secure origin, for the whole host and path /.
type sessions struct {
	plain, secure *scs.SessionManager
	alwaysSecure  bool
	store         vmt.SessionStore
}

func newSessions(st vmt.SessionStore) *sessions {
	mk := func(name string, secure bool) *scs.SessionManager {
		m := scs.New()
		m.Store = &scsStore{st: st, codec: m.Codec}
		m.Lifetime = sessionLifetime
		m.IdleTimeout = sessionIdle
		m.Cookie.Name = name
		m.Cookie.HttpOnly = true
		m.Cookie.SameSite = http.SameSiteLaxMode
		m.Cookie.Secure = secure
		m.Cookie.Path = "/"
		m.Cookie.Persist = false // a session cookie: closing the browser ends it
		return m
	}
	return &sessions{plain: mk("vmt_session", false), secure: mk("__Host-vmt_session", true), store: st}
}

// manager returns the session manager for r.
func (ss *sessions) manager(r *http.Request) *scs.SessionManager {
	if ss.alwaysSecure || r.TLS != nil {
		return ss.secure
	}
	return ss.plain
}

// SetSecureCookies makes the session cookie Secure (and __Host-) even for
// requests that arrive without TLS: for a server behind a proxy that ends
// TLS. Call it before serving.
func (s *Server) SetSecureCookies(on bool) { s.ui.sessions.alwaysSecure = on }

// CleanSessions removes expired sessions, and the idempotency keys older
// than vmt.IdempotencyKeyTTL, every interval until ctx ends.
func (s *Server) CleanSessions(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			n, err := s.ui.sessions.store.DeleteExpiredSessions(ctx, now)
			if err != nil && ctx.Err() == nil {
				s.log.WarnContext(ctx, "cleaning sessions", slog.Any("err", err))
			} else if n > 0 {
				s.log.InfoContext(ctx, "cleaned sessions", slog.Int64("removed", n))
			}
			s.cleanIdempotencyKeys(ctx, now)
		}
	}
}

// scsStore is scs's store over a vmt.SessionStore. It reads the user id out
// of the session data when committing, so that the store can end all of a
// user's sessions.
type scsStore struct {
	st    vmt.SessionStore
	codec scs.Codec
}

var _ scs.CtxStore = (*scsStore)(nil)

func (s *scsStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	return s.st.FindSession(ctx, token)
}

func (s *scsStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	_, values, err := s.codec.Decode(b)
	if err != nil {
		return err
	}
	uid, _ := values[keyUserID].(int64)
	var since time.Time
	if us, ok := values[keySince].(int64); ok {
		since = time.UnixMicro(us)
	}
	return s.st.CommitSession(ctx, token, uid, since, b, expiry)
}

func (s *scsStore) DeleteCtx(ctx context.Context, token string) error {
	return s.st.DeleteSession(ctx, token)
}

var errNoContext = errors.New("http: session store used without a context")

func (s *scsStore) Find(string) ([]byte, bool, error)      { return nil, false, errNoContext }
func (s *scsStore) Commit(string, []byte, time.Time) error { return errNoContext }
func (s *scsStore) Delete(string) error                    { return errNoContext }

// sessionActor returns the actor signed in to r's session, Anonymous if
// none. A session whose user was disabled since is ended, and so is one
// signed in without a code whose account has a second factor now (turned
// on since, on another device): a signed-in session holds every factor
// its account has, not only those it had at sign-in.
func (s *Server) sessionActor(r *http.Request) (vmt.Actor, error) {
	m := s.ui.sessions.manager(r)
	uid := m.GetInt64(r.Context(), keyUserID)
	if uid == 0 {
		return vmt.Anonymous, nil
	}
	a, err := s.svc.SessionActor(r.Context(), uid)
	if vmt.ErrorCode(err) == vmt.EUNAUTHENTICATED {
		return vmt.Anonymous, m.Destroy(r.Context())
	}
	if err != nil || m.GetBool(r.Context(), keyCode) {
		return a, err
	}
	f, err := s.ui.factors.SecondFactor(r.Context(), uid)
	if err != nil {
		return vmt.Anonymous, fmt.Errorf("reading the second factor of user %d: %w", uid, err)
	}
	if f.Enabled {
		return vmt.Anonymous, m.Destroy(r.Context())
	}
	return a, nil
}

// flash keeps a message for the next page the user sees.
func (s *Server) flash(r *http.Request, msg string, failed bool) {
	key := keyFlash
	if failed {
		key = keyError
	}
	s.ui.sessions.manager(r).Put(r.Context(), key, msg)
}

// cleanIdempotencyKeys removes the keys that have expired at now.
func (s *Server) cleanIdempotencyKeys(ctx context.Context, now time.Time) {
	if s.keys == nil {
		return
	}
	n, err := s.keys.DeleteExpiredIdempotencyKeys(ctx, now.Add(-vmt.IdempotencyKeyTTL))
	if err != nil && ctx.Err() == nil {
		s.log.WarnContext(ctx, "cleaning idempotency keys", slog.Any("err", err))
	} else if n > 0 {
		s.log.InfoContext(ctx, "cleaned idempotency keys", slog.Int64("removed", n))
	}
}
