package app

import (
	"github.com/vmtproject/vmt"
)

// checkPrefixesFree refuses a project whose advisory or note prefix
// another project already uses, as either of its prefixes: a document's
// id (KCSA-2026-001) is its address on the public site, which serves
// every project's advisories and notes under one /advisories/, so a
// shared prefix would let one project's document hide another's. The
// check runs in the transaction that writes p.
func checkPrefixesFree(tx vmt.Tx, p *vmt.Project) error {
	others, err := tx.Projects()
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.ID == p.ID {
			continue
		}
		for _, f := range []struct{ field, prefix string }{{"advisory_prefix", p.AdvisoryPrefix}, {"note_prefix", p.NotePrefix}} {
			if f.prefix == o.AdvisoryPrefix || f.prefix == o.NotePrefix {
				return vmt.Invalid(f.field, "%q is already a prefix of project %s: document ids must be unique across the public site", f.prefix, o.Name)
			}
		}
	}
	return nil
}
