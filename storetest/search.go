package storetest

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
)

// searchFixture is a set of reports with known words, read by the search
// tests. No text holds the words of the hostile queries (or, near, drop,
// table, not, select), so that those queries must match nothing.
type searchFixture struct {
	admin, vmtm, rep, stranger                     *vmt.User
	heap, useAfterFree, cve, comp, impact, private *vmt.Report
	longOverflow, dupOld, dupNew, unicode          *vmt.Report
}

func mkSearchFixture(t *testing.T, st vmt.Store) *searchFixture {
	var f searchFixture
	update(t, st, func(tx vmt.Tx) error {
		p := mkProject(t, tx, "kata")
		f.admin = mkUser(t, tx, "admin@example.org", vmt.RoleAdmin)
		f.vmtm = mkUser(t, tx, "vmt@example.org", vmt.RoleVMT)
		f.rep = mkUser(t, tx, "rep@example.org", vmt.RoleReporter)
		f.stranger = mkUser(t, tx, "x@example.org", vmt.RoleReporter)
		must(t, tx.SetMember(vmt.Member{ProjectID: p.ID, UserID: f.vmtm.ID, Role: vmt.MemberVMT}))
		mk := func(n int, vis vmt.Visibility, set func(r *vmt.Report)) *vmt.Report {
			r := &vmt.Report{ProjectID: p.ID, Title: "Untitled", Description: "Steps follow.",
				ReporterID: f.rep.ID, Visibility: vis, Status: vmt.StatusNew,
				Affected: []vmt.AffectedEntry{}, CVEs: []string{}, NeverDisclose: []string{},
				CreatedAt: at(n), UpdatedAt: at(n)}
			set(r)
			must(t, tx.CreateReport(r))
			return r
		}
		f.heap = mk(1, vmt.Public, func(r *vmt.Report) { r.Title = "Heap overflow in the virtio-fs daemon" })
		f.useAfterFree = mk(2, vmt.Public, func(r *vmt.Report) {
			r.Title = "Agent crash"
			r.Description = "A guest can trigger a use-after-free in the vsock listener."
		})
		f.cve = mk(3, vmt.Public, func(r *vmt.Report) { r.Title = "Sandbox escape"; r.CVEs = []string{"CVE-2025-31337"} })
		f.comp = mk(4, vmt.Public, func(r *vmt.Report) {
			r.Title = "Timing leak"
			r.Affected = vmt.AffectedOf([]string{"runtime-rs", "net/http"}, "")
		})
		f.impact = mk(5, vmt.Public, func(r *vmt.Report) {
			r.Title = "Guest reboot"
			r.ImpactDescription = "A guest user can hang the hypervisor."
		})
		f.private = mk(6, vmt.Private, func(r *vmt.Report) {
			r.Title = "Secret hypervisor memory disclosure"
			r.Description = "Kernel addresses leak to the guest through the hypervisor."
		})
		// Newer than heap, but "overflow" is one word among many of its
		// description, not its title: it ranks second.
		f.longOverflow = mk(7, vmt.Public, func(r *vmt.Report) {
			r.Title = "Slow shutdown"
			r.Description = strings.Repeat("The shim waits for the agent to answer each request. ", 20) +
				"An integer overflow delays it further."
		})
		f.dupOld = mk(8, vmt.Public, func(r *vmt.Report) { r.Title = "Watchdog stall under load" })
		f.dupNew = mk(9, vmt.Public, func(r *vmt.Report) { r.Title = "Watchdog stall under load" })
		f.unicode = mk(10, vmt.Public, func(r *vmt.Report) { r.Title = "Pufferüberlauf im Überwachungsdienst" })
		return nil
	})
	return &f
}

// search runs Reports with the query q as v and returns the reports and count.
func search(t *testing.T, st vmt.Store, v vmt.Viewer, f vmt.ReportFilter) ([]*vmt.Report, int) {
	t.Helper()
	f.Viewer = v
	var rs []*vmt.Report
	var n int
	view(t, st, func(tx vmt.Tx) error {
		var err error
		rs, n, err = tx.Reports(f)
		return err
	})
	return rs, n
}

