package vmt

// The actions of audit events: what AuditEvent.Action holds. They are
// stored, shown and filtered on, so a value never changes once shipped;
// each is named here once and used by name everywhere.
const (
	// advisory events
	AuditAdvisoryCVEPublish       = "advisory.cve_publish"
	AuditAdvisoryCVEPublishQueued = "advisory.cve_publish_queued"
	AuditAdvisoryDraft            = "advisory.draft"
	AuditAdvisoryDraftFromReport  = "advisory.draft_from_report"
	AuditAdvisoryEmbargo          = "advisory.embargo"
	AuditAdvisoryErrata           = "advisory.errata"
	AuditAdvisoryPublish          = "advisory.publish"
	AuditAdvisoryUpdate           = "advisory.update"
	AuditAdvisoryWithdraw         = "advisory.withdraw"
	// comment events
	AuditCommentAdd = "comment.add"
	// fix events
	AuditFixAttach     = "fix.attach"
	AuditFixMerge      = "fix.merge"
	AuditFixPushQueued = "fix.push_queued"
	AuditFixPushed     = "fix.pushed"
	AuditFixReview     = "fix.review"
	AuditFixWaive      = "fix.waive"
	// member events
	AuditMemberRemove = "member.remove"
	AuditMemberSet    = "member.set"
	// outbox events
	AuditOutboxDelivered = "outbox.delivered"
	AuditOutboxFailed    = "outbox.failed"
	// project events
	AuditProjectCNA           = "project.cna"
	AuditProjectCreate        = "project.create"
	AuditProjectDisclosure    = "project.disclosure"
	AuditProjectPublication   = "project.publication"
	AuditProjectTemplateReset = "project.template_reset"
	AuditProjectTemplateSet   = "project.template_set"
	AuditProjectUpdate        = "project.update"
	// report events
	AuditReportAccessDecline      = "report.access_decline"
	AuditReportAccessRequest      = "report.access_request"
	AuditReportAssign             = "report.assign"
	AuditReportClassify           = "report.classify"
	AuditReportCreate             = "report.create"
	AuditReportCVERequest         = "report.cve_request"
	AuditReportCVEReserve         = "report.cve_reserve"
	AuditReportDisclose           = "report.disclose"
	AuditReportDisclosureHeld     = "report.disclosure_held"
	AuditReportDisclosureReleased = "report.disclosure_released"
	AuditReportEmbargoRaised      = "report.embargo_raised"
	AuditReportGrant              = "report.grant"
	AuditReportGrantRevoke        = "report.grant_revoke"
	AuditReportImpactApprove      = "report.impact_approve"
	AuditReportImpactDraft        = "report.impact_draft"
	AuditReportImpactReset        = "report.impact_reset"
	AuditReportNotice             = "report.notice"
	AuditReportPublicationNotice  = "report.publication_notice"
	AuditReportPublicize          = "report.publicize"
	AuditReportStageEscalated     = "report.stage_escalated"
	AuditReportStageReminder      = "report.stage_reminder"
	AuditReportTermsOverride      = "report.terms_override"
	AuditReportTold               = "report.told"
	AuditReportTransition         = "report.transition"
	AuditReportUpdate             = "report.update"
	// stakeholder events
	AuditStakeholderCreate = "stakeholder.create"
	AuditStakeholderDelete = "stakeholder.delete"
	AuditStakeholderUpdate = "stakeholder.update"
	// stakeholder request events
	AuditStakeholderRequestCreate = "stakeholder_request.create"
	// subscription events
	AuditSubscriptionAdd    = "subscription.add"
	AuditSubscriptionRemove = "subscription.remove"
	// token events
	AuditTokenCreate = "token.create"
	AuditTokenDelete = "token.delete"
	// user events
	AuditUserCreate            = "user.create"
	AuditUserEmailProofSent    = "user.email_proof_sent"
	AuditUserEmailProven       = "user.email_proven"
	AuditUserPassword          = "user.password"
	AuditUserRegister          = "user.register"
	AuditUserSecondFactor      = "user.second_factor"
	AuditUserSignIn            = "user.sign_in"
	AuditUserSignOutEverywhere = "user.sign_out_everywhere"
	AuditUserUpdate            = "user.update"
)
