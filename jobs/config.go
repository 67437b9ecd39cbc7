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

// New sets the disclosure hooks of svc and returns its worker. A bad key or
// relay configuration is an error now, not at the first notice.
func New(cfg Config, svc *app.Service, log *slog.Logger) (*Worker, error) {
	svc.Disclosure.Keys, svc.Disclosure.Planner = CheckKey, Plan
	w := &Worker{Service: svc, Prepare: cfg.Site.Publication(), Log: log}
	svc.Publication = cfg.Site.PublicationHooks()
	w.Handlers = map[string]Handler{vmt.KindWebhook: Webhook(WebhookHandler{AllowPrivate: cfg.WebhookAllowPrivate}), vmt.KindCVEPublish: CVEPublish(svc)}
	if len(cfg.SigningKey) == 0 {
		if cfg.SMTP.Addr != "" {
			return nil, errors.New("--smtp-addr needs --signing-key: every notice is signed")
		}
		return w, nil
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
	svc.Disclosure.Notice = cfg.Site.Notice(render.Defaults())
	w.Mailer = &Mailer{Signer: signer, From: *from, SMTP: cfg.SMTP}
	return w, nil
}
