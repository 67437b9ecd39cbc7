package vmt

import (
	"time"
)

// ProjectTemplate is a project's own text for one of the process's
// templates, used instead of the shipped default wherever that project's
// texts are written.
type ProjectTemplate struct {
	ProjectID int64     `json:"project_id"`
	Name      string    `json:"name"` // one of the eight, e.g. impact-description
	Text      string    `json:"text"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy int64     `json:"updated_by"`
}

// MaxTemplateBytes bounds a template's text.
const MaxTemplateBytes = 64 << 10

// TemplateView is a template as a project uses it: its override, or the
// default when Overridden is false.
type TemplateView struct {
	Project    string     `json:"project"`
	Name       string     `json:"name"`
	Text       string     `json:"text"`
	Overridden bool       `json:"overridden"`
	UpdatedAt  *time.Time `json:"updated_at,omitempty"`
	UpdatedBy  int64      `json:"updated_by,omitempty"`
}

// TemplateNames lists the eight templates a project can override, in the
// process's order (the names package render uses).
var TemplateNames = []string{"reception-incomplete", "embargo-reminder", "impact-description",
	"cve-request-private", "cve-request-public", "downstream-notification", "kcsa", "kcsn"}

// TemplatePreview is a template's text rendered against a sample report:
// what a project's texts would look like, before they are stored.
type TemplatePreview struct {
	Project string `json:"project"`
	Name    string `json:"name"`
	Subject string `json:"subject,omitempty"` // mail templates only
	Body    string `json:"body"`
}
