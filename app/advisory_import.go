package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/vmtproject/vmt"
)

// errDryRun rolls back the transaction of a dry run.
var errDryRun = errors.New("dry run: rolled back")

// ImportAdvisories stores a project's earlier published advisories, read
// from its files by the caller: each becomes a published (or withdrawn)
// document with no report, with its original id and dates, and so is in
// the public index, the feeds and the exports. Its VMT and
// administrators may.
//
// Each document is reported on its own: imported; unchanged when a
// document with the same original id (its id, or the alias it was
// published under) is already stored and says the same, so that importing
// a file again changes nothing; refused, with the reason, when it is not
// a valid public advisory, or says something else than the stored one
// (which changes only through an erratum). A document whose original id
// is not PREFIX-YYYY-NNN is numbered PREFIX-YEAR-NNN of its publication
// year, with in.Prefix or the project's advisory prefix.
//
// A dry run does all of it in a transaction that is then rolled back: the
// report is what an import would say, ids included.
func (s *Service) ImportAdvisories(ctx context.Context, a vmt.Actor, project string, in vmt.ImportRequest) (*vmt.ImportReport, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var rep *vmt.ImportReport
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		p, err := s.projectVMT(tx, a, project, vmt.ProjectImport)
		if err != nil {
			return err
		}
		stored, err := tx.PublicAdvisories(0)
		if err != nil {
			return err
		}
		imp := importer{s: s, tx: tx, a: a, p: p, prefix: in.Prefix, byID: map[string]*vmt.Advisory{}, elsewhere: map[string]int64{}}
		if imp.prefix == "" {
			imp.prefix = p.AdvisoryPrefix
		}
		for _, d := range stored {
			if d.ProjectID == p.ID {
				imp.remember(d)
			} else {
				imp.elsewhere[d.ID.String()] = d.ProjectID
			}
		}
		rep = &vmt.ImportReport{DryRun: in.DryRun}
		for _, doc := range in.Documents {
			res, err := imp.one(doc)
			if err != nil {
				return err
			}
			rep.Results = append(rep.Results, res)
		}
		if in.DryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// importer imports the documents of one request.
type importer struct {
	s      *Service
	tx     vmt.Tx
	a      vmt.Actor
	p      *vmt.Project
	prefix string
	byID   map[string]*vmt.Advisory // the project's public documents by id and by alias
	// elsewhere are the ids other projects have published: the public
	// pages and feeds name a document by its id alone, so one id is one
	// document across the instance.
	elsewhere map[string]int64
}

func (imp *importer) remember(d *vmt.Advisory) {
	imp.byID[d.ID.String()] = d
	for _, al := range d.Aliases {
		if _, ok := imp.byID[al]; !ok {
			imp.byID[al] = d
		}
	}
}

// one imports doc. An error is the store's, and ends the request; what
// is wrong with the document is its result's reason.
func (imp *importer) one(doc vmt.ImportDocument) (vmt.ImportResult, error) {
	d := doc.Advisory
	orig := d.OriginalID()
	res := vmt.ImportResult{File: doc.File, OriginalID: orig, Outcome: vmt.ImportRefused}
	refuse := func(format string, args ...any) (vmt.ImportResult, error) {
		res.Reason = fmt.Sprintf(format, args...)
		return res, nil
	}
	if orig == "" {
		return refuse("id: the advisory has no id and no alias to keep as its original id")
	}
	if !d.Public() {
		return refuse("state: %q; only published or withdrawn advisories are imported (a draft is written with 'vmt advisory draft')", d.State)
	}
	d.RecordID, d.ProjectID, d.ReportID = 0, imp.p.ID, 0
	if old := imp.byID[orig]; old != nil {
		res.ID, res.RecordID = old.ID.String(), old.RecordID
		if d.ID.IsZero() {
			d.ID = old.ID
		}
		diff, err := vmt.AdvisoryFieldsDiffer(old, &d)
		if err != nil {
			return res, err
		}
		if len(diff) == 0 {
			res.Outcome, res.Reason = vmt.ImportUnchanged, "already stored as "+old.ID.String()
			return res, nil
		}
		return refuse("%s is already stored as %s and differs in %s: the stored one is kept; correct it with an erratum (vmt advisory errata)",
			orig, old.ID, strings.Join(diff, ", "))
	}
	if d.ID.IsZero() {
		if d.Published == nil {
			return refuse("published: is required to number %s", orig)
		}
		y := d.Published.Year()
		n, err := imp.tx.NextAdvisoryNumber(imp.p.ID, imp.prefix, y)
		if err != nil {
			return res, err
		}
		d.ID = vmt.NewAdvisoryID(imp.prefix, y, n)
		if !slices.Contains(d.Aliases, orig) {
			d.Aliases = append(d.Aliases, orig)
		}
	} else {
		// A document of the project not yet public may hold the id.
		got, err := imp.tx.AdvisoryByID(imp.p.ID, d.ID)
		switch {
		case err == nil:
			return refuse("id: %s is the id of a document of this project that is %s", d.ID, got.State)
		case vmt.ErrorCode(err) != vmt.ENOTFOUND:
			return res, err
		}
	}
	res.ID = d.ID.String()
	if _, ok := imp.elsewhere[res.ID]; ok {
		return refuse("id: %s is already published by another project of this instance", res.ID)
	}
	if err := imp.s.checkAdvisory(&d); err != nil {
		return refuse("%v", err)
	}
	if err := imp.tx.CreateAdvisory(&d); err != nil {
		if c := vmt.ErrorCode(err); c == vmt.ECONFLICT || c == vmt.EINVALID {
			// The store checks before it writes, so the transaction
			// goes on (as UpdateAdvisory's comment says of PostgreSQL).
			return refuse("%v", err)
		}
		return res, err
	}
	res.Outcome, res.RecordID = vmt.ImportImported, d.RecordID
	imp.remember(&d)
	sum := advisorySummary(&d)
	sum["original_id"], sum["file"] = orig, doc.File
	return res, imp.s.audit(imp.tx, imp.a, vmt.AuditAdvisoryImport, d.ProjectID, 0, subject("advisory", d.RecordID), nil, sum)
}
