package vmt

import (
	"net/mail"
	"sort"
	"time"
)

// StageTimers are a project's limits on how long a report may sit in one
// status. Past its limit the coordinator is reminded; EscalateAfterDays
// after the reminder, with the report still in that status, the
// escalation contacts are told (the process names foundation contacts to
// reach "if project-side delays are encountered").
type StageTimers struct {
	// LimitDays is, per status, the days a report may stay in it; a
	// status absent (or 0) has no timer.
	LimitDays          map[Status]int `json:"limit_days"`
	EscalateAfterDays  int            `json:"escalate_after_days"`
	EscalationContacts []string       `json:"escalation_contacts"`
}

// Limits on the stage timers.
const (
	MaxStageDays             = 365
	DefaultEscalateAfterDays = 7
)

// DefaultStageTimers are the limits until a project sets its own.
// VMT.md gives figures for two stages only: the embargo is kept "voluntarily
// small (3-5 business days)" after the notice, and issues taking "more than
// 2 weeks" are better solved in the open. The rest are this tool's choice:
// a new report is acknowledged within two days; each working stage before
// the notice (confirming, drafting and reviewing the impact description,
// getting the CVE) gets a week, In Progress two; Fix committed a week past
// the longest usual embargo, since patches are pushed at the disclosure
// hour; a report waiting on a security note (Opinion) a month. Closed
// statuses have no timer. Escalation contacts are addresses, which VMT.md
// does not give (it names GitHub handles), so there are none by default and
// nothing escalates until a project names them.
func DefaultStageTimers() StageTimers {
	return StageTimers{
		LimitDays: map[Status]int{
			StatusNew: 2, StatusIncomplete: 7, StatusConfirmed: 7, StatusTriaged: 7,
			StatusInProgress: 14, StatusFixCommitted: 14, StatusOpinion: 30,
		},
		EscalateAfterDays:  DefaultEscalateAfterDays,
		EscalationContacts: []string{},
	}
}

// validate checks the timers, naming the field at fault.
func (t *StageTimers) validate() error {
	for st, d := range t.LimitDays {
		field := "timers.limit_days." + string(st)
		if !st.Valid() {
			return Invalid(field, "%q is not a status", st)
		}
		if st.Closed() && d != 0 {
			return Invalid(field, "%s is a closed status: no timer", st.Label())
		}
		if d < 0 || d > MaxStageDays {
			return Invalid(field, "must be 0 (no timer) to %d days, not %d", MaxStageDays, d)
		}
	}
	if t.EscalateAfterDays < 1 || t.EscalateAfterDays > MaxStageDays {
		return Invalid("timers.escalate_after_days", "must be 1 to %d, not %d", MaxStageDays, t.EscalateAfterDays)
	}
	if len(t.EscalationContacts) > MaxContacts {
		return Invalid("timers.escalation_contacts", "more than %d addresses", MaxContacts)
	}
	for _, c := range t.EscalationContacts {
		if a, err := mail.ParseAddress(c); err != nil || a.Address != c {
			return Invalid("timers.escalation_contacts", "%q is not a bare mail address", c)
		}
	}
	return nil
}

// TimedStatuses returns the statuses with a timer, in a stable order.
func (t *StageTimers) TimedStatuses() []Status {
	var out []Status
	for st, d := range t.LimitDays {
		if d > 0 {
			out = append(out, st)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Limit returns how long a report may sit in st; 0: no timer.
func (t *StageTimers) Limit(st Status) time.Duration {
	return time.Duration(t.LimitDays[st]) * 24 * time.Hour
}

// TermsOverride records that a coordinator sent the notice with a
// disclosure date other than the one the reporter asked for.
type TermsOverride struct {
	Reason string    `json:"reason"`
	By     int64     `json:"by"`
	At     time.Time `json:"at"`
	// Requested is the reporter's date that was set aside, and Used the
	// date the notice gave instead.
	Requested time.Time `json:"requested"`
	Used      time.Time `json:"used"`
}

// Kinds of outbox items the stage timers write: mails carrying a
// NoticeMail, signed by the worker like a notice.
const (
	KindReminder   = "reminder"
	KindEscalation = "escalation"
)

// EmbargoedSince is when the embargo of r started: its creation. A report
// is private from the moment it is received (the reporter entrusted it to
// the VMT then) and no action makes a public report private again, so
// "made private" and "created" are the same instant; counting from
// creation also means time spent before triage counts, which is what the
// limit is for: the embargo is the reporter's and downstream's exposure,
// not the VMT's working time.
func (r *Report) EmbargoedSince() time.Time { return r.CreatedAt }

// EmbargoOverdue reports whether r, private, has been embargoed longer than
// limitDays at now.
func (r *Report) EmbargoOverdue(limitDays int, now time.Time) bool {
	return r.Visibility == Private && !now.Before(r.EmbargoedSince().AddDate(0, 0, limitDays))
}
