package http

import (
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/vmtproject/vmt"
)

// webUI is the state of the web pages.
type webUI struct {
	pages    map[string]*template.Template
	sessions *sessions
	factors  vmt.SecondFactorStore
	cop      *http.CrossOriginProtection
	// Failed sign-ins are limited per client address, and per account from
	// each address (accountFrom), so that one address cannot guess many
	// passwords nor one password fast, and yet failures sent from one
	// address do not lock the account's owner out at another. (A second
	// factor's codes are limited per account: only its password opens
	// that step.)
	loginIP, loginAccount *failLimiter
}

// uiRoutes adds the web pages. The store must keep sessions too (sqldb
// does); templates that are missing or broken stop the server here.
func (s *Server) uiRoutes() {
	pages, err := parseTemplates()
	if err != nil {
		panic(err)
	}
	st, ok := s.svc.Deps().Store.(vmt.SessionStore)
	if !ok {
		panic("http: the store does not keep web sessions (vmt.SessionStore)")
	}
	factors, ok := s.svc.Deps().Store.(vmt.SecondFactorStore)
	if !ok {
		panic("http: the store does not keep second factors (vmt.SecondFactorStore)")
	}
	s.ui = &webUI{pages: pages, sessions: newSessions(st), factors: factors, cop: http.NewCrossOriginProtection(),
		loginIP: newFailLimiter(time.Now), loginAccount: newFailLimiter(time.Now)}
	s.ui.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte("Refused: this request came from another site.\n"))
	}))
	m := s.mux
	m.Handle("GET /static/", staticFiles())
	// Browsers ask for it on every site; answered here, outside the
	// sessions, it never loads or writes one (a catch-all 404 page would,
	// and could consume a flash meant for the page being loaded).
	m.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.WriteHeader(http.StatusNoContent)
	})
	m.Handle("GET /{$}", s.page(s.home))
	m.Handle("GET /login", s.page(s.loginPage))
	m.Handle("POST /login", s.page(s.login))
	m.Handle("GET /login/code", s.page(s.loginCodePage))
	m.Handle("POST /login/code", s.page(s.loginCode))
	m.Handle("GET "+vmt.AccountLinkPath, s.page(s.welcomePage))
	m.Handle("POST "+vmt.AccountLinkPath, s.page(s.welcome))
	m.Handle("GET /account", s.page(s.accountPageView))
	m.Handle("POST /account/openpgp-key", s.page(s.accountKey))
	m.Handle("POST /account/github-login", s.page(s.accountGitHubLogin))
	m.Handle("GET "+vmt.NotificationsPath, s.page(s.accountPageView))
	m.Handle("POST "+vmt.NotificationsPath, s.page(s.accountNotifications))
	m.Handle("GET "+vmt.EmailProofPath, s.page(s.emailProofView))
	m.Handle("POST "+vmt.EmailProofPath, s.page(s.emailProofConfirm))
	m.Handle("POST /account/email-proof/send", s.page(s.emailProofSend))
	m.Handle("GET /account/two-factor", s.page(s.twoFactorPage))
	m.Handle("POST /account/two-factor/enable", s.page(s.twoFactorEnable))
	m.Handle("POST /account/two-factor/disable", s.page(s.twoFactorDisable))
	m.Handle("POST /logout", s.page(s.logout))
	m.Handle("POST /logout/everywhere", s.page(s.logoutEverywhere))
	m.Handle("GET /report", s.page(s.reportNewPage))
	m.Handle("POST /report", s.page(s.reportNew))
	m.Handle("GET /reports", s.page(s.reportsPage))
	m.Handle("GET /reports/{id}", s.page(s.reportPage))
	m.Handle("POST /reports/{id}/comment", s.page(s.reportComment))
	m.Handle("POST /reports/{id}/terms", s.page(s.reportTerms))
	m.Handle("POST /reports/{id}/transition", s.page(s.reportTransition))
	m.Handle("POST /reports/{id}/classify", s.page(s.reportClassify))
	m.Handle("POST /reports/{id}/assign", s.page(s.reportAssign))
	m.Handle("POST /reports/{id}/subscribe", s.page(s.reportSubscribe))
	m.Handle("POST /reports/{id}/unsubscribe", s.page(s.reportUnsubscribe))
	m.Handle("POST /reports/{id}/incomplete-message", s.page(s.reportIncompleteMessage))
	m.Handle("POST /reports/{id}/impact", s.page(s.reportImpact))
	m.Handle("POST /reports/{id}/impact/draft", s.page(s.reportImpactDraft))
	m.Handle("POST /reports/{id}/impact/approve", s.page(s.reportImpactApprove))
	m.Handle("POST /reports/{id}/cve-request", s.page(s.reportCVERequest))
	m.Handle("POST /reports/{id}/cves", s.page(s.reportCVEs))
	m.Handle("POST /reports/{id}/publicize", s.page(s.reportPublicize))
	m.Handle("POST /reports/{id}/duplicate", s.page(s.reportDuplicate))
	m.Handle("POST /reports/{id}/requested-date", s.page(s.reportRequestedDate))
	m.Handle("POST /reports/{id}/notice", s.page(s.reportNotice))
	m.Handle("GET /reports/{id}/notice/preview", s.page(s.reportNoticePreview))
	m.Handle("POST /reports/{id}/grants", s.page(s.reportGrant))
	m.Handle("POST /reports/{id}/grants/revoke", s.page(s.reportRevokeGrant))
	m.Handle("POST /reports/{id}/grants/decline", s.page(s.reportDeclineAccess))
	m.Handle("POST /reports/{id}/raise", s.page(s.reportRaise))
	m.Handle("GET /reports/{id}/access", s.page(s.reportAccessPage))
	m.Handle("POST /reports/{id}/access", s.page(s.reportAccess))
	m.Handle("POST /reports/{id}/fixes/waive", s.page(s.reportWaiveFix))
	m.Handle("GET /reports/{id}/fixes/{fix}/patch", s.page(s.reportFixPatch))
	m.Handle("POST /reports/{id}/fixes/{fix}/review", s.page(s.reportReviewFix))
	m.Handle("POST /reports/{id}/fixes/link", s.page(s.reportFixLink))
	m.Handle("POST /reports/{id}/fixes/upload", s.page(s.reportFixUpload))
	// The intake by mail (ui_intake.go): a mailed report's files, and the
	// messages a project's mailbox could not file.
	m.Handle("GET /reports/{id}/attachments/{attachment}", s.page(s.reportAttachmentFile))
	m.Handle("GET /projects/{name}/intake", s.page(s.projectIntakePage))
	// The advisory and CVE step (ui_report_advisory.go).
	m.Handle("POST /reports/{id}/advisory/draft", s.page(s.reportAdvisoryDraft))
	m.Handle("POST /reports/{id}/advisory/{doc}/save", s.page(s.reportAdvisorySave))
	m.Handle("POST /reports/{id}/advisory/{doc}/embargo", s.page(s.reportAdvisoryEmbargo))
	m.Handle("POST /reports/{id}/advisory/{doc}/publish", s.page(s.reportAdvisoryPublish))
	m.Handle("POST /reports/{id}/advisory/{doc}/errata", s.page(s.reportAdvisoryErrata))
	m.Handle("POST /reports/{id}/advisory/{doc}/withdraw", s.page(s.reportAdvisoryWithdraw))
	m.Handle("POST /reports/{id}/advisory/{doc}/cve-publish", s.page(s.reportAdvisoryCVEPublish))
	m.Handle("POST /reports/{id}/cve/form", s.page(s.reportCVEForm))
	m.Handle("POST /reports/{id}/cve/reserve", s.page(s.reportCVEReserve))
	// The administrators' pages (ui_admin_ops.go, ui_admin_audit.go,
	// ui_admin_templates.go): a 404 to everyone else.
	m.Handle("GET /admin/outbox", s.page(s.adminOutboxPage))
	m.Handle("POST /admin/outbox/{id}/retry", s.page(s.adminOutboxRetry))
	m.Handle("GET /admin/audit", s.page(s.adminAuditPage))
	m.Handle("GET /admin/projects/{name}/templates", s.page(s.adminTemplatesPage))
	m.Handle("GET /admin/projects/{name}/templates/{template}", s.page(s.adminTemplatePage))
	m.Handle("POST /admin/projects/{name}/templates/{template}", s.page(s.adminTemplateSave))
	m.Handle("POST /admin/projects/{name}/templates/{template}/preview", s.page(s.adminTemplatePreview))
	m.Handle("POST /admin/projects/{name}/templates/{template}/reset", s.page(s.adminTemplateReset))
	// The public advisory pages (ui_advisories.go): no session.
	m.Handle("GET /advisories", s.public(s.advisoriesIndex))
	m.Handle("GET /advisories.atom", s.public(s.advisoriesAtom))
	m.Handle("GET /advisories.json", s.publicJSON(s.advisoriesJSON))
	// A document's page, or its OSSA YAML or KCSA file (/advisories/ID.yaml,
	// ID.md: a pattern's wildcard is a whole segment, so the one route).
	m.Handle("GET /advisories/{id}", s.advisoryPageOrFile(s.public(s.advisoryPage), s.publicJSON(s.advisoryFile)))
	m.Handle("GET /advisories/{id}/{file}", s.publicJSON(s.advisoryExport))
	// The OSV data source (osv_feed.go): public documents only.
	m.Handle("GET /osv/{file}", s.publicJSON(s.osvFeed))
	// The CSAF trusted provider (csaf_provider.go): public documents only.
	m.Handle("GET /.well-known/csaf/{path...}", s.publicJSON(s.csafProvider))
	// How to report, for people and for scanners (security_txt.go,
	// ui_policy.go): public, the same for everyone.
	m.Handle("GET "+SecurityTxtPath, s.public(s.securityTxt))
	m.HandleFunc("GET /security.txt", securityTxtLegacy)
	m.Handle("GET "+KeyPath, s.public(s.vmtKey))
	m.Handle("GET /projects/{name}/policy", s.public(s.policyPage))
	s.adminRoutes() // the administration pages (ui_admin.go)
	m.Handle("/", s.page(func(w http.ResponseWriter, r *http.Request) error {
		return vmt.NotFound("page")
	}))
}

// page wraps a web page or form action: cross-origin refusal of unsafe
// methods, the session, the signed-in actor, the security headers, and one
// place to render the returned error.
func (s *Server) page(h handler) http.Handler {
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w)
		a, err := s.sessionActor(r)
		if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
			info.actor = a.ID()
		}
		r = r.WithContext(withActor(r.Context(), a))
		if err == nil {
			err = h(w, r)
		}
		if err != nil {
			s.renderError(w, r, err)
		}
	})
	return s.ui.cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.ui.sessions.manager(r).LoadAndSave(inner).ServeHTTP(w, r)
	}))
}

// setPageHeaders sets what every page carries: no caching of private
// content, no framing, no sniffing, no referrer to other sites, and a
// policy that runs only our own script and style.
func setPageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// redirect answers a form with 303 See Other, so that reloading the next
// page does not post the form again.
func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// parseForm reads a form body of at most MaxBodyBytes.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	if err := r.ParseForm(); err != nil {
		return decodeError(err)
	}
	return nil
}
