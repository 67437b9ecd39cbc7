package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/imap"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/smtp"
)

// mailFlags are the settings of the notices and of the worker that
// delivers them and discloses reports at their hour.
type mailFlags struct {
	signingKey, smtpAddr, smtpUser, security, from, siteURL, team string
	poll, lease, intakePoll                                       time.Duration
	batch                                                         int
	webhookAllowPrivate                                           bool
}

func (m *mailFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&m.signingKey, "signing-key", "", "FILE: the VMT's armored OpenPGP secret key, which signs every notice (passphrase in VMT_SIGNING_KEY_PASSPHRASE)")
	fs.StringVar(&m.smtpAddr, "smtp-addr", "", "HOST:PORT of the SMTP relay notices go through")
	fs.StringVar(&m.smtpUser, "smtp-user", "", "user for AUTH PLAIN at the relay (password in VMT_SMTP_PASSWORD)")
	fs.StringVar(&m.security, "smtp-security", "starttls", "starttls, tls (implicit, port 465) or plain (a relay on this host only)")
	fs.StringVar(&m.from, "mail-from", "Vulnerability Management Team <vmt@localhost>", "the From of notices")
	fs.StringVar(&m.siteURL, "site-url", "", "the public URL of this site, for links in notices (default: http://LISTEN)")
	fs.StringVar(&m.team, "team", "Vulnerability Management Team", "the team's name, as notices sign it")
	fs.DurationVar(&m.poll, "worker-poll", 10*time.Second, "how often the worker looks for due disclosures and mail")
	fs.DurationVar(&m.lease, "worker-lease", 5*time.Minute, "how long a worker holds the mails it claimed; after a crash another takes them when it ends")
	fs.IntVar(&m.batch, "worker-batch", 50, "how many mails a worker claims at once")
	fs.DurationVar(&m.intakePoll, "intake-poll", time.Minute, "how often the IMAP mailboxes of the projects that set one (vmt project intake) are read for reports")
	fs.BoolVar(&m.webhookAllowPrivate, "webhook-allow-private", false, "let chat webhooks call receivers on this host and private networks (a local setup); refused by default, since a project's VMT types the URL")
}

// setup checks the mail and worker flags and returns the worker's setup:
// the hooks it provides to the service, and the worker built on it.
func (m *mailFlags) setup(e *env, listen string, log *slog.Logger) (*jobs.Setup, error) {
	sec, err := parseSecurity(m.security)
	if err != nil {
		return nil, err
	}
	cfg := jobs.Config{
		Site:       jobs.Site{BaseURL: m.siteURL, Team: m.team},
		Passphrase: []byte(e.getenv("VMT_SIGNING_KEY_PASSPHRASE")),
		From:       m.from,
		SMTP:       smtp.Config{Addr: m.smtpAddr, Security: sec, Username: m.smtpUser, Password: e.getenv("VMT_SMTP_PASSWORD")},

		WebhookAllowPrivate: m.webhookAllowPrivate,
	}
	if cfg.Site.BaseURL == "" {
		cfg.Site.BaseURL = "http://" + listen
	}
	if a, _, ok := strings.Cut(m.from, ">"); ok {
		cfg.Site.Contact = a[strings.LastIndex(a, "<")+1:]
	} else {
		cfg.Site.Contact = m.from
	}
	if m.signingKey != "" {
		// A secret key is larger than a public one, but of the same order.
		if cfg.SigningKey, err = readFile(e, m.signingKey, limitKey); err != nil {
			return nil, fmt.Errorf("--signing-key: %w", err)
		}
	}
	s, err := jobs.New(cfg, log)
	if err != nil {
		return nil, err
	}
	if m.lease < time.Second || m.batch < 1 {
		return nil, fmt.Errorf("--worker-lease must be at least 1s and --worker-batch at least 1")
	}
	if m.intakePoll < time.Second {
		return nil, fmt.Errorf("--intake-poll must be at least 1s")
	}
	return s, nil
}

// worker returns the worker of svc with the flags' timings.
func (m *mailFlags) worker(s *jobs.Setup, svc *app.Service) *jobs.Worker {
	w := s.Worker(svc)
	w.Poll, w.Lease, w.Batch = m.poll, m.lease, m.batch
	return w
}

// runWorker runs the worker until ctx ends and returns a channel that
// gives what Run returned (nil, or jobs.ErrCut when the stop's bound cut
// its send in flight) and is then closed, so that the store is closed
// only after.
func runWorker(ctx context.Context, w *jobs.Worker) <-chan error {
	done := make(chan error, 1)
	go func() {
		defer close(done)
		done <- w.Run(ctx) // Run logs its own failures
	}()
	return done
}

// runIntake reads the projects' intake mailboxes every m.intakePoll until
// ctx ends, and returns a channel closed once it has stopped, so that the
// store is closed only after.
func (m *mailFlags) runIntake(ctx context.Context, e *env, svc *app.Service, log *slog.Logger) <-chan struct{} {
	in := &jobs.Intake{Service: svc, Open: imap.Open, Getenv: e.getenv, Log: log, Poll: m.intakePoll}
	done := make(chan struct{})
	go func() {
		defer close(done)
		in.Run(ctx) // Run logs its own failures
	}()
	return done
}

func parseSecurity(s string) (smtp.Security, error) {
	switch s {
	case "starttls":
		return smtp.StartTLS, nil
	case "tls":
		return smtp.ImplicitTLS, nil
	case "plain":
		return smtp.Plain, nil
	}
	return 0, fmt.Errorf("--smtp-security %q: want starttls, tls or plain", s)
}
