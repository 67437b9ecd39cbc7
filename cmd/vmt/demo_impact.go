package main

// approveImpact is the reporter or the architecture committee approving a
// report's impact description, which the move to Triaged needs.
func (d *demo) approveImpact(by string) step {
	return func(id int64) error { _, err := d.svc.ApproveImpact(d.ctx, d.as(by), id); return err }
}
