package main

import (
	"fmt"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
)

func init() {
	reportGroup.add(&command{name: "grant", summary: "let a stakeholder's account read an embargoed report after the notice, or end that (--revoke)", run: userSwitch[vmt.Grant]{
		name: "grant", off: "revoke", offHelp: "end the grant instead",
		add: (*vmthttp.Client).GrantStakeholder,
		added: func(g *vmt.Grant, user string) string {
			return fmt.Sprintf("%s of %s may now read report %d.", user, g.Organisation, g.ReportID)
		},
		remove:  (*vmthttp.Client).RevokeStakeholder,
		removed: "%s may no longer read report %d.\n",
	}.run})
}
