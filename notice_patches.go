package vmt

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// NoticeAttachment is a patch series carried by a notice mail: one MIME
// part per supported branch, inside the signature and the encryption.
type NoticeAttachment struct {
	Name    string `json:"name"` // PatchFileName: cve-2026-12345-stable-3.2-agent.patch
	Branch  string `json:"branch"`
	FixID   int64  `json:"fix_id"`
	Version int    `json:"version"`
	Bytes   int    `json:"bytes"`
	SHA256  string `json:"sha256"` // of Data, hex
	// Data is the series exactly as it was approved. It is written into
	// the outbox item with the mail, so that the mail delivered days
	// later (linux-distros' window) is the one previewed and sent. The
	// preview and the audit log leave it out (WithoutData); the outbox
	// listing, the VMT's, has it.
	Data []byte `json:"data,omitempty"`
}

// PatchContentType is what a patch part is sent as: git format-patch output is
// text in a mailbox format; text/x-diff is what list software and mail
// readers show as a patch.
const PatchContentType = "text/x-diff; charset=utf-8"

// NoticePatches are the patches a notice carries and the supported
// branches it has none for.
type NoticePatches struct {
	Attached []NoticeAttachment `json:"attached"`
	// Without are the supported branches whose latest fix is not an
	// approved series (a waiver let the notice go without it): the
	// notice says so instead of claiming a patch for them.
	Without []string `json:"without"`
}

// ApprovedSeries returns, for each row of a report's fix matrix, the fix
// the notice attaches and the disclosure pushes: the branch's latest
// version, if it is a series and approved. Rows without one are listed in
// without, in the matrix's order.
func ApprovedSeries(rows []FixRow) (fixes []*Fix, without []string) {
	for _, row := range rows {
		if f := row.Fix; f != nil && f.Review == ReviewApproved && f.IsSeries() {
			fixes = append(fixes, f)
		} else {
			without = append(without, row.Branch)
		}
	}
	return fixes, without
}

// NewNoticeAttachment is the attachment of series, the bytes of fix f of
// report r, named by PatchFileName from the report's CVEs, the branch and
// component (PatchComponent).
func NewNoticeAttachment(r *Report, f *Fix, component string, series []byte) NoticeAttachment {
	sum := sha256.Sum256(series)
	return NoticeAttachment{Name: PatchFileName(r.CVEs, r.ID, f.Branch, component), Branch: f.Branch, FixID: f.ID,
		Version: f.Version, Bytes: len(series), SHA256: hex.EncodeToString(sum[:]), Data: series}
}

// Names returns the attachment names, in order.
func (p NoticePatches) Names() []string {
	out := make([]string, len(p.Attached))
	for i, a := range p.Attached {
		out[i] = a.Name
	}
	return out
}

// Encrypts reports whether the mailer encrypts m: a stakeholder's mail when
// it has a key; a list's when its rules demand it (linux-distros), since
// a private list is signed only whatever key it gave. The preview, the
// record of who was told and the mailer use this one rule.
func (m NoticeMail) Encrypts() bool {
	if m.PublicKey == "" {
		return false
	}
	if m.Rules == "" {
		return true
	}
	return NoticeList{Name: m.Recipient, Rules: m.Rules}.Demands().Encrypt
}

// NoticePreview is what sending the notice now would do: each mail as the
// worker will build it, before anything is written. It comes from the same
// planning as the send (Service.PreviewNotice), so the two cannot differ.
type NoticePreview struct {
	ReportID   int64         `json:"report_id"`
	Disclosure time.Time     `json:"disclosure_at"`
	Subject    string        `json:"subject"` // before any list prefix
	Patches    NoticePatches `json:"patches"` // attachments without their bytes
	Mails      []PreviewMail `json:"mails"`
	Warnings   []string      `json:"warnings"`
}

// PreviewMail is one mail of a notice preview.
type PreviewMail struct {
	Recipient    string   `json:"recipient"` // "stakeholder:3", "list:linux-distros"
	Organisation string   `json:"organisation,omitempty"`
	List         string   `json:"list,omitempty"` // the list's rules, for a list
	To           []string `json:"to"`
	Subject      string   `json:"subject"`
	Body         string   `json:"body"`
	// Attachments are the patch parts, without their bytes.
	Attachments []NoticeAttachment `json:"attachments"`
	Signed      bool               `json:"signed"` // always: every notice is signed
	Encrypted   bool               `json:"encrypted"`
	Fingerprint string             `json:"fingerprint,omitempty"` // of the key it is encrypted to
	// SendAt is when the worker first sends it: now, or the first instant
	// the list accepts it (linux-distros: 14 days before the disclosure).
	SendAt time.Time `json:"send_at"`
}

// Preview is the preview of mail m, to be sent from sendAt.
func (m NoticeMail) Preview(sendAt time.Time) PreviewMail {
	p := PreviewMail{Recipient: m.Recipient, Organisation: m.Organisation, List: m.Rules, To: m.To, Subject: m.Subject,
		Body: m.Body, Attachments: WithoutData(m.Attachments), Signed: true, Encrypted: m.Encrypts(), SendAt: sendAt}
	if p.Encrypted {
		p.Fingerprint = m.Fingerprint
	}
	return p
}

// WithoutData returns the attachments with their bytes left out.
func WithoutData(as []NoticeAttachment) []NoticeAttachment {
	out := make([]NoticeAttachment, len(as))
	for i, a := range as {
		a.Data = nil
		out[i] = a
	}
	return out
}
