package main

import (
	"fmt"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/jobs"
)

// wire builds what `vmt serve` runs, and is the one place that builds the
// service: d, the dependencies serve has made (the store, the hasher, the
// clock, the log and the capabilities without flags), gains those of the
// flags (the git mirrors and pusher, the worker's hooks), app.New checks
// them all, and the worker is then built on the service. A required
// dependency missing is an error naming it, before anything runs.
func wire(e *env, d app.Deps, g *gitFlags, m *mailFlags, dataDir, listen string) (*app.Service, *jobs.Worker, error) {
	g.deps(&d, dataDir)
	setup, err := m.setup(e, listen, d.Log)
	if err != nil {
		return nil, nil, err
	}
	d.Disclosure, d.Publication = setup.Provides.Disclosure, setup.Provides.Publication
	pusher, err := g.pusher()
	if err != nil {
		return nil, nil, err
	}
	if pusher != nil {
		d.Pusher = pusher // not a nil *Pusher in the interface: absent is nil
	}
	svc, err := app.New(d)
	if err != nil {
		return nil, nil, fmt.Errorf("vmt serve: %w", err)
	}
	w := m.worker(setup, svc)
	if pusher != nil {
		// A push to the project's own repository on its forge goes
		// with the forge's credentials (an App installation's token).
		pusher.Auth = svc.ForgePushCredential
		w.Handlers[vmt.KindPush] = jobs.Push(svc)
	}
	return svc, w, nil
}
