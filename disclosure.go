package vmt

import (
	"encoding/json"
	"net/mail"
	"time"
	"unicode/utf8"
)

// DisclosureSettings are a project's rules for embargoes and notices.
type DisclosureSettings struct {
	ProjectID int64 `json:"project_id"`
	// Policy is the disclosure date policy in the calendar's settings form
	// (window, hour, avoid, countries, periods); empty: the default.
	Policy json.RawMessage `json:"policy,omitempty"`
	// EmbargoLimitDays is how long an embargo may last before the report
	// is raised for going public; MaxEmbargoDays the hard maximum.
	EmbargoLimitDays int          `json:"embargo_limit_days"`
	MaxEmbargoDays   int          `json:"max_embargo_days"`
	Lists            []NoticeList `json:"lists"`
	// Timers are the stage limits and escalation contacts (timers.go);
	// zero: the defaults.
	Timers StageTimers `json:"timers"`
	// PolicyText is the project's disclosure policy as reporters read it
	// (its VMT.md), in Markdown, on the project's public policy page;
	// empty: vmt's own wording, made from these settings. It is public.
	PolicyText string `json:"policy_text,omitempty"`
}

// DisclosurePolicy is what a project's public policy page shows: its
// policy text and the embargo limits it promises, nothing else of its
// settings (the lists and their keys, the timers' contacts are private).
type DisclosurePolicy struct {
	Project          string
	Text             string // the project's own, Markdown; "" for the default wording
	EmbargoLimitDays int
	MaxEmbargoDays   int
}

// PolicyOf returns the public part of a project's settings.
func (d *DisclosureSettings) PolicyOf(project string) *DisclosurePolicy {
	return &DisclosurePolicy{Project: project, Text: d.PolicyText, EmbargoLimitDays: d.EmbargoLimitDays, MaxEmbargoDays: d.MaxEmbargoDays}
}

// NoticeList is a mailing list the notice goes to, with its rules.
type NoticeList struct {
	Name      string `json:"name"`
	Address   string `json:"address"`
	Rules     string `json:"rules"`                // ListPrivate or ListLinuxDistros
	PublicKey string `json:"public_key,omitempty"` // required by lists that are encrypted to
}

// The list rules a project may choose.
const (
	ListPrivate      = "private"       // a private embargo-notice list: signed
	ListLinuxDistros = "linux-distros" // signed and encrypted, [vs], at most 14 days ahead
)

// Defaults of the disclosure settings.
const (
	DefaultEmbargoLimitDays = 14
	MaxNoticeLists          = 10
	// MaxPolicyTextLen bounds the policy text: a VMT.md is some 20 kB.
	MaxPolicyTextLen = 64 << 10
)

// DefaultDisclosureSettings are a project's settings until it sets its own.
func DefaultDisclosureSettings(projectID int64) *DisclosureSettings {
	return &DisclosureSettings{ProjectID: projectID, EmbargoLimitDays: DefaultEmbargoLimitDays,
		MaxEmbargoDays: MaxEmbargoDays, Lists: []NoticeList{}, Timers: DefaultStageTimers()}
}

