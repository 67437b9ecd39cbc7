package main

import (
	"fmt"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
)

func init() {
	reportGroup.add(&command{name: "subscribe", summary: "let a user see and follow a report, or end that (--remove)", run: userSwitch[vmt.Subscription]{
		name: "subscribe", off: "remove", offHelp: "end the subscription instead",
		add: (*vmthttp.Client).Subscribe,
		added: func(s *vmt.Subscription, user string) string {
			return fmt.Sprintf("%s is subscribed to report %d and may now see it.", user, s.ReportID)
		},
		remove:  (*vmthttp.Client).Unsubscribe,
		removed: "%s is no longer subscribed to report %d.\n",
	}.run})
}
