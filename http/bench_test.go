package http_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// load sends n GET requests to url over conns keep-alive connections at
// once and returns the requests per second and the 99th percentile latency.
func load(tb testing.TB, url, token string, n, conns int) (float64, time.Duration) {
	tb.Helper()
	var m meter
	m.run(tb, url, token, n, conns)
	return m.rate(), m.quantile(0.99)
}

// meter sums the requests and latencies of several rounds of load, so
// that vmt and its anchor can take turns on a shared machine and meet
// the same neighbours.
type meter struct {
	lat  []time.Duration
	took time.Duration
}

func (m *meter) rate() float64 { return float64(len(m.lat)) / m.took.Seconds() }

func (m *meter) quantile(q float64) time.Duration {
	l := slices.Clone(m.lat)
	slices.Sort(l)
	return l[int(float64(len(l)-1)*q)]
}

// run sends n GET requests to url over conns keep-alive connections at
// once, and adds them to m.
func (m *meter) run(tb testing.TB, url, token string, n, conns int) {
	tb.Helper()
	m.runWith(tb, url, n, conns, func(req *http.Request) {
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
	})
}

// runWith is run with the credentials auth puts on each request.
func (m *meter) runWith(tb testing.TB, url string, n, conns int, auth func(*http.Request)) {
	tb.Helper()
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	lat := make([]time.Duration, n)
	var wg sync.WaitGroup
	var failed sync.Once
	start := time.Now()
	for c := 0; c < conns; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c; i < n; i += conns {
				req, _ := http.NewRequest("GET", url, nil)
				auth(req)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				lat[i] = time.Since(t0)
				if err != nil {
					failed.Do(func() { tb.Errorf("GET %s: %v", url, err) })
				}
			}
		}()
	}
	wg.Wait()
	m.took += time.Since(start)
	m.lat = append(m.lat, lat...)
}

// BenchmarkGetReport measures authorized GET /api/v1/reports/{id} at 32
// connections on each store, next to a bare net/http handler that serves
// the same bytes without authentication or store, in the same run. The
// ratio is api/bare throughput; the aim is at least 0.5 with p99 under 10 ms.
func BenchmarkGetReport(b *testing.B) {
	const conns = 32
	forEachEngineB(b, func(b *testing.B, e *env) {
		ctx := context.Background()
		u, tok := e.user("bench@example.org", vmt.RoleReporter)
		r, err := e.svc.CreateReport(ctx, u, vmt.ReportInput{Title: "Guest escape through the agent API", Description: "Steps to reproduce."})
		if err != nil {
			b.Fatal(err)
		}
		path := "/api/v1/reports/" + itoa(r.ID)
		_, body := e.do("GET", path, tok, "")
		bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			io.WriteString(w, body)
		}))
		defer bare.Close()
		n := max(b.N, 2000)
		load(b, bare.URL+path, tok, n/4, conns) // warm both up
		load(b, e.srv.URL+path, tok, n/4, conns)
		b.ResetTimer()
		// Ten turns each, so that both meet the same load of the machine.
		var bm, am meter
		for range 10 {
			bm.run(b, bare.URL+path, tok, n/10, conns)
			am.run(b, e.srv.URL+path, tok, n/10, conns)
		}
		b.StopTimer()
		bareRPS, bareP99 := bm.rate(), bm.quantile(0.99)
		apiRPS, apiP99 := am.rate(), am.quantile(0.99)
		b.ReportMetric(float64(am.quantile(0.5).Microseconds())/1000, "api-p50-ms")
		b.ReportMetric(float64(bm.quantile(0.5).Microseconds())/1000, "bare-p50-ms")
		b.ReportMetric(apiRPS, "api-req/s")
		b.ReportMetric(float64(apiP99.Microseconds())/1000, "api-p99-ms")
		b.ReportMetric(bareRPS, "bare-req/s")
		b.ReportMetric(float64(bareP99.Microseconds())/1000, "bare-p99-ms")
		b.ReportMetric(apiRPS/bareRPS, "api/bare")
		b.ReportMetric(0, "ns/op")
	})
}

