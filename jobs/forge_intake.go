package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/vmtproject/vmt/app"
)

// ForgeIntake brings in, each round, the private vulnerability reports
// filed on the GitHub repository of every project that set one up (its
// advisories in triage), each once (app.ForgeIntake). An advisory that
// cannot be filed is logged and tried again next round. Two instances may
// poll one repository: the store's unique record of each GHSA id files it
// once.
type ForgeIntake struct {
	Service *app.Service
	Log     *slog.Logger
	Poll    time.Duration // between rounds; default 5m
}

// Run polls until ctx ends. A failed round is logged and tried again at
// the next poll.
func (in *ForgeIntake) Run(ctx context.Context) {
	if in.Poll <= 0 {
		in.Poll = 5 * time.Minute
	}
	t := time.NewTicker(in.Poll)
	defer t.Stop()
	for {
		if _, err := in.Round(ctx); err != nil && ctx.Err() == nil {
			in.log().ErrorContext(ctx, "forge intake round", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (in *ForgeIntake) log() *slog.Logger {
	if in.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return in.Log
}

// Round reads every enabled repository once and returns how many reports
// it filed. A repository that fails (GitHub not answering, the store) is
// logged and the others are read; the error returned is the listing's.
func (in *ForgeIntake) Round(ctx context.Context) (int, error) {
	fs, err := in.Service.EnabledForges(ctx)
	if err != nil {
		return 0, err
	}
	filed := 0
	for _, f := range fs {
		res, err := in.Service.ForgeIntake(ctx, f)
		if res != nil {
			filed += len(res.Filed)
			for _, why := range res.Failed {
				in.log().WarnContext(ctx, "forge intake: an advisory not filed", "project", f.ProjectID, "why", why)
			}
		}
		if err != nil {
			in.log().WarnContext(ctx, "forge intake", "project", f.ProjectID, "repo", f.Repository(), "err", err)
		}
	}
	return filed, nil
}
