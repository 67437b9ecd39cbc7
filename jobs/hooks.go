// Package jobs runs what happens without a request: the delivery of the
// outbox (signed and encrypted notices over SMTP) and the disclosure hour
// (private reports made public at their date). It also supplies the
// domain's disclosure hooks, which need the calendar, pgpmail and render.
package jobs

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/calendar"
	"github.com/vmtproject/vmt/pgpmail"
	"github.com/vmtproject/vmt/render"
)

// CheckKey is the domain's KeyChecker: pgpmail's import checks.
func CheckKey(armored string, at time.Time) (vmt.KeyInfo, error) {
	k, err := pgpmail.ParsePublicKey([]byte(armored), at)
	if err != nil {
		return vmt.KeyInfo{}, err
	}
	info := vmt.KeyInfo{Fingerprint: k.Fingerprint}
	if !k.Expires.IsZero() {
		e := k.Expires.UTC().Truncate(time.Microsecond)
		info.Expires = &e
	}
	return info, nil
}

// Plan is the domain's DisclosurePlanner: calendar.Next under the policy
// in its strict JSON settings form, or the default policy.
func Plan(policy json.RawMessage, from time.Time) (time.Time, error) {
	p := calendar.DefaultPolicy()
	if len(policy) > 0 {
		if err := json.Unmarshal(policy, &p); err != nil {
			return time.Time{}, err
		}
	}
	d, err := p.Next(from)
	if err != nil {
		return time.Time{}, err
	}
	return d.At, nil
}

// Site is what the texts say about this instance.
type Site struct {
	BaseURL string // e.g. https://vmt.example.org, for links to reports
	Team    string // "Kata Containers Vulnerability Management Team"
	Contact string // the team's address, for a report with no coordinator
}

// Notice returns the domain's NoticeRenderer: the downstream notification
// template of render (the project's own when it has one), filled from the
// report.
func (s Site) Notice(set *render.Set) vmt.NoticeRenderer {
	return func(f vmt.NoticeFacts) (string, string, error) {
		set, err := set.With(f.Templates)
		if err != nil {
			return "", "", err
		}
		coord := ""
		if f.Coordinator != nil {
			coord = f.Coordinator.Name
			if coord == "" {
				coord = f.Coordinator.Email
			}
		}
		reportURL := fmt.Sprintf("%s/reports/%d", strings.TrimRight(s.BaseURL, "/"), f.Report.ID)
		doc, err := set.Render(render.Notification, render.NotificationData{
			Prefix: f.Project.AdvisoryPrefix, Project: f.Project.Name, Components: f.Report.Components(),
			CVEs: f.Report.CVEs, Description: f.Report.ImpactDescription, Disclosure: render.DisclosureText(f.Disclosure),
			Patches: f.Patches.Names(), Unpatched: f.Patches.Without,
			ReportURL: reportURL, AccessURL: reportURL + "/access",
			Coordinator: coord, Team: s.Team,
		})
		return doc.Subject, doc.Body, err
	}
}

// Publication returns the preparer of the "Notify CVE about a publication"
// text for a report made public: the coordinator's address, the public
// report as the reference, the CVEs, and the day of disclosure.
func (s Site) Publication() vmt.PublicationPreparer {
	return func(tx vmt.Tx, r *vmt.Report) (string, error) {
		if len(r.CVEs) == 0 {
			return "", nil // nothing to tell the CVE program
		}
		email := ""
		if r.CoordinatorID != 0 {
			u, err := tx.User(r.CoordinatorID)
			if err != nil {
				return "", err
			}
			email = u.Email
		}
		if email == "" {
			email = s.Contact
		}
		f := &render.CVEPublicationForm{RequestType: render.NotifyPublication, Email: email,
			AdvisoryURL: fmt.Sprintf("%s/reports/%d", strings.TrimRight(s.BaseURL, "/"), r.ID),
			CVEs:        r.CVEs, DatePublished: r.DisclosureAt.UTC().Format(time.DateOnly)}
		return f.Text()
	}
}
