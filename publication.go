package vmt

import (
	"net/mail"
	"net/url"
	"strings"
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
	// Lists are the announcement lists (a project's dev list,
	// oss-security, …), each mailed one announcement of every event;
	// none: no mail. Announcements are never encrypted (the lists are
	// public), and signed unless the list says "none".
	Lists []AnnouncementList `json:"lists"`
	// WebhookURL is a Slack-compatible incoming webhook, called with
	// {"text": …}; empty: none. https only, or http://127.0.0.1 for a
	// receiver on this host.
	WebhookURL string `json:"webhook_url"`
	// CSAFNamespace is the publisher's URL in CSAF exports; the site's URL
	// when empty.
	CSAFNamespace string `json:"csaf_namespace"`
	// AdvisoryNumbering is when a document gets its PREFIX-YYYY-NNN: at
	// embargo (the default) or at publication. See AdvisoryNumbering.
	AdvisoryNumbering AdvisoryNumbering `json:"advisory_numbering"`
}

// AnnouncementList is one list a project announces its published
// documents to.
type AnnouncementList struct {
	Address string `json:"address"`
	// Signing is SignAnnouncement (the default: an OpenPGP/MIME signed
	// mail) or SignNone, for a list that rejects PGP/MIME and takes only
	// plain text. Only the announcement of a public document goes out
	// unsigned, and only to a list set to none by the project's VMT.
	Signing string `json:"signing"`
}

// The signing rules of an announcement list.
const (
	SignAnnouncement = "sign"
	SignNone         = "none"
)

// MaxAnnouncementLists bounds a project's announcement lists: each event
// of each document is one mail per list.
const MaxAnnouncementLists = 10

// AdvisoryNumbering is when a project numbers its documents. There are two
// good answers, so each project chooses (docs/advisory-numbers.md):
//
//   - NumberAtEmbargo: the document is numbered when it is made final,
//     under embargo. Everyone let in (the reporter, the committee, the
//     stakeholders told) can name it by its id before disclosure, and the
//     number is the one the draft was reviewed under. But the numbers are
//     public once any document is: a published KCSA-2026-002 next to a
//     KCSA-2026-001 that answers 404 tells anyone that an embargoed
//     advisory exists, and when its number shows, roughly when it was
//     made final. This is how vmt has always numbered, so it stays the
//     default and no project changes behaviour unasked.
//   - NumberAtPublication: the document is numbered when it is published
//     (by hand or at the disclosure hour), as OpenStack numbers its OSSAs.
//     The public numbering has no gaps, so it says nothing of what is
//     under embargo. Before publication the document is named by its
//     report and CVE ids, which the downstream notice carries anyway.
type AdvisoryNumbering string

// The numbering choices.
const (
	NumberAtEmbargo     AdvisoryNumbering = "embargo"
	NumberAtPublication AdvisoryNumbering = "publication"
)

// The outbox kinds of a publication.
const (
	// KindPublicationMail is an announcement mail (a NoticeMail with no
	// list rules and no key: signed, not encrypted; plain text when its
	// list's signing is none, NoticeMail.Unsigned).
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

// Validate checks the settings, naming the field at fault. A list whose
// signing is left empty is signed, and is stored so.
func (p *PublicationSettings) Validate() error {
	if p.Lists == nil {
		p.Lists = []AnnouncementList{}
	}
	if len(p.Lists) > MaxAnnouncementLists {
		return Invalid("lists", "%d lists: at most %d", len(p.Lists), MaxAnnouncementLists)
	}
	seen := map[string]bool{}
	for i := range p.Lists {
		l := &p.Lists[i]
		field := "lists[" + itoa(i) + "]"
		if a, err := mail.ParseAddress(l.Address); err != nil || a.Address != l.Address {
			return Invalid(field+".address", "%q is not a bare mail address (list@example.org)", l.Address)
		}
		key := strings.ToLower(l.Address)
		if seen[key] {
			return Invalid(field+".address", "%q is listed twice", l.Address)
		}
		seen[key] = true
		switch l.Signing {
		case "":
			l.Signing = SignAnnouncement
		case SignAnnouncement, SignNone:
		default:
			return Invalid(field+".signing", "%q is not a signing rule (want %s or %s)", l.Signing, SignAnnouncement, SignNone)
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
	switch p.AdvisoryNumbering {
	case "", NumberAtEmbargo, NumberAtPublication:
	default:
		return Invalid("advisory_numbering", "%q is not a numbering (want %s or %s)", p.AdvisoryNumbering, NumberAtEmbargo, NumberAtPublication)
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

// Publication: an advisory leaves the system only once published. Then it
// is on the public pages, in the feed and the exports, and it is
// announced, through the outbox in the transaction that publishes it, to
// the project's mailing list and chat webhook. Afterwards it changes only
// by errata (a new revision, announced too) or by withdrawal (it stays
// listed, marked withdrawn).

// PublicationHooks are what announcements need from outside the domain.
type PublicationHooks struct {
	// BaseURL is the site's public URL, for links to advisory pages.
	BaseURL string
	// Render writes the announcement of a published document (its KCSA or
	// KCSN text, with the project's own templates of those two, by name);
	// nil, or an error, falls back to a plain text, since a template must
	// not hold back a publication due at the disclosure.
	Render func(p *Project, d *Advisory, templates map[string]string) (subject, body string, err error)
	// Signer signs the files the site publishes for others to verify:
	// the CSAF provider's documents (their .asc) and its public key. Nil
	// when this instance has no signing key: the CSAF provider is then
	// not served, since a trusted provider signs every document.
	Signer DocumentSigner
	// Contact is the VMT's mail address (vmt@example.org), which the
	// site's security.txt names beside the report form; "" names the
	// form only.
	Contact string
}

// DocumentSigner makes detached OpenPGP signatures with the VMT's key,
// the one that signs its mail (package pgpmail).
type DocumentSigner interface {
	// SignDetached returns the ASCII-armored detached signature of data.
	SignDetached(data []byte) ([]byte, error)
	// ClearSign returns text as an OpenPGP cleartext-signed message,
	// as a security.txt is signed (RFC 9116 §2.3).
	ClearSign(text []byte) ([]byte, error)
	// KeyFingerprint is the key's fingerprint, 40 hexadecimal digits.
	KeyFingerprint() string
	// ArmoredPublicKey is the key's public part, ASCII-armored.
	ArmoredPublicKey() ([]byte, error)
}

// MaxChangeLen bounds the text of an erratum or a withdrawal reason.
const MaxChangeLen = 4000
