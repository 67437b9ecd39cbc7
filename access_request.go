package vmt

import (
	"time"
)

// AccessDecline is the VMT's answer "no" to a stakeholder's access
// request, with an optional reason that the requester reads.
type AccessDecline struct {
	ReportID int64     `json:"report_id"`
	UserID   int64     `json:"user_id"`
	Reason   string    `json:"reason,omitempty"`
	By       int64     `json:"by"`
	At       time.Time `json:"at"`
	// AskAgainAfter is when the requester may ask again.
	AskAgainAfter time.Time `json:"ask_again_after"`
}

// AccessRetryAfter is how long a declined account waits before asking
// again. A decline is not final: the stakeholder may have asked from the
// wrong account or without saying why, and circumstances change during an
// embargo. But the request lands in the VMT's queue, so an immediate
// retry would only make "decline" a button to press again and again. One
// day lets a corrected request through within an embargo of 3-5 business
// days; the VMT can grant at any time without a request.
const AccessRetryAfter = 24 * time.Hour

// AccessRequestState is what the requester sees of their own request.
type AccessRequestState struct {
	Pending  *AccessRequest `json:"pending,omitempty"`
	Declined *AccessDecline `json:"declined,omitempty"`
}

// AccessRequest is a stakeholder's account asking to read a report it was
// told of by the notice (PRODUCT.md: "a stakeholder replies or asks through
// the site; the VMT grants").
type AccessRequest struct {
	ReportID      int64     `json:"report_id"`
	UserID        int64     `json:"user_id"`
	StakeholderID int64     `json:"stakeholder_id"`
	Organisation  string    `json:"organisation"`
	Note          string    `json:"note,omitempty"`
	At            time.Time `json:"at"`
}

// MaxAccessNoteLen bounds the note of an access request.
const MaxAccessNoteLen = 1000

// AccessRequestStatus is what became of an access request.
type AccessRequestStatus string

// The states of an access request. A request is pending until the VMT
// declines it or the account is let in; a decline ends when the account is
// let in later, or when it asks again (a new request).
const (
	AccessPending  AccessRequestStatus = "pending"
	AccessDeclined AccessRequestStatus = "declined"
	// AccessGranted: the account was given access (a grant or a
	// subscription) while the request waited or after its decline.
	AccessGranted AccessRequestStatus = "granted"
	// AccessClosed: the account's grant or subscription ended while the
	// request waited.
	AccessClosed AccessRequestStatus = "closed"
)

// AccessRequestRecord is an access request as the store keeps it, with
// what became of it.
type AccessRequestRecord struct {
	ID int64
	AccessRequest
	Status AccessRequestStatus
	// Decline is the VMT's answer when Status is AccessDeclined.
	Decline *AccessDecline
}

// AccessRequestFilter selects access requests; zero fields match all.
type AccessRequestFilter struct {
	ReportID      int64
	UserID        int64
	StakeholderID int64
	Status        AccessRequestStatus
}
