package vmt

import (
	"strings"
)

// GrantInput names the account a stakeholder access grant is for.
type GrantInput struct {
	UserID int64 `json:"user_id"`
}

// Grant is an account of a downstream stakeholder let into a report.
type Grant struct {
	ReportID      int64  `json:"report_id"`
	UserID        int64  `json:"user_id"`
	StakeholderID int64  `json:"stakeholder_id"`
	Organisation  string `json:"organisation"`
}

func containsFold(xs []string, s string) bool {
	for _, x := range xs {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
