package main

import (
	"bytes"
	"flag"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/password"
)

// noStore is a store for wiring tests, which build a service and never
// call it.
type noStore struct{ vmt.Store }

// testDeps are the dependencies serve makes before wire, on a store that
// is never called.
func testDeps() app.Deps {
	return app.Deps{Store: noStore{}, Hasher: password.Hasher{P: password.Default}, Now: time.Now,
		Log: slog.New(slog.DiscardHandler)}
}

// wireFlags parses args as serve's git and mail flags.
func wireFlags(t *testing.T, args ...string) (*gitFlags, *mailFlags) {
	t.Helper()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var g gitFlags
	g.register(fs)
	var m mailFlags
	m.register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return &g, &m
}

// TestServeRefusesMissingDependency: serve's wiring, the one place that
// builds the service, refuses to start when a required dependency is
// missing, with an error naming each one missing, and builds nothing.
func TestServeRefusesMissingDependency(t *testing.T) {
	for _, tc := range []struct {
		drop func(*app.Deps)
		want []string
	}{
		{func(d *app.Deps) { d.Store = nil }, []string{"Store"}},
		{func(d *app.Deps) { d.Hasher = nil }, []string{"Hasher"}},
		{func(d *app.Deps) { d.Now = nil }, []string{"Now"}},
		{func(d *app.Deps) { d.Log = nil }, []string{"Log"}},
		{func(d *app.Deps) { *d = app.Deps{} }, []string{"Store", "Hasher", "Now", "Log"}},
	} {
		d := testDeps()
		tc.drop(&d)
		g, m := wireFlags(t)
		svc, w, err := wire(&env{getenv: func(string) string { return "" }}, d, g, m, t.TempDir(), "127.0.0.1:8080")
		if err == nil || svc != nil || w != nil {
			t.Errorf("%v missing: started (%v)", tc.want, err)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "vmt serve: ") {
			t.Errorf("%v missing: %q does not say it is serve's", tc.want, msg)
		}
		for _, name := range tc.want {
			if !strings.Contains(msg, name) {
				t.Errorf("%v missing: %q does not name %s", tc.want, msg, name)
			}
		}
	}
}

// TestServeLogsAbsentCapabilities: started without the optional
// capabilities that need flags (no --repo, --push-remote or
// --signing-key), serve says so once each at start-up, and names none
// that it has.
func TestServeLogsAbsentCapabilities(t *testing.T) {
	var buf bytes.Buffer
	d := testDeps()
	d.Log = slog.New(slog.NewTextHandler(&buf, nil))
	g, m := wireFlags(t)
	if _, _, err := wire(&env{getenv: func(string) string { return "" }}, d, g, m, t.TempDir(), "127.0.0.1:8080"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, name := range []string{"Checker", "Tracker", "Pusher", "Disclosure.Notice", "CVE"} {
		if n := strings.Count(out, "dependency="+name+" "); n != 1 {
			t.Errorf("%s absent: logged %d times, want once:\n%s", name, n, out)
		}
	}
	for _, name := range []string{"Disclosure.Keys", "Disclosure.Planner", "Disclosure.Prepare", "Publication.BaseURL", "Publication.Render"} {
		if strings.Contains(out, "dependency="+name+" ") {
			t.Errorf("%s is wired, but logged absent:\n%s", name, out)
		}
	}
}
