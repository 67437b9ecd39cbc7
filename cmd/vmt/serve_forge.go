package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/jobs"
)

// runForgeIntake brings in the private vulnerability reports of the
// projects' GitHub repositories every poll until ctx ends, and returns a
// channel closed once it has stopped, so that the store is closed only
// after.
func runForgeIntake(ctx context.Context, svc *app.Service, log *slog.Logger, poll time.Duration) <-chan struct{} {
	in := &jobs.ForgeIntake{Service: svc, Log: log, Poll: max(poll, time.Second)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		in.Run(ctx) // Run logs its own failures
	}()
	return done
}