// Validate checks everything but the policy and the keys, which the
// service's DisclosurePlanner and KeyChecker read.
func (d *DisclosureSettings) Validate() error {
	if d.MaxEmbargoDays < 1 || d.MaxEmbargoDays > MaxEmbargoDays {
		return Invalid("max_embargo_days", "must be 1 to %d, not %d", MaxEmbargoDays, d.MaxEmbargoDays)
	}
	if d.EmbargoLimitDays < 1 || d.EmbargoLimitDays > d.MaxEmbargoDays {
		return Invalid("embargo_limit_days", "must be 1 to max_embargo_days (%d), not %d", d.MaxEmbargoDays, d.EmbargoLimitDays)
	}
	if d.Timers.LimitDays == nil && d.Timers.EscalateAfterDays == 0 && len(d.Timers.EscalationContacts) == 0 {
		d.Timers = DefaultStageTimers()
	}
	if d.Timers.EscalationContacts == nil {
		d.Timers.EscalationContacts = []string{}
	}
	if err := d.Timers.validate(); err != nil {
		return err
	}
	if len(d.PolicyText) > MaxPolicyTextLen {
		return Invalid("policy_text", "%d bytes, more than %d", len(d.PolicyText), MaxPolicyTextLen)
	}
	if !utf8.ValidString(d.PolicyText) {
		return Invalid("policy_text", "is not UTF-8 text")
	}
	if len(d.Lists) > MaxNoticeLists {
		return Invalid("lists", "more than %d lists", MaxNoticeLists)
	}
	seen := map[string]bool{}
	for i, l := range d.Lists {
		field := "lists[" + itoa(i) + "]"
		if !projectNameRE.MatchString(l.Name) {
			return Invalid(field+".name", "%q is not a list name (lower-case letters, digits and '-')", l.Name)
		}
		if seen[l.Name] {
			return Invalid(field+".name", "%q is listed twice", l.Name)
		}
		seen[l.Name] = true
		if a, err := mail.ParseAddress(l.Address); err != nil || a.Address != l.Address {
			return Invalid(field+".address", "%q is not a bare mail address", l.Address)
		}
		switch l.Rules {
		case ListPrivate:
		case ListLinuxDistros:
			if l.PublicKey == "" {
				return Invalid(field+".public_key", "the linux-distros rules encrypt: the list's key is required")
			}
		default:
			return Invalid(field+".rules", "unknown rules %q (want %s or %s)", l.Rules, ListPrivate, ListLinuxDistros)
		}
	}
	return nil
}

// KeyInfo is what a KeyChecker found in a key.
type KeyInfo struct {
	Fingerprint string
	Expires     *time.Time // nil: never
}

// KeyChecker reads one ASCII-armored OpenPGP public key and checks that a
// notice can be encrypted to it at the given time (version, algorithm,
// expiry, a usable encryption subkey); its error says which check failed.
// Package jobs implements it with pgpmail.
type KeyChecker func(armored string, at time.Time) (KeyInfo, error)

// DisclosurePlanner returns the disclosure instant for a notice sent at
// from, under a policy in the calendar's settings form (nil: the default);
// an invalid policy is an error naming the setting. Package jobs implements
// it with calendar.
type DisclosurePlanner func(policy json.RawMessage, from time.Time) (time.Time, error)

// NoticeFacts are what the notice is written from.
type NoticeFacts struct {
	Report      *Report
	Project     *Project
	Coordinator *User
	Disclosure  time.Time
	// Templates are the project's own templates, by name (issue 4): the
	// notification is written from its override when it has one.
	Templates map[string]string
	// Patches are what the notice attaches, and the supported branches
	// it has no approved patch for: the text names both.
	Patches NoticePatches
}

// NoticeRenderer writes the downstream notification; a missing field is an
// error naming it. Package jobs implements it with render.
type NoticeRenderer func(NoticeFacts) (subject, body string, err error)

// DisclosureHooks are the parts of sending notices and disclosing that live
// outside the domain. A nil hook refuses what needs it.
type DisclosureHooks struct {
	Keys    KeyChecker
	Planner DisclosurePlanner
	Notice  NoticeRenderer
	// Prepare writes the CVE publication notice of a report the
	// disclosure hour has just made public; nil: none is prepared (the
	// audit log says why, as when preparing fails).
	Prepare PublicationPreparer
}

// Disclosure is what the disclosure hour did to one report.
type Disclosure struct {
	Report *Report `json:"report"`
	// PublicationNotice is the "Notify CVE about a publication" text,
	// prepared for the coordinator to send.
	PublicationNotice string `json:"publication_notice"`
	NoticeError       string `json:"notice_error,omitempty"` // why it could not be prepared
}

// PublicationPreparer writes the CVE publication notice of a report that
// has just become public.
type PublicationPreparer func(tx Tx, r *Report) (string, error)
