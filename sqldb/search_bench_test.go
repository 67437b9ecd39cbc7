package sqldb_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// BenchmarkSearch measures full-text search through the service, as the
// dashboard calls it (one page of 50, with the count), from 8 connections
// at once, as a VMT member of every project, who sees every report, and as
// a reporter, who sees the public reports and their own. Each query runs on
// a store of 100,000 reports and, in the same run, on one of 1,000 (its
// anchor): the p50 and p99 latencies of both in milliseconds, their p99
// ratio and the number of matches at 100,000. The aim (issue 17) is a p99
// under 50 ms at 100,000 reports, within twice that at 1,000, next to the
// same list without a query. The stores are filled through the real schema
// (FTS5 triggers and prefix index, the generated tsvector and its GIN
// index), in transactions of 10,000 CreateReport calls.
//
//	go test ./sqldb -run '^$' -bench Search -benchtime 400x -timeout 30m
func BenchmarkSearch(b *testing.B) {
	for _, engine := range sqldbtest.Engines() {
		b.Run(engine, func(b *testing.B) {
			var stores [2]struct {
				svc *app.Service
				fx  seeded
			}
			for i, n := range []int{1_000, 100_000} {
				db := sqldbtest.Open(b, engine)
				start := time.Now()
				fx := seedReports(b, db, n)
				b.Logf("%s: %d reports stored in %v", engine, fx.reports, time.Since(start).Round(time.Millisecond))
				stores[i].fx = fx
				stores[i].svc = app.Must(app.New(app.Deps{
					Store:  db,
					Hasher: password.Hasher{}, // required; searches never sign in
					Now:    time.Now,
					Log:    slog.New(slog.DiscardHandler),
				}))
			}
			for _, who := range []string{"vmt", "reporter"} {
				for _, q := range benchQueries {
					b.Run(who+"/"+q.name, func(b *testing.B) {
						var p [2]latencies
						for i, st := range stores {
							a := st.fx.vmt
							if who == "reporter" {
								a = st.fx.reporter
							}
							p[i] = benchReports(b, st.svc, a, q.q)
						}
						b.ReportMetric(p[1].p50, "p50-ms")
						b.ReportMetric(p[1].p99, "p99-ms")
						b.ReportMetric(p[0].p50, "p50-1k-ms")
						b.ReportMetric(p[0].p99, "p99-1k-ms")
						b.ReportMetric(p[1].p99/max(p[0].p99, 0.001), "p99-vs-1k")
						b.ReportMetric(float64(p[1].matches), "matches")
					})
				}
			}
		})
	}
}

var benchQueries = []struct{ name, q string }{
	{"list", ""},                           // no query: the plain newest-first list
	{"very-common", "guest"},               // most reports: the worst case
	{"common-word", "overflow"},            // about one report in four
	{"two-words", "heap overflow"},         // both words, anywhere
	{"component", "virtio-fs"},             // a phrase, in components and text
	{"prefix", "hypervis"},                 // the last word as a prefix
	{"short-prefix", "gue"},                // the shortest prefix searched
	{"cve", "CVE-2024-31337"},              // one report, matched whole
	{"report-number", "#42"},               // one report by its number
	{"rare-words", "seccomp symlink race"}, // three words, few reports
	{"no-match", "kubernetes"},             // no report
}

// benchConns is how many searches run at once, as from 8 connections.
const benchConns = 8

// latencies is what benchReports measured, in milliseconds.
type latencies struct {
	p50, p99 float64
	matches  int
}

