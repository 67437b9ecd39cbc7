package app

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/vmtproject/vmt"
)

// The administrators' view of the instance (issue 14 item 2): the whole
// outbox, and the checklist of what a notice still needs.

// OutboxQueue lists the outbox items in state (""=all), by id, at most
// limit of them (0: the default page) after id after: administrators
// only, and as entries that carry no mail body (vmt.EntryOf).
func (s *Service) OutboxQueue(ctx context.Context, a vmt.Actor, state vmt.OutboxState, after int64, limit int) ([]vmt.OutboxEntry, error) {
	if err := vmt.RequireAdmin(a); err != nil {
		return nil, err
	}
	if _, err := vmt.ParseOutboxState("state", string(state)); err != nil {
		return nil, err
	}
	if after < 0 {
		return nil, vmt.Invalid("after", "must not be negative")
	}
	limit, _, err := clampPage(limit, 0)
	if err != nil {
		return nil, err
	}
	out := []vmt.OutboxEntry{}
	err = s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		items, err := tx.OutboxPage(state, after, limit)
		for _, o := range items {
			out = append(out, vmt.EntryOf(o))
		}
		return err
	})
	return out, err
}

// RetryOutbox sends a failed item again at once: the worker's next claim
// takes it, with its attempts counted afresh. Administrators only;
// ECONFLICT unless the item is failed. The retry is audited on the item.
func (s *Service) RetryOutbox(ctx context.Context, a vmt.Actor, id int64) (vmt.OutboxEntry, error) {
	if err := vmt.RequireAdmin(a); err != nil {
		return vmt.OutboxEntry{}, err
	}
	var e vmt.OutboxEntry
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		// The item as it was, for the audit event: the attempts it failed
		// after, which the retry counts afresh.
		var before *vmt.OutboxItem
		if id > 0 {
			page, err := tx.OutboxPage("", id-1, 1)
			if err != nil {
				return err
			}
			if len(page) == 1 && page[0].ID == id {
				before = page[0]
			}
		}
		o, err := tx.RetryOutbox(id, s.now())
		if err != nil {
			return err
		}
		e = vmt.EntryOf(o)
		var attempts int
		var lastErr string
		if before != nil {
			attempts, lastErr = before.Attempts, before.LastError
		}
		return s.audit(tx, a, vmt.AuditOutboxRetry, 0, o.ReportID, "outbox:"+o.Key,
			map[string]any{"state": vmt.OutboxFailed, "attempts": attempts, "error": lastErr},
			map[string]any{"state": o.State, "attempts": 0})
	})
	return e, err
}

// Setup returns the checklist of what this instance lacks before a
// notice can go out. Administrators only: it says how the server runs.
func (s *Service) Setup(ctx context.Context, a vmt.Actor) (*vmt.SetupChecklist, error) {
	if err := vmt.RequireAdmin(a); err != nil {
		return nil, err
	}
	var projects []*vmt.Project
	var stakeholders []*vmt.Stakeholder
	confirmed := map[int64]bool{} // projects whose branches someone set
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) {
		if projects, err = tx.Projects(); err != nil {
			return err
		}
		if stakeholders, err = tx.Stakeholders(); err != nil {
			return err
		}
		// A project made by an administrator had its branches chosen;
		// one made by the first start has them once they are set, even
		// to what they were (UpdateProject records branches given).
		evs, err := tx.AuditEvents(vmt.AuditFilter{Actions: []string{vmt.AuditProjectCreate, vmt.AuditProjectUpdate}})
		if err != nil {
			return err
		}
		for _, e := range evs {
			var after map[string]json.RawMessage
			_ = json.Unmarshal(e.After, &after)
			_, branches := after["branches"]
			if (e.Action == vmt.AuditProjectCreate && e.ActorID != 0) || (e.Action == vmt.AuditProjectUpdate && branches) {
				confirmed[e.ProjectID] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	c := &vmt.SetupChecklist{Ready: true}
	add := func(it vmt.SetupItem, done bool, fix string) {
		it.Done = done
		if !done {
			it.Fix, c.Ready = fix, false
		}
		c.Items = append(c.Items, it)
	}
	// The signing key signs every notice (and the CSAF documents): its
	// signer is there exactly when `vmt serve --signing-key` was given.
	key := vmt.SetupItem{Check: vmt.SetupSigningKey, Title: "Signing key", Detail: "no OpenPGP signing key: no notice can be signed"}
	if sg := s.deps.Publication.Signer; sg != nil {
		key.Detail = "notices are signed with the key " + sg.KeyFingerprint()
	}
	add(key, s.deps.Publication.Signer != nil,
		"vmt serve --signing-key FILE (the VMT's armored OpenPGP secret key; its passphrase in VMT_SIGNING_KEY_PASSPHRASE)")
	// The notice renderer is given by the worker only with a relay to
	// send through (jobs.New), so its presence is the relay's.
	relay := vmt.SetupItem{Check: vmt.SetupRelay, Title: "SMTP relay", Detail: "no SMTP relay: notices are not sent"}
	if s.deps.Disclosure.Notice != nil {
		relay.Detail = "notices go out through the relay of vmt serve --smtp-addr"
	}
	add(relay, s.deps.Disclosure.Notice != nil, "vmt serve --smtp-addr HOST:PORT [--smtp-user USER] (with --signing-key; the password in VMT_SMTP_PASSWORD)")
	sh := vmt.SetupItem{Check: vmt.SetupStakeholders, Title: "Stakeholders", Detail: "the registry is empty: a notice would reach no one"}
	if n := len(stakeholders); n > 0 {
		sh.Detail = strconv.Itoa(n) + " in the registry"
	}
	add(sh, len(stakeholders) > 0, "vmt stakeholder add --organisation ORG --contact ADDR [--key KEY.asc]")
	repos, _ := s.deps.Checker.(vmt.RepositoryKnower)
	for _, p := range projects {
		// A project still on the branches the first start gave it has
		// not had them set: a notice's fix matrix would list the wrong
		// branches (Kata's development branch is master).
		br := vmt.SetupItem{Check: vmt.SetupBranches, Project: p.Name, Title: "Supported branches of " + p.Name,
			Detail: "branches " + strings.Join(p.Branches, ", ")}
		isDefault := slices.Equal(p.Branches, vmt.DefaultBranches) && !confirmed[p.ID]
		if isDefault {
			br.Detail = "still the default branch " + strings.Join(p.Branches, ", ") + " only: set the development and stable branches" +
				" (or confirm main alone with --set main)"
		}
		add(br, !isDefault, "vmt project branches "+p.Name+" --set main,stable-3.2")
		has := repos != nil && repos.HasRepository(p.Name)
		rp := vmt.SetupItem{Check: vmt.SetupRepository, Project: p.Name, Title: "Repository of " + p.Name,
			Detail: "no git repository: patches are not checked and fixes not tracked"}
		if has {
			rp.Detail = "a git repository is mirrored (vmt serve --repo)"
		}
		add(rp, has, "vmt serve --repo "+p.Name+"=URL (an https:// URL or an absolute path)")
	}
	return c, nil
}
