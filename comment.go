package vmt

import "time"

// Comment is a message on a report. It is as private as its report.
type Comment struct {
	ID        int64     `json:"id"`
	ReportID  int64     `json:"report_id"`
	AuthorID  int64     `json:"author_id"`
	Body      string    `json:"body"` // Markdown
	CreatedAt time.Time `json:"created_at"`
}

// Subscription lets one user see and follow a report. On a private report it
// is a grant of access, so it records who granted it.
type Subscription struct {
	ReportID  int64     `json:"report_id"`
	UserID    int64     `json:"user_id"`
	GrantedBy int64     `json:"granted_by"`
	CreatedAt time.Time `json:"created_at"`
}
