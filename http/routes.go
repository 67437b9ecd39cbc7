package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

// routes lists every route of the API. Every one goes through api(), which
// authenticates; what the actor may do is decided by the service.
func (s *Server) routes() {
	m := s.mux
	m.Handle("GET /api/v1/health", s.api(s.health))
	m.Handle("GET /api/v1/health/ready", s.api(s.healthReady))
	m.Handle("GET /api/v1/me", s.api(s.me))
	m.Handle("POST /api/v1/me/email-proof", s.api(s.sendEmailProof))
	m.Handle("GET /api/v1/account/notifications", s.api(s.notificationSettings))
	m.Handle("GET /api/v1/inbox", s.api(s.inbox))
	m.Handle("PUT /api/v1/account/notifications", s.api(s.setNotificationSettings))
	m.Handle("POST /api/v1/me/email-proof/confirm", s.api(s.confirmEmailProof))
	m.Handle("GET /api/v1/me/github-login", s.api(s.ownForgeLogins))
	m.Handle("PUT /api/v1/me/github-login", s.api(s.setOwnForgeLogin))
	m.Handle("GET /api/v1/statuses", s.api(s.statuses))
	m.Handle("GET /api/v1/classes", s.api(s.classes))

	m.Handle("GET /api/v1/reports", s.api(s.listReports))
	m.Handle("POST /api/v1/reports", s.api(s.createReport))
	m.Handle("GET /api/v1/reports/{id}", s.api(s.getReport))
	m.Handle("PATCH /api/v1/reports/{id}", s.api(s.updateReport))
	m.Handle("POST /api/v1/reports/{id}/transition", s.api(s.transition))
	m.Handle("POST /api/v1/reports/{id}/classify", s.api(s.classify))
	m.Handle("POST /api/v1/reports/{id}/assign", s.api(s.assign))
	m.Handle("POST /api/v1/reports/{id}/cve-request", s.api(s.cveRequest))
	m.Handle("POST /api/v1/reports/{id}/cve-form", s.api(s.cveForm))
	m.Handle("POST /api/v1/reports/{id}/publicize", s.api(s.publicize))
	m.Handle("GET /api/v1/reports/{id}/triage", s.api(s.triage))
	m.Handle("POST /api/v1/reports/{id}/duplicate", s.api(s.markDuplicate))
	m.Handle("POST /api/v1/reports/{id}/disclosure-date", s.api(s.moveDisclosure))
	m.Handle("GET /api/v1/reports/{id}/subscriptions", s.api(s.subscriptions))
	m.Handle("POST /api/v1/reports/{id}/subscriptions", s.api(s.subscribe))
	m.Handle("DELETE /api/v1/reports/{id}/subscriptions/{user}", s.api(s.unsubscribe))
	m.Handle("GET /api/v1/reports/{id}/comments", s.api(s.comments))
	m.Handle("POST /api/v1/reports/{id}/comments", s.api(s.addComment))
	m.Handle("GET /api/v1/reports/{id}/audit", s.api(s.reportAudit))
	m.Handle("GET /api/v1/reports/{id}/extent", s.api(s.extent))
	m.Handle("GET /api/v1/reports/{id}/fixes", s.api(s.fixes))
	m.Handle("POST /api/v1/reports/{id}/fixes", s.api(s.attachFix))
	m.Handle("GET /api/v1/reports/{id}/fixes/matrix", s.api(s.fixMatrix))
	m.Handle("GET /api/v1/reports/{id}/fixes/{fix}/patch", s.api(s.fixPatch))
	m.Handle("POST /api/v1/fixes/{id}/review", s.api(s.reviewFix))
	m.Handle("POST /api/v1/reports/{id}/fixes/waivers", s.api(s.waiveFix))
	m.Handle("GET /api/v1/reports/{id}/fixes/approval", s.api(s.preApproval))

	m.Handle("GET /api/v1/audit", s.api(s.audit))
	m.Handle("GET /api/v1/outbox", s.api(s.outboxQueue))
	m.Handle("POST /api/v1/outbox/{id}/retry", s.api(s.retryOutbox))
	m.Handle("GET /api/v1/setup", s.api(s.setup))

	m.Handle("GET /api/v1/users", s.api(s.listUsers))
	m.Handle("POST /api/v1/users", s.api(s.createUser))
	m.Handle("POST /api/v1/users/invite", s.api(s.inviteUser))
	m.Handle("GET /api/v1/users/{id}", s.api(s.getUser))
	m.Handle("PATCH /api/v1/users/{id}", s.api(s.updateUser))
	m.Handle("PUT /api/v1/users/{id}/github-login", s.api(s.setUserForgeLogin))
	m.Handle("GET /api/v1/users/{id}/tokens", s.api(s.listTokens))
	m.Handle("POST /api/v1/users/{id}/tokens", s.api(s.createToken))
	m.Handle("DELETE /api/v1/users/{id}/tokens/{token}", s.api(s.deleteToken))

	m.Handle("GET /api/v1/projects", s.api(s.listProjects))
	m.Handle("POST /api/v1/projects", s.api(s.createProject))
	m.Handle("GET /api/v1/projects/{name}", s.api(s.getProject))
	m.Handle("PATCH /api/v1/projects/{name}", s.api(s.updateProject))
	m.Handle("GET /api/v1/projects/{name}/members", s.api(s.members))
	m.Handle("PUT /api/v1/projects/{name}/members/{user}", s.api(s.setMember))
	m.Handle("DELETE /api/v1/projects/{name}/members/{user}", s.api(s.removeMember))

	// Embargo and disclosure (issue 5).
	m.Handle("GET /api/v1/stakeholders", s.api(s.listStakeholders))
	m.Handle("POST /api/v1/stakeholders", s.api(s.createStakeholder))
	m.Handle("GET /api/v1/stakeholders/{id}", s.api(s.getStakeholder))
	m.Handle("PUT /api/v1/stakeholders/{id}", s.api(s.updateStakeholder))
	m.Handle("DELETE /api/v1/stakeholders/{id}", s.api(s.deleteStakeholder))
	m.Handle("GET /api/v1/stakeholder-requests", s.api(s.listStakeholderRequests))
	m.Handle("POST /api/v1/stakeholder-requests", s.api(s.createStakeholderRequest))
	m.Handle("GET /api/v1/stakeholder-requests/{id}", s.api(s.getStakeholderRequest))
	m.Handle("POST /api/v1/stakeholder-requests/{id}/accept", s.api(s.acceptStakeholderRequest))
	m.Handle("POST /api/v1/stakeholder-requests/{id}/decline", s.api(s.declineStakeholderRequest))
	m.Handle("POST /api/v1/reports/{id}/notice", s.api(s.sendNotice))
	m.Handle("GET /api/v1/reports/{id}/notice/preview", s.api(s.previewNotice))
	m.Handle("POST /api/v1/reports/{id}/notice/preview", s.api(s.previewNotice))
	m.Handle("POST /api/v1/reports/{id}/grants", s.api(s.grantStakeholder))
	m.Handle("DELETE /api/v1/reports/{id}/grants/{user}", s.api(s.revokeStakeholder))
	m.Handle("POST /api/v1/reports/{id}/raise", s.api(s.raiseEmbargo))
	m.Handle("GET /api/v1/reports/{id}/access-requests", s.api(s.accessRequests))
	m.Handle("POST /api/v1/reports/{id}/access-requests", s.api(s.requestAccess))
	m.Handle("GET /api/v1/reports/{id}/access-requests/mine", s.api(s.ownAccessRequest))
	m.Handle("POST /api/v1/reports/{id}/access-requests/{user}/decline", s.api(s.declineAccess))
	m.Handle("GET /api/v1/reports/{id}/outbox", s.api(s.outbox))
	m.Handle("GET /api/v1/projects/{name}/disclosure", s.api(s.getDisclosureSettings))
	m.Handle("PUT /api/v1/projects/{name}/disclosure", s.api(s.setDisclosureSettings))

	// Advisories and their publication (issue 4, api_advisories.go).
	m.Handle("GET /api/v1/reports/{id}/advisories", s.api(s.reportAdvisories))
	m.Handle("POST /api/v1/reports/{id}/advisories", s.api(s.draftAdvisory))
	m.Handle("POST /api/v1/reports/{id}/advisories/draft-from-report", s.api(s.draftAdvisoryFromReport))
	m.Handle("GET /api/v1/advisories/{id}", s.api(s.getAdvisory))
	m.Handle("PUT /api/v1/advisories/{id}", s.api(s.updateAdvisory))
	m.Handle("POST /api/v1/advisories/{id}/embargo", s.api(s.embargoAdvisory))
	m.Handle("POST /api/v1/advisories/{id}/publish", s.api(s.publishAdvisory))
	m.Handle("POST /api/v1/advisories/{id}/errata", s.api(s.amendAdvisory))
	m.Handle("POST /api/v1/advisories/{id}/withdraw", s.api(s.withdrawAdvisory))
	m.Handle("GET /api/v1/advisories/{id}/export", s.api(s.exportAdvisoryAPI))
	m.Handle("GET /api/v1/advisories/{id}/record-diff", s.api(s.advisoryRecordDiff))
	m.Handle("GET /api/v1/projects/{name}/publication", s.api(s.getPublicationSettings))
	m.Handle("PUT /api/v1/projects/{name}/publication", s.api(s.setPublicationSettings))
	m.Handle("POST /api/v1/projects/{name}/advisories/import", s.api(s.importAdvisories))

	s.impactRoutes() // impact approval, project templates, CVE Services (issue 4)
	s.forgeRoutes()  // the project's GitHub repository (issue 16)
	s.intakeRoutes() // intake by mail and the files kept with a report (issue 13)
	// The CVE asked of GitHub's CNA through the repository advisory (issue 16).
	s.forgeAdvisoryRoutes()

	// Anything else under the API is a JSON 404, never an HTML page.
	m.Handle("/api/", s.api(func(w http.ResponseWriter, r *http.Request) error {
		return vmt.Errorf(vmt.ENOTFOUND, "no API route %s %s", r.Method, r.URL.Path)
	}))

	s.uiRoutes()
}
