package vmt

import (
	"net/mail"
	"net/url"
)

// Publisher is what the exports of a project's advisories name as their
// publisher, which anyone may read: the CSAF namespace of its publication
// settings and the CNA of its CNA settings (set whether or not this
// instance talks to CVE Services for it).
type Publisher struct {
	// Vendor is the vendor of a document that names none: the project's
	// name written as one (VendorName), so that every published document
	// has a CSAF export.
	Vendor        string
	CSAFNamespace string
	CVEOrgID      string // empty: no CNA named, no CVE record to write
	CVEShortName  string
}

// PublicationSettings say where a project announces its published
// advisories and what its CSAF exports name as their publisher. The CNA
// that CVE JSON 5 exports name is in the project's CNASettings, the one
// place it is typed.
type PublicationSettings struct {
	ProjectID int64 `json:"-"`
	// MailingList is the announcement list's address (oss-announce@…);
	// empty: no mail. Announcements are signed, never encrypted: the list
	// is public.
	MailingList string `json:"mailing_list"`
	// WebhookURL is a Slack-compatible incoming webhook, called with
	// {"text": …}; empty: none. https only, or http://127.0.0.1 for a
	// receiver on this host.
	WebhookURL string `json:"webhook_url"`
	// CSAFNamespace is the publisher's URL in CSAF exports; the site's URL
	// when empty.
	CSAFNamespace string `json:"csaf_namespace"`
}

// The outbox kinds of a publication.
const (
	// KindPublicationMail is an announcement mail (a NoticeMail with no
	// list rules and no key: signed, not encrypted).
	KindPublicationMail = "publication_mail"
	// KindWebhook is a chat webhook call whose payload is a WebhookCall.
	KindWebhook = "webhook"
)

// WebhookCall is the payload of a webhook item: a POST of {"text": Text}
// to URL.
type WebhookCall struct {
	URL  string `json:"url"`
	Text string `json:"text"`
}

// Validate checks the settings, naming the field at fault.
func (p *PublicationSettings) Validate() error {
	if p.MailingList != "" {
		a, err := mail.ParseAddress(p.MailingList)
		if err != nil || a.Address != p.MailingList {
			return Invalid("mailing_list", "%q is not a bare mail address (list@example.org)", p.MailingList)
		}
	}
	if p.WebhookURL != "" {
		if err := CheckWebhookURL("webhook_url", p.WebhookURL); err != nil {
			return err
		}
	}
	if p.CSAFNamespace != "" {
		if err := CheckURL("csaf_namespace", p.CSAFNamespace); err != nil {
			return err
		}
	}
	return nil
}

// CheckWebhookURL accepts an https URL, or http://127.0.0.1[:port]/…: a
// webhook carries no secret of ours, but its URL often is one, so it never
// travels in clear text beyond this host.
func CheckWebhookURL(field, s string) error {
	if err := CheckURL(field, s); err != nil {
		return err
	}
	u, _ := url.Parse(s)
	if u.Scheme == "http" && u.Hostname() != "127.0.0.1" {
		return Invalid(field, "%q: use https (http only for 127.0.0.1)", s)
	}
	return nil
}
