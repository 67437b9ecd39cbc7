package http

import (
	"strings"

	"github.com/vmtproject/vmt"
)

// auditPhrases say each action of the audit log in words, for the
// administrators' audit page. An action missing here (a new one) reads
// as its name with the dot and underscores spaced out.
var auditPhrases = map[string]string{
	vmt.AuditAdvisoryCVEPublish:       "published the CVE record of an advisory",
	vmt.AuditAdvisoryCVEPublishQueued: "queued the publication of a CVE record",
	vmt.AuditAdvisoryDraft:            "drafted an advisory",
	vmt.AuditAdvisoryDraftFromReport:  "drafted an advisory from the report",
	vmt.AuditAdvisoryEmbargo:          "made an advisory final, under embargo",
	vmt.AuditAdvisoryErrata:           "issued errata to an advisory",
	vmt.AuditAdvisoryImport:           "imported an advisory",
	vmt.AuditAdvisoryPublish:          "published an advisory",
	vmt.AuditAdvisoryUpdate:           "edited an advisory",
	vmt.AuditAdvisoryWithdraw:         "withdrew an advisory",
	vmt.AuditCommentAdd:               "commented",
	vmt.AuditFixAttach:                "attached a fix",
	vmt.AuditFixMerge:                 "recorded a fix as merged",
	vmt.AuditFixPushQueued:            "queued the push of the fixes",
	vmt.AuditFixPushed:                "pushed the fixes",
	vmt.AuditFixReview:                "reviewed a fix",
	vmt.AuditFixWaive:                 "waived a branch's fix",
	vmt.AuditMemberRemove:             "removed a project member",
	vmt.AuditMemberSet:                "set a project member's role",
	vmt.AuditOutboxDelivered:          "delivered an outbox item",
	vmt.AuditOutboxFailed:             "failed to deliver an outbox item",
	vmt.AuditOutboxRetry:              "retried an outbox item",
	vmt.AuditProjectCNA:               "changed a project's CNA settings",
	vmt.AuditProjectCreate:            "created a project",
	vmt.AuditProjectDisclosure:        "changed a project's disclosure policy",
	vmt.AuditProjectForge:             "changed a project's GitHub repository settings",
	vmt.AuditProjectIntake:            "changed a project's mail intake",
	vmt.AuditProjectPublication:       "changed a project's publication settings",
	vmt.AuditProjectTemplateReset:     "reset a project's template to the shipped text",
	vmt.AuditProjectTemplateSet:       "set a project's own template",
	vmt.AuditProjectUpdate:            "changed a project's settings",
	vmt.AuditReportAccessDecline:      "declined a request for access",
	vmt.AuditReportAccessRequest:      "asked for access to a report",
	vmt.AuditReportAssign:             "assigned the coordinator",
	vmt.AuditReportClassify:           "classified the report",
	vmt.AuditReportCreate:             "filed the report",
	vmt.AuditReportIntake:             "filed the report from the mail intake",
	vmt.AuditReportCVERequest:         "requested a CVE",
	vmt.AuditReportCVEReserve:         "reserved a CVE",
	vmt.AuditReportDisclose:           "disclosed the report",
	vmt.AuditReportDisclosureHeld:     "held the disclosure",
	vmt.AuditReportDisclosureReleased: "released the held disclosure",
	vmt.AuditReportEmbargoRaised:      "raised the embargo",
	vmt.AuditReportGrant:              "granted access to the report",
	vmt.AuditReportGrantRevoke:        "revoked access to the report",
	vmt.AuditReportImpactApprove:      "approved the impact description",
	vmt.AuditReportImpactDraft:        "drafted the impact description",
	vmt.AuditReportImpactReset:        "reset the impact description's approvals",
	vmt.AuditReportNotice:             "sent the notice to the stakeholders",
	vmt.AuditReportNoticeUpdate:       "sent an update of the notice",
	vmt.AuditReportDisclosureMove:     "moved the disclosure date",
	vmt.AuditReportForgeFork:          "asked GitHub for the advisory's temporary private fork",
	vmt.AuditReportForgeIssue:         "linked the report to its GitHub issue",
	vmt.AuditReportForgeLabel:         "received a status label change from GitHub",
	vmt.AuditReportForgePullRequest:   "recorded a GitHub pull request for the report",
	vmt.AuditReportDuplicate:          "marked the report a duplicate",
	vmt.AuditReportPossibleLeak:       "flagged a possible leak",
	vmt.AuditReportPublicationNotice:  "announced the publication",
	vmt.AuditReportPublicize:          "made the report public",
	vmt.AuditReportStageEscalated:     "escalated an overdue step",
	vmt.AuditReportStageReminder:      "reminded of an overdue step",
	vmt.AuditReportTermsOverride:      "overrode the reporter's terms",
	vmt.AuditReportTold:               "recorded who was told",
	vmt.AuditReportTransition:         "changed the status",
	vmt.AuditReportUpdate:             "edited the report",
	vmt.AuditStakeholderCreate:        "added a stakeholder",
	vmt.AuditStakeholderDelete:        "removed a stakeholder",
	vmt.AuditStakeholderUpdate:        "edited a stakeholder",
	vmt.AuditStakeholderRequestCreate: "applied to be a stakeholder",
	vmt.AuditSubscriptionAdd:          "subscribed someone to the report",
	vmt.AuditSubscriptionRemove:       "unsubscribed someone from the report",
	vmt.AuditTokenCreate:              "created an API token",
	vmt.AuditTokenDelete:              "revoked an API token",
	vmt.AuditUserForgeLogin:           "set an account's GitHub login",
	vmt.AuditUserCreate:               "created a user",
	vmt.AuditUserEmailProofSent:       "was sent a link to prove their address",
	vmt.AuditUserEmailProven:          "proved their address",
	vmt.AuditUserInvite:               "invited a user",
	vmt.AuditUserLinkCreate:           "made a one-time sign-in link",
	vmt.AuditUserNotifications:        "changed their notification settings",
	vmt.AuditUserPassword:             "set a password",
	vmt.AuditUserRegister:             "registered",
	vmt.AuditUserSecondFactor:         "changed their two-factor sign-in",
	vmt.AuditUserSignIn:               "signed in",
	vmt.AuditUserSignOutEverywhere:    "signed out everywhere",
	vmt.AuditUserUpdate:               "changed a user",
}

// auditWords says action in words.
func auditWords(action string) string {
	if p, ok := auditPhrases[action]; ok {
		return p
	}
	return strings.NewReplacer(".", ": ", "_", " ").Replace(action)
}
