package vmt

import (
	"context"
	"iter"
	"time"
)

// Store keeps the state of an instance. Implementations: sqldb on SQLite and
// on PostgreSQL, held to the same behaviour by the storetest suite.
type Store interface {
	// Update runs fn in a read-write transaction and commits if fn returns
	// nil. Writes are serialized: two Updates never interleave their audit
	// events. fn may run more than once (PostgreSQL retries serialization
	// failures), so it must not have effects outside the transaction.
	//
	// When ctx carries an IdempotencyClaim not yet committed, Update
	// stores its record in the same transaction as fn's changes (failing
	// with ErrIdempotencyKeyTaken, and changing nothing, when the key is
	// already recorded) and marks the claim committed after the commit:
	// whatever commits with a claim has its key.
	//
	// A store that cannot write (disk full, read-only, gone) fails with
	// EUNAVAILABLE.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	// ViewOne runs fn, which reads with exactly one Tx method call that is
	// one statement (a lookup such as UserByToken or ReportFor), without
	// an explicit transaction: one statement is consistent by itself, and
	// the hottest reads are spared the BEGIN and COMMIT round trips.
	ViewOne(ctx context.Context, fn func(Tx) error) error
	// AuditLog streams every audit event ordered by chain and position,
	// and AuditHeads returns the head the store recorded for each chain.
	// Both read the store directly, for verification (VerifyChain).
	AuditLog(ctx context.Context) iter.Seq2[*AuditEvent, error]
	AuditHeads(ctx context.Context) ([]ChainHead, error)
	Close() error
}