// testSearch checks which reports each query finds, in which order, and
// that the count covers every match.
func testSearch(t *testing.T, st vmt.Store) {
	f := mkSearchFixture(t, st)
	vmtm := vmt.Viewer{UserID: f.vmtm.ID}
	tests := []struct {
		name, q string
		want    []*vmt.Report
	}{
		{"word in the title", "daemon", []*vmt.Report{f.heap}},
		{"any case", "HEAP", []*vmt.Report{f.heap}},
		{"word in the description", "vsock", []*vmt.Report{f.useAfterFree}},
		{"hyphenated words", "use-after-free", []*vmt.Report{f.useAfterFree}},
		{"all words must match", "guest vsock", []*vmt.Report{f.useAfterFree}},
		{"words in different fields", "crash listener", []*vmt.Report{f.useAfterFree}},
		{"CVE id", "CVE-2025-31337", []*vmt.Report{f.cve}},
		{"CVE id, lower case", "cve-2025-31337", []*vmt.Report{f.cve}},
		{"CVE number", "31337", []*vmt.Report{f.cve}},
		{"another CVE", "CVE-2025-99999", []*vmt.Report{}},
		{"component", "runtime-rs", []*vmt.Report{f.comp}},
		{"component with a slash", "net/http", []*vmt.Report{f.comp}},
		{"impact description", "hang", []*vmt.Report{f.impact}},
		{"prefix of the last word", "virtio-fs dae", []*vmt.Report{f.heap}},
		{"prefix of a CVE id", "CVE-2025-313", []*vmt.Report{f.cve}},
		{"too short a prefix", "da", []*vmt.Report{}},
		{"finished word is no prefix", "dae.", []*vmt.Report{}},
		{"no match", "kubernetes", []*vmt.Report{}},
		{"words in no single report", "daemon vsock", []*vmt.Report{}},
		{"best match first", "overflow", []*vmt.Report{f.heap, f.longOverflow}},
		{"equal matches newest first", "watchdog", []*vmt.Report{f.dupNew, f.dupOld}},
		{"a private report to its project's VMT", "hypervisor", []*vmt.Report{f.private, f.impact}},
		{"letters beyond ASCII", "überwachungsdienst", []*vmt.Report{f.unicode}},
		{"only words that are not there", "quasar", []*vmt.Report{}},
	}
	for _, tt := range tests {
		rs, n := search(t, st, vmtm, vmt.ReportFilter{Query: tt.q})
		same(t, "search "+tt.q+" ("+tt.name+")", ids(rs), ids(tt.want))
		same(t, "count of "+tt.q+" ("+tt.name+")", n, len(tt.want))
	}

	// A blank query is no query: the plain list, newest first.
	rs, n := search(t, st, vmtm, vmt.ReportFilter{Query: " \u00a0 "})
	all, total := search(t, st, vmtm, vmt.ReportFilter{})
	same(t, "blank query", ids(rs), ids(all))
	same(t, "blank query: count", n, total)
	same(t, "the whole list", total, 10)

	// Filters and pages apply to the matches, and the count to all of them.
	rs, n = search(t, st, vmtm, vmt.ReportFilter{Query: "watchdog", Limit: 1, Offset: 1})
	same(t, "second page of one", ids(rs), ids([]*vmt.Report{f.dupOld}))
	same(t, "count with a page", n, 2)
	rs, n = search(t, st, vmtm, vmt.ReportFilter{Query: "hypervisor", Visibility: vmt.Public})
	same(t, "search with a filter", ids(rs), ids([]*vmt.Report{f.impact}))
	same(t, "count with a filter", n, 1)
}

