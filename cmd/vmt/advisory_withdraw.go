package main

import "context"

func init() {
	advisoryGroup.add(&command{name: "withdraw", summary: "withdraw a published advisory, saying why (it stays listed, marked withdrawn)", run: advisoryWithdraw})
}

func advisoryWithdraw(ctx context.Context, e *env, args []string) error {
	const use = "RECORD --reason R"
	var af apiFlags
	fs := advisoryFlags(e, "withdraw", use, &af)
	reason := fs.String("reason", "", "why it is withdrawn; published with it (required)")
	id, _, c, err := advisoryArgs(e, fs, &af, args, 1, "withdraw", use)
	if err != nil {
		return err
	}
	if *reason == "" {
		return usagef("--reason is required")
	}
	d, err := c.WithdrawAdvisory(ctx, id, *reason)
	if err != nil {
		return err
	}
	return advisoryOut(e, &af, d)
}
