package jobs_test

import "github.com/vmtproject/vmt/app"

// setDeps changes the dependencies of the world's service: a built
// service is never written into, so the world builds a new one on the
// same store from the changed copy of its dependencies. Build workers on
// w.svc after it.
func (w *world) setDeps(f func(d *app.Deps)) {
	w.t.Helper()
	d := w.svc.Deps()
	f(&d)
	svc, err := app.New(d)
	must(w.t, err)
	w.svc = svc
}
