package app_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestMarkDuplicate: in one action the coordinator marks a report a
// duplicate of another: its reporter is credited on the original and told
// on their own report, by number only, and is not let into the private
// original unless the coordinator asks; the reporter's record counts it;
// the duplicate waits on no one, and goes public with its original. The rules: not of itself, not of a
// duplicate (the root is named), not twice, only by who coordinates both.
func TestMarkDuplicate(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newImpactWorld(t, engine)
			ctx, coord := context.Background(), w.people["coord"]
			other := w.people["other-reporter"]
			orig := w.reportID
			file := func(title, credit string) int64 {
				v, err := w.svc.CreateReport(ctx, other, vmt.ReportInput{Project: "p", Title: title,
					Description: "A symlink in the shared directory is followed on the host.", Components: []string{"runtime"}, Credit: credit})
				must(t, err)
				return v.ID
			}
			dup := file("Symlinks followed on the host", "Dana Dup (Dup Labs)")

			if _, err := w.svc.MarkDuplicate(ctx, other, dup, app.DuplicateInput{Of: orig}); vmt.ErrorCode(err) != vmt.EFORBIDDEN && vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("the reporter marked their own report a duplicate: %v", err)
			}
			wantCode(t, "a duplicate of itself", errOf(w.svc.MarkDuplicate(ctx, coord, dup, app.DuplicateInput{Of: dup})), vmt.EINVALID)
			wantCode(t, "no original", errOf(w.svc.MarkDuplicate(ctx, coord, dup, app.DuplicateInput{})), vmt.EINVALID)

			v, err := w.svc.MarkDuplicate(ctx, coord, dup, app.DuplicateInput{Of: orig})
			must(t, err)
			if v.DuplicateOf != orig {
				t.Fatalf("duplicate_of %d, want %d", v.DuplicateOf, orig)
			}
			o, err := w.svc.Report(ctx, coord, orig)
			must(t, err)
			credit := "Dana Dup (Dup Labs) (also found it, report #" + strconv.FormatInt(dup, 10) + ")"
			if !strings.Contains(o.Credit, "Rose Reporter (Example Corp)") || !strings.Contains(o.Credit, credit) {
				t.Errorf("the original's credit: %q, want the first reporter's and %q", o.Credit, credit)
			}
			cs, err := w.svc.Comments(ctx, other, dup)
			must(t, err)
			if len(cs) == 0 || !strings.Contains(cs[len(cs)-1].Body, "duplicate of #"+strconv.FormatInt(orig, 10)) ||
				strings.Contains(cs[len(cs)-1].Body, "Guest reads host files") {
				t.Errorf("the duplicate's reporter is not told by number only: %+v", cs)
			}
			_, err = w.svc.Report(ctx, other, orig)
			wantCode(t, "the duplicate's reporter reads the private original", err, vmt.ENOTFOUND)
			wantCode(t, "marked twice", errOf(w.svc.MarkDuplicate(ctx, coord, dup, app.DuplicateInput{Of: orig})), vmt.ECONFLICT)

			// A duplicate of the duplicate: the root is named.
			dup2 := file("Host files through symlinks", "")
			_, err = w.svc.MarkDuplicate(ctx, coord, dup2, app.DuplicateInput{Of: dup})
			if vmt.ErrorCode(err) != vmt.EINVALID || !strings.Contains(err.Error(), "#"+strconv.FormatInt(orig, 10)) {
				t.Errorf("a duplicate of a duplicate: %v, want the root named", err)
			}
			_, err = w.svc.MarkDuplicate(ctx, coord, dup2, app.DuplicateInput{Of: orig, Subscribe: true})
			must(t, err)
			if _, err := w.svc.Report(ctx, other, orig); err != nil {
				t.Errorf("subscribed at the coordinator's word, the reporter cannot read the original: %v", err)
			}
			// The original is an original now: it cannot become a duplicate.
			third := file("Unrelated", "")
			wantCode(t, "an original marked a duplicate", errOf(w.svc.MarkDuplicate(ctx, coord, orig, app.DuplicateInput{Of: third})), vmt.ECONFLICT)

			tr, err := w.svc.Triage(ctx, coord, third)
			must(t, err)
			want := vmt.ReporterRecord{ReporterID: other.ID(), Sent: 3, Duplicates: 2}
			if tr.Reporter != want {
				t.Errorf("the reporter's record %+v, want %+v", tr.Reporter, want)
			}
			in, err := w.svc.Inbox(ctx, coord)
			must(t, err)
			for _, it := range append(in.Mine, in.Others...) {
				if it.ReportID == dup || it.ReportID == dup2 {
					t.Errorf("a duplicate waits in the coordinator's inbox: %+v", it)
				}
			}

			// The original's disclosure carries its duplicates along: they
			// restate what is now public. An unrelated report stays.
			_, err = w.svc.MakePublic(ctx, coord, orig, "fixed in the open")
			must(t, err)
			for _, id := range []int64{dup, dup2} {
				if v, err := w.svc.Report(ctx, vmt.Actor{}, id); err != nil || v.Visibility != vmt.Public {
					t.Errorf("duplicate #%d after its original's disclosure: %v %+v", id, err, v)
				}
			}
			if _, err := w.svc.Report(ctx, vmt.Actor{}, third); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("an unrelated report went public with the original: %v", err)
			}
		})
	}
}

// TestIntakeBound: a reporter files at most Deps.ReportsPerDay reports
// in a day; the next is refused as rate limited, saying why. The
// project's members are not bounded.
func TestIntakeBound(t *testing.T) {
	w := newImpactWorld(t, sqldbtest.Engines()[0])
	d := w.svc.Deps()
	d.ReportsPerDay = vmt.DefaultReportsPerDay
	w.svc = app.Must(app.New(d))
	ctx := context.Background()
	rep := w.people["other-reporter"]
	in := vmt.ReportInput{Project: "p", Title: "Flood", Description: "Another one."}
	for i := range vmt.DefaultReportsPerDay {
		if _, err := w.svc.CreateReport(ctx, rep, in); err != nil {
			t.Fatalf("report %d of the day: %v", i+1, err)
		}
	}
	_, err := w.svc.CreateReport(ctx, rep, in)
	if vmt.ErrorCode(err) != vmt.ERATELIMIT || !strings.Contains(err.Error(), "24 hours") {
		t.Fatalf("one report over the bound: %v, want rate_limited saying why", err)
	}
	for range 3 {
		if _, err := w.svc.CreateReport(ctx, w.people["coord"], in); err != nil {
			t.Fatalf("a VMT member bounded: %v", err)
		}
	}
}

func errOf[T any](_ T, err error) error { return err }