// Tx is one transaction. Methods that look up one object return ENOTFOUND
// when it is absent; methods that create return ECONFLICT when a unique key
// is taken. Ids, sequence numbers and hashes are set on the values passed in.
type Tx interface {
	CreateUser(u *User) error // ECONFLICT if the email is taken
	User(id int64) (*User, error)
	UserByEmail(email string) (*User, error)
	Users() ([]*User, error)
	UpdateUser(u *User) error
	CountUsers() (int, error)

	// CreateEmailProof stores p and sets its id; ECONFLICT if the hash
	// is taken. EmailProofByHash returns the proof with this hash, or
	// ENOTFOUND; LatestEmailProof the newest of a user, or ENOTFOUND.
	// UseEmailProof marks proof id used at at, once: ECONFLICT if it was
	// used already (two tabs opening one link), ENOTFOUND if absent.
	CreateEmailProof(p *EmailProof) error
	EmailProofByHash(hash string) (*EmailProof, error)
	LatestEmailProof(userID int64) (*EmailProof, error)
	UseEmailProof(id int64, at time.Time) error

	// CreateAccountLink stores l and sets its id; ECONFLICT if the hash
	// is taken. AccountLinkByHash returns the link with this hash, or
	// ENOTFOUND. UseAccountLink marks link id used at at, once: ECONFLICT
	// if it was used already, ENOTFOUND if absent. EndAccountLinks marks
	// every unused link of a user used (a new one replaces them) and says
	// how many.
	CreateAccountLink(l *AccountLink) error
	AccountLinkByHash(hash string) (*AccountLink, error)
	UseAccountLink(id int64, at time.Time) error
	EndAccountLinks(userID int64, at time.Time) (int64, error)

	CreateToken(t *Token) error
	TokenByHash(hash string) (*Token, error)
	// UserByToken returns the user holding the token with this hash, in
	// one lookup: authentication runs on every request.
	UserByToken(hash string) (*User, error)
	Tokens(userID int64) ([]*Token, error)
	DeleteToken(userID, id int64) error // ENOTFOUND unless the token is the user's

	CreateProject(p *Project) error // ECONFLICT if the name is taken
	Project(id int64) (*Project, error)
	ProjectByName(name string) (*Project, error)
	Projects() ([]*Project, error)
	UpdateProject(p *Project) error
	SetMember(m Member) error
	RemoveMember(projectID, userID int64) error // ENOTFOUND if not a member
	Members(projectID int64) ([]Member, error)
	Member(projectID, userID int64) (*Member, error)

	CreateReport(r *Report) error
	Report(id int64) (*Report, error)
	// ReportFor returns report id together with what user userID is to it
	// (0: anonymous, no grants), in one lookup: every report request needs
	// both to decide access.
	ReportFor(id, userID int64) (*Report, Grants, error)
	// Reports returns one page of the reports f.Viewer may see, matching f,
	// newest first, and the count of all that match. With f.Query the page
	// is drawn from the newest MaxSearchMatches matches, best match first,
	// and the count stops at MaxSearchMatches+1.
	Reports(f ReportFilter) ([]*Report, int, error)
	// SimilarCandidates returns the reports of q.ProjectID but q.Exclude
	// that hold the most of q's rarest terms (or carry its CVE ids), at
	// most q.Limit, best match first by the engine's rank, and how many
	// reports hold each term (similar.go). Its cost is bounded by
	// MaxSimilarTerms and SimilarDFCap, not by the store's size.
	SimilarCandidates(q SimilarQuery) ([]*Report, TermStats, error)
	// ReporterRecord counts the reports reporterID filed in projectID, by
	// outcome (duplicate.go).
	ReporterRecord(projectID, reporterID int64) (ReporterRecord, error)
	// DuplicatesOf returns the ids of the reports marked duplicates of
	// reportID, oldest first.
	DuplicatesOf(reportID int64) ([]int64, error)
	// ReportsFiledSince counts the reports reporterID filed at or after
	// since, in every project: the per-reporter bound on intake.
	ReportsFiledSince(reporterID int64, since time.Time) (int, error)
	// CountByStatus counts the reports f.Viewer may see that match f, by
	// status, in one statement; f.Status, f.Query, f.Limit and f.Offset are
	// not read. Statuses without a report are absent from the map.
	CountByStatus(f ReportFilter) (map[Status]int, error)
	UpdateReport(r *Report) error

	Subscribe(s *Subscription) error // ECONFLICT if already subscribed
	Unsubscribe(reportID, userID int64) error
	Subscriptions(reportID int64) ([]*Subscription, error)
	Subscribed(reportID, userID int64) (bool, error)

	CreateComment(c *Comment) error
	Comments(reportID int64) ([]*Comment, error)

	// AppendAudit seals e after the head of the transaction's audit chain
	// (the first append picks and locks one) and stores it.
	AppendAudit(e *AuditEvent) error
	// AuditEvents returns events matching f in sequence order, and
	// CountAuditEvents how many match it, Limit aside.
	AuditEvents(f AuditFilter) ([]*AuditEvent, error)
	CountAuditEvents(f AuditFilter) (int, error)

	// CreateFix stores f as the next version for its report and branch
	// (1 for the first) and sets its id and version.
	CreateFix(f *Fix) error
	// Fix returns fix id without its series (Series empty, SeriesBytes
	// set), or ENOTFOUND.
	Fix(id int64) (*Fix, error)
	// Fixes returns the fixes of a report, every version, by branch then
	// version, without their series.
	Fixes(reportID int64) ([]*Fix, error)
	// FixSeries returns the patch series of fix id, "" for a link, or
	// ENOTFOUND: the one read of a series' bytes, for serving or applying
	// it.
	FixSeries(id int64) (string, error)
	// UpdateFix stores the review and merge fields of f; the upload itself
	// never changes. ENOTFOUND if f is not stored.
	UpdateFix(f *Fix) error
	// CreateFixWaiver stores w and sets its id; FixWaivers returns the
	// waivers of a report, oldest first.
	CreateFixWaiver(w *FixWaiver) error
	FixWaivers(reportID int64) ([]*FixWaiver, error)
	// HoldDisclosure records that a report's disclosure is held; ECONFLICT
	// if it is already. DisclosureHold returns it (ENOTFOUND if none),
	// DisclosureHolds returns every hold by report id, ReleaseDisclosure
	// deletes it (ENOTFOUND if none). DueDisclosure skips held reports.
	HoldDisclosure(h *DisclosureHold) error
	DisclosureHold(reportID int64) (*DisclosureHold, error)
	DisclosureHolds() ([]*DisclosureHold, error)
	ReleaseDisclosure(reportID int64) error

	// CreateAdvisory stores a whole and sets its RecordID. ECONFLICT if its
	// id (PREFIX-YYYY-NNN) is already taken in its project; an unnumbered
	// draft takes none. Validation is the caller's.
	CreateAdvisory(a *Advisory) error
	// Advisory returns the document with this record id; ENOTFOUND.
	Advisory(recordID int64) (*Advisory, error)
	// AdvisoryByID returns a project's document by its id; ENOTFOUND.
	AdvisoryByID(projectID int64, id AdvisoryID) (*Advisory, error)
	// AdvisoriesOfReport returns the documents of a report, oldest first.
	AdvisoriesOfReport(reportID int64) ([]*Advisory, error)
	// PublicAdvisories returns the published and withdrawn documents of a
	// project (of every project for 0), latest publication first. Drafts
	// and embargoed documents are never among them.
	PublicAdvisories(projectID int64) ([]*Advisory, error)
	// UpdateAdvisory stores a whole. ENOTFOUND if it is not stored;
	// ECONFLICT if its id is taken by another document of the project.
	UpdateAdvisory(a *Advisory) error
	// NextAdvisoryNumber returns the number the next document of prefix
	// and year gets in a project: one more than the highest given, 1 for
	// the first. Writes are serialized, so it stays free until the
	// transaction ends.
	NextAdvisoryNumber(projectID int64, prefix string, year int) (int, error)

	// Access requests (access_request.go), oldest first. An account has at
	// most one pending request per report: CreateAccessRequest is
	// ECONFLICT while one is. DeclineAccessRequest records d on the
	// account's pending request, ENOTFOUND if there is none. Subscribe
	// settles the account's pending and declined requests on the report
	// as AccessGranted, and Unsubscribe its pending ones as AccessClosed:
	// an account let in has nothing left to ask, and a decline is over
	// once the account was let in.
	CreateAccessRequest(q *AccessRequestRecord) error
	AccessRequests(f AccessRequestFilter) ([]*AccessRequestRecord, error)
	DeclineAccessRequest(d *AccessDecline) error

	// Stakeholders and their applications (issue 5).
	CreateStakeholder(s *Stakeholder) error // ECONFLICT if the organisation is taken
	Stakeholder(id int64) (*Stakeholder, error)
	Stakeholders() ([]*Stakeholder, error) // by organisation
	UpdateStakeholder(s *Stakeholder) error
	DeleteStakeholder(id int64) error
	CreateStakeholderRequest(r *StakeholderRequest) error
	StakeholderRequest(id int64) (*StakeholderRequest, error)
	// StakeholderRequests returns the applications of userID (0: all),
	// newest first.
	StakeholderRequests(userID int64) ([]*StakeholderRequest, error)
	UpdateStakeholderRequest(r *StakeholderRequest) error

	// DisclosureSettings returns a project's settings; ENOTFOUND when it
	// has set none.
	DisclosureSettings(projectID int64) (*DisclosureSettings, error)
	SetDisclosureSettings(d *DisclosureSettings) error

	// PublicationSettings returns a project's publication settings;
	// ENOTFOUND when it has set none.
	PublicationSettings(projectID int64) (*PublicationSettings, error)
	// SetPublicationSettings stores a project's publication settings,
	// replacing any.
	SetPublicationSettings(p *PublicationSettings) error

	// NotificationPrefs returns what user userID chose to receive
	// (notify.go); ENOTFOUND when they chose nothing. SetNotificationPrefs
	// stores p, replacing any.
	NotificationPrefs(userID int64) (*NotificationPrefs, error)
	SetNotificationPrefs(p *NotificationPrefs) error
	// AddDigestEntry stores e and sets its id. PendingDigests returns the
	// unsent entries of every user, by user then oldest first;
	// MarkDigestSent marks entries sent at at.
	AddDigestEntry(e *DigestEntry) error
	PendingDigests() ([]*DigestEntry, error)
	MarkDigestSent(ids []int64, at time.Time) error

	// Enqueue stores a pending outbox item. ECONFLICT if its key is taken.
	Enqueue(o *OutboxItem) error
	// ClaimOutbox takes up to limit pending items due at now, oldest
	// first, counts an attempt on each and leases them until now+lease
	// (their next attempt). Two workers never claim the same item while
	// its lease runs: PostgreSQL skips rows another transaction locks.
	ClaimOutbox(now time.Time, lease time.Duration, limit int) ([]*OutboxItem, error)
	// UpdateOutbox stores the state, next attempt, error and done time of
	// o, if it is still pending with o.Attempts attempts: ENOTFOUND when
	// another worker has claimed it since (its lease ran out).
	UpdateOutbox(o *OutboxItem) error
	// ReleaseOutbox gives back claims the caller made and will not carry
	// out (a stopping worker's unsent items): each item still pending with
	// o.Attempts attempts goes back to o.Attempts-1, due at o.NextAttempt,
	// with o.LastError, so that the next claim takes it at once and the
	// claim that was never tried is not counted. Items claimed by another
	// since, or no longer pending, are skipped; it returns how many were
	// released.
	ReleaseOutbox(items []*OutboxItem) (int, error)
	// OutboxItems returns the items of a report (0: all), by id.
	OutboxItems(reportID int64) ([]*OutboxItem, error)
	// OutboxPage returns up to limit items after id after, by id, in
	// state ("": every state): the administrators' list, a page at a time.
	OutboxPage(state OutboxState, after int64, limit int) ([]*OutboxItem, error)
	// RetryOutbox puts the failed item id back to pending, due at at,
	// with its attempts counted afresh, and returns it: an administrator's
	// "retry now" once the cause (a relay, a key) is mended. ENOTFOUND when
	// there is no such item, ECONFLICT when it is not failed (a pending one
	// may be in a worker's hands, and a done one was delivered).
	RetryOutbox(id int64, at time.Time) (*OutboxItem, error)

	// ImpactApprovals returns the approvals given to a report's impact
	// description, reporter's first, whatever text they approved.
	ImpactApprovals(reportID int64) ([]*ImpactApproval, error)
	// SetImpactApproval stores a, replacing the approval the report had
	// from the same approver.
	SetImpactApproval(a *ImpactApproval) error
	// DeleteImpactApprovals removes every approval of a report.
	DeleteImpactApprovals(reportID int64) error

	// ProjectTemplates returns a project's template overrides, by name.
	ProjectTemplates(projectID int64) ([]*ProjectTemplate, error)
	// SetProjectTemplate stores t, replacing the project's text of its name.
	SetProjectTemplate(t *ProjectTemplate) error
	// DeleteProjectTemplate removes an override; ENOTFOUND if none.
	DeleteProjectTemplate(projectID int64, name string) error

	// CNASettings returns a project's CVE Services settings; ENOTFOUND
	// when it has set none.
	CNASettings(projectID int64) (*CNASettings, error)
	SetCNASettings(c *CNASettings) error

	// ForgeSettings returns a project's forge settings; ENOTFOUND when it
	// has set none. SetForgeSettings stores f, replacing any.
	ForgeSettings(projectID int64) (*ForgeSettings, error)
	SetForgeSettings(f *ForgeSettings) error
	// ForgeIssue returns the issue report reportID is followed in, or
	// ENOTFOUND; ForgeIssueByNumber the issue of a project by its number,
	// or ENOTFOUND. SetForgeIssue stores i, replacing the report's issue:
	// ECONFLICT when another report of the project has that number.
	ForgeIssue(reportID int64) (*ForgeIssue, error)
	ForgeIssueByNumber(projectID int64, number int) (*ForgeIssue, error)
	SetForgeIssue(i *ForgeIssue) error
	// RecordForgeDelivery stores that a webhook delivery of the project
	// was received: ECONFLICT when it was before (GitHub redelivers).
	RecordForgeDelivery(projectID int64, deliveryID string, at time.Time) error
	// ForgePullRequests returns the pull requests of a report's fixes, by
	// branch; SetForgePullRequest stores pr, replacing the report's one
	// for its branch: ECONFLICT when another report of the project has
	// its number.
	ForgePullRequests(reportID int64) ([]*ForgePullRequest, error)
	SetForgePullRequest(pr *ForgePullRequest) error
	// ForgeAdvisoryLink returns the repository advisory report reportID
	// is followed in, or ENOTFOUND; ForgeAdvisoryByGHSA the link of a
	// project's advisory by its id, or ENOTFOUND. AddForgeAdvisoryLink
	// stores l: ECONFLICT when the report or the advisory has one.
	ForgeAdvisoryLink(reportID int64) (*ForgeAdvisoryLink, error)
	ForgeAdvisoryByGHSA(projectID int64, ghsa string) (*ForgeAdvisoryLink, error)
	AddForgeAdvisoryLink(l *ForgeAdvisoryLink) error
	// ForgeLoginUser returns the account a GitHub login (any case) is
	// linked to, or ENOTFOUND; SetForgeLogin links one: ECONFLICT when
	// it is linked already.
	ForgeLoginUser(login string) (int64, error)
	SetForgeLogin(login string, userID int64) error
	// UserForgeLogins returns the GitHub logins linked to an account, in
	// order; SetUserForgeLogin makes login the account's only one ("":
	// none), ECONFLICT when it is another account's.
	UserForgeLogins(userID int64) ([]string, error)
	SetUserForgeLogin(userID int64, login string) error

	// IntakeSettings returns a project's intake mailbox settings;
	// ENOTFOUND when it has set none. SetIntakeSettings stores c,
	// replacing any; EnabledIntakes returns the enabled ones, by project.
	IntakeSettings(projectID int64) (*IntakeSettings, error)
	SetIntakeSettings(c *IntakeSettings) error
	EnabledIntakes() ([]*IntakeSettings, error)
	// CreateIntakeRecord stores that a message was filed and sets its id:
	// ECONFLICT when the project has a record of its Message-ID already,
	// which a unique key decides (two instances filing the same message
	// at once: one commits, the other conflicts). IntakeRecord returns the
	// record of a message, or ENOTFOUND; ReportIntakeRecord the record
	// of the message report reportID was filed from, or ENOTFOUND.
	CreateIntakeRecord(r *IntakeRecord) error
	IntakeRecord(projectID int64, messageID string) (*IntakeRecord, error)
	ReportIntakeRecord(reportID int64) (*IntakeRecord, error)
	// RecordIntakeFailure stores f, or, when the project has a failure of
	// its key already, counts one more attempt with f's reason and time;
	// it sets f's id, attempts and first time. IntakeFailures returns a
	// project's failures, latest first; DeleteIntakeFailure removes one
	// by key (the message was filed since), and is no error when absent.
	RecordIntakeFailure(f *IntakeFailure) error
	IntakeFailures(projectID int64) ([]*IntakeFailure, error)
	DeleteIntakeFailure(projectID int64, key string) error
	// AddReportAttachment stores a and sets its id; ReportAttachments
	// returns a report's attachments with their bytes, by id.
	AddReportAttachment(a *ReportAttachment) error
	ReportAttachments(reportID int64) ([]*ReportAttachment, error)

	// DueDisclosure returns the id of a private report whose disclosure
	// date is at or before now, locking it (PostgreSQL skips reports
	// another transaction holds), or 0 when none is due.
	DueDisclosure(now time.Time) (int64, error)

	// The rounds of the embargo limit and the stage timers (timers.go).
	// StageDue returns the reports of a project in status st since at or
	// before enteredBy whose coordinator was not reminded of this stage;
	// EscalationDue those reminded at or before remindedBy and not
	// escalated; OverdueEmbargoes the private reports created at or before
	// createdBy that were not raised for going public. Ids, by id.
	StageDue(projectID int64, st Status, enteredBy time.Time) ([]int64, error)
	EscalationDue(projectID int64, remindedBy time.Time) ([]int64, error)
	OverdueEmbargoes(projectID int64, createdBy time.Time) ([]int64, error)
}