// benchReports runs b.N searches for q from benchConns goroutines and
// returns their latency percentiles and the matches.
func benchReports(b *testing.B, svc *app.Service, a vmt.Actor, q string) latencies {
	ctx := context.Background()
	durs := make([]time.Duration, b.N)
	var next atomic.Int64
	var total atomic.Int64
	var wg sync.WaitGroup
	for range benchConns {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				t0 := time.Now()
				rs, n, err := svc.Reports(ctx, a, vmt.ReportFilter{Query: q})
				durs[i] = time.Since(t0)
				if err != nil {
					b.Error(err)
					return
				}
				if len(rs) > vmt.DefaultPageSize || len(rs) > n {
					b.Errorf("%d reports on a page for %d matches", len(rs), n)
				}
				total.Store(int64(n))
			}
		})
	}
	wg.Wait()
	slices.Sort(durs)
	ms := func(p float64) float64 {
		return float64(durs[min(len(durs)-1, int(p*float64(len(durs))))].Microseconds()) / 1000
	}
	return latencies{p50: ms(0.50), p99: ms(0.99), matches: int(total.Load())}
}

// seeded is what seedReports made.
type seeded struct {
	vmt, reporter vmt.Actor
	reports       int
}

// seedReports stores n reports in 4 projects from 2,000 reporters, one
// public in ten, with titles, descriptions, components and CVE ids drawn
// from word lists, so that words have the uneven frequencies of real text.
// One VMT member coordinates every project; the benchmark's reporter is
// one of the 2,000.
func seedReports(b testing.TB, db *sqldb.DB, n int) seeded {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var projects []int64
	var reporters []*vmt.User
	var coordinator *vmt.User
	err := db.Update(ctx, func(tx vmt.Tx) error {
		coordinator = &vmt.User{Email: "vmt@example.org", Name: "Coordinator", Role: vmt.RoleVMT, CreatedAt: now}
		if err := tx.CreateUser(coordinator); err != nil {
			return err
		}
		for i := range 4 {
			p := &vmt.Project{Name: fmt.Sprintf("project-%d", i), AdvisoryPrefix: "KCSA", NotePrefix: "KCSN",
				Branches: []string{"main"}, CreatedAt: now}
			if err := tx.CreateProject(p); err != nil {
				return err
			}
			if err := tx.SetMember(vmt.Member{ProjectID: p.ID, UserID: coordinator.ID, Role: vmt.MemberVMT}); err != nil {
				return err
			}
			projects = append(projects, p.ID)
		}
		for i := range 2000 {
			u := &vmt.User{Email: fmt.Sprintf("reporter%d@example.org", i), Name: "Reporter", Role: vmt.RoleReporter, CreatedAt: now}
			if err := tx.CreateUser(u); err != nil {
				return err
			}
			reporters = append(reporters, u)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	const batch = 10_000
	for done := 0; done < n; done += batch {
		err := db.Update(ctx, func(tx vmt.Tx) error {
			for i := done; i < min(done+batch, n); i++ {
				r := randomReport(rng, i, now)
				r.ProjectID = projects[rng.IntN(len(projects))]
				r.ReporterID = reporters[rng.IntN(len(reporters))].ID
				if err := tx.CreateReport(r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	// Statistics, as PostgreSQL's autovacuum would gather on a live
	// server, and the bulk load written out: measured right after it, the
	// searches competed with the checkpoint of 100,000 rows and read two
	// to six times slower than on a settled server.
	if db.Engine() == sqldb.Postgres {
		for _, stmt := range []string{"VACUUM ANALYZE reports", "CHECKPOINT"} {
			if err := db.Exec(ctx, stmt); err != nil {
				b.Fatal(err)
			}
		}
	}
	return seeded{vmt: vmt.Actor{User: coordinator}, reporter: vmt.Actor{User: reporters[7]}, reports: n}
}

// randomReport is report number i, made of the word lists. Report 4242
// holds CVE-2024-31337, which the "cve" query looks for.
func randomReport(rng *rand.Rand, i int, now time.Time) *vmt.Report {
	pick := func(l []string) string { return l[rng.IntN(len(l))] }
	comp := pick(components)
	title := fmt.Sprintf("%s in %s %s", pick(flaws), comp, pick(contexts))
	var d strings.Builder
	for range 3 + rng.IntN(6) {
		fmt.Fprintf(&d, "%s %s %s %s. ", pick(subjects), pick(verbs), pick(objects), pick(contexts))
		if rng.IntN(4) == 0 { // a flaw named in one sentence in four
			fmt.Fprintf(&d, "It looks like a %s. ", pick(flaws))
		}
	}
	d.WriteString(pick(sentences))
	r := &vmt.Report{Title: title, Description: d.String(), Visibility: vmt.Private, Status: vmt.StatusNew,
		Affected: vmt.AffectedOf([]string{comp}, ""), CVEs: []string{}, NeverDisclose: []string{},
		CreatedAt: now.Add(-time.Duration(i) * 13 * time.Minute)}
	r.UpdatedAt = r.CreatedAt
	if rng.IntN(10) == 0 {
		r.Visibility, r.Status = vmt.Public, vmt.StatusFixReleased
	}
	if rng.IntN(3) == 0 {
		if c := pick(components); c != comp {
			r.Affected = append(r.Affected, vmt.AffectedEntry{Component: c})
		}
		r.ImpactDescription = fmt.Sprintf("%s %s %s through %s.", pick(subjects), pick(verbs), pick(objects), comp)
	}
	switch {
	case i == 4242:
		r.CVEs = []string{"CVE-2024-31337"}
	case rng.IntN(4) == 0:
		r.CVEs = []string{fmt.Sprintf("CVE-%d-%d", 2020+rng.IntN(7), 1000+rng.IntN(90000))}
	}
	return r
}

var (
	flaws = []string{"heap overflow", "stack overflow", "integer overflow", "use-after-free", "double free",
		"race condition", "path traversal", "privilege escalation", "denial of service", "information leak",
		"sandbox escape", "null pointer dereference", "command injection", "symlink race", "TOCTOU window",
		"out-of-bounds read", "out-of-bounds write", "memory leak", "missing permission check",
		"unchecked length", "format string bug", "deadlock", "resource exhaustion", "type confusion"}
	components = []string{"kata-agent", "runtime-rs", "virtio-fs", "containerd-shim", "hypervisor", "qemu",
		"cloud-hypervisor", "firecracker", "image-rs", "vsock", "netns", "cgroups", "seccomp", "devmapper",
		"nydus", "kata-monitor", "kata-ctl", "guest-kernel", "virtiofsd", "dragonball", "agent-protocol",
		"genpolicy", "tdx-shim", "sev-snp", "block-device", "network-plugin", "mount-handler", "oci-spec"}
	contexts = []string{"when the guest sends a crafted request", "during container start",
		"on sandbox teardown", "with a malicious image", "under memory pressure", "after a hot-plug event",
		"when mounting a shared volume", "with confidential computing enabled", "on ARM hosts",
		"while copying files into the guest", "when the log buffer is full", "with a hostile OCI annotation",
		"during live migration", "on a busy host", "when the network namespace is shared"}
	subjects = []string{"A guest user", "An unprivileged container", "A malicious image", "The host runtime",
		"A compromised workload", "A remote attacker", "A tenant", "The shim", "The agent", "A pod"}
	verbs = []string{"can read", "can overwrite", "can corrupt", "can exhaust", "can bypass", "can crash",
		"can hang", "can leak", "can replace", "can escalate through"}
	objects = []string{"host memory", "the agent's state", "another sandbox's files", "the vsock channel",
		"kernel addresses", "the policy engine", "the shared filesystem", "the metrics endpoint",
		"file descriptors", "the console socket", "the device list", "environment variables"}
	sentences = []string{"Steps to reproduce are attached.", "A proof of concept is available on request.",
		"The issue was found by fuzzing.", "Found during an internal audit.", "Reproduced on 3.2 and main.",
		"Only confidential guests are affected.", "The default configuration is vulnerable.",
		"Please keep this private until a fix is released."}
)