// testSearchVisibility checks that search applies the viewer rule of
// Reports: a private report matches only for those who may see it, and
// counts only for them.
func testSearchVisibility(t *testing.T, st vmt.Store) {
	f := mkSearchFixture(t, st)
	private, public := []*vmt.Report{f.private}, []*vmt.Report{f.impact}
	both, none := []*vmt.Report{f.private, f.impact}, []*vmt.Report{}
	tests := []struct {
		name string
		v    vmt.Viewer
		// Matches for "hypervisor", which the private report and a
		// public one hold, and for words only the private one holds.
		shared, own []*vmt.Report
	}{
		{"anonymous", vmt.Viewer{}, public, none},
		{"stranger", vmt.Viewer{UserID: f.stranger.ID}, public, none},
		{"reporter", vmt.Viewer{UserID: f.rep.ID}, both, private},
		{"vmt member", vmt.Viewer{UserID: f.vmtm.ID}, both, private},
		{"admin", vmt.Viewer{UserID: f.admin.ID, Admin: true}, both, private},
	}
	for _, tt := range tests {
		for _, q := range []string{"hypervisor", "secret", "kernel addresses", "disclos"} {
			want := tt.own
			if q == "hypervisor" {
				want = tt.shared
			}
			rs, n := search(t, st, tt.v, vmt.ReportFilter{Query: q})
			same(t, tt.name+" searching "+q, ids(rs), ids(want))
			same(t, tt.name+" searching "+q+": count", n, len(want))
		}
	}
	// The stranger may not see the private report even by asking for it
	// with every other filter it matches.
	rs, n := search(t, st, vmt.Viewer{UserID: f.stranger.ID},
		vmt.ReportFilter{Query: "secret", Visibility: vmt.Private, ReporterID: f.rep.ID})
	same(t, "stranger with filters", ids(rs), ids([]*vmt.Report{}))
	same(t, "stranger with filters: count", n, 0)
}