// Grants are the facts about one user and one report that the store keeps
// and the policy reads: the user's role in the report's project ("" if
// none) and whether they are subscribed.
type Grants struct {
	MemberRole MemberRole
	Subscribed bool
}

// ReportFilter selects reports. Zero fields match everything; Viewer always
// applies.
type ReportFilter struct {
	Viewer        Viewer
	ProjectID     int64
	Status        Status
	Class         Class
	Visibility    Visibility
	CoordinatorID int64
	ReporterID    int64
	// Overdue keeps the private reports the worker has marked: raised for
	// going public (past the project's embargo limit) or past their
	// stage's time limit. The marks follow each project's settings, which
	// a fixed age could not.
	Overdue bool
	// Query, unless blank, keeps the reports whose title, description,
	// components, CVE ids or impact description hold all of its words
	// (the last one also as a prefix), best match first, then newest.
	// Its operators are not interpreted: a query with no word matches
	// nothing. At most MaxQueryLength characters.
	Query         string
	Limit, Offset int
}

// Paging limits.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// AuditFilter selects audit events. A zero filter selects all.
type AuditFilter struct {
	ReportID int64 // the events of this report
	// MembersOf, with ReportID, adds the membership events (member.set,
	// member.remove) of this project: what the disclosure extent needs.
	MembersOf int64
	AfterSeq  int64 // only events after this sequence number
	Limit     int   // 0: no limit
	// Actions, unless empty, keeps the events whose action is one of
	// these (with the other fields: and).
	Actions []string
	// Since, unless zero, keeps the events at or after it.
	Since time.Time
	// Latest, with Limit, keeps the last Limit events rather than the
	// first (still in sequence order).
	Latest bool
	// ActorID, unless zero, keeps the events of this user (the system's
	// own events, actor 0, cannot be selected so).
	ActorID int64
	// BeforeSeq, unless zero, keeps the events before this sequence
	// number: with Latest, the page of older events a person reads next.
	BeforeSeq int64
	// Extent keeps the events the disclosure extent reads (ExtentReads).
	Extent bool
}
