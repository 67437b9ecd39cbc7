// Package imap reads a project's intake mailbox over IMAP (RFC 9051,
// emersion/go-imap v2): the unseen messages of one folder, each whole,
// marked \Seen only when the caller says it was filed.
package imap

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/vmtproject/vmt"
)

// Timeout bounds one round on a mailbox: a server that stops answering
// must not hold the worker.
const Timeout = 5 * time.Minute

// Mailbox is one selected folder on one connection.
type Mailbox struct {
	c           *imapclient.Client
	conn        net.Conn
	folder      string
	uidValidity uint32
	stop        func() bool
}

// Open is a vmt.MailboxOpener: it connects to c.Addr as c.Security says,
// logs in and selects c.Folder.
func Open(ctx context.Context, c *vmt.IntakeSettings, password string) (vmt.Mailbox, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	host, _, _ := net.SplitHostPort(c.Addr)
	// The server is verified against the system's roots.
	conf := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	d := net.Dialer{Timeout: 30 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", c.Addr)
	if err != nil {
		return nil, fmt.Errorf("imap %s: %w", c.Addr, err)
	}
	_ = conn.SetDeadline(time.Now().Add(Timeout))
	opts := &imapclient.Options{TLSConfig: conf}
	var cl *imapclient.Client
	switch c.Security {
	case vmt.IntakeTLS:
		tc := tls.Client(conn, conf)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, fmt.Errorf("imap %s: TLS: %w", c.Addr, err)
		}
		conn, cl = tc, imapclient.New(tc, opts)
	case vmt.IntakeStartTLS:
		if cl, err = imapclient.NewStartTLS(conn, opts); err != nil {
			return nil, fmt.Errorf("imap %s: STARTTLS: %w", c.Addr, err)
		}
	default: // vmt.IntakePlain, loopback only (Validate)
		cl = imapclient.New(conn, opts)
	}
	m := &Mailbox{c: cl, conn: conn, folder: c.Folder}
	// The client is not context-aware: ending ctx closes the connection,
	// which ends the command waiting on it.
	m.stop = context.AfterFunc(ctx, func() { conn.Close() })
	if err := cl.WaitGreeting(); err != nil {
		m.Close()
		return nil, fmt.Errorf("imap %s: greeting: %w", c.Addr, err)
	}
	if err := cl.Login(c.User, password).Wait(); err != nil {
		m.Close()
		return nil, fmt.Errorf("imap %s: login as %s: %w", c.Addr, c.User, err)
	}
	sel, err := cl.Select(c.Folder, nil).Wait()
	if err != nil {
		m.Close()
		return nil, fmt.Errorf("imap %s: select %q: %w", c.Addr, c.Folder, err)
	}
	m.uidValidity = sel.UIDValidity
	return m, nil
}

// Unseen lists the messages without \Seen, by UID.
func (m *Mailbox) Unseen(ctx context.Context) ([]vmt.MailboxMessage, error) {
	data, err := m.c.UIDSearch(&goimap.SearchCriteria{NotFlag: []goimap.Flag{goimap.FlagSeen}}, nil).Wait()
	if err != nil {
		return nil, m.err(ctx, "search unseen", err)
	}
	uids := data.AllUIDs()
	if len(uids) == 0 {
		return nil, nil
	}
	bufs, err := m.c.Fetch(goimap.UIDSetNum(uids...), &goimap.FetchOptions{UID: true, RFC822Size: true, Envelope: true}).Collect()
	if err != nil {
		return nil, m.err(ctx, "fetch envelopes", err)
	}
	out := make([]vmt.MailboxMessage, 0, len(bufs))
	for _, b := range bufs {
		msg := vmt.MailboxMessage{UID: uint32(b.UID), Size: b.RFC822Size,
			Key: fmt.Sprintf("%s/%d/%d", m.folder, m.uidValidity, b.UID)}
		if e := b.Envelope; e != nil {
			msg.MessageID = strings.TrimSuffix(strings.TrimPrefix(e.MessageID, "<"), ">")
			msg.Subject = e.Subject
			if len(e.From) > 0 {
				msg.From = strings.ToLower(e.From[0].Addr())
			}
		}
		out = append(out, msg)
	}
	// The server answers in its order; the oldest is filed first.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].UID < out[j-1].UID; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}

// Fetch returns message uid whole, with BODY.PEEK[] so that it stays
// unseen, or an error when it is larger than max (checked on its size
// before it is fetched, and on what came).
func (m *Mailbox) Fetch(ctx context.Context, uid uint32, max int64) ([]byte, error) {
	set := goimap.UIDSetNum(goimap.UID(uid))
	sizes, err := m.c.Fetch(set, &goimap.FetchOptions{UID: true, RFC822Size: true}).Collect()
	if err != nil {
		return nil, m.err(ctx, "fetch size", err)
	}
	if len(sizes) != 1 {
		return nil, fmt.Errorf("imap: message %d is gone", uid)
	}
	if sizes[0].RFC822Size > max {
		return nil, fmt.Errorf("imap: message %d is %d bytes, more than %d", uid, sizes[0].RFC822Size, max)
	}
	section := &goimap.FetchItemBodySection{Peek: true}
	bufs, err := m.c.Fetch(set, &goimap.FetchOptions{UID: true, BodySection: []*goimap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		return nil, m.err(ctx, "fetch message", err)
	}
	if len(bufs) != 1 {
		return nil, fmt.Errorf("imap: message %d is gone", uid)
	}
	b := bufs[0].FindBodySection(section)
	if int64(len(b)) > max {
		return nil, fmt.Errorf("imap: message %d is %d bytes, more than %d", uid, len(b), max)
	}
	return b, nil
}

// MarkSeen adds \Seen to message uid.
func (m *Mailbox) MarkSeen(ctx context.Context, uid uint32) error {
	err := m.c.Store(goimap.UIDSetNum(goimap.UID(uid)),
		&goimap.StoreFlags{Op: goimap.StoreFlagsAdd, Silent: true, Flags: []goimap.Flag{goimap.FlagSeen}}, nil).Close()
	if err != nil {
		return m.err(ctx, "mark seen", err)
	}
	return nil
}

// Close logs out and closes the connection.
func (m *Mailbox) Close() error {
	m.stop()
	_ = m.c.Logout().Wait()
	err := m.c.Close()
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

func (m *Mailbox) err(ctx context.Context, op string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("imap %s: %w", op, ctx.Err())
	}
	return fmt.Errorf("imap %s: %w", op, err)
}