// testSearchHostile sends queries written in the engines' query syntax,
// or in SQL: none fails, and none matches more than its plain words do.
func testSearchHostile(t *testing.T, st vmt.Store) {
	f := mkSearchFixture(t, st)
	admin := vmt.Viewer{UserID: f.admin.ID, Admin: true}
	_, all := search(t, st, admin, vmt.ReportFilter{})
	none := []*vmt.Report{}
	tests := []struct {
		q    string
		want []*vmt.Report
	}{
		{`"`, none}, {`""`, none}, {`*`, none}, {`-`, none}, {`NEAR(`, none}, {`OR`, none},
		{`'; DROP TABLE reports; --`, none}, {`') OR 1=1 --`, none}, {`NOT daemon`, none},
		{`daemon OR vsock`, none}, {`NEAR(daemon vsock)`, none}, {`title:daemon`, none},
		{`{title description}: daemon`, none}, {`^daemon`, []*vmt.Report{f.heap}},
		{`!daemon`, []*vmt.Report{f.heap}}, {`daemon:*`, []*vmt.Report{f.heap}},
		{`daemon & !vsock`, []*vmt.Report{}}, {`(daemon | vsock)`, []*vmt.Report{}},
		{`"daemon`, []*vmt.Report{f.heap}}, {`daemon"`, []*vmt.Report{f.heap}},
		{`dae*`, []*vmt.Report{}}, {`*daemon*`, []*vmt.Report{f.heap}}, {`-daemon`, []*vmt.Report{f.heap}},
		{`\`, none}, {`%`, none}, {`_`, none}, {`'`, none}, {`$1`, []*vmt.Report{}},
		{strings.Repeat("(", 100), none}, {strings.Repeat(`"zq" `, 50), none},
	}
	for _, tt := range tests {
		rs, n := search(t, st, admin, vmt.ReportFilter{Query: tt.q})
		same(t, "hostile query "+tt.q, ids(rs), ids(tt.want))
		same(t, "hostile query "+tt.q+": count", n, len(tt.want))
	}
	// Nothing was dropped along the way.
	if _, n := search(t, st, admin, vmt.ReportFilter{}); n != all || all != 10 {
		t.Errorf("after the hostile queries the store holds %d reports, before %d; want 10", n, all)
	}
}

// testSearchFollowsChanges checks that the index follows UpdateReport: a
// report is found by its new words only.
func testSearchFollowsChanges(t *testing.T, st vmt.Store) {
	f := mkSearchFixture(t, st)
	admin := vmt.Viewer{UserID: f.admin.ID, Admin: true}
	r := *f.heap
	r.Title, r.Description = "Stack exhaustion", "Deep recursion in the manifest parser."
	r.Affected, r.CVEs, r.ImpactDescription = vmt.AffectedOf([]string{"image-rs"}, ""), []string{"CVE-2026-4242"}, "Denial of service."
	update(t, st, func(tx vmt.Tx) error { return tx.UpdateReport(&r) })
	for q, want := range map[string][]*vmt.Report{
		"daemon": {}, "recursion": {f.heap}, "exhaustion": {f.heap}, "image-rs": {f.heap},
		"CVE-2026-4242": {f.heap}, "denial": {f.heap},
	} {
		rs, n := search(t, st, admin, vmt.ReportFilter{Query: q})
		same(t, "after the update, "+q, ids(rs), ids(want))
		same(t, "after the update, "+q+": count", n, len(want))
	}
}

// testSearchBound checks vmt.MaxSearchMatches: a query matching more
// reports than the bound counts one more than it, and its pages come from
// the newest matches only; a narrower query still finds an older report.
// Private matches the viewer may not see neither count nor displace.
func testSearchBound(t *testing.T, st vmt.Store) {
	const extra = 5
	var u, stranger *vmt.User
	var all []*vmt.Report // oldest first
	update(t, st, func(tx vmt.Tx) error {
		p := mkProject(t, tx, "bound")
		u, stranger = mkUser(t, tx, "u@example.org", vmt.RoleReporter), mkUser(t, tx, "s@example.org", vmt.RoleReporter)
		for i := range vmt.MaxSearchMatches + extra {
			r := mkReport(t, tx, p.ID, u.ID, vmt.Public, at(i))
			r.Title = "Balloon driver leak number " + strconv.Itoa(i)
			must(t, tx.UpdateReport(r))
			all = append(all, r)
			if i%100 == 0 {
				// Newer private matches of someone else: invisible to the
				// stranger, so they must not take places in the bound.
				hidden := mkReport(t, tx, p.ID, u.ID, vmt.Private, at(i).Add(time.Second))
				hidden.Title = "Balloon driver leak, private"
				must(t, tx.UpdateReport(hidden))
			}
		}
		return nil
	})
	view(t, st, func(tx vmt.Tx) error {
		seen := map[int64]bool{}
		for off := 0; ; off += 400 {
			rs, n, err := tx.Reports(vmt.ReportFilter{Viewer: vmt.Viewer{UserID: stranger.ID}, Query: "balloon leak", Limit: 400, Offset: off})
			must(t, err)
			same(t, "count of a query matching more than the bound", n, vmt.MaxSearchMatches+1)
			if len(rs) == 0 {
				break
			}
			for _, r := range rs {
				if r.Visibility != vmt.Public {
					t.Fatalf("a private report of another user in the stranger's search: %d", r.ID)
				}
				seen[r.ID] = true
			}
		}
		same(t, "reports reachable by paging", len(seen), vmt.MaxSearchMatches)
		for i, r := range all {
			if want := i >= extra; seen[r.ID] != want {
				t.Errorf("report %d (the %dth oldest) reachable = %v, want %v", r.ID, i, seen[r.ID], want)
			}
		}
		rs, n, err := tx.Reports(vmt.ReportFilter{Viewer: vmt.Viewer{UserID: stranger.ID}, Query: "balloon leak number 3"})
		must(t, err)
		if n == 0 || n > vmt.MaxSearchMatches || !slices.Contains(ids(rs), all[3].ID) || ids(rs)[0] != all[3].ID {
			t.Errorf("a narrower query: %d results, first %v; want the old report %d first", n, ids(rs)[:min(len(rs), 3)], all[3].ID)
		}
		return nil
	})
}

// testSearchIDs checks that an identifier in a query is matched whole and
// that the report carrying it ranks first (issue 17): CVE-2026-10700 is
// not a prefix of CVE-2026-107000, a report's number finds that report,
// and the start of a CVE id is still a prefix.
func testSearchIDs(t *testing.T, st vmt.Store) {
	var rep, stranger *vmt.User
	var carrier, mention, advisory, ghsa, private *vmt.Report
	var longer []*vmt.Report
	update(t, st, func(tx vmt.Tx) error {
		p := mkProject(t, tx, "ids")
		rep, stranger = mkUser(t, tx, "rep@example.org", vmt.RoleReporter), mkUser(t, tx, "x@example.org", vmt.RoleReporter)
		mk := func(n int, vis vmt.Visibility, set func(r *vmt.Report)) *vmt.Report {
			r := mkReport(t, tx, p.ID, rep.ID, vis, at(n))
			set(r)
			must(t, tx.UpdateReport(r))
			return r
		}
		carrier = mk(1, vmt.Public, func(r *vmt.Report) { r.Title = "Agent crash"; r.CVEs = []string{"CVE-2026-10700"} })
		// Newer than the carrier, with the id in its title, which ranks
		// as high as the CVE ids: only carrying it ranks first.
		mention = mk(2, vmt.Public, func(r *vmt.Report) { r.Title = "Regression of CVE-2026-10700 in the shim" })
		// Ten newer reports whose CVE ids begin with the one searched.
		for i := range 10 {
			longer = append(longer, mk(3+i, vmt.Public, func(r *vmt.Report) {
				r.Title = "Another crash"
				r.CVEs = []string{"CVE-2026-10700" + strconv.Itoa(i)}
			}))
		}
		advisory = mk(20, vmt.Public, func(r *vmt.Report) { r.Description = "Published as KCSA-2026-001." })
		mk(21, vmt.Public, func(r *vmt.Report) { r.Description = "Published as KCSA-2026-0012." })
		ghsa = mk(22, vmt.Public, func(r *vmt.Report) { r.Description = "Upstream GHSA-jfh8-c2jp-5v3q." })
		private = mk(23, vmt.Private, func(r *vmt.Report) { r.Title = "Secret crash" })
		return nil
	})
	num := func(r *vmt.Report) string { return "#" + strconv.FormatInt(r.ID, 10) }
	anyone := vmt.Viewer{UserID: stranger.ID}
	tests := []struct {
		name, q string
		v       vmt.Viewer
		want    []*vmt.Report
	}{
		{"CVE id: the carrier first, no longer id", "CVE-2026-10700", anyone, []*vmt.Report{carrier, mention}},
		{"CVE id in lower case", "cve-2026-10700", anyone, []*vmt.Report{carrier, mention}},
		{"CVE id with other words", "crash CVE-2026-10700", anyone, []*vmt.Report{carrier}},
		{"a longer CVE id", "CVE-2026-107003", anyone, []*vmt.Report{longer[3]}},
		{"advisory id", "KCSA-2026-001", anyone, []*vmt.Report{advisory}},
		{"GHSA id", "ghsa-jfh8-c2jp-5v3q", anyone, []*vmt.Report{ghsa}},
		{"report number", num(carrier), anyone, []*vmt.Report{carrier}},
		{"report number and a word it holds", num(carrier) + " agent", anyone, []*vmt.Report{carrier}},
		{"report number and a word it lacks", num(carrier) + " shim", anyone, []*vmt.Report{}},
		{"a private report's number to a stranger", num(private), anyone, []*vmt.Report{}},
		{"a private report's number to its reporter", num(private), vmt.Viewer{UserID: rep.ID}, []*vmt.Report{private}},
	}
	for _, tt := range tests {
		rs, n := search(t, st, tt.v, vmt.ReportFilter{Query: tt.q})
		same(t, "search "+tt.q+" ("+tt.name+")", ids(rs), ids(tt.want))
		same(t, "count of "+tt.q+" ("+tt.name+")", n, len(tt.want))
	}
	// The start of a CVE id is a prefix: every id that begins so.
	_, n := search(t, st, anyone, vmt.ReportFilter{Query: "CVE-2026-107"})
	same(t, "count of CVE-2026-107 (the start of a CVE id is a prefix)", n, 12)
	// A report named by number comes first, before the reports whose
	// text holds the number, and pages and counts go on after it.
	var cites *vmt.Report
	update(t, st, func(tx vmt.Tx) error {
		cites = mkReport(t, tx, carrier.ProjectID, rep.ID, vmt.Public, at(30))
		cites.Description = "Same as " + num(carrier) + "."
		must(t, tx.UpdateReport(cites))
		return nil
	})
	rs, n := search(t, st, anyone, vmt.ReportFilter{Query: num(carrier)})
	same(t, "report number before its mentions", ids(rs), ids([]*vmt.Report{carrier, cites}))
	same(t, "report number before its mentions: count", n, 2)
	rs, n = search(t, st, anyone, vmt.ReportFilter{Query: num(carrier), Limit: 1, Offset: 1})
	same(t, "second page after a numbered report", ids(rs), ids([]*vmt.Report{cites}))
	same(t, "second page after a numbered report: count", n, 2)
	rs, n = search(t, st, anyone, vmt.ReportFilter{Query: num(carrier), Limit: 1, Offset: 5})
	same(t, "a page past the matches", ids(rs), ids([]*vmt.Report{}))
	same(t, "a page past the matches: count", n, 2)
}
