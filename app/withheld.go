package app

import (
	"encoding/json"

	"github.com/vmtproject/vmt"
)

// The service applies the reporter's never-disclose marks at output: every
// report, comment, impact text and document it hands out goes through one
// of these, with the access of whoever it is for (Published for what
// leaves the system). The stored texts are not changed; the VMT is told
// which of them hold a withheld value (ReportView.WithheldIn).

// withheldOf returns what r's marks withhold, reading the reporter's
// account only when the identity is marked.
func withheldOf(tx vmt.Tx, r *vmt.Report) (vmt.Withheld, error) {
	if len(r.NeverDisclose) == 0 {
		return vmt.Withheld{}, nil
	}
	var u *vmt.User
	if contains(r.NeverDisclose, "reporter_identity") && r.ReporterID != 0 {
		var err error
		if u, err = tx.User(r.ReporterID); err != nil && vmt.ErrorCode(err) != vmt.ENOTFOUND {
			return vmt.Withheld{}, err
		}
	}
	return vmt.WithheldOf(r, u), nil
}

// docMarks caches the withheld values of the reports of documents, so
// that a list of documents reads each report once.
type docMarks map[int64]vmt.Withheld

// of returns what the marks of d's report withhold; a document with no
// report (an import) has no marks.
func (m docMarks) of(tx vmt.Tx, d *vmt.Advisory) (vmt.Withheld, error) {
	return m.ofReport(tx, d.ReportID)
}

// ofReport returns what the marks of report id withhold (nothing for 0).
func (m docMarks) ofReport(tx vmt.Tx, id int64) (vmt.Withheld, error) {
	if id == 0 {
		return vmt.Withheld{}, nil
	}
	if w, ok := m[id]; ok {
		return w, nil
	}
	r, err := tx.Report(id)
	if err != nil {
		return vmt.Withheld{}, err
	}
	w, err := withheldOf(tx, r)
	if err != nil {
		return vmt.Withheld{}, err
	}
	m[id] = w
	return w, nil
}

// published returns ds as they leave the system: each without what its
// report's marks withhold.
func published(tx vmt.Tx, ds ...*vmt.Advisory) ([]*vmt.Advisory, error) {
	m := docMarks{}
	out := make([]*vmt.Advisory, len(ds))
	for i, d := range ds {
		w, err := m.of(tx, d)
		if err != nil {
			return nil, err
		}
		out[i] = vmt.Published.Withhold(w).Advisory(d)
	}
	return out, nil
}

// publishedOne is published for one document.
func publishedOne(tx vmt.Tx, d *vmt.Advisory) (*vmt.Advisory, error) {
	out, err := published(tx, d)
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// docAccess returns what a is to the report of d, for the marks: a
// document with no report has none to apply, and its access is moot.
func docAccess(tx vmt.Tx, a vmt.Actor, d *vmt.Advisory) (vmt.Access, error) {
	if d.ReportID == 0 {
		return vmt.Access{}, nil
	}
	r, g, err := tx.ReportFor(d.ReportID, a.ID())
	if err != nil {
		return vmt.Access{}, err
	}
	return vmt.AccessOf(a, r, g), nil
}

// seenDoc returns d as a sees it: in full for those who see what is
// withheld (the VMT, administrators, the reporter), without it for others.
func seenDoc(tx vmt.Tx, a vmt.Actor, d *vmt.Advisory) (*vmt.Advisory, error) {
	acc, err := docAccess(tx, a, d)
	if err != nil {
		return nil, err
	}
	if acc.SeesWithheld() {
		return d, nil
	}
	return publishedOne(tx, d)
}

// storedIn lists the stored texts of r (its fields, comments and
// documents) that hold a value its marks withhold, for the VMT.
func storedIn(tx vmt.Tx, r *vmt.Report, w vmt.Withheld) ([]string, error) {
	if w.Empty() {
		return []string{}, nil
	}
	cs, err := tx.Comments(r.ID)
	if err != nil {
		return nil, err
	}
	ds, err := tx.AdvisoriesOfReport(r.ID)
	if err != nil {
		return nil, err
	}
	return orEmpty(w.StoredIn(r, cs, ds)), nil
}

// redactDeliveries rewrites the texts of the claimed items that leave the
// system (notices, announcements, chat messages) with the marks of their
// reports as they are now: a notice to linux-distros waits in the outbox
// for days, and a mark set meanwhile holds for it. Other kinds (push,
// CVE records, the VMT's reminders) are left as they are: a CVE record
// is written from the document at delivery (DeliverCVEPublication), and
// the rest go to the VMT or carry no text.
func redactDeliveries(tx vmt.Tx, items []*vmt.OutboxItem) error {
	m := docMarks{}
	for _, o := range items {
		if o.Kind != vmt.KindNotice && o.Kind != vmt.KindPublicationMail && o.Kind != vmt.KindWebhook {
			continue
		}
		w, err := m.ofReport(tx, o.ReportID)
		if err != nil {
			return err
		}
		if w.Empty() {
			continue
		}
		if o.Payload, err = redactPayload(o.Kind, o.Payload, vmt.Published.Withhold(w)); err != nil {
			return vmt.Errorf(vmt.EINTERNAL, "outbox item %s: %v", o.Key, err)
		}
	}
	return nil
}

// redactPayload is the payload of an item of kind with its texts
// withheld by w.
func redactPayload(kind string, payload []byte, w vmt.Withheld) ([]byte, error) {
	if kind == vmt.KindWebhook {
		var c vmt.WebhookCall
		if err := json.Unmarshal(payload, &c); err != nil {
			return nil, err
		}
		c.Text = w.Text(c.Text)
		return json.Marshal(c)
	}
	var n vmt.NoticeMail
	if err := json.Unmarshal(payload, &n); err != nil {
		return nil, err
	}
	n.Subject, n.Body = w.Text(n.Subject), w.Text(n.Body)
	return json.Marshal(n)
}
