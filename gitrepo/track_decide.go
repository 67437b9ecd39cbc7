package gitrepo

// decide tells how much of fix the branch has.
func (bi *branchIndex) decide(f Fix, ids map[string]Identity) Result {
	bi.learn(f, ids)
	res := Result{Fix: f.Key, Branch: bi.name, Tip: bi.tip}
	merged, none := 0, 0
	for _, p := range f.Patches {
		pr := bi.decidePatch(p)
		switch pr.State {
		case Merged:
			merged++
		case NotMerged:
			none++
		}
		res.Patches = append(res.Patches, pr)
	}
	switch {
	case merged == len(f.Patches):
		res.State = Merged
	case none == len(f.Patches):
		res.State = NotMerged
	default:
		res.State = Partial
	}
	return res
}

// decidePatch looks for one patch: whole, by git's patch-id or by its
// changed lines; else hunk by hunk, where some hunks found is Partial.
func (bi *branchIndex) decidePatch(p Identity) PatchResult {
	if c, ok := bi.stable[p.Stable]; ok && !p.Stable.IsZero() {
		return PatchResult{State: Merged, Commit: c, By: "patch-id"}
	}
	if c, ok := bi.lines[p.Lines]; ok && !p.Lines.IsZero() {
		return PatchResult{State: Merged, Commit: c, By: "changed lines"}
	}
	pr := PatchResult{State: NotMerged}
	for _, f := range p.Files {
		for _, h := range f.Hunks {
			pr.Hunks++
			if _, ok := bi.hunks[h]; ok {
				pr.HunksFound++
			}
		}
	}
	switch {
	case pr.Hunks > 0 && pr.HunksFound == pr.Hunks:
		pr.State, pr.By = Merged, "hunks"
	case pr.HunksFound > 0:
		pr.State = Partial
	}
	return pr
}

// learn adds to the branch's maps the identities of its commits that touch
// a file of the fix; each commit is added once per branch index, so deciding
// many fixes costs one map insertion per commit and a few lookups per patch.
func (bi *branchIndex) learn(f Fix, ids map[string]Identity) {
	for _, p := range f.Patches {
		for _, file := range p.Files {
			for _, c := range bi.paths[file.Path] {
				if bi.added[c] {
					continue
				}
				bi.added[c] = true
				bi.add(c, ids[c])
			}
		}
	}
}

func (bi *branchIndex) add(c string, id Identity) {
	putNew(bi.stable, id.Stable, c)
	putNew(bi.lines, id.Lines, c)
	for _, f := range id.Files {
		for _, h := range f.Hunks {
			putNew(bi.hunks, h, c)
		}
	}
}

func putNew(m map[ID]string, id ID, c string) {
	if _, ok := m[id]; !ok && !id.IsZero() {
		m[id] = c
	}
}
