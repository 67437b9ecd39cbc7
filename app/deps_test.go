package app_test

import (
	"bytes"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/password"
)

// setDeps changes the dependencies of the world's service: a built
// service is never written into, so a new one is built on the same store
// from the changed copy of its dependencies.
func (w *fixWorld) setDeps(f func(d *app.Deps)) {
	d := w.svc.Deps()
	f(&d)
	w.svc = app.Must(app.New(d))
}

type noStore struct{ vmt.Store }

func fullDeps() app.Deps {
	return app.Deps{Store: noStore{}, Hasher: password.Hasher{}, Now: time.Now, Log: slog.New(slog.DiscardHandler)}
}

// TestNewNamesMissing: New refuses a Deps without any of its required
// dependencies, naming each one missing, and builds nothing.
func TestNewNamesMissing(t *testing.T) {
	for _, tc := range []struct {
		drop func(*app.Deps)
		want []string
	}{
		{func(d *app.Deps) { d.Store = nil }, []string{"Store"}},
		{func(d *app.Deps) { d.Hasher = nil }, []string{"Hasher"}},
		{func(d *app.Deps) { d.Now = nil }, []string{"Now"}},
		{func(d *app.Deps) { d.Log = nil }, []string{"Log"}},
		{func(d *app.Deps) { d.Store, d.Log = nil, nil }, []string{"Store", "Log"}},
		{func(d *app.Deps) { *d = app.Deps{} }, []string{"Store", "Hasher", "Now", "Log"}},
	} {
		d := fullDeps()
		tc.drop(&d)
		svc, err := app.New(d)
		var me *app.MissingError
		if svc != nil || !errors.As(err, &me) {
			t.Errorf("%v missing: %v, %v", tc.want, svc, err)
			continue
		}
		if !reflect.DeepEqual(me.Names, tc.want) {
			t.Errorf("%v missing: names %v", tc.want, me.Names)
		}
		for _, n := range tc.want {
			if !strings.Contains(err.Error(), n) {
				t.Errorf("%q does not name %s", err, n)
			}
		}
	}
	if _, err := app.New(fullDeps()); err != nil {
		t.Errorf("every required dependency given: %v", err)
	}
}

// TestNewLogsAbsentOnce: New logs each optional capability it lacks, once,
// and none it has.
func TestNewLogsAbsentOnce(t *testing.T) {
	var buf bytes.Buffer
	d := fullDeps()
	d.Log = slog.New(slog.NewTextHandler(&buf, nil))
	d.CheckAdvisory = func(*vmt.Advisory) error { return nil }
	d.Publication.BaseURL = "https://vmt.example.org"
	if _, err := app.New(d); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, name := range []string{"Checker", "Tracker", "Pusher", "Disclosure.Keys", "Disclosure.Planner",
		"Disclosure.Notice", "Disclosure.Prepare", "Publication.Render", "Texts.Check", "Texts.Default", "Texts.Impact", "Texts.Reminder", "CVE"} {
		if n := strings.Count(out, "dependency="+name+" "); n != 1 {
			t.Errorf("%s: logged %d times, want once:\n%s", name, n, out)
		}
	}
	for _, name := range []string{"Store", "Hasher", "Now", "Log", "CheckAdvisory", "Publication.BaseURL"} {
		if strings.Contains(out, "dependency="+name+" ") {
			t.Errorf("%s is given, but logged absent:\n%s", name, out)
		}
	}
}

// TestDepsAllKnown: every field of Deps, and of the hook structs in it,
// is one New checks or logs: a dependency added to Deps has to be
// classified, required or optional, in New.
func TestDepsAllKnown(t *testing.T) {
	var names []string
	dt := reflect.TypeFor[app.Deps]()
	for i := range dt.NumField() {
		f := dt.Field(i)
		if f.Type.Kind() == reflect.Struct {
			for j := range f.Type.NumField() {
				names = append(names, f.Name+"."+f.Type.Field(j).Name)
			}
			continue
		}
		names = append(names, f.Name)
	}
	// With nothing given, New names the required ones in its error and
	// logs nothing; with those given, it logs every optional one.
	_, err := app.New(app.Deps{})
	var buf bytes.Buffer
	d := fullDeps()
	d.Log = slog.New(slog.NewTextHandler(&buf, nil))
	if _, err := app.New(d); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		required := strings.Contains(err.Error(), " "+n+",") || strings.HasSuffix(err.Error(), " "+n)
		logged := strings.Contains(buf.String(), "dependency="+n+" ")
		if required == logged {
			t.Errorf("Deps.%s: required %v, logged absent %v: classify it in New (app/new.go)", n, required, logged)
		}
	}
}
