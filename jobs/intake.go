package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/pgpmail"
)

// Intake reads the mailbox of every project that enabled one and files
// each unseen message as a private report (app.FileIntake). A message is
// marked \Seen only once it is on record as filed; one that cannot be read
// or filed stays unseen and is kept as an intake failure for the VMT, and
// is tried again each round (a fixed key, a sender who proved their
// address since). Two instances may poll one mailbox: the store's unique
// record of each Message-ID files it once.
type Intake struct {
	Service *app.Service
	Open    vmt.MailboxOpener // package imap's Open
	// Getenv reads the env: references; nil is os.Getenv.
	Getenv func(string) string
	Log    *slog.Logger
	Poll   time.Duration // between rounds; default 1m
	// MaxBytes is the largest message fetched; 0 is
	// vmt.MaxIntakeMessageBytes, the most it may be.
	MaxBytes int64
}

func (in *Intake) max() int64 {
	if in.MaxBytes <= 0 || in.MaxBytes > vmt.MaxIntakeMessageBytes {
		return vmt.MaxIntakeMessageBytes
	}
	return in.MaxBytes
}

// Run polls until ctx ends. A failed round is logged and tried again at
// the next poll.
func (in *Intake) Run(ctx context.Context) {
	if in.Poll <= 0 {
		in.Poll = time.Minute
	}
	t := time.NewTicker(in.Poll)
	defer t.Stop()
	for {
		if _, err := in.Round(ctx); err != nil && ctx.Err() == nil {
			in.log().ErrorContext(ctx, "intake round", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (in *Intake) log() *slog.Logger {
	if in.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return in.Log
}

// Round reads every enabled mailbox once and returns how many reports it
// filed. A mailbox that cannot be opened is logged and the others are
// read; the error returned is the store's.
func (in *Intake) Round(ctx context.Context) (int, error) {
	cs, err := in.Service.EnabledIntakes(ctx)
	if err != nil {
		return 0, err
	}
	filed := 0
	for _, c := range cs {
		n, err := in.mailbox(ctx, c)
		filed += n
		var se storeError
		if errors.As(err, &se) {
			return filed, se.err
		}
		if err != nil {
			in.log().WarnContext(ctx, "intake mailbox", "project", c.ProjectID, "addr", c.Addr, "folder", c.Folder, "err", err)
		}
	}
	return filed, nil
}

// storeError marks an error of the store, which ends the round.
type storeError struct{ err error }

func (e storeError) Error() string { return e.err.Error() }

// mailbox files the unseen messages of one project's mailbox.
func (in *Intake) mailbox(ctx context.Context, c *vmt.IntakeSettings) (int, error) {
	password, err := in.secret(c.PasswordRef)
	if err != nil {
		return 0, fmt.Errorf("password_ref: %w", err)
	}
	key, err := in.secret(c.KeyRef)
	if err != nil {
		return 0, fmt.Errorf("key_ref: %w", err)
	}
	var pass []byte
	if c.PassphraseRef != "" {
		if pass, err = in.secret(c.PassphraseRef); err != nil {
			return 0, fmt.Errorf("passphrase_ref: %w", err)
		}
	}
	dec, err := pgpmail.ParseDecryptor(key, []byte(strings.TrimRight(string(pass), "\r\n")))
	if err != nil {
		return 0, err
	}
	mb, err := in.Open(ctx, c, strings.TrimRight(string(password), "\r\n"))
	if err != nil {
		return 0, err
	}
	defer mb.Close()
	msgs, err := mb.Unseen(ctx)
	if err != nil {
		return 0, err
	}
	filed := 0
	for _, msg := range msgs {
		if ctx.Err() != nil {
			return filed, ctx.Err()
		}
		ok, err := in.message(ctx, c.ProjectID, mb, dec, msg)
		if err != nil {
			return filed, err
		}
		if ok {
			filed++
		}
	}
	return filed, nil
}

// message files one message, or keeps it as a failure, and says whether
// it filed it now.
func (in *Intake) message(ctx context.Context, projectID int64, mb vmt.Mailbox, dec *pgpmail.Decryptor, msg vmt.MailboxMessage) (bool, error) {
	fail := func(reason string) (bool, error) {
		key := msg.MessageID
		if key == "" {
			key = msg.Key
		}
		in.log().WarnContext(ctx, "intake: message kept unread", "project", projectID, "key", key, "reason", reason)
		err := in.Service.RecordIntakeFailure(ctx, &vmt.IntakeFailure{ProjectID: projectID, Key: key,
			From: msg.From, Subject: msg.Subject, Size: msg.Size, Reason: reason})
		if err != nil {
			return false, storeError{err}
		}
		return false, nil
	}
	if msg.Size > in.max() {
		return fail(fmt.Sprintf("the message is %d bytes, more than the limit of %d", msg.Size, in.max()))
	}
	if msg.MessageID != "" {
		done, err := in.Service.IntakeFiled(ctx, projectID, msg.MessageID)
		if err != nil {
			return false, storeError{err}
		}
		if done { // filed by a round that stopped before marking it
			return false, mb.MarkSeen(ctx, msg.UID)
		}
	}
	raw, err := mb.Fetch(ctx, msg.UID, in.max())
	if err != nil {
		if ctx.Err() != nil {
			return false, err
		}
		return fail(err.Error())
	}
	known := func(from string) [][]byte {
		keys, err := in.Service.IntakeSenderKeys(ctx, from)
		if err != nil {
			return nil
		}
		out := make([][]byte, len(keys))
		for i, k := range keys {
			out[i] = []byte(k)
		}
		return out
	}
	rcv, err := pgpmail.Read(raw, dec, known, in.Service.Deps().Now())
	if err != nil {
		return fail("cannot read the message: " + err.Error())
	}
	m := vmt.IntakeMail{MessageID: rcv.MessageID, From: rcv.From, FromName: rcv.FromName, Subject: rcv.Subject,
		Body: rcv.Body, Encrypted: rcv.Encrypted,
		Signature: vmt.IntakeSignature{State: rcv.Signature.State, Fingerprint: rcv.Signature.Fingerprint, KeyID: rcv.Signature.KeyID}}
	if msg.MessageID == "" {
		msg.MessageID = m.MessageID // a failure from here on is kept under it
	}
	for _, a := range rcv.Attachments {
		m.Attachments = append(m.Attachments, vmt.ReportAttachment{Name: a.Name, ContentType: a.ContentType, Data: a.Data})
	}
	if len(rcv.Keys) > 0 {
		m.SenderKey = string(rcv.Keys[0])
	}
	res, err := in.Service.FileIntake(ctx, projectID, m)
	switch vmt.ErrorCode(err) {
	case "":
	case vmt.EINVALID, vmt.ETOOLARGE:
		return fail("cannot file the message: " + err.Error())
	default:
		return false, storeError{err}
	}
	if res.Filed {
		in.log().InfoContext(ctx, "intake: filed", "project", projectID, "report", res.ReportID, "message_id", m.MessageID)
	}
	// Only now, with the report committed, is the message marked read.
	return res.Filed, mb.MarkSeen(ctx, msg.UID)
}

// maxSecretBytes bounds a secret read from a file: a key, a password.
const maxSecretBytes = 256 << 10

// secret reads a reference: env:NAME or file:/path.
func (in *Intake) secret(ref string) ([]byte, error) {
	switch {
	case strings.HasPrefix(ref, "env:"):
		get := in.Getenv
		if get == nil {
			get = os.Getenv
		}
		v := get(strings.TrimPrefix(ref, "env:"))
		if v == "" {
			return nil, fmt.Errorf("the environment variable %s is empty or unset", strings.TrimPrefix(ref, "env:"))
		}
		return []byte(v), nil
	case strings.HasPrefix(ref, "file:"):
		f, err := os.Open(strings.TrimPrefix(ref, "file:"))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, maxSecretBytes+1))
		if err != nil {
			return nil, err
		}
		if len(b) > maxSecretBytes {
			return nil, fmt.Errorf("%s is larger than %d bytes", ref, maxSecretBytes)
		}
		return b, nil
	}
	return nil, fmt.Errorf("%q is not env:NAME or file:/path", ref)
}
