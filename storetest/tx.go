package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
)

// writeAll creates one of each object and an audit event: what a failed
// transaction must leave no trace of.
func writeAll(t *testing.T, tx vmt.Tx) {
	t.Helper()
	u := mkUser(t, tx, "gone@example.org", vmt.RoleAdmin)
	must(t, tx.CreateToken(&vmt.Token{UserID: u.ID, Name: "t", Hash: "h", CreatedAt: t0}))
	p := mkProject(t, tx, "gone")
	must(t, tx.SetMember(vmt.Member{ProjectID: p.ID, UserID: u.ID, Role: vmt.MemberVMT}))
	r := mkReport(t, tx, p.ID, u.ID, vmt.Private, t0)
	must(t, tx.CreateComment(&vmt.Comment{ReportID: r.ID, AuthorID: u.ID, Body: "b", CreatedAt: t0}))
	must(t, tx.AppendAudit(event(vmt.AuditReportCreate, p.ID, r.ID, "", `{}`)))
}

// wantEmpty checks that the store holds nothing, audit log included, and
// that a new event still starts the chain.
func wantEmpty(t *testing.T, st vmt.Store) {
	t.Helper()
	view(t, st, func(tx vmt.Tx) error {
		n, err := tx.CountUsers()
		must(t, err)
		same(t, "users", n, 0)
		ps, err := tx.Projects()
		must(t, err)
		same(t, "projects", len(ps), 0)
		rs, n, err := tx.Reports(vmt.ReportFilter{Viewer: vmt.Viewer{Admin: true}})
		must(t, err)
		same(t, "reports", len(rs)+n, 0)
		es, err := tx.AuditEvents(vmt.AuditFilter{})
		must(t, err)
		same(t, "audit events", len(es), 0)
		return nil
	})
	same(t, "chain length", verify(t, st), int64(0))
	e := event(vmt.AuditUserCreate, 0, 0, "", `{}`)
	appendEvents(t, st, e)
	// A rolled-back append may leave a gap in the sequence numbers (a
	// PostgreSQL sequence is not rolled back), never in a chain.
	if e.Seq < 1 || e.ChainSeq != 1 || e.PrevHash != vmt.GenesisHash {
		t.Errorf("first event after a rollback sealed as seq %d position %d prev %.8s", e.Seq, e.ChainSeq, e.PrevHash)
	}
}

// testRollback checks that an Update whose function fails stores nothing
// and returns the function's error.
func testRollback(t *testing.T, st vmt.Store) {
	err := st.Update(t.Context(), func(tx vmt.Tx) error {
		writeAll(t, tx)
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Errorf("Update returned %v, want the function's error", err)
	}
	err = st.Update(t.Context(), func(tx vmt.Tx) error {
		writeAll(t, tx)
		return vmt.Invalid("title", "is required")
	})
	wantCode(t, "Update returning a domain error", err, vmt.EINVALID)
	wantEmpty(t, st)
}

// testRollbackOnPanic checks that a panicking Update stores nothing and
// leaves the store usable.
func testRollbackOnPanic(t *testing.T, st vmt.Store) {
	func() {
		defer func() {
			if recover() == nil {
				t.Error("Update swallowed the panic")
			}
		}()
		_ = st.Update(t.Context(), func(tx vmt.Tx) error {
			writeAll(t, tx)
			panic(errBoom)
		})
	}()
	// A transaction left open would block the next writer.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := st.Update(ctx, func(vmt.Tx) error { return nil }); err != nil {
		t.Fatalf("Update after a panic: %v", err)
	}
	wantEmpty(t, st)
}

// testViewIsReadOnly checks that writes fail inside View.
func testViewIsReadOnly(t *testing.T, st vmt.Store) {
	writes := map[string]func(vmt.Tx) error{
		"CreateUser": func(tx vmt.Tx) error {
			return tx.CreateUser(&vmt.User{Email: "v@example.org", Role: vmt.RoleAdmin, CreatedAt: t0})
		},
		"CreateProject": func(tx vmt.Tx) error {
			return tx.CreateProject(&vmt.Project{Name: "v", AdvisoryPrefix: "VA", NotePrefix: "VN", Branches: []string{"m"}})
		},
		"AppendAudit": func(tx vmt.Tx) error { return tx.AppendAudit(event(vmt.AuditUserCreate, 0, 0, "", `{}`)) },
	}
	for name, write := range writes {
		if err := st.View(t.Context(), write); err == nil {
			t.Errorf("%s inside View succeeded", name)
		}
	}
	wantEmpty(t, st)
}

// testViewOne checks that ViewOne runs one lookup, refuses a second
// statement, and cannot write.
func testViewOne(t *testing.T, st vmt.Store) {
	var u *vmt.User
	update(t, st, func(tx vmt.Tx) error { u = mkUser(t, tx, "one@example.org", vmt.RoleReporter); return nil })
	err := st.ViewOne(t.Context(), func(tx vmt.Tx) error {
		got, err := tx.User(u.ID)
		must(t, err)
		same(t, "ViewOne: User", got, u)
		_, err = tx.Users()
		if err == nil {
			t.Error("a second statement inside ViewOne succeeded")
		}
		return nil
	})
	must(t, err)
	err = st.ViewOne(t.Context(), func(tx vmt.Tx) error {
		return tx.CreateProject(&vmt.Project{Name: "w", AdvisoryPrefix: "WA", NotePrefix: "WN", Branches: []string{"m"}})
	})
	if err == nil {
		t.Error("a write inside ViewOne succeeded")
	}
}
