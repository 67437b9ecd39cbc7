package jobs

import (
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/pgpmail"
	"github.com/vmtproject/vmt/render"
	"github.com/vmtproject/vmt/smtp"
)

// Config is how `vmt serve` runs the worker.
type Config struct {
	Site Site
	// SigningKey is the VMT's armored secret key and Passphrase its
	// passphrase (empty for none). With no key no notice is sent: the
	// worker still discloses.
	SigningKey []byte
	Passphrase []byte
	From       string // the notices' From, "P VMT <vmt@example.org>"
	SMTP       smtp.Config
	// WebhookAllowPrivate lets chat webhooks call receivers on this host
	// and private networks (WebhookHandler.AllowPrivate).
	WebhookAllowPrivate bool
}

// Provides is what the worker's configuration gives the application, for
// app.Deps: the disclosure hooks (key checks, the disclosure date, and the
// notice text when notices are sent, the publication notice at the hour)
// and the publication hooks.
type Provides struct {
	Disclosure  vmt.DisclosureHooks
	Publication vmt.PublicationHooks
}

// Setup is a worker configuration checked at start-up. It is made before
// the application, which takes its Provides; Worker then builds the
// worker on the application, so that neither writes into the other.
type Setup struct {
	Provides Provides
	mailer   *Mailer // nil: no notice is sent
	webhook  WebhookHandler
	log      *slog.Logger
}

// New checks cfg and returns what the worker provides and needs. A bad key
// or relay configuration is an error now, not at the first notice.
func New(cfg Config, log *slog.Logger) (*Setup, error) {
	s := &Setup{
		Provides: Provides{
			Disclosure:  vmt.DisclosureHooks{Keys: CheckKey, Planner: Plan, Prepare: cfg.Site.Publication()},
			Publication: cfg.Site.PublicationHooks(),
		},
		webhook: WebhookHandler{AllowPrivate: cfg.WebhookAllowPrivate},
		log:     log,
	}
	if len(cfg.SigningKey) == 0 {
		if cfg.SMTP.Addr != "" {
			return nil, errors.New("--smtp-addr needs --signing-key: every notice is signed")
		}
		return s, nil
	}
	signer, err := pgpmail.ParseSigner(cfg.SigningKey, cfg.Passphrase, time.Now())
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("--mail-from %q: %w", cfg.From, err)
	}
	if cfg.SMTP.Addr == "" {
		return nil, errors.New("--signing-key needs --smtp-addr: the relay the notices go through")
	}
	if err := cfg.SMTP.Validate(); err != nil {
		return nil, err
	}
	s.Provides.Disclosure.Notice = cfg.Site.Notice(render.Defaults())
	s.mailer = &Mailer{Signer: signer, From: *from, SMTP: cfg.SMTP}
	// The key that signs the notices signs the CSAF provider's documents.
	s.Provides.Publication.Signer = signer
	return s, nil
}

// Worker returns the worker of svc, an application built with Provides:
// it delivers mail (when notices are signed and sent), webhook calls and
// CVE publications, and discloses at the hour.
func (s *Setup) Worker(svc *app.Service) *Worker {
	return &Worker{Service: svc, Log: s.log, Mailer: s.mailer,
		Handlers: map[string]Handler{vmt.KindWebhook: Webhook(s.webhook), vmt.KindCVEPublish: CVEPublish(svc), vmt.KindForge: Forge(svc)}}
}
