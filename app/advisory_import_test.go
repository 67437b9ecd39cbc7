package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestImportAdvisories: the project's VMT imports earlier advisories,
// which keep their ids and dates and are public at once; a reporter may
// not import; a dry run stores nothing but answers as the import does;
// the same document again is unchanged, a different one under the same
// original id is refused naming the fields, as are a draft, a document
// with no id to keep and one whose id a document not yet public holds.
// Each import is audited.
func TestImportAdvisories(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newPubWorld(t, engine)
			at := time.Date(2014, 6, 2, 0, 0, 0, 0, time.UTC)
			doc := func(id string, aliases ...string) vmt.Advisory {
				d := draftDoc()
				d.CVSS = []string{"AV:N/AC:L/Au:N/C:P/I:N/A:N"} // a CVSS 2 vector, as OSSAs carry
				d.Kind, d.State, d.Published, d.Aliases = vmt.KindAdvisory, vmt.AdvisoryPublished, &at, aliases
				if id != "" {
					p, err := vmt.ParseAdvisoryID(id)
					must(t, err)
					d.ID = p
				}
				return d
			}
			emb := w.embargoed(false)
			draft := doc("", "GHSA-xxxx-draft")
			draft.State, draft.Published = vmt.AdvisoryDraft, nil
			req := vmt.ImportRequest{Documents: []vmt.ImportDocument{
				{File: "OSSA-2014-018.yaml", Advisory: doc("OSSA-2014-018")},
				{File: "GHSA-6978-vg2j-cc9q.json", Advisory: doc("", "GHSA-6978-vg2j-cc9q")},
				{File: "draft.json", Advisory: draft},
				{File: "noid.json", Advisory: doc("")},
				{File: "taken.yaml", Advisory: doc(emb.ID.String())},
			}}
			if _, err := w.svc.ImportAdvisories(ctx, w.report, "p", req); vmt.ErrorCode(err) != vmt.EFORBIDDEN {
				t.Fatalf("import by a reporter: %v", err)
			}
			outcomes := func(rep *vmt.ImportReport) string {
				var b []string
				for _, r := range rep.Results {
					b = append(b, r.File+"="+string(r.Outcome)+":"+r.ID)
				}
				return strings.Join(b, " ")
			}
			want := "OSSA-2014-018.yaml=imported:OSSA-2014-018 GHSA-6978-vg2j-cc9q.json=imported:PSA-2014-001 draft.json=refused: noid.json=refused: taken.yaml=refused:"
			dry := req
			dry.DryRun = true
			rep, err := w.svc.ImportAdvisories(ctx, w.vmtm, "p", dry)
			must(t, err)
			if got := outcomes(rep); got != want || !rep.DryRun {
				t.Errorf("dry run: %s\nwant        %s", got, want)
			}
			if pub, err := w.svc.PublicAdvisories(ctx, "p"); err != nil || len(pub) != 0 {
				t.Fatalf("after the dry run: %d public documents (%v)", len(pub), err)
			}
			rep, err = w.svc.ImportAdvisories(ctx, w.vmtm, "p", req)
			must(t, err)
			if got := outcomes(rep); got != want {
				t.Errorf("import: %s\nwant    %s", got, want)
			}
			if r := rep.Results[4].Reason; !strings.Contains(r, emb.ID.String()+" is the id of a document of this project that is embargoed") {
				t.Errorf("an id held by an embargoed document: %q", r)
			}
			for i, field := range map[int]string{2: "state", 3: "id", 4: "id"} {
				if !strings.HasPrefix(rep.Results[i].Reason, field+":") {
					t.Errorf("%s: reason %q does not name %s", rep.Results[i].File, rep.Results[i].Reason, field)
				}
			}
			pub, err := w.svc.PublicAdvisories(ctx, "p")
			must(t, err)
			if len(pub) != 2 || !pub[0].Published.Equal(at) || pub[0].ReportID != 0 {
				t.Fatalf("public documents: %d, first %+v", len(pub), pub[0])
			}

			again := req
			changed := doc("OSSA-2014-018")
			changed.Title = "Another title"
			again.Documents = append(again.Documents[:2:2], vmt.ImportDocument{File: "OSSA-2014-018-edited.yaml", Advisory: changed})
			rep, err = w.svc.ImportAdvisories(ctx, w.vmtm, "p", again)
			must(t, err)
			if got := outcomes(rep); got != "OSSA-2014-018.yaml=unchanged:OSSA-2014-018 GHSA-6978-vg2j-cc9q.json=unchanged:PSA-2014-001 OSSA-2014-018-edited.yaml=refused:OSSA-2014-018" {
				t.Errorf("again: %s", got)
			}
			if r := rep.Results[2].Reason; !strings.Contains(r, "differs in title") || !strings.Contains(r, "erratum") {
				t.Errorf("a changed document: %q", r)
			}
			// Another project may not publish the same id: the public pages
			// name a document by its id alone.
			_, err = w.svc.CreateProject(ctx, w.admin, vmt.Project{Name: "q", AdvisoryPrefix: "QSA", NotePrefix: "QSN", Branches: []string{"main"}})
			must(t, err)
			rep, err = w.svc.ImportAdvisories(ctx, w.admin, "q", vmt.ImportRequest{Documents: req.Documents[:1]})
			must(t, err)
			if r := rep.Results[0]; r.Outcome != vmt.ImportRefused || !strings.Contains(r.Reason, "already published by another project") {
				t.Errorf("the same id in another project: %+v", r)
			}
			n := 0
			for e, err := range w.st.AuditLog(ctx) {
				must(t, err)
				if e.Action == vmt.AuditAdvisoryImport && e.ActorID == w.vmtm.ID() {
					n++
				}
			}
			if n != 2 {
				t.Errorf("%d import events, want 2", n)
			}
		})
	}
}
