package http_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
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
				req.Header.Set("Authorization", "Bearer "+token)
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
	took := time.Since(start)
	slices.Sort(lat)
	return float64(n) / took.Seconds(), lat[n*99/100]
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
		bareRPS, bareP99 := load(b, bare.URL+path, tok, n, conns)
		apiRPS, apiP99 := load(b, e.srv.URL+path, tok, n, conns)
		b.StopTimer()
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