// forEachEngineB runs a benchmark on a fresh server per store engine.
func forEachEngineB(b *testing.B, fn func(b *testing.B, e *env)) {
	for _, engine := range sqldbtest.Engines() {
		b.Run(engine, func(b *testing.B) {
			fn(b, newEnv(b, engine))
		})
	}
}

// BenchmarkReportPage measures the HTML page of a report with 300
// comments at 8 connections, as its coordinator sees it (extent, audit
// section, subscribers), with 572 events in the report's history and
// again with 1,014, next to the comments API of the same report in the
// same run, the two taking turns. The aim is p99 under 50 ms, flat in
// the history's length.
func BenchmarkReportPage(b *testing.B) {
	const conns = 8
	forEachEngineB(b, func(b *testing.B, e *env) {
		ctx := context.Background()
		coord, tok := e.user("coordinator@example.org", vmt.RoleVMT)
		e.withPassword(coord)
		if err := e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}); err != nil {
			b.Fatal(err)
		}
		r, err := e.svc.CreateReport(ctx, e.admin, vmt.ReportInput{Title: "Guest escape through the agent API",
			Description: "## Steps\n\n1. Start a sandbox.\n2. Call `CopyFile` with `../`.\n\nThe agent **writes** outside the sandbox."})
		if err != nil {
			b.Fatal(err)
		}
		for i := range 300 {
			body := fmt.Sprintf("Comment %d: reproduced on `main` at [commit %d](https://example.org/c/%d).\n\n"+
				"- the agent version is 3.%d\n- the guest kernel is 6.%d\n\n> quoted *reply* with some `code`", i, i, i, i%10, i%12)
			if _, err := e.svc.AddComment(ctx, coord, r.ID, body); err != nil {
				b.Fatal(err)
			}
		}
		// grow pads the report's history to n events with edits.
		grow := func(n int) {
			evs, err := e.svc.ReportAudit(ctx, coord, r.ID)
			if err != nil {
				b.Fatal(err)
			}
			for i := len(evs); i < n; i++ {
				v := fmt.Sprintf("3.%d", i)
				if _, err := e.svc.UpdateReport(ctx, coord, r.ID, vmt.ReportPatch{AffectedVersions: &v}); err != nil {
					b.Fatal(err)
				}
			}
		}
		br := e.browser()
		br.login("coordinator@example.org")
		u, _ := url.Parse(e.srv.URL)
		cookies := br.c.Jar.Cookies(u)
		page := e.srv.URL + "/reports/" + itoa(r.ID)
		api := e.srv.URL + "/api/v1/reports/" + itoa(r.ID) + "/comments"
		withCookies := func(req *http.Request) {
			for _, c := range cookies {
				req.AddCookie(c)
			}
		}
		for _, events := range []int{572, 1014} {
			grow(events)
			b.Run(fmt.Sprintf("events=%d", events), func(b *testing.B) {
				n := max(b.N, 200)
				var pm, am meter
				pm.runWith(b, page, n/10, conns, withCookies) // warm up
				b.ResetTimer()
				for range 5 {
					pm.runWith(b, page, n/5, conns, withCookies)
					am.run(b, api, tok, n/5, conns)
				}
				b.StopTimer()
				b.ReportMetric(pm.rate(), "pages/s")
				b.ReportMetric(float64(pm.quantile(0.5).Microseconds())/1000, "page-p50-ms")
				b.ReportMetric(float64(pm.quantile(0.99).Microseconds())/1000, "page-p99-ms")
				b.ReportMetric(float64(am.quantile(0.5).Microseconds())/1000, "comments-api-p50-ms")
				b.ReportMetric(float64(am.quantile(0.99).Microseconds())/1000, "comments-api-p99-ms")
				b.ReportMetric(0, "ns/op")
			})
		}
	})
}
